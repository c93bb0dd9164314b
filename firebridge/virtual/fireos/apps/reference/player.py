"""Reference TV's player: ``reftv://play/CDF_ID``.

When it reports (seed 002 "When to send", seed 000 "Watches content"):

- nothing while loading: the player first restores the saved position (``loading_ms``, 1.5 device s);
  then PLAYING at the restored position;
- every state change: PLAY_PAUSE (85, also DPAD_CENTER, MEDIA_PLAY 126, MEDIA_PAUSE 127) -> PAUSED or
  PLAYING; an ad break -> INTERSTITIAL with the content position frozen at the ad mark, and PLAYING
  when it ends;
- every seek: FAST_FORWARD (90) / REWIND (89) (and DPAD_RIGHT / DPAD_LEFT) move by ``seek_step_percent``
  (10%) of the duration and report the current state at the new position; seeking to the end
  completes the content;
- every 60 device seconds in the player, whatever the state;
- EXIT when the content completes (the player then closes) and when the player is left (BACK, or
  HOME / another app: the activity is paused), with the position reached.

A live channel reports its channel descriptor, its position in the current programme slot, and
cannot be sought; it has no ads.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from firebridge.platforms.fireos.keycodes import CODE_BY_NAME
from firebridge.virtual.fireos.activities import Activity
from firebridge.virtual.fireos.intents import Intent
from firebridge.virtual.fireos.personalization import PlaybackState
from firebridge.virtual.personalization.continue_watching import is_finished
from firebridge.virtual.fireos.views import Node
from firebridge.virtual.fireos.apps.reference import ui
from firebridge.virtual.fireos.apps.reference.media_session import STATE_BUFFERING, STATE_PAUSED, STATE_PLAYING, STATE_STOPPED, SessionRecord
from firebridge.virtual.fireos.apps.reference.playback import Phase, Playback, Timer

if TYPE_CHECKING:
    from PIL import ImageDraw

    from firebridge.virtual.fireos.apps.reference.base import ReferenceAppBase
    from firebridge.virtual.fireos.system import VirtualDevice
    from firebridge.virtual.reference.catalog import Title

PERIOD_S = 60.0
TOGGLE_KEYS = {CODE_BY_NAME[n] for n in ("MEDIA_PLAY_PAUSE", "DPAD_CENTER", "ENTER")}
PLAY_KEY, PAUSE_KEY = CODE_BY_NAME["MEDIA_PLAY"], CODE_BY_NAME["MEDIA_PAUSE"]
FORWARD_KEYS = {CODE_BY_NAME["MEDIA_FAST_FORWARD"], CODE_BY_NAME["DPAD_RIGHT"]}
REWIND_KEYS = {CODE_BY_NAME["MEDIA_REWIND"], CODE_BY_NAME["DPAD_LEFT"]}

_SESSION_STATE = {Phase.LOADING: STATE_BUFFERING, Phase.PLAYING: STATE_PLAYING, Phase.AD: STATE_PLAYING,
                  Phase.PAUSED: STATE_PAUSED, Phase.ENDED: STATE_STOPPED}
_STATE_OF_PHASE = {Phase.PLAYING: PlaybackState.PLAYING, Phase.PAUSED: PlaybackState.PAUSED,
                   Phase.AD: PlaybackState.INTERSTITIAL}


def content_id_from_uri(data: str | None) -> str | None:
    """``reftv://play/ID`` or ``reftv://detail/ID`` -> ``ID``."""
    if not data or "://" not in data:
        return None
    path = data.split("://", 1)[1].split("?", 1)[0]
    parts = [p for p in path.split("/") if p]
    return parts[1] if len(parts) >= 2 else None


class PlayerActivity(Activity):
    name = ".ui.PlayerActivity"
    label = "Player"
    app: "ReferenceAppBase"
    device: "VirtualDevice"  # the whole system, not only what every activity needs (ActivityHost)

    def __init__(self, app: "ReferenceAppBase", intent: Intent) -> None:
        super().__init__(app, intent)
        self.title: "Title | None" = app.catalog.title(content_id_from_uri(intent.data) or "")
        self.playback: Playback | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._periodic: asyncio.TimerHandle | None = None
        self._loading: asyncio.TimerHandle | None = None

    # -- helpers --------------------------------------------------------------------------------
    @property
    def faults(self) -> frozenset[str]:
        return self.app.faults

    def _now(self) -> float:
        return self.device.clock.now()

    def position(self, now: float | None = None) -> int:
        """The content position at device time ``now`` (default: the clock's now)."""
        now = self._now() if now is None else now
        if self.playback is None or self.title is None:
            return 0
        if self.title.live:
            # ASSUMPTION: live position = time into the current programme slot of the channel.
            return int(now * 1000) % self.title.duration_ms
        return self.playback.position(now)

    def _report(self, state: PlaybackState, reason: str, now: float | None = None, position: int | None = None) -> None:
        """Report at one instant: the position is read at ``now``, the moment the change happened."""
        assert self.title is not None
        self.app.reporter.playback(self.title, state, self.position(now) if position is None else position, reason)

    def _cancel(self, *names: str) -> None:
        for name in names:
            handle = getattr(self, name)
            if handle is not None:
                handle.cancel()
                setattr(self, name, None)

    # -- lifecycle ------------------------------------------------------------------------------
    def on_resume(self) -> None:
        self._start_session()

    def on_pause(self) -> None:
        self._leave("leave")

    def on_destroy(self) -> None:
        self._cancel("_timer", "_periodic", "_loading")

    def on_new_intent(self, intent: Intent) -> None:
        title = self.app.catalog.title(content_id_from_uri(intent.data) or "")
        super().on_new_intent(intent)
        if title is self.title:
            return
        if self.resumed:
            self._leave("leave")
            self.title = title
            self._start_session()
        else:
            self.title = title

    def _start_session(self) -> None:
        """Open the content: a loading phase, then the saved position is restored and playback starts."""
        self._cancel("_timer", "_periodic", "_loading")
        if self.title is None:
            self.playback = None
            return
        settings = self.app.catalog.settings
        marks = () if self.title.live else self.title.ad_marks_ms
        self.playback = Playback(self.title.duration_ms, marks, settings.ad_break_ms,
                                 advance_during_ads="ad-position-advances" in self.faults)
        if "early-position" in self.faults:
            # The Do-Not of seed 002: the player's default position (0) reported before the restore.
            self._report(PlaybackState.PLAYING, "start", position=0)
        self._loading = self.device.call_later(settings.loading_ms / 1000, self._restored)

    def _restored(self) -> None:
        self._loading = None
        if self.playback is None or self.title is None or self.playback.phase is not Phase.LOADING:
            return
        saved = 0 if self.title.live else self.app.data.saved_position(self.title.cdf_id)
        if is_finished(saved, self.title.duration_ms, self.title.credits_position_ms):
            saved = 0  # a finished title starts over
        now = self._now()
        self.playback.restore(now, saved)
        self._report(PlaybackState.PLAYING, "start", now)
        self._schedule()
        if "no-periodic-events" not in self.faults:
            self._periodic = self.device.call_later(PERIOD_S, self._tick)

    def _leave(self, reason: str) -> None:
        """The player is no longer in view: report EXIT with the position reached."""
        self._cancel("_timer", "_periodic", "_loading")
        playback = self.playback
        if playback is None or self.title is None or playback.phase in (Phase.ENDED, Phase.LOADING):
            if playback is not None:
                playback.phase = Phase.ENDED
            return
        now = self._now()
        position = self.position(now)
        playback.end(now)
        self._save(position)
        if "no-exit-on-leave" in self.faults:
            return
        state = PlaybackState.PAUSED if "pause-instead-of-exit" in self.faults else PlaybackState.EXIT
        self._report(state, reason, position=position)

    def _save(self, position: int) -> None:
        if self.title is not None and not self.title.live:
            self.app.data.save_position(self.title.cdf_id, position, self.device.clock.now_ms())

    # -- timers ---------------------------------------------------------------------------------
    def _schedule(self) -> None:
        self._cancel("_timer")
        if self.playback is None or self.title is None or self.title.live:
            return
        timer = self.playback.next_timer(self._now())
        if timer is not None:
            self._timer = self.device.call_later(timer.delay_s, lambda: self._fire(timer))

    def _fire(self, timer: Timer) -> None:
        self._timer = None
        playback = self.playback
        if playback is None:
            return
        now = self._now()
        if timer.kind == "ad" and timer.mark_ms is not None:
            playback.start_ad(now, timer.mark_ms)
            if "no-interstitial" not in self.faults:
                self._report(PlaybackState.INTERSTITIAL, "ad_start", now)
        elif timer.kind == "ad_end":
            playback.end_ad(now)
            if "no-interstitial" not in self.faults:
                self._report(PlaybackState.PLAYING, "ad_end", now)
        elif timer.kind == "end":
            self._complete()
            return
        self._schedule()

    def _complete(self) -> None:
        """The content played to its end: EXIT (seed 002 Do), then the player closes."""
        assert self.playback is not None
        self._cancel("_timer", "_periodic")
        self.playback.complete()
        self._save(self.playback.duration_ms)
        state = PlaybackState.PAUSED if "pause-instead-of-exit" in self.faults else PlaybackState.EXIT
        self._report(state, "complete", position=self.playback.duration_ms)
        self.finish()

    def _tick(self) -> None:
        """Once every 60 s in the player, regardless of state (seed 002)."""
        self._periodic = None
        playback = self.playback
        if playback is None or playback.phase in (Phase.ENDED, Phase.LOADING):
            return
        state = _STATE_OF_PHASE[playback.phase]
        if state is PlaybackState.INTERSTITIAL and "no-interstitial" in self.faults:
            state = PlaybackState.PLAYING
        self._report(state, "periodic", self._now())
        self._periodic = self.device.call_later(PERIOD_S, self._tick)

    # -- keys -----------------------------------------------------------------------------------
    def on_key(self, code: int, longpress: bool) -> bool:
        playback = self.playback
        if playback is None or playback.phase not in (Phase.PLAYING, Phase.PAUSED):
            # Loading, ads and the end: the transport keys do nothing (BACK still leaves).
            return code in TOGGLE_KEYS | FORWARD_KEYS | REWIND_KEYS | {PLAY_KEY, PAUSE_KEY}
        now = self._now()
        if code in TOGGLE_KEYS or code in (PLAY_KEY, PAUSE_KEY):
            if playback.phase is Phase.PLAYING and code != PLAY_KEY:
                playback.pause(now)
                self._cancel("_timer")
                self._report(PlaybackState.PAUSED, "pause", now)
            elif playback.phase is Phase.PAUSED and code != PAUSE_KEY:
                playback.resume(now)
                self._report(PlaybackState.PLAYING, "resume", now)
                self._schedule()
            return True
        if code in FORWARD_KEYS or code in REWIND_KEYS:
            if self.title is None or self.title.live:
                return True
            step = self.title.duration_ms * self.app.catalog.settings.seek_step_percent // 100
            new = playback.seek(now, step if code in FORWARD_KEYS else -step)
            if new >= playback.duration_ms:
                self._complete()
                return True
            if "no-seek-events" not in self.faults:
                self._report(_STATE_OF_PHASE[playback.phase], "seek", now)
            self._schedule()
            return True
        return False

    # -- output ---------------------------------------------------------------------------------
    def is_idle(self) -> bool:
        """Video on screen never lets uiautomator go idle; a paused or absent player does."""
        return self.playback is None or self.playback.phase in (Phase.PAUSED, Phase.ENDED)

    def _state_text(self) -> str:
        if self.title is None:
            return "This title is not available"
        phase = self.playback.phase if self.playback else Phase.ENDED
        if phase is Phase.AD:
            return "Ad break"
        if self.title.live and phase is Phase.PLAYING:
            return "Live"
        return {Phase.LOADING: "Loading…", Phase.PLAYING: "Playing", Phase.PAUSED: "Paused",
                Phase.ENDED: "Ended"}[phase]

    def view(self) -> Node:
        if self.title is None:
            return ui.root("player_root", ui.text("player_error", self._state_text(), (160, 480, 1760, 560)))
        position, duration = self.position(), self.title.duration_ms
        progress = f"{ui.clock_text(position)} / {ui.clock_text(duration)}"
        return ui.root(
            "player_root",
            ui.text("player_title", self.title.display_title, (96, 64, 1824, 128)),
            ui.text("player_subtitle", self.title.subtitle, (96, 136, 1824, 184)),
            ui.text("player_state", self._state_text(), (96, 880, 600, 930)),
            Node(cls="android.widget.SeekBar", bounds=(96, 950, 1824, 974), resource_id=ui.rid("player_progress"),
                 content_desc=progress, focusable=True, focused=True),
            ui.text("player_position", progress, (96, 990, 700, 1040)),
        )

    def media_session(self) -> SessionRecord | None:
        """The MediaSession this player publishes while it exists (``dumpsys media_session``)."""
        if self.title is None or self.playback is None:
            return None
        phase = self.playback.phase
        return SessionRecord("ReferenceTV", self.app.package, self.app.pid or 0, self.app.uid, self.resumed,
                             _SESSION_STATE[phase], self.position(), 1.0 if phase in (Phase.PLAYING, Phase.AD) else 0.0,
                             self.device.clock.uptime_ms(), self.title.display_title)

    def paint(self, draw: "ImageDraw.ImageDraw", size: tuple[int, int]) -> None:
        """Black video area, title, state and a progress bar."""
        width, height = size
        draw.rectangle((0, 0, width, height), fill=(0, 0, 0))
        if self.title is None:
            draw.text((160, 500), self._state_text(), fill=(235, 235, 235))
            return
        duration = max(1, self.title.duration_ms)
        position = self.position()
        draw.text((96, 72), self.title.display_title, fill=(235, 235, 235))
        draw.text((96, 140), self.title.subtitle, fill=(170, 170, 170))
        state = self._state_text()
        draw.text((96, 890), state, fill=(255, 200, 0) if state == "Ad break" else (235, 235, 235))
        draw.rectangle((96, 950, 1824, 974), fill=(60, 60, 60))
        draw.rectangle((96, 950, 96 + int(1728 * min(1.0, position / duration)), 974), fill=(255, 153, 0))
        for mark in () if self.title.live else self.title.ad_marks_ms:
            x = 96 + int(1728 * mark / duration)
            draw.rectangle((x - 2, 946, x + 2, 978), fill=(255, 220, 0))
        draw.text((96, 996), f"{ui.clock_text(position)} / {ui.clock_text(duration)}", fill=(235, 235, 235))
