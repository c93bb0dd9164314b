"""The Content Personalization service (Fire OS's on-device data service) and its vocabulary.

Apps call :class:`ContentPersonalizationService` in-process, as they would call the SDK's
ContentPersonalizationServer; the launcher reads the Continue Watching row from it.
"""

from __future__ import annotations

from . import dumpsys
from .continue_watching import CatalogTitle, ContinueWatchingRow, Outcome
from .sdk import (ChannelDescriptor, ContentEntitlement, ContentId, ContentInteraction, ContentInteractionType,
                  CustomerListEntry, CustomerListType, EntitlementType, EventType, PlaybackEvent, PlaybackState,
                  ProfileId)
from .service import DEFAULT_PROFILE, ChunkProvider, ContentPersonalizationService, ContinueWatchingItem

dumpsys.register()

__all__ = [
    "CatalogTitle", "ChannelDescriptor", "ChunkProvider", "ContentEntitlement", "ContentId", "ContentInteraction",
    "ContentInteractionType", "ContentPersonalizationService", "ContinueWatchingItem", "ContinueWatchingRow",
    "CustomerListEntry", "CustomerListType", "DEFAULT_PROFILE", "EntitlementType", "EventType", "Outcome",
    "PlaybackEvent", "PlaybackState", "ProfileId",
]
