"""The Content Personalization SDK's vocabulary as apps on the virtual Fire TV use it (pure).

Enum values are the Vega SDK's (``@amazon-devices/kepler-content-personalization``, see
docs/fire-os.md section 8): PlaybackState PLAYING=0 PAUSED=1 EXIT=2
INTERSTITIAL=3, ContentInteractionType, EntitlementType, CustomerListType, the id namespaces.
The event fields and which of them are required are seed 002's "What to send" table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from firebridge.capabilities.cpsdk import ContentInteractionType, CustomerListType, EntitlementType, PlaybackState  # noqa: F401


class EventType(str, Enum):
    """``buildActiveEvent()`` vs ``buildOffDeviceEvent()`` (seed 002, "Event type details")."""

    ACTIVE = "Active"
    OFF_DEVICE = "Off-Device"


NAMESPACE_CDF_ID = "cdf_id"
NAMESPACE_GVD = "gvd"
NAMESPACE_ONTV = "ontv"
CONTENT_ID_NAMESPACES = frozenset({NAMESPACE_CDF_ID, NAMESPACE_GVD, NAMESPACE_ONTV})
NAMESPACE_APP_INTERNAL = "app_internal"


@dataclass(frozen=True)
class ContentId:
    id: str
    namespace: str = NAMESPACE_CDF_ID


@dataclass(frozen=True)
class ProfileId:
    """The app's own (obfuscated) profile id; never the plain account id (seed 002)."""

    id: str
    namespace: str = NAMESPACE_APP_INTERNAL


@dataclass(frozen=True)
class ChannelDescriptor:
    """The live linear channel, as specified through catalog integration."""

    identifier: str
    major_number: int = 0
    minor_number: int = 0


@dataclass(frozen=True)
class PlaybackEvent:
    """One playback event. ``None`` means the builder was not given that field."""

    event_type: EventType
    content_id: ContentId | None
    profile_id: ProfileId | None
    duration_ms: int | None
    position_ms: int | None
    playback_state: PlaybackState | None
    credits_position_ms: int | None = None
    event_timestamp_ms: int | None = None
    channel_descriptor: ChannelDescriptor | None = None


@dataclass(frozen=True)
class ContentEntitlement:
    content_id: ContentId | None
    entitlement_type: EntitlementType | None
    profile_id: ProfileId | None = None
    acquired_timestamp_ms: int | None = None


@dataclass(frozen=True)
class CustomerListEntry:
    content_id: ContentId | None
    profile_id: ProfileId | None


@dataclass(frozen=True)
class ContentInteraction:
    content_id: ContentId | None
    interaction_type: ContentInteractionType | None
    profile_id: ProfileId | None
    event_timestamp_ms: int | None = None


# -- validation: what the SDK's builders refuse (the reason is logged, the call is rejected) -------

def _content_id_error(content_id: ContentId | None) -> str | None:
    if content_id is None or not isinstance(content_id.id, str) or not content_id.id:
        return "content_id is required"
    if content_id.namespace not in CONTENT_ID_NAMESPACES:
        return f"content_id namespace '{content_id.namespace}' is not one of {', '.join(sorted(CONTENT_ID_NAMESPACES))}"
    return None


def _profile_id_error(profile_id: ProfileId | None) -> str | None:
    if profile_id is None or not isinstance(profile_id.id, str) or not profile_id.id:
        return "profile_id is required"
    if profile_id.namespace != NAMESPACE_APP_INTERNAL:
        return f"profile_id namespace '{profile_id.namespace}' is not {NAMESPACE_APP_INTERNAL}"
    return None


def _non_negative(name: str, value: object, required: bool) -> str | None:
    if value is None:
        return f"{name} is required" if required else None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return f"{name} must be a non-negative integer, got {value!r}"
    return None


def playback_event_error(event: PlaybackEvent) -> str | None:
    """Why the SDK would refuse ``event`` (seed 002's required fields), or None if it is valid."""
    checks = (
        _content_id_error(event.content_id),
        _profile_id_error(event.profile_id),
        _non_negative("duration_ms", event.duration_ms, True),
        _non_negative("playback_position_ms", event.position_ms, True),
        None if event.playback_state is not None and event.playback_state in tuple(PlaybackState)
        else f"playback_state is required (one of {', '.join(f'{s.name}={s.value}' for s in PlaybackState)})",
        _non_negative("credits_position_ms", event.credits_position_ms, False),
        _non_negative("event_timestamp_ms", event.event_timestamp_ms, event.event_type is EventType.OFF_DEVICE),
        None if event.channel_descriptor is None or event.channel_descriptor.identifier
        else "channel_descriptor identifier is required when a channel descriptor is given",
    )
    return next((error for error in checks if error), None)


def entitlement_error(entitlement: ContentEntitlement) -> str | None:
    if error := _content_id_error(entitlement.content_id):
        return error
    if entitlement.entitlement_type is None or entitlement.entitlement_type not in tuple(EntitlementType):
        return "entitlement_type is required"
    return None


def customer_list_entry_error(entry: CustomerListEntry) -> str | None:
    return _content_id_error(entry.content_id) or _profile_id_error(entry.profile_id)


def interaction_error(interaction: ContentInteraction) -> str | None:
    if error := _content_id_error(interaction.content_id):
        return error
    if interaction.interaction_type is None or interaction.interaction_type not in tuple(ContentInteractionType):
        return "interaction_type is required"
    return _profile_id_error(interaction.profile_id)
