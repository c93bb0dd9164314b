"""The Content Personalization service (Fire OS's on-device data service) and its vocabulary.

Apps call :class:`ContentPersonalizationService` in-process, as they would call the SDK's
ContentPersonalizationServer; the launcher reads the Continue Watching row from it.
"""

from __future__ import annotations

from firebridge.virtual.fireos.personalization import dumpsys
# The service and its rules moved to firebridge.virtual.personalization (Vega shares them); the
# modules stay importable from here.
from firebridge.virtual.personalization import consent, continue_watching, messages, sdk, service  # noqa: F401
from firebridge.virtual.personalization.continue_watching import CatalogTitle, ContinueWatchingRow, Outcome
from firebridge.virtual.personalization.sdk import (ChannelDescriptor, ContentEntitlement, ContentId, ContentInteraction, ContentInteractionType,
                  CustomerListEntry, CustomerListType, EntitlementType, EventType, PlaybackEvent, PlaybackState,
                  ProfileId)
from firebridge.virtual.personalization.service import DEFAULT_PROFILE, ChunkProvider, ContentPersonalizationService, ContinueWatchingItem

__all__ = [
    "CatalogTitle", "ChannelDescriptor", "ChunkProvider", "ContentEntitlement", "ContentId", "ContentInteraction",
    "ContentInteractionType", "ContentPersonalizationService", "ContinueWatchingItem", "ContinueWatchingRow",
    "CustomerListEntry", "CustomerListType", "DEFAULT_PROFILE", "EntitlementType", "EventType", "Outcome",
    "PlaybackEvent", "PlaybackState", "ProfileId",
]
