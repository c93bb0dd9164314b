"""The player's clock-driven playback model (pure: the caller passes device time in seconds).

The content position is never ticked: it is derived from an anchor (position, device time) while
playing, so a faster device clock needs no extra work. Ads interrupt playback at their marks; while
one plays the content position stays frozen at the mark (seed 002: "Do not advance the current
playback position while an interstitial is playing") unless ``advance_during_ads`` is set (the
``ad-position-advances`` fault: the ad's time is counted as content).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Phase(str, Enum):
    LOADING = "loading"  # the player has not restored the saved position yet
    PLAYING = "playing"
    PAUSED = "paused"
    AD = "ad"
    ENDED = "ended"


@dataclass(frozen=True)
class Timer:
    """The next thing that happens by itself: an ad starting, an ad ending, the end of the content."""

    kind: str  # "ad" | "ad_end" | "end"
    delay_s: float  # device seconds from now
    mark_ms: int | None = None


@dataclass
class Playback:
    duration_ms: int
    ad_marks_ms: tuple[int, ...] = ()
    ad_break_ms: int = 30_000
    advance_during_ads: bool = False
    phase: Phase = Phase.LOADING
    _anchor_ms: int = 0
    _anchor_t: float = 0.0
    _ad_mark: int = 0
    _ad_started: float = 0.0
    _played: set[int] = field(default_factory=set)

    def _clamp(self, position_ms: float) -> int:
        return int(max(0, min(self.duration_ms, position_ms)))

    def position(self, now: float) -> int:
        """The content position in ms (ads excluded unless the fault counts them)."""
        if self.phase is Phase.PLAYING:
            return self._clamp(self._anchor_ms + (now - self._anchor_t) * 1000)
        if self.phase is Phase.AD:
            extra = (now - self._ad_started) * 1000 if self.advance_during_ads else 0
            return self._clamp(self._ad_mark + extra)
        return self._anchor_ms

    # -- transitions ----------------------------------------------------------------------------
    def restore(self, now: float, position_ms: int) -> None:
        """The player loaded and restored the saved position; playback starts."""
        self._anchor_ms, self._anchor_t = self._clamp(position_ms), now
        self._played |= {m for m in self.ad_marks_ms if m < self._anchor_ms}  # no ads before where we resume
        self.phase = Phase.PLAYING

    def pause(self, now: float) -> None:
        if self.phase is Phase.PLAYING:
            self._anchor_ms, self.phase = self.position(now), Phase.PAUSED

    def resume(self, now: float) -> None:
        if self.phase is Phase.PAUSED:
            self._anchor_t, self.phase = now, Phase.PLAYING

    def seek(self, now: float, delta_ms: int) -> int:
        """Move by ``delta_ms``; ad marks jumped over are skipped. Returns the new position."""
        old = self.position(now)
        new = self._clamp(old + delta_ms)
        self._played |= {m for m in self.ad_marks_ms if old < m <= new}
        self._anchor_ms, self._anchor_t = new, now
        return new

    def start_ad(self, now: float, mark_ms: int) -> None:
        self._played.add(mark_ms)
        self._ad_mark, self._ad_started, self.phase = mark_ms, now, Phase.AD

    def end_ad(self, now: float) -> None:
        self._anchor_ms, self._anchor_t, self.phase = self.position(now), now, Phase.PLAYING

    def end(self, now: float) -> None:
        """Leave playback (completed or left); the position stays where it was."""
        if self.phase is not Phase.ENDED:
            self._anchor_ms = self.position(now) if self.phase is not Phase.LOADING else self._anchor_ms
            self.phase = Phase.ENDED

    def complete(self) -> None:
        """The content played (or was sought) to its end."""
        self._anchor_ms, self.phase = self.duration_ms, Phase.ENDED

    # -- what happens next ----------------------------------------------------------------------
    def next_timer(self, now: float) -> Timer | None:
        if self.phase is Phase.AD:
            return Timer("ad_end", max(0.0, self.ad_break_ms / 1000 - (now - self._ad_started)))
        if self.phase is not Phase.PLAYING:
            return None
        position = self.position(now)
        upcoming = [m for m in sorted(self.ad_marks_ms) if m >= position and m not in self._played and
                    m < self.duration_ms]
        if upcoming:
            return Timer("ad", (upcoming[0] - position) / 1000, upcoming[0])
        return Timer("end", (self.duration_ms - position) / 1000)
