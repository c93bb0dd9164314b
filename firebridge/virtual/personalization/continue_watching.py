"""Continue Watching rules (pure): docs/virtual-device.md section 1.

- A title is added when an Active event's position reaches 2% of its duration.
- Finished = position at or beyond the credits position when one is given, else at or beyond 95% of
  the duration. A finished movie leaves the row; a finished episode leaves it and the catalog's next
  episode (if any) appears first, at its start.
- Most recently updated first. Off-Device events and consent are the caller's business (the service
  only feeds this row Active events while both consents are on).
- Only titles the app integrated into the catalog get a tile: an unknown content id (a wrong CDF ID)
  never does.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from enum import Enum
from typing import Callable, Iterator

ADD_FRACTION = 0.02
FINISHED_FRACTION = 0.95
# The launchers' tile-menu item (Fire OS and Vega): seed 002, "Hover over the tile > click the menu button on
# the remote > select Remove from Continue Watching".
MENU_REMOVE = "Remove from Continue Watching"


@dataclass(frozen=True)
class CatalogTitle:
    """One title as an app integrated it into the catalog (what Fire TV knows about a CDF ID)."""

    content_id: str
    title: str  # what a tile shows: "Night Harbor", "The Long Road S1 E2"
    duration_ms: int
    deep_link: str  # what selecting its tile starts
    credits_position_ms: int | None = None
    next_content_id: str | None = None  # the next episode of a series
    live: bool = False


def reached_add_threshold(position_ms: int, duration_ms: int) -> bool:
    """At least 2% of the title has been watched."""
    return duration_ms > 0 and position_ms >= ADD_FRACTION * duration_ms


def is_finished(position_ms: int, duration_ms: int, credits_position_ms: int | None) -> bool:
    """At or past the credits (when given), else at or past 95% of the duration."""
    if credits_position_ms:
        return position_ms >= credits_position_ms
    return duration_ms > 0 and position_ms >= FINISHED_FRACTION * duration_ms


class Outcome(str, Enum):
    """What one Active event did to the row (for diagnostics and tests)."""

    ADDED = "added"
    UPDATED = "updated"
    FINISHED = "finished"  # left the row (or never entered it)
    NEXT_EPISODE = "finished, next episode added"
    BELOW_THRESHOLD = "below 2%, not added"
    UNKNOWN_CONTENT = "not in the catalog, ignored"
    LIVE = "live content, ignored"


@dataclass
class RowEntry:
    package: str
    content_id: str
    position_ms: int
    duration_ms: int
    updated_at: float  # device epoch seconds
    order: int  # update sequence number: the row sorts by it (exact even within one clock tick)


CatalogLookup = Callable[[str, str], "CatalogTitle | None"]  # (package, content_id) -> title


class ContinueWatchingRow:
    """One Fire TV profile's Continue Watching row."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], RowEntry] = {}
        self._order = itertools.count()

    def apply(self, package: str, content_id: str, position_ms: int, duration_ms: int,
              credits_position_ms: int | None, now: float, catalog: CatalogLookup) -> Outcome:
        """Apply one Active playback event."""
        title = catalog(package, content_id)
        if title is None:
            return Outcome.UNKNOWN_CONTENT
        if title.live:
            # ASSUMPTION: a live linear channel has no position to resume, so it never gets a tile.
            return Outcome.LIVE
        key = (package, content_id)
        if is_finished(position_ms, duration_ms, credits_position_ms):
            self._entries.pop(key, None)
            following = catalog(package, title.next_content_id) if title.next_content_id else None
            if following is None:
                return Outcome.FINISHED
            entry = self._entries.get((package, following.content_id))
            if entry is None:
                entry = RowEntry(package, following.content_id, 0, following.duration_ms, now, 0)
                self._entries[(package, following.content_id)] = entry
            entry.updated_at, entry.order = now, next(self._order)
            return Outcome.NEXT_EPISODE
        entry = self._entries.get(key)
        if entry is None:
            if not reached_add_threshold(position_ms, duration_ms):
                return Outcome.BELOW_THRESHOLD
            self._entries[key] = RowEntry(package, content_id, position_ms, duration_ms, now, next(self._order))
            return Outcome.ADDED
        entry.position_ms, entry.duration_ms = position_ms, duration_ms
        entry.updated_at, entry.order = now, next(self._order)
        return Outcome.UPDATED

    def remove(self, content_id: str, package: str | None = None) -> bool:
        """"Remove from Continue Watching"; True if a tile went away."""
        keys = [k for k in self._entries if k[1] == content_id and (package is None or k[0] == package)]
        for key in keys:
            del self._entries[key]
        return bool(keys)

    def entries(self) -> list[RowEntry]:
        """Most recently updated first."""
        return sorted(self._entries.values(), key=lambda e: e.order, reverse=True)

    def __iter__(self) -> Iterator[RowEntry]:
        return iter(self.entries())

    def __len__(self) -> int:
        return len(self._entries)
