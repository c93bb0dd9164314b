"""Where focus is on one of Reference TV's screens: one index in a row or a column of buttons (both
builds of the app use it; each draws and routes keys its own way)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Focus:
    """One focused index in a row or a column of ``count`` items."""

    index: int = 0

    def move(self, delta: int, count: int) -> bool:
        """Move by ``delta`` if the target is inside ``count`` items; whether focus moved."""
        target = self.index + delta
        if 0 <= target < count:
            self.index = target
            return True
        return False

    def clamp(self, count: int) -> None:
        """Keep focus inside ``count`` items (after the row shrank)."""
        self.index = max(0, min(self.index, count - 1))
