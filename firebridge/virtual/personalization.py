"""The Content Personalization service (Fire OS's on-device data service) — INTERFACE STUB.

To be built (issue 3, item 5). Apps call it in-process, as they would call the SDK's
ContentPersonalizationServer; the launcher reads the Continue Watching row from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .system import VirtualDevice


@dataclass(frozen=True)
class ContinueWatchingItem:
    """One tile of the Continue Watching row."""

    content_id: str
    package: str
    title: str  # what the tile shows, e.g. "Night Harbor" or "The Long Road S1 E2"
    position_ms: int
    duration_ms: int
    updated_at: float  # device epoch seconds
    deep_link: str  # what SELECT on the tile starts, e.g. "reftv://play/movie-night-harbor"


class ContentPersonalizationService:
    def __init__(self, device: "VirtualDevice") -> None:
        self.device = device

    def continue_watching(self) -> list[ContinueWatchingItem]:
        """The row for the active Fire TV profile, most recently updated first."""
        return []

    def remove_from_continue_watching(self, content_id: str) -> None:
        """The launcher's "Remove from Continue Watching" menu item."""
