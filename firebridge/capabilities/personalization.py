"""Content Personalization vocabulary (host side): the SDK's enums, the triggers of seed 000, and
lenient parsers for the log lines Vega OS's data service writes (the evidence of a call on Vega only;
Fire OS has no public system line, see :mod:`firebridge.capabilities.cpevidence`).

The only published line is seed 002's ("Verify content updates", a Vega OS document)::

    INFO com.amazon.com_amazon_tv_developer_dataservice.vega.vega_alberto_service:VegaAlbertoBinderService
    PlaybackEventsVegaMessage → message.sent_timestamp: <ts>, page_index : 0, total_page_count: 1,
    content_id id : <id>, content_id namespace : cdf_id, event_timestamp_ms: <ts>, playback_state :0,
    duration_ms : <ms>, credits_position_ms :<ms>

Spacing around the colons is irregular, keys contain spaces (``content_id id``), and firmware may differ
(fields missing, added, reordered; ``->`` for ``→``), so the parsers split on "key: value" boundaries
instead of a fixed pattern, keep every field they see, and never fail on a field they do not know.
Enum values: docs/fire-os.md section 8 (Amazon's CP API reference).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Iterable
from firebridge.capabilities.cpsdk import ContentInteractionType, CustomerListType, EntitlementType, PlaybackState  # noqa: F401


class ContentIdNamespace(str, Enum):
    CDF_ID = "cdf_id"
    GVD = "gvd"  # SDK 0.24 / 2.0
    ONTV = "ontv"  # SDK 0.24 / 2.0


class ProfileIdNamespace(str, Enum):
    APP_INTERNAL = "app_internal"


class PlaybackEventType(str, Enum):
    """``buildActiveEvent()`` (on this device, now) vs ``buildOffDeviceEvent()`` (elsewhere; needs a
    timestamp; never changes the Continue Watching row)."""

    ACTIVE = "active"
    OFF_DEVICE = "off_device"


class Trigger(str, Enum):
    """Customer triggers of seed 000's Summary Reference Table."""

    SIGN_IN = "sign_in"
    SIGN_OUT = "sign_out"
    SWITCH_PROFILE = "switch_profile"
    OPEN_APP = "open_app"
    WATCH = "watch"
    WATCHLIST_CHANGE = "watchlist_change"
    ENTITLEMENT_CHANGE = "entitlement_change"
    INTERACTION = "interaction"


# Seed 000: the ContentPersonalizationServer calls each trigger requires (alternatives for the
# add/remove rows are both listed; SIGN_OUT requires that nothing is shared).
EXPECTED_CALLS: dict[Trigger, tuple[str, ...]] = {
    Trigger.SIGN_IN: ("reportRefreshedContentEntitlements", "reportRefreshedCustomerList"),
    Trigger.SIGN_OUT: (),
    Trigger.SWITCH_PROFILE: ("reportRefreshedCustomerList", "reportNewPlaybackEvent"),
    Trigger.OPEN_APP: ("reportRefreshedContentEntitlements", "reportRefreshedCustomerList",
                       "reportNewPlaybackEvent"),
    Trigger.WATCH: ("reportNewPlaybackEvent",),
    Trigger.WATCHLIST_CHANGE: ("reportNewCustomerListEntry", "reportRemovedCustomerListEntry"),
    Trigger.ENTITLEMENT_CHANGE: ("reportNewContentEntitlement", "reportRemovedContentEntitlement"),
    Trigger.INTERACTION: ("reportNewContentInteraction",),
}

PLAYBACK_KIND = "PlaybackEventsVegaMessage"

# "SomethingVegaMessage", an optional status word ("rejected"), an arrow (or a colon), the fields.
_MESSAGE = re.compile(r"(?P<kind>[A-Za-z][A-Za-z0-9_]*VegaMessage)(?:\s+(?P<status>[a-z]+))?\s*(?:→|->|=>|:)"
                      r"\s*(?P<body>.*)$")
# Where one field begins: start or a comma, then a key (words separated by single spaces or dots),
# then optional spaces and a colon or equals sign.
_KEY = r"[A-Za-z_][\w.]*(?: [A-Za-z_][\w.]*)*"
_FIELD_START = re.compile(rf"(?:^|,)\s*(?P<key>{_KEY})\s*[:=]")
_BRACKETS = {"[": 1, "{": 1, "(": 1, "]": -1, "}": -1, ")": -1}


def normalize_key(key: str) -> str:
    """``content_id id`` -> ``content_id.id``, ``Playback_State`` -> ``playback_state``: lower case,
    runs of spaces become one dot."""
    return re.sub(r"\s+", ".", key.strip()).lower()


def parse_fields(body: str) -> dict[str, str]:
    """``k: v, k2 : v2, ...`` into a dict of normalised keys to stripped string values. A comma only
    ends a value when a ``key:`` follows it, so values may contain commas."""
    depth, depths = 0, []
    for char in body:  # a comma inside [..], {..} or (..) never starts a field: "content_ids : [a, b:c]"
        depths.append(depth)
        depth = max(0, depth + _BRACKETS.get(char, 0))
    starts = [m for m in _FIELD_START.finditer(body) if depths[m.start()] == 0]
    out: dict[str, str] = {}
    for n, match in enumerate(starts):
        end = starts[n + 1].start() if n + 1 < len(starts) else len(body)
        value = body[match.end():end].strip()
        out.setdefault(normalize_key(match.group("key")), value)
    return out


@dataclass(frozen=True)
class CpMessage:
    """Any Content Personalization service line: its message kind and its fields (as text)."""

    kind: str
    fields: dict[str, str]
    line: str = field(repr=False, default="")
    status: str | None = None  # e.g. "rejected" for "PlaybackEventsVegaMessage rejected → reason: ..."

    def get(self, *names: str) -> str | None:
        """The first present field among ``names`` (normalised names)."""
        for name in names:
            if name in self.fields:
                return self.fields[name]
        return None

    def number(self, *names: str) -> int | None:
        return to_int(self.get(*names))

    def items(self, *names: str) -> list[str] | None:
        """A bracketed list value (``[a, b]``) as its elements; None when absent."""
        value = self.get(*names)
        if value is None:
            return None
        inner = value.strip()
        if inner.startswith("[") and inner.endswith("]"):
            inner = inner[1:-1]
        return [part.strip() for part in inner.split(",") if part.strip()]


def to_int(value: str | None) -> int | None:
    """An integer from a field value, or None for placeholders such as ``<your_time_stamp>``."""
    if value is None:
        return None
    match = re.fullmatch(r"\s*(-?\d+)\s*", value)
    return int(match.group(1)) if match else None


def parse_cp_line(line: str) -> CpMessage | None:
    """Parse any ``...VegaMessage → k: v, ...`` line (a log line prefix may precede it); None otherwise."""
    match = _MESSAGE.search(line.rstrip("\r\n"))
    if not match:
        return None
    return CpMessage(kind=match.group("kind"), fields=parse_fields(match.group("body")), line=line.rstrip("\r\n"),
                     status=match.group("status"))


# Field names (normalised) per PlaybackReport attribute; the first is seed 002's, the rest are
# spellings a firmware might plausibly use.
_PLAYBACK_FIELDS: dict[str, tuple[str, ...]] = {
    "sent_timestamp": ("message.sent_timestamp", "sent_timestamp"),
    "page_index": ("page_index",),
    "total_page_count": ("total_page_count",),
    "content_id": ("content_id.id", "content_id", "contentid.id"),
    "content_id_namespace": ("content_id.namespace", "content_id_namespace"),
    "event_timestamp_ms": ("event_timestamp_ms", "event_timestamp"),
    "playback_state": ("playback_state", "playbackstate", "state"),
    "position_ms": ("playback_position_ms", "position_ms", "current_playback_position_ms",
                    "playback_position"),
    "duration_ms": ("duration_ms", "duration"),
    "credits_position_ms": ("credits_position_ms", "credits_position"),
    "profile_id": ("profile_id.id", "profile_id"),
    "event_type": ("event_type", "type"),
}


@dataclass(frozen=True)
class PlaybackReport:
    """One reported playback event, from the service's ``PlaybackEventsVegaMessage`` line.

    Numeric fields are None when absent or not a number (the seed's placeholders); every field seen
    is also in ``fields`` as text. ``playback_state`` is a PlaybackState, or the raw int for a value
    the SDK does not define.
    """

    content_id: str | None
    playback_state: PlaybackState | int | None
    duration_ms: int | None
    credits_position_ms: int | None
    position_ms: int | None
    event_timestamp_ms: int | None
    sent_timestamp: str | None
    content_id_namespace: str | None
    page_index: int | None
    total_page_count: int | None
    profile_id: str | None
    event_type: str | None
    fields: dict[str, str]
    line: str = field(repr=False, default="")

    @property
    def state_name(self) -> str | None:
        state = self.playback_state
        return state.name if isinstance(state, PlaybackState) else (None if state is None else str(state))


def playback_report(message: CpMessage) -> PlaybackReport:
    """Type a PlaybackEventsVegaMessage's fields."""
    def text(attr: str) -> str | None:
        return message.get(*_PLAYBACK_FIELDS[attr])

    def number(attr: str) -> int | None:
        return to_int(text(attr))

    state_value = number("playback_state")
    state: PlaybackState | int | None = state_value
    if state_value is None:
        raw = (text("playback_state") or "").strip().upper()
        state = PlaybackState[raw] if raw in PlaybackState.__members__ else None
    elif state_value in PlaybackState._value2member_map_:
        state = PlaybackState(state_value)
    return PlaybackReport(
        content_id=text("content_id"), playback_state=state, duration_ms=number("duration_ms"),
        credits_position_ms=number("credits_position_ms"), position_ms=number("position_ms"),
        event_timestamp_ms=number("event_timestamp_ms"), sent_timestamp=text("sent_timestamp"),
        content_id_namespace=text("content_id_namespace"), page_index=number("page_index"),
        total_page_count=number("total_page_count"), profile_id=text("profile_id"),
        event_type=text("event_type"), fields=dict(message.fields), line=message.line)


def parse_playback_line(line: str) -> PlaybackReport | None:
    """A :class:`PlaybackReport` from a playback log line (any prefix), or None for other lines."""
    message = parse_cp_line(line)
    if message is None or message.kind != PLAYBACK_KIND or message.status is not None:
        return None  # other messages, and refusals ("... rejected → reason: ...") are not reports
    return playback_report(message)


def parse_cp_lines(lines: Iterable[str], kind: str | None = None) -> list[CpMessage]:
    """Every Content Personalization message in ``lines`` (of one kind if given)."""
    out = []
    for line in lines:
        message = parse_cp_line(line)
        if message is not None and (kind is None or message.kind == kind):
            out.append(message)
    return out


def as_dict(report: PlaybackReport) -> dict[str, Any]:
    """The typed fields of a report (no raw line), e.g. for test failure messages."""
    return {k: getattr(report, k) for k in _PLAYBACK_FIELDS}
