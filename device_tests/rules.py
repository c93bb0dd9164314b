"""Seed 002's reporting rules in a person's words, and the playback reports read back from the device log.

Two sources:

- The app's own debug line, which seed 002 ("Incorrect CDF IDs") asks apps to add, matched by the app
  profile's ``log_patterns.playback_report``. Named groups read here: ``content_id``, ``position_ms`` and
  ``state_code`` (or ``state``, a PlaybackState name) are required; ``type`` (``Active`` / ``Off-Device``),
  ``profile_id``, ``duration_ms``, ``credits_position_ms`` and ``event_timestamp_ms`` are used when present.
- What the platform's evidence shows was received (``Player.received``, through
  ``firebridge.capabilities.cpevidence``): on Vega OS Amazon's data service line (``VegaAlbertoBinderService
  PlaybackEventsVegaMessage → ...``: content id and namespace, state, duration, credits; no position, no
  profile id, no Active/Off-Device marker); on Fire OS, where no system line shows the call, the app's own
  line again. The ``require_received_*`` helpers check only what that source can show.

Every assertion helper raises an AssertionError that says what the app did and which rule that breaks
("...; seed 002 requires ..."), so a failing nightly run reads as a bug report, not as two numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterable, Sequence

from firebridge.capabilities.apps import CatalogEntry
from firebridge.driver.logrecord import LogRecord
from firebridge.capabilities.personalization import PlaybackReport as ServiceReport
from firebridge.capabilities.personalization import PlaybackState

# The rules, worded once. Failure messages end with one of these.
RULES: dict[str, str] = {
    "state_change": "seed 002 requires a playback event on every playback state change (start, stop, pause, exit)",
    "seek": "seed 002 requires a playback event on seeking to a new playback position",
    "periodic": "seed 002 requires a playback event once every 60 seconds while in the player, regardless of "
                "playback state",
    "exit": "seed 002 requires EXIT (2), not PAUSE, when playback completes or the player is left",
    "restored_position": "seed 002 says: do not send a playback event with the current position before the player "
                         "is loaded with the user's actual playback position",
    "interstitial": "seed 002 requires an INTERSTITIAL (3) playback event with the content position while an ad "
                    "(interstitial) plays",
    "frozen_position": "seed 002 says: do not advance the current playback position while an interstitial (ad) "
                       "is playing",
    "fields": "seed 002 requires Content ID (namespace cdf_id), Internal Profile ID, Duration, Current Playback "
              "Position and Playback State on every playback event, and the Credits Position when the content "
              "has one",
    "obfuscated": "seed 002 requires an obfuscated profile id, never the account's plain id",
    "cdf_id": "seed 002 (Incorrect CDF IDs) requires the content id to be exactly the CDF ID used in catalog "
              "ingestion",
    "off_device": "seed 002 says Off-Device activity does not update the Continue Watching row, and events sent "
                  "outside active playback must be marked Off-Device",
    "off_device_timestamp": "seed 002 requires the Event Timestamp on every Off-Device playback event (it is "
                            "optional only for Active events)",
    "cw_not_yet": "seed 002's validation scenarios expect a title paused right after it starts (under 2% watched) "
                  "not to be in the Continue Watching row yet",
    "cw_added": "seed 002's validation scenarios expect a title watched past 2% to appear first in the Continue "
                "Watching row",
    "cw_still_first": "seed 002's validation scenarios expect a title in progress that is resumed and left at once "
                      "to remain first in the Continue Watching row",
    "cw_removed": "seed 002 expects a title played to its end (EXIT at the credits or the end) to leave the "
                  "Continue Watching row",
    "cw_next_episode": "seed 002's validation scenarios expect a finished episode to leave the Continue Watching "
                       "row and the series' next episode to appear first",
}


def broken(rule: str, observation: str) -> AssertionError:
    """``observation; <the rule>`` as an AssertionError."""
    return AssertionError(f"{observation}; {RULES[rule]}")


# -- formatting ----------------------------------------------------------------------------------
def clock(ms: int | None) -> str:
    """A content position as a person reads it: ``12:05`` or ``1:02:03``."""
    if ms is None:
        return "no position"
    seconds = int(ms) // 1000
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def state_text(state: PlaybackState | int | None) -> str:
    """``EXIT (2)``; unknown codes as ``state 7``."""
    if isinstance(state, PlaybackState):
        return f"{state.name} ({int(state)})"
    if isinstance(state, int) and state in PlaybackState._value2member_map_:
        return state_text(PlaybackState(state))
    return "no state" if state is None else f"state {state}"


# -- reports -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Report:
    """One playback event as the app's debug line tells it."""

    at_s: float  # device time of the log line, seconds (from the log line's timestamp)
    content_id: str
    state: PlaybackState | int
    position_ms: int
    event_type: str | None = None  # "Active" / "Off-Device" when the pattern captures it
    profile_id: str | None = None
    duration_ms: int | None = None
    credits_ms: int | None = None
    line: str = ""
    event_timestamp_ms: int | None = None

    @property
    def off_device(self) -> bool | None:
        """True for Off-Device events, False for Active ones, None when the line does not say."""
        if not self.event_type:
            return None
        return "off" in self.event_type.lower()

    def describe(self) -> str:
        return f"{state_text(self.state)} at {clock(self.position_ms)}"


def log_time_s(date: str, time: str) -> float:
    """Seconds of a threadtime timestamp (``MM-DD HH:MM:SS.mmm``); only differences are meaningful."""
    # 2000 is a leap year, so 02-29 parses.
    form = "%Y-%m-%d %H:%M:%S.%f" if "." in time else "%Y-%m-%d %H:%M:%S"
    return datetime.strptime(f"2000-{date} {time}", form).timestamp()


def _group(match: re.Match[str], name: str) -> str | None:
    return match.groupdict().get(name)


def _int(text: str | None) -> int | None:
    return int(text) if text is not None and text.strip().lstrip("-").isdigit() else None


def report_from_match(match: re.Match[str], at_s: float, line: str) -> Report | None:
    """A Report from a ``playback_report`` match; None when a required group is missing."""
    content_id, position = _group(match, "content_id"), _int(_group(match, "position_ms"))
    code = _int(_group(match, "state_code"))
    if code is None and _group(match, "state"):
        name = (_group(match, "state") or "").upper()
        code = int(PlaybackState[name]) if name in PlaybackState.__members__ else None
    if content_id is None or position is None or code is None:
        return None
    state: PlaybackState | int = PlaybackState(code) if code in PlaybackState._value2member_map_ else code
    return Report(at_s, content_id, state, position, _group(match, "type"), _group(match, "profile_id"),
                  _int(_group(match, "duration_ms")), _int(_group(match, "credits_position_ms")), line,
                  _int(_group(match, "event_timestamp_ms")))


def parse_reports(lines: Iterable[str], pattern: re.Pattern[str],
                  parse_line: Callable[[str], LogRecord | None]) -> list[Report]:
    """The app's playback reports among device log lines (pure); ``parse_line`` is the device's log
    line parser (``driver.parse_log_line``, which a log tail keeps as ``.parser``)."""
    out = []
    for line in lines:
        match = pattern.search(line)
        record = parse_line(line) if match else None
        if match and record is not None:
            report = report_from_match(match, log_time_s(record.date, record.time), line)
            if report is not None:
                out.append(report)
    return out


# -- assertion helpers ------------------------------------------------------------------------------
def title_of(entry: CatalogEntry) -> str:
    return f"'{entry.display_title}'"


def require_report(report: Report | None, rule: str, when: str, entry: CatalogEntry) -> Report:
    """The report an action must have caused; its absence breaks ``rule``."""
    if report is None:
        raise broken(rule, f"{when}, the app sent no playback event for {title_of(entry)}")
    return report


def require_state(report: Report | None, expected: PlaybackState, when: str, entry: CatalogEntry,
                  rule: str | None = None) -> Report:
    """A report in state ``expected`` after an action (``when``: "After HOME left the player"); its
    absence or another state breaks ``rule`` (default: exit for EXIT, else state_change)."""
    rule = rule or ("exit" if expected is PlaybackState.EXIT else "state_change")
    report = require_report(report, rule, when, entry)
    if report.state != expected:
        raise broken(rule, f"{when}, the app reported {report.describe()} for {title_of(entry)}, not "
                           f"{state_text(expected)}")
    return report


def require_exit(report: Report | None, when: str, entry: CatalogEntry) -> Report:
    return require_state(report, PlaybackState.EXIT, when, entry)


def require_position(report: Report, expected_ms: int, tolerance_ms: int, rule: str, what: str,
                     entry: CatalogEntry) -> None:
    """``report`` carries ``expected_ms`` within the tolerance; ``what`` names the expected position."""
    if abs(report.position_ms - expected_ms) > tolerance_ms:
        raise broken(rule, f"the app reported {report.describe()} for {title_of(entry)}, but {what} is "
                           f"{clock(expected_ms)} (± {tolerance_ms // 1000} s)")


def require_catalog_id(reports: Sequence[Report], received: Sequence[ServiceReport], entry: CatalogEntry,
                       source: str = "the platform's evidence lines") -> None:
    """Every report of this playback names the catalog's CDF ID (the app's line, and what ``source`` -
    the platform's evidence of the call - shows was received)."""
    for report in reports:
        if report.content_id != entry.id:
            raise broken("cdf_id", f"the app reported content id '{report.content_id}' ({report.describe()}) "
                                   f"while playing {title_of(entry)}, whose catalog CDF ID is '{entry.id}'")
    for service in received:
        if service.content_id != entry.id:
            raise broken("cdf_id", f"{source} show content id '{service.content_id}' sent while "
                                   f"{title_of(entry)} played, whose catalog CDF ID is '{entry.id}'")


def require_received_fields(service: ServiceReport, entry: CatalogEntry, source: str,
                            shows: Callable[[str], bool] = lambda field: True) -> None:
    """What ``source`` (the platform's evidence) shows was sent: content id in the cdf_id namespace, state,
    the catalog's duration, and the catalog's credits position when it has one. ``shows(field)`` says
    whether the source can show a field at all (an app's line may not print the namespace); a field it
    cannot show is not checked."""
    missing = []
    if not service.content_id:
        missing.append("content id")
    if shows("content_id_namespace") and (service.content_id_namespace or "").strip() != "cdf_id":
        missing.append(f"content id namespace cdf_id (got {service.content_id_namespace or 'none'})")
    if shows("duration_ms") and service.duration_ms is None:
        missing.append("duration")
    if service.playback_state is None:
        missing.append("playback state")
    if missing:
        raise broken("fields", f"{source} show a playback event for {title_of(entry)} without "
                               + ", ".join(missing))
    if entry.duration_ms is not None and service.duration_ms is not None and service.duration_ms != entry.duration_ms:
        raise broken("fields", f"a playback event for {title_of(entry)} gives duration {clock(service.duration_ms)}; "
                               f"the catalog's duration is {clock(entry.duration_ms)}")
    credits = service.credits_position_ms
    if entry.credits_ms is not None and shows("credits_position_ms") and credits != entry.credits_ms:
        raise broken("fields", f"a playback event for {title_of(entry)} gives credits position "
                               f"{clock(credits) if credits is not None else 'none'}; the catalog's credits "
                               f"start at {clock(entry.credits_ms)}")


def require_app_fields(report: Report, entry: CatalogEntry, names_profile_id: bool) -> None:
    """What the app's debug line shows it sent: a position (the pattern requires one), a profile id when
    the pattern captures it (``names_profile_id``), and the catalog's duration and credits where named."""
    if names_profile_id and not report.profile_id:
        raise broken("fields", f"the app's playback event for {title_of(entry)} ({report.describe()}) carries no "
                               f"profile id")
    if report.duration_ms is not None and entry.duration_ms is not None and report.duration_ms != entry.duration_ms:
        raise broken("fields", f"the app reported duration {clock(report.duration_ms)} for {title_of(entry)}; the "
                               f"catalog's duration is {clock(entry.duration_ms)}")
    if entry.credits_ms is not None and report.credits_ms is not None and report.credits_ms != entry.credits_ms:
        raise broken("fields", f"the app reported credits at {clock(report.credits_ms)} for {title_of(entry)}; the "
                               f"catalog's credits start at {clock(entry.credits_ms)}")


_SEPARATORS = re.compile(r"[:@\s/|]")
MIN_TOKEN_LENGTH = 8


def plain_id_problem(profile_id: str, known_plain: Sequence[str]) -> str | None:
    """Why ``profile_id`` is not an obfuscated id, or None.

    A lab rarely knows the exact plain id an app would leak, so three checks: it must not contain a plain
    identifier the app profile names (``params``: account_id, email and its user name, profile names),
    must not be composed like ``account:profile`` or an address (``:``, ``@``, ``/``, ``|``, spaces), and
    must be at least 8 characters long (a hash or opaque token, not a name).
    """
    lowered = profile_id.lower()
    for plain in known_plain:
        if plain and len(plain) >= 3 and plain.lower() in lowered:
            return f"it contains the plain identifier '{plain}'"
    if _SEPARATORS.search(profile_id):
        return "it is composed of readable parts (it contains ':', '@', '/', '|' or spaces), like an account id"
    if len(profile_id) < MIN_TOKEN_LENGTH:
        return f"it is only {len(profile_id)} characters long, like a name rather than an opaque token"
    return None


def require_obfuscated(report: Report, known_plain: Sequence[str], entry: CatalogEntry) -> None:
    if not report.profile_id:
        raise broken("fields", f"the app's playback event for {title_of(entry)} carries no profile id")
    problem = plain_id_problem(report.profile_id, known_plain)
    if problem:
        raise broken("obfuscated", f"the app reported profile id '{report.profile_id}' for {title_of(entry)}: "
                                   f"{problem}")


def require_periodic(reports: Sequence[Report], span: tuple[float, float], state_name: str, max_gap_s: float,
                     entry: CatalogEntry) -> None:
    """Within ``span`` (device seconds, longer than 60 s) a report must come at least every ``max_gap_s``."""
    start, end = span
    times = [start] + [r.at_s for r in reports if start < r.at_s <= end] + [end]
    gap = max(b - a for a, b in zip(times, times[1:]))
    if gap > max_gap_s:
        raise broken("periodic", f"while {title_of(entry)} was {state_name} in the player for {end - start:.0f} s "
                                 f"the app sent no playback event for {gap:.0f} s")
