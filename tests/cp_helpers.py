"""Helpers for the Content Personalization tests through adb: reading Reference TV's log lines, what the
data service received and its row (the virtual-only ``dumpsys content_personalization``), and driving the app.

Everything here goes through ``adb`` (shell commands a Fire TV accepts); the parsers are plain
regular expressions over ``logcat -v threadtime`` and dumpsys output. The virtual Fire TV's service writes
no log line (Fire OS has no public one; seed 002's ``VegaAlbertoBinderService`` line is Vega OS's journal,
:data:`SEED_LINE`): what it received is read from dumpsys (:func:`received`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from firebridge.virtual.personalization.consent import SHARE_APP_VIEWING_KEY, SYNC_ACROSS_DEVICES_KEY
from firebridge.waiting import wait_until

PACKAGE = "com.firebridge.reference"
THREADTIME = re.compile(r"^(\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) +(\d+) +(\d+) ([VDIWEF]) (.+?)\s*: (.*)$")

# The seed 002 line ("Verify content updates in the Continue Watching row"), field for field.
SEED_LINE = re.compile(
    r"^com\.amazon\.com_amazon_tv_developer_dataservice\.vega\.vega_alberto_service:VegaAlbertoBinderService "
    r"PlaybackEventsVegaMessage → message\.sent_timestamp: (?P<sent>\d+), page_index : (?P<page>\d+), "
    r"total_page_count: (?P<pages>\d+), content_id id : (?P<content_id>\S+), content_id namespace : cdf_id, "
    r"event_timestamp_ms: (?P<event_ts>\d+), playback_state :(?P<state>\d), duration_ms : (?P<duration>\d+), "
    r"credits_position_ms :(?P<credits>\d+)$")
DEBUG_PAIR = re.compile(r"(\w+)=(\S*)")


@dataclass(frozen=True)
class LogLine:
    level: str
    tag: str
    message: str
    pid: int


@dataclass(frozen=True)
class SeedEvent:
    """One playback event the service received: the fields of seed 002's PlaybackEventsVegaMessage line."""

    sent: int
    content_id: str
    event_ts: int
    state: int
    duration: int
    credits: int


@dataclass(frozen=True)
class Report:
    """One ``ReferenceTV`` debug line: the SDK call and its fields."""

    call: str
    fields: dict[str, str]

    def __getitem__(self, name: str) -> str:
        return self.fields[name]

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.fields.get(name, default)

    @property
    def state(self) -> str:
        return self.fields["state"].split("(")[0]

    @property
    def position(self) -> int:
        return int(self.fields["position_ms"])


def sh(session, command: str) -> str:
    result = session.adb("shell", command)
    assert result.returncode == 0, (command, result.stderr)
    return result.stdout.decode()


def consent_on(session, share: bool = True, sync: bool = True) -> None:
    """Test setup: the two privacy toggles (the settings UI is another module's business)."""
    sh(session, f"settings put secure {SHARE_APP_VIEWING_KEY} {int(share)}; "
                f"settings put secure {SYNC_ACROSS_DEVICES_KEY} {int(sync)}")


def start_device(start_virtual_device, speed: float, faults: str = "", consent: bool = True):
    session = start_virtual_device(speed=speed)
    if consent:
        consent_on(session)
    if faults:
        sh(session, f"setprop debug.firebridge.fault {faults}")
    return session


def log_lines(session) -> list[LogLine]:
    out = session.adb("logcat", "-d", "-v", "threadtime").stdout.decode()
    lines = []
    for raw in out.splitlines():
        match = THREADTIME.match(raw)
        if match:
            lines.append(LogLine(match.group(4), match.group(5), match.group(6), int(match.group(2))))
    return lines


@dataclass(frozen=True)
class Received:
    """One call the data service received (``dumpsys content_personalization``, "Received calls")."""

    sent: int
    call: str
    package: str
    fields: dict[str, str]
    refused: str | None = None

    def __getitem__(self, name: str) -> str:
        return self.fields[name]


RECEIVED = re.compile(r"^    sent_ms=(\d+) (\w+) package=(\S+)(.*?)(?: refused reason=(.*))?$")


def received(session, call: str | None = None) -> list[Received]:
    """The calls the service received (accepted and refused), oldest first; of one SDK call if given."""
    out = sh(session, "dumpsys content_personalization")
    lines = out.split("  Received calls", 1)[1].splitlines()[1:] if "  Received calls" in out else []
    found = []
    for line in lines:
        match = RECEIVED.match(line)
        if match and (call is None or match.group(2) == call):
            found.append(Received(int(match.group(1)), match.group(2), match.group(3),
                                  dict(DEBUG_PAIR.findall(match.group(4))), match.group(5)))
    return found


def received_events(session) -> list[SeedEvent]:
    """The playback events the service accepted, with the fields seed 002's line would show."""
    return [SeedEvent(r.sent, r["content_id"], int(r["event_timestamp_ms"]), int(r["state"]), int(r["duration_ms"]),
                      int(r.fields.get("credits_position_ms", 0)))
            for r in received(session, "reportNewPlaybackEvent") if r.refused is None]


def refused_calls(session) -> list[Received]:
    return [r for r in received(session) if r.refused is not None]


def vega_lines(session) -> list[LogLine]:
    """Lines of Vega OS's data service journal (``VegaAlbertoBinderService ...VegaMessage``) in logcat: a
    real Fire TV prints none, so the virtual one must not either."""
    return [line for line in log_lines(session)
            if line.tag == "VegaAlbertoBinderService" or "VegaMessage" in line.message]


def reports(session, call: str | None = None) -> list[Report]:
    """Reference TV's debug lines (tag ReferenceTV, level D) for SDK calls."""
    found = []
    for line in log_lines(session):
        if line.tag != "ReferenceTV" or line.level != "D" or not line.message.startswith("report"):
            continue
        name, _, rest = line.message.partition(" ")
        if call is None or name == call:
            found.append(Report(name, dict(DEBUG_PAIR.findall(rest))))
    return found


def playback_reports(session) -> list[Report]:
    return reports(session, "reportNewPlaybackEvent")


def wait_reports(session, predicate, what: str, timeout: float = 10.0, call: str = "reportNewPlaybackEvent"):
    """Wait until the debug reports satisfy ``predicate`` (given the list); returns the list."""
    seen: list[Report] = []

    def check():
        nonlocal seen
        seen = reports(session, call)
        return seen if predicate(seen) else None

    return wait_until(check, timeout, what, describe=lambda: "; ".join(f"{r.call} {r.fields}" for r in seen[-8:]))


def wait_started(session, cdf_id: str, count: int = 1, timeout: float = 10.0) -> list[Report]:
    """Wait for the player's ``reason=start`` event(s) (after it restored the saved position)."""
    return wait_reports(session, lambda rs: sum(r.get("reason") == "start" and r["cdf_id"] == cdf_id
                                                for r in rs) >= count,
                        f"playback of {cdf_id} to start", timeout)


CW_ITEM = re.compile(r"^\s+#(\d+) content_id=(\S+) package=(\S+) position_ms=(\d+) duration_ms=(\d+) "
                     r"updated_ms=(\d+) deep_link=(\S+) title=(.*)$")


def continue_watching(session, profile: str = "default") -> list[tuple[str, str, int]]:
    """(content id, title, position) of each tile, first first, from ``dumpsys content_personalization``."""
    out = sh(session, "dumpsys content_personalization")
    rows: list[tuple[str, str, int]] = []
    section = None
    for line in out.splitlines():
        if line.startswith("  Continue Watching profile="):
            section = line.split("=", 1)[1].split(" ", 1)[0]
            continue
        if not line.startswith("    "):
            section = None
            continue
        match = CW_ITEM.match(line)
        if match and section == profile:
            rows.append((match.group(2), match.group(8), int(match.group(4))))
    return rows


def play(session, cdf_id: str) -> None:
    sh(session, f"am start -a android.intent.action.VIEW -d reftv://play/{cdf_id}")


def keys(session, *names: str) -> None:
    sh(session, "input keyevent " + " ".join(names))


def ui_tree(session, path: str = "/sdcard/window_dump.xml"):
    """``uiautomator dump`` parsed with xml.etree (the root ``hierarchy`` element)."""
    import xml.etree.ElementTree as ET

    out = sh(session, f"uiautomator dump {path}")
    assert out == f"UI hierchary dumped to: {path}\n", out
    return ET.fromstring(sh(session, f"cat {path}"))


def nodes(tree, resource: str) -> list:
    """Nodes with resource id ``com.firebridge.reference:id/RESOURCE``."""
    return [n for n in tree.iter("node") if n.get("resource-id") == f"{PACKAGE}:id/{resource}"]


def focused_activity(session) -> str:
    """The focused window's activity class, from ``dumpsys window``'s mCurrentFocus line."""
    line = next(l for l in sh(session, "dumpsys window").splitlines() if "mCurrentFocus=" in l)
    return line.rstrip("}").rsplit("/", 1)[-1]


def sign_out(session) -> None:
    """Account > Sign out (D-pad on the account screen)."""
    sh(session, "am start -a android.intent.action.VIEW -d reftv://account; input keyevent DPAD_DOWN DPAD_CENTER")


def sign_in(session, email: str = "demo@reftv.example", password: str = "firetv123") -> None:
    """Account > Sign in, then the form: email, password, Sign in."""
    sh(session, "am start -a android.intent.action.VIEW -d reftv://account; input keyevent DPAD_CENTER; "
                f"input text {email}; input keyevent DPAD_DOWN; input text {password}; "
                "input keyevent DPAD_DOWN DPAD_CENTER")
