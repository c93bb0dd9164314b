"""Driving the app's player and reading the Continue Watching row, the way a person with a remote would.

:class:`Player` opens titles with the app profile's ``play`` deep link, presses the remote's media keys
(or the profile's recipe of the same name: ``pause``, ``resume``, ``fast_forward``, ``rewind``, ``back``,
``home``) and waits for the playback event each action causes, in device time, so the same code runs on
the 20x virtual Fire TV and on hardware. :class:`ContinueWatching` reads the whole row (walking right past
the tiles on screen) and removes a tile with the launcher's MENU > "Remove from Continue Watching"
(seed 002, "Verify content updates"). Only public firebridge modules and real-device commands are used.
"""

from __future__ import annotations

import re
import time
from typing import Callable

import pytest

from firebridge.capabilities.apps import AppDriver, CatalogEntry
from firebridge.capabilities.cpevidence import PLAYBACK
from firebridge.errors import ConfigError
from firebridge.capabilities.home import Home
from firebridge.device.logs import LogTail, LogTimeout
from firebridge.capabilities.personalization import PlaybackReport as ServiceReport
from firebridge.capabilities.personalization import PlaybackState
from firebridge.capabilities.remote import Key, NavigationError, Remote
from firebridge.waiting import wait_until

from .cpcalls import CpCalls, sync_mark
from .device_clock import DeviceClock
from .rules import Report, parse_reports

# The remote's keys for each player action (a profile recipe of the same name replaces the key).
KEYS: dict[str, Key] = {"pause": Key.PLAY_PAUSE, "resume": Key.PLAY_PAUSE, "fast_forward": Key.FAST_FORWARD,
                        "rewind": Key.REWIND, "back": Key.BACK, "home": Key.HOME}
LOAD_S = 30.0  # device seconds a player may take to load a title and send its first event
ACTION_S = 10.0  # device seconds an action may take to cause its playback event
SETTLE_S = 2.0  # device seconds without a new event after which an opened player counts as loaded
REAL_SLACK_S = 20.0  # real seconds allowed on top of a device-time wait (slow adb, a loaded host)
POLL_S = 0.03
REMOVE_FROM_CW = "Remove from Continue Watching"  # the launcher's tile menu item (seed 002)
# On hardware a scenario takes up to 3 minutes (the 60-second and ad-break rules wait in real time); the
# repository's default per-test timeout (pyproject: 120 s, pytest-timeout) is too short.
HARDWARE_TIMEOUT_S = 300


def hardware_timeout() -> pytest.MarkDecorator:
    """``pytestmark`` for a module of device tests: pytest-timeout's limit raised to HARDWARE_TIMEOUT_S."""
    return pytest.mark.timeout(HARDWARE_TIMEOUT_S)


class Player:
    """The app's player on one device, and the playback events it reports (from this test's log)."""

    def __init__(self, app: AppDriver, logs: LogTail, clock: DeviceClock, cp_calls: CpCalls) -> None:
        self.app = app
        self.profile = app.profile
        self.logs = logs
        self.clock = clock
        self.cp_calls = cp_calls
        pattern = self.profile.log_patterns.get("playback_report")
        if pattern is None:
            raise ConfigError("the app profile needs log_patterns.playback_report: a regular expression for the "
                              "app's debug line of each playback event, with named groups content_id, state_code "
                              "and position_ms (seed 002 recommends that debug line)", self.profile.path)
        self.pattern = pattern
        self.playing: CatalogEntry | None = None  # the title the player was last opened on

    # -- the log ------------------------------------------------------------------------------
    def mark(self) -> int:
        """A point in this test's log; reports after it belong to what follows."""
        return self.logs.mark()

    def _ours(self, content_id: str | None) -> bool:
        """Whether an event is about the title being played: its id, or an id the catalog does not know
        (a wrong CDF ID must be seen to be reported). Events about other catalog titles (an app's sync of
        progress made elsewhere) are not the player's."""
        if self.playing is None:
            return True
        return content_id == self.playing.id or content_id not in self.profile.catalog

    def all_reports(self, since: int = 0) -> list[Report]:
        """Every playback event the app's debug line shows after ``since``."""
        return parse_reports(self.logs.lines(since, complete=True), self.pattern, self.logs.parser)

    def reports(self, since: int = 0) -> list[Report]:
        """The player's events after ``since``: Off-Device events and other titles left out."""
        return [r for r in self.all_reports(since) if r.off_device is not True and self._ours(r.content_id)]

    @property
    def received_source(self) -> str:
        """Which lines :meth:`received` reads, for failure messages."""
        return self.cp_calls.source_of(PLAYBACK)

    def received_shows(self, field: str) -> bool:
        """Whether the platform's playback evidence can show ``field`` (e.g. ``content_id_namespace``)."""
        return self.cp_calls.evidence.shows(PLAYBACK, field)

    def received(self, since: int = 0) -> list[ServiceReport]:
        """The title's playback events as the platform's evidence shows them (cpcalls): on Vega OS what
        Fire TV's data service logged receiving, on Fire OS the app's own line (the same one as
        :meth:`reports`; no Fire OS system line shows the call). Refused calls are left out."""
        return [call.playback for call in self.cp_calls.calls(since)
                if call.playback is not None and call.refused is None and self._ours(call.playback.content_id)]

    def wait_report(self, since: int, device_s: float = ACTION_S,
                    predicate: Callable[[Report], bool] | None = None) -> Report | None:
        """The first report after ``since`` (matching ``predicate``), or None once ``device_s`` device
        seconds pass without one (and the log read up to that moment has none: see :meth:`sync`)."""
        deadline = self.clock.now_ms() + device_s * 1000
        real_deadline = time.monotonic() + device_s + REAL_SLACK_S
        synced = False
        while True:
            found = [r for r in self.reports(since) if predicate is None or predicate(r)]
            if found or synced:
                return found[0] if found else None
            if self.clock.now_ms() > deadline or time.monotonic() > real_deadline:
                self.sync()  # one more look, with everything logged before the deadline read
                synced = True
                continue
            time.sleep(POLL_S)  # polling the log between device-clock checks

    def sync(self) -> None:
        """Make sure the tail has read everything the device logged until now (a marker line written and
        read back). adb delivers log lines a moment after the device writes them, and a loaded host reads
        them later still: at a virtual clock's 20x, a second behind is 20 device seconds of "nothing"."""
        try:
            sync_mark(self.logs, self.app.driver)
        except LogTimeout:
            pass  # the tail is further behind than the marker's wait; the caller judges what it has

    def wait_device_seconds(self, seconds: float) -> None:
        if seconds > 0:
            self.clock.wait_device_seconds(seconds, timeout=seconds + REAL_SLACK_S)

    # -- actions ------------------------------------------------------------------------------
    def press(self, action: str, times: int = 1) -> None:
        """One player action (``times`` presses in one press call)."""
        if action in self.profile.recipes:
            for _ in range(times):
                self.app.run(action)
        else:
            self.app.remote.press(*[KEYS[action]] * times)

    def open(self, entry: CatalogEntry) -> tuple[int, Report | None]:
        """Start ``entry`` with the profile's ``play`` deep link; (log mark, its first report or None).

        Returns once the player has settled (no new event for ``SETTLE_S``), so that the next key reaches
        a loaded player even when an app reports before it has loaded (seed 002's Do-Not)."""
        since = self.mark()
        self.playing = entry
        self.app.open("play", entry.id)
        first = self.wait_report(since, LOAD_S)
        if first is not None:
            self.settle()
        return since, first

    def settle(self, quiet_s: float = SETTLE_S, rounds: int = 10) -> None:
        """Wait until the app sends nothing new for ``quiet_s`` device seconds."""
        for _ in range(rounds):
            if self.wait_report(self.mark(), quiet_s) is None:
                return

    def act(self, action: str, device_s: float = ACTION_S) -> tuple[int, Report | None]:
        """Press ``action`` once; (log mark, the first report it caused or None).

        The report must come after the key reached the device: an ``input`` call starts a Java VM first
        (about a second on Fire OS <= 8), and a periodic report logged meanwhile was not caused by the key.
        Where the key was injected is the platform's key log line (Fire OS: Input's own ``injectKeyEvent``,
        which AOSP Input.java logs before injecting each event).
        Where the platform logs no key injection (Vega: ``inputd-cli`` confirms on its own output), the
        log is marked just before the press instead (:func:`sync_mark`), so that nothing logged earlier counts.
        """
        injected = self.app.driver.key_log_pattern()
        if injected is None:
            since = sync_mark(self.logs, self.app.driver)
            self.press(action)
            return since, self.wait_report(since, device_s)
        since = self.mark()
        self.press(action)
        return since, self.wait_report(self._after_key(since, re.compile(injected)), device_s)

    def _after_key(self, since: int, injected: re.Pattern[str], timeout: float = 5.0) -> int:
        """The log position just after the last key-down injected since ``since`` (``since`` itself when the
        action was not a key)."""
        try:
            self.logs.wait_for(injected, since=since, timeout=timeout)
        except LogTimeout:
            return since
        last = None
        for last in injected.finditer(self.logs.text(since)):
            pass
        return since + last.end() if last is not None else since

    def seek_to_end(self, entry: CatalogEntry, max_presses: int = 25) -> Report | None:
        """FAST_FORWARD one press at a time until the content completes (seed 002: "clicking the forward
        (>>) scroll button on the remote repeatedly"); the last report seen, or None."""
        last = None
        end = (entry.duration_ms or 0) - 1000
        for _ in range(max_presses):
            _, report = self.act("fast_forward")
            last = report or last
            if report is not None and (report.state == PlaybackState.EXIT or report.position_ms >= end):
                break
        return last

    def rewind_to_start(self, tolerance_ms: int, presses: int = 12, pause_first: bool = False) -> Report | None:
        """REWIND repeatedly in one call, then wait for a report at the start; None if none came.
        ``pause_first``: pause before, so that the position stays at the start however long the wait."""
        if pause_first:
            self.act("pause")
        since = self.mark()
        self.press("rewind", presses)
        return self.wait_report(since, ACTION_S, lambda r: r.position_ms <= tolerance_ms)

    def play_until(self, entry: CatalogEntry, percent: float, from_ms: int) -> None:
        """Let playback run until ``percent`` of the duration (device time; a little beyond, to be sure)."""
        target = (entry.duration_ms or 0) * percent / 100
        self.wait_device_seconds((target - from_ms) / 1000 + 1)


class ContinueWatching:
    """The Continue Watching row of the home screen, all of it."""

    def __init__(self, home: Home, remote: Remote) -> None:
        self.home = home
        self.remote = remote

    def _focus_tile(self, title: str) -> None:
        try:
            self.remote.navigate_to(content_desc=title)
        except NavigationError:
            self.remote.navigate_to(text=title)

    def _visible(self) -> list[str]:
        return list(self.home.read().continue_watching)

    def titles(self, refresh: bool = False) -> list[str]:
        """Every title of the row, first first. A launcher dumps only the tiles on screen (and may keep a
        row scrolled), so when the row looks full, focus walks it to the left end, then to the right end,
        reading the tiles that come into view."""
        snapshot = self.home.snapshot()
        if refresh:
            self.home.refresh()
            snapshot = self.home.read()
        seen = list(snapshot.continue_watching)
        if len(seen) < 5:  # fewer tiles than a screen holds: that is the whole row
            return seen
        window = seen
        for key in (Key.DPAD_LEFT, Key.DPAD_RIGHT):
            # From the tile at that edge of the screen, so that every press scrolls the row.
            self._focus_tile(window[0] if key is Key.DPAD_LEFT else window[-1])
            for _ in range(20):  # bounded: five tiles a step
                self.remote.press(*[key] * 5)
                moved = self._visible()
                if moved == window:
                    break  # the row is at its end
                new = [t for t in moved if t not in seen]
                seen = new + seen if key is Key.DPAD_LEFT else seen + new
                window = moved
        self.home.show()
        return seen

    def first(self) -> str | None:
        titles = self.titles()
        return titles[0] if titles else None

    def remove(self, title: str) -> bool:
        """MENU > "Remove from Continue Watching" on ``title``'s tile; False when it was not in the row."""
        titles = self.titles()
        if title not in titles:
            return False
        on_screen = self.home.snapshot().continue_watching
        self._focus_tile(on_screen[0])
        # From the row's first tile (LEFT stops there), RIGHT as many times as the tile's place.
        self.remote.press(*[Key.DPAD_LEFT] * len(titles), *[Key.DPAD_RIGHT] * titles.index(title))
        focused = self.remote.read_ui().focused()
        if focused is None or focused.label != title:
            self._focus_tile(title)  # the row was not as read; the tile is on screen now, or this says why not
        self.remote.press(Key.MENU)
        self.remote.navigate_to(text=REMOVE_FROM_CW)
        self.remote.press(Key.DPAD_CENTER)
        wait_until(lambda: title not in self._visible(), 10,
                   f"{title!r} to leave the Continue Watching row after {REMOVE_FROM_CW!r}")
        return True

    def wait_first(self, title: str, timeout: float = 15.0) -> list[str]:
        return self.home.wait_until_first(title, timeout).continue_watching

    def wait_gone(self, title: str, timeout: float = 15.0) -> list[str]:
        return self.home.wait_until_absent(title, timeout).continue_watching
