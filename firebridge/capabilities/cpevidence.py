"""Evidence that an app made a Content Personalization call, one source per platform (pure).

What a device log can show about a call depends on the platform:

- **Vega OS**: Amazon's data service logs every call it receives. Seed 002 ("Verify content updates in
  the Continue Watching row", Amazon's Vega documentation) gives the line for a playback event::

      INFO com.amazon.com_amazon_tv_developer_dataservice.vega.vega_alberto_service:VegaAlbertoBinderService PlaybackEventsVegaMessage → message.sent_timestamp: ..., content_id id : ..., playback_state :0, ...

  It exists for any app, so :class:`ServiceJournalEvidence` reads it (and the same shape for the other
  calls: ``EntitlementsVegaMessage``, ``CustomerListVegaMessage``, ``ContentInteractionVegaMessage``).
- **Fire OS**: no public source shows a system log line for a Content Personalization call. Amazon's
  Fire OS pages ("Get Started with the Fire TV Integration SDK", "Test Cases for Validating
  Integration") give none; the outcome check there is the Continue Watching tile. Amazon's sample app
  logs its own calls (github.com/amzn/ftv-integration-sdk-sample-app, ``FireTvPlaybackReporter.kt``:
  ``Log.i(TAG, "Reporting playback event with state: PLAYING, content id: ...")``). So on Fire OS the
  evidence is the app's own line, which the app profile names (``log_patterns``, one key per call;
  :data:`APP_LOG_KEYS`): :class:`AppLogEvidence`. It shows that the app made the call, not that Fire
  TV accepted it; an app that logs its failed calls names that line ``call_failed``.

:func:`evidence_for` picks the source from the device's platform and the app profile, so a test never
asks which platform it runs on. A call the source cannot show (a profile without that pattern) has a
reason (:meth:`CpEvidence.missing`) that names the missing profile key: the test skips that check.

Calls are named as in seed 000's table (Vega's ``ContentPersonalizationServer`` methods); the Fire OS
receivers' methods map one to one (Amazon community post "Fire OS/Vega Comparison: Content
Personalization API": ``addCustomerListEntry`` is ``reportNewCustomerListEntry``, ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Protocol

from firebridge.capabilities.apps import AppProfile
from firebridge.capabilities.cpsdk import ContentInteractionType, CustomerListType, EntitlementType, PlaybackState
from firebridge.capabilities.personalization import (PLAYBACK_KIND, CpMessage, PlaybackReport, parse_cp_line,
                                                     playback_report, to_int)
from firebridge.driver.protocol import Platform
from firebridge.errors import ConfigError

# The SDK calls (seed 000's names).
PLAYBACK = "reportNewPlaybackEvent"
NEW_ENTITLEMENT = "reportNewContentEntitlement"
REMOVED_ENTITLEMENT = "reportRemovedContentEntitlement"
REFRESHED_ENTITLEMENTS = "reportRefreshedContentEntitlements"
NEW_LIST_ENTRY = "reportNewCustomerListEntry"
REMOVED_LIST_ENTRY = "reportRemovedCustomerListEntry"
REFRESHED_LIST = "reportRefreshedCustomerList"
INTERACTION = "reportNewContentInteraction"
CALLS = (PLAYBACK, NEW_ENTITLEMENT, REMOVED_ENTITLEMENT, REFRESHED_ENTITLEMENTS, NEW_LIST_ENTRY, REMOVED_LIST_ENTRY,
         REFRESHED_LIST, INTERACTION)
REFRESHES = (REFRESHED_ENTITLEMENTS, REFRESHED_LIST)

# Platforms whose Content Personalization service logs each call it receives (seed 002's line is from
# Amazon's Vega OS documentation; nothing public shows such a line on Fire OS).
SERVICE_LOGS_CALLS: frozenset[Platform] = frozenset({Platform.VEGA})


@dataclass(frozen=True)
class AppLogKey:
    """One ``log_patterns`` key of an app profile that names the app's line for an SDK call."""

    call: str | None  # None: the app's line for a call that failed (``call_failed``)
    required: tuple[str, ...] = ()  # named groups the pattern must have
    list_type: CustomerListType | None = None  # what the key implies (watchlist_*: WATCHLIST)
    description: str = ""  # its named groups, for people


# The app's own line per call, by profile key (docs/app-profile.md, "Log patterns").
APP_LOG_KEYS: dict[str, AppLogKey] = {
    "playback_report": AppLogKey(PLAYBACK, ("content_id",),
                                 description="content_id, state_code (or state), position_ms; optional type, "
                                             "duration_ms, credits_position_ms, profile_id, event_timestamp_ms, "
                                             "namespace"),
    "watchlist_add": AppLogKey(NEW_LIST_ENTRY, ("content_id",), CustomerListType.WATCHLIST, "content_id"),
    "watchlist_remove": AppLogKey(REMOVED_LIST_ENTRY, ("content_id",), CustomerListType.WATCHLIST, "content_id"),
    "watchlist_refresh": AppLogKey(REFRESHED_LIST, (), CustomerListType.WATCHLIST, "optional content_ids"),
    "entitlement": AppLogKey(NEW_ENTITLEMENT, ("content_id",), description="content_id; optional type"),
    "entitlement_removed": AppLogKey(REMOVED_ENTITLEMENT, ("content_id",), description="content_id; optional type"),
    "entitlements_refresh": AppLogKey(REFRESHED_ENTITLEMENTS, (), description="optional content_ids"),
    "interaction": AppLogKey(INTERACTION, ("content_id", "type"), description="content_id, type (a name or a number)"),
    "call_failed": AppLogKey(None, (), description="optional call, reason"),
}
APP_LOG_KEY_OF: dict[str, str] = {key.call: name for name, key in APP_LOG_KEYS.items() if key.call}

# The service's message kind and operation per call (Vega; only the playback line is published, the
# others are taken to have the same shape - see the virtual Vega device's service).
_SERVICE_KINDS: dict[tuple[str, str | None], str] = {
    (PLAYBACK_KIND, None): PLAYBACK,
    ("EntitlementsVegaMessage", "NEW"): NEW_ENTITLEMENT,
    ("EntitlementsVegaMessage", "REMOVED"): REMOVED_ENTITLEMENT,
    ("EntitlementsVegaMessage", "REFRESH"): REFRESHED_ENTITLEMENTS,
    ("CustomerListVegaMessage", "NEW"): NEW_LIST_ENTRY,
    ("CustomerListVegaMessage", "REMOVED"): REMOVED_LIST_ENTRY,
    ("CustomerListVegaMessage", "REFRESH"): REFRESHED_LIST,
    ("ContentInteractionVegaMessage", None): INTERACTION,
}
SERVICE_KIND_OF: dict[str, str] = {call: kind for (kind, _), call in _SERVICE_KINDS.items()}


@dataclass(frozen=True)
class CpCall:
    """One Content Personalization call as the evidence shows it (fields it cannot show are None)."""

    call: str  # an SDK call of CALLS, or the service's message kind when it maps to none
    line: str = field(repr=False, default="")
    content_id: str | None = None
    content_ids: tuple[str, ...] = ()  # a refresh's ids, where shown
    list_type: int | None = None
    interaction_type: int | None = None
    entitlement_type: int | None = None
    refused: str | None = None  # the reason, for a call that was refused or failed
    package: str | None = None  # the calling package, where the line names it
    own: bool = False  # the app's own line: it is this app's call whatever it names
    playback: PlaybackReport | None = None  # a playback event's fields

    def names(self, content_ids: set[str]) -> bool:
        """Whether the call is about one of ``content_ids``."""
        return bool(({self.content_id} | set(self.content_ids)) & content_ids)

    def describe(self) -> str:
        parts = [self.call + (" refused" if self.refused is not None else "")]
        for name, value, enum in (("list_type", self.list_type, CustomerListType),
                                  ("interaction_type", self.interaction_type, ContentInteractionType),
                                  ("entitlement_type", self.entitlement_type, EntitlementType)):
            if value is not None:
                parts.append(f"{name}={enum(value).name if value in enum._value2member_map_ else value}")
        if self.content_id:
            parts.append(f"content_id={self.content_id}")
        if self.content_ids:
            parts.append(f"content_ids=[{', '.join(self.content_ids)}]")
        if self.playback is not None and self.playback.playback_state is not None:
            parts.append(f"state={self.playback.state_name}")
        if self.refused:
            parts.append(f"reason={self.refused}")
        return " ".join(parts)


def describe_calls(calls: list[CpCall], limit: int = 6) -> str:
    """A short list of calls for a failure message."""
    if not calls:
        return "nothing"
    more = f" (+{len(calls) - limit} more)" if len(calls) > limit else ""
    return "; ".join(c.describe() for c in calls[:limit]) + more


def attributed(calls: Iterable[CpCall], package: str, content_ids: set[str]) -> list[CpCall]:
    """The calls that are this app's: its own lines, lines naming one of its titles (its catalog, as
    integrated with Amazon's), and refusals naming its package."""
    return [c for c in calls if c.own or c.names(content_ids) or (c.refused is not None and c.package == package)]


class CpEvidence(Protocol):
    """Where a device's log shows the Content Personalization calls apps make."""

    description: str  # for failure messages, a plural noun phrase: "Fire TV's Content Personalization service lines"

    def parse_line(self, line: str) -> CpCall | None:
        """The call a log line shows, or None."""
        ...

    def missing(self, call: str) -> str | None:
        """Why this source cannot show ``call`` (a skip reason naming what to add), or None."""
        ...

    def source_of(self, call: str) -> str:
        """Which lines show ``call``, for failure messages: a plural noun phrase ("the ... lines")."""
        ...

    def shows(self, call: str, what: str) -> bool:
        """Whether this source's line for ``call`` can show ``what`` (a CpCall field or a playback
        field such as ``content_id_namespace``); a check of a field it cannot show is skipped."""
        ...


def parse_calls(evidence: CpEvidence, lines: Iterable[str]) -> list[CpCall]:
    """Every call ``lines`` show, in order."""
    return [call for line in lines if (call := evidence.parse_line(line)) is not None]


# -- Vega OS: the data service's line -------------------------------------------------------------------
class ServiceJournalEvidence:
    """The data service's ``<Kind>VegaMessage → k: v, ...`` lines (Vega OS)."""

    description = "Fire TV's Content Personalization service lines"

    def parse_line(self, line: str) -> CpCall | None:
        message = parse_cp_line(line)
        return None if message is None else call_from_message(message)

    def missing(self, call: str) -> str | None:
        return None

    def source_of(self, call: str) -> str:
        return f"the {SERVICE_KIND_OF.get(call, call)} lines of Fire TV's Content Personalization service"

    def shows(self, call: str, what: str) -> bool:
        return True


def call_from_message(message: CpMessage) -> CpCall:
    """The call a service message shows (pure)."""
    operation = (message.get("operation") or "").strip().upper() or None
    call = _SERVICE_KINDS.get((message.kind, operation)) or _SERVICE_KINDS.get((message.kind, None)) or message.kind
    refused = None
    if message.status is not None:  # "<Kind> rejected → reason: ..., package : P"
        refused = message.get("reason") or message.status
    return CpCall(call=call, line=message.line, content_id=(message.get("content_id.id") or "").strip() or None,
                  content_ids=tuple(message.items("content_ids") or ()), list_type=message.number("list_type"),
                  interaction_type=message.number("interaction_type"),
                  entitlement_type=message.number("entitlement_type"), refused=refused,
                  package=(message.get("package") or "").strip() or None,
                  playback=playback_report(message) if call == PLAYBACK and refused is None else None)


# -- Fire OS: the app's own lines ------------------------------------------------------------------------
class AppLogEvidence:
    """The app's own lines for its calls, by the profile's ``log_patterns`` (:data:`APP_LOG_KEYS`)."""

    def __init__(self, profile: AppProfile) -> None:
        self.profile = profile
        self.patterns = {name: pattern for name, pattern in profile.log_patterns.items() if name in APP_LOG_KEYS}
        for name, pattern in self.patterns.items():
            absent = [group for group in APP_LOG_KEYS[name].required if group not in pattern.groupindex]
            if absent:
                raise ConfigError(f"log pattern {name!r} of the app profile {profile.name!r} needs the named "
                                  f"group(s) {', '.join(f'(?P<{g}>...)' for g in absent)} "
                                  f"(its groups: {APP_LOG_KEYS[name].description})", profile.path)
        self.description = f"the app's own log lines (log_patterns of the app profile {profile.name!r})"

    def parse_line(self, line: str) -> CpCall | None:
        for name, pattern in self.patterns.items():
            match = pattern.search(line)
            if match:
                return call_from_match(name, match, line, self.profile.package)
        return None

    def missing(self, call: str) -> str | None:
        key = APP_LOG_KEY_OF.get(call)
        if key is not None and key in self.patterns:
            return None
        where = f" on {self.profile.platform}" if self.profile.platform else ""
        return (f"the app profile {self.profile.name!r} gives no log_patterns.{key or call}{where}: the app's own log "
                f"line for {call}, the only evidence of that call there (no public Fire OS system line shows "
                f"Content Personalization calls); add it to {self.profile.path or 'the profile'}")

    def source_of(self, call: str) -> str:
        return f"the app's own log lines (log_patterns.{APP_LOG_KEY_OF.get(call, call)})"

    def shows(self, call: str, what: str) -> bool:
        pattern = self.patterns.get(APP_LOG_KEY_OF.get(call, ""))
        if pattern is None:
            return False
        groups = set(pattern.groupindex)
        implied = {"list_type"} if APP_LOG_KEYS[APP_LOG_KEY_OF[call]].list_type is not None else set()
        return bool(set(_GROUPS_OF.get(what, (what,))) & groups) or what in implied


# Which named groups show a field (the first is the documented one).
_GROUPS_OF: dict[str, tuple[str, ...]] = {
    "interaction_type": ("type", "interaction_type"), "entitlement_type": ("type", "entitlement_type"),
    "playback_state": ("state_code", "state"), "content_id_namespace": ("namespace",),
    "credits_position_ms": ("credits_position_ms",), "duration_ms": ("duration_ms",),
    "content_ids": ("content_ids",), "list_type": ("list_type",),
}


def _enum_value(text: str | None, enum) -> int | None:
    """A number, or an enum member's name (``DETAIL_VIEW``, ``Purchase``) as its value."""
    if text is None:
        return None
    number = to_int(text)
    if number is not None:
        return number
    name = text.strip().upper()
    return int(enum[name]) if name in enum.__members__ else None


def _ids(text: str | None) -> tuple[str, ...]:
    """``a,b``, ``[a, b]`` or ``a b`` as ids."""
    if not text:
        return ()
    return tuple(part for part in re.split(r"[\s,]+", text.strip().strip("[]")) if part)


def call_from_match(name: str, match: re.Match[str], line: str, package: str) -> CpCall:
    """The call an app's line shows, from the match of its ``log_patterns`` key ``name`` (pure)."""
    key = APP_LOG_KEYS[name]
    groups = {k: v for k, v in match.groupdict().items() if v is not None}
    content_id = groups.get("content_id")
    if key.call is None:  # call_failed
        return CpCall(call=groups.get("call") or "a Content Personalization call", line=line, content_id=content_id,
                      refused=groups.get("reason") or "failed", package=package, own=True)
    kind_type = groups.get("type")
    playback = _playback(groups, line) if key.call == PLAYBACK else None
    return CpCall(
        call=key.call, line=line, content_id=content_id, content_ids=_ids(groups.get("content_ids")),
        list_type=int(key.list_type) if key.list_type is not None else _enum_value(groups.get("list_type"),
                                                                                    CustomerListType),
        interaction_type=_enum_value(groups.get("interaction_type", kind_type), ContentInteractionType)
        if key.call == INTERACTION else None,
        entitlement_type=_enum_value(groups.get("entitlement_type", kind_type), EntitlementType)
        if key.call in (NEW_ENTITLEMENT, REMOVED_ENTITLEMENT) else None,
        package=package, own=True, playback=playback)


def _playback(groups: dict[str, str], line: str) -> PlaybackReport:
    """A playback event's fields from the app's line (what it says it sent)."""
    code = _enum_value(groups.get("state_code", groups.get("state")), PlaybackState)
    state: PlaybackState | int | None = code
    if code is not None and code in PlaybackState._value2member_map_:
        state = PlaybackState(code)
    return PlaybackReport(
        content_id=groups.get("content_id"), playback_state=state, duration_ms=to_int(groups.get("duration_ms")),
        credits_position_ms=to_int(groups.get("credits_position_ms")), position_ms=to_int(groups.get("position_ms")),
        event_timestamp_ms=to_int(groups.get("event_timestamp_ms")), sent_timestamp=None,
        content_id_namespace=groups.get("namespace"), page_index=None, total_page_count=None,
        profile_id=groups.get("profile_id"), event_type=groups.get("type"), fields=dict(groups), line=line)


def evidence_for(platform: Platform | str, profile: AppProfile) -> CpEvidence:
    """The evidence source of ``platform`` for the app of ``profile`` (resolved for that platform)."""
    if Platform(platform) in SERVICE_LOGS_CALLS:
        return ServiceJournalEvidence()
    return AppLogEvidence(profile)


__all__ = ["APP_LOG_KEYS", "AppLogEvidence", "CALLS", "CpCall", "CpEvidence", "SERVICE_LOGS_CALLS",
           "ServiceJournalEvidence", "attributed", "call_from_match", "call_from_message", "describe_calls",
           "evidence_for", "parse_calls"]
