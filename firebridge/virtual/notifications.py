"""The notification manager and Partner-Managed Row data — INTERFACE STUB.

To be built (issue 3, item 8).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .system import VirtualDevice


@dataclass(frozen=True)
class RecommendationTile:
    """One tile of an app's Partner-Managed Row, as the launcher shows it."""

    key: str
    package: str
    title: str
    text: str
    display_name: str  # DISPLAY_NAME cut to 15 characters, or the app label
    maturity_rating: str  # "" when absent: shown as mature
    requires_pin: bool
    content_id: str | None


class NotificationManager:
    def __init__(self, device: "VirtualDevice") -> None:
        self.device = device

    def recommendation_rows(self) -> dict[str, list[RecommendationTile]]:
        """Package -> its row's tiles in display order (rank, then newest; live ones only in window)."""
        return {}
