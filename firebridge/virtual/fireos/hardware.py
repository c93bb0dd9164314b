"""What a real Fire TV does on its own time: slow calls, the HOME transition, the screensaver, log chatter.

:class:`Hardware` belongs to one :class:`~firebridge.virtual.fireos.system.VirtualDevice` (which it knows
only as a :class:`HardwareHost`) and reads its :class:`~firebridge.virtual.fireos.timing.Timing`. With the ``fast`` profile every method here is a no-op,
so the developer loop behaves exactly as before. Waits are device time (``DeviceClock.real_seconds``):
``--speed`` divides them like every other device delay.
"""

from __future__ import annotations

import asyncio
import itertools
from typing import Callable, Protocol

from firebridge.platforms.fireos.keycodes import CODE_BY_NAME
from firebridge.virtual.clock import DeviceClock
from firebridge.virtual.fireos.logbuffer import LogBuffer
from firebridge.virtual.fireos.timing import Timing
from firebridge.virtual.processes import ProcessTable
from firebridge.virtual.timing import take

KEY_HOME = CODE_BY_NAME["HOME"]
KEY_WAKEUP = CODE_BY_NAME["WAKEUP"]

#: The stock Fire TV screensaver and its window title (fire-tv-timing.md "screensaver" row: HA-Firemote #89,
#: #64 show ``Window{... Sys2023:dream}`` focused while the focused app stays the launcher).
DREAM_PACKAGE = "com.amazon.bueller.photos"
DREAM_SERVICE = "com.amazon.bueller.photos/.daydream.ScreenSaverService"
DREAM_WINDOW_TITLE = "Sys2023:dream"

#: Background chatter, copied from a real Fire TV threadtime log (NuvioMedia/NuvioTV #961, Fire TV Cube 3rd
#: gen): (process, level, tag, message). Lines that tests or the bridge look for are left out on purpose.
_CHATTER: tuple[tuple[str, str, str, str], ...] = (
    ("system_server", "I", "AmazonProfileService", "Event is not filtered because it is not in filter key list."),
    ("system_server", "W", "Looper", "Slow dispatch took 333ms android.ui h=com.android.server.am."
                                     "ActivityManagerService$UiHandler c=null m=53"),
    ("com.amazon.tv.launcher", "D", "LauncherMetrics", "tile impression recorded"),  # ASSUMPTION: invented line
    ("com.amazon.device.metrics", "I", "MetricsService", "Batch queued for upload"),  # ASSUMPTION: invented line
)


#: Upper bound of background log lines per real second, whatever the clock speed (see _chatter_loop).
MAX_CHATTER_REAL_PER_SECOND = 200.0


class _App(Protocol):
    @property
    def package(self) -> str: ...


class _Window(Protocol):
    @property
    def app(self) -> _App: ...


class Foreground(Protocol):
    """What HOME reads of the activity manager: the window on top, and which app is the launcher."""

    @property
    def top(self) -> _Window | None: ...

    @property
    def home_package(self) -> str | None: ...


class HardwareHost(Protocol):
    """What :class:`Hardware` needs from the device it belongs to."""

    clock: DeviceClock
    log: LogBuffer
    processes: ProcessTable
    settings: dict[str, dict[str, str]]

    @property
    def activities(self) -> Foreground: ...

    def system_log(self, level: str, tag: str, message: str, process: str = ...) -> None: ...

    def call_later(self, device_seconds: float, callback: Callable[[], None]) -> asyncio.TimerHandle: ...


class Hardware:
    """Hardware-timing behaviour of one device (no-ops under the ``fast`` profile)."""

    def __init__(self, device: HardwareHost, timing: Timing) -> None:
        self.device = device
        self.timing = timing
        self._input_calls = 0
        self._dumps = 0
        self._home_at: float | None = None  # device time of the last HOME
        self._transition = False  # that HOME switched away from an app (on Home there is nothing to switch)
        self.dreaming = False
        self._idle_handle: asyncio.TimerHandle | None = None
        self._chatter: asyncio.Task | None = None
        self._pending_starts: list[Callable[[], None]] = []
        self._release_handle: asyncio.TimerHandle | None = None

    # -- lifecycle --------------------------------------------------------------------------------
    def start(self) -> None:
        """Begin the background behaviour; call on the device's running event loop."""
        if self.timing.log_chatter_per_second > 0 and self._chatter is None:
            self._chatter = asyncio.ensure_future(self._chatter_loop())
        self.user_activity()

    def stop(self) -> None:
        """End the background behaviour (the device shuts down or reboots): chatter, the idle timer and
        starts held after HOME all go with the running system; a booting device starts them afresh."""
        if self._chatter is not None:
            self._chatter.cancel()
            self._chatter = None
        if self._idle_handle is not None:
            self._idle_handle.cancel()
            self._idle_handle = None
        if self._release_handle is not None:
            self._release_handle.cancel()
            self._release_handle = None
        self._pending_starts.clear()
        self.dreaming = False

    async def cost(self, device_seconds: float) -> None:
        """Take this long (device time), as a slow device does."""
        await take(self.device.clock, device_seconds)

    # -- per-call costs ---------------------------------------------------------------------------
    async def input_call(self) -> None:
        """The Java VM start of one ``input`` call (the first after boot is slower)."""
        first = self._input_calls == 0
        self._input_calls += 1
        await self.cost(self.timing.input_first_call if first and self.timing.input_first_call else self.timing.input_call)

    async def uiautomator_dump(self) -> bool:
        """The dump's own time; False when this dump comes back with a null root (every Nth)."""
        await self.cost(self.timing.uiautomator_dump)
        self._dumps += 1
        every = self.timing.null_root_every
        return not (every and self._dumps % every == 0)

    # -- HOME, app switches and dropped keys ----------------------------------------------------------
    def in_home_transition(self) -> bool:
        """Whether the switch to the launcher after HOME is still going on (no window focused yet)."""
        if not self._transition or self._home_at is None or self.timing.home_transition <= 0:
            return False
        if self.device.clock.now() < self._home_at + self.timing.home_transition:
            return True
        self._transition = False
        return False

    def app_switch_hold(self) -> float:
        """Device seconds an activity start must still wait after the last HOME (0 = none)."""
        if self._home_at is None or self.timing.app_switch_delay <= 0:
            return 0.0
        return max(0.0, self._home_at + self.timing.app_switch_delay - self.device.clock.now())

    def hold_start(self, start: Callable[[], None], caller_uid: int) -> bool:
        """Queue an activity start while app switches are stopped after HOME; True when queued.

        AOSP ActivityManagerService.checkAppSwitchAllowedLocked logs ``Activity start request from <uid>
        stopped`` and keeps the start as pending until the app-switch time is over (toolicious/home-on-fire #9).
        ASSUMPTION: the shell (uid 2000) is held too, as the apps in those reports were (settle by: `input
        keyevent 3; am start ...` on a stick and reading the log).
        """
        hold = self.app_switch_hold()
        if hold <= 0:
            return False
        self.device.system_log("W", "ActivityManager", f"Activity start request from {caller_uid} stopped")
        self._pending_starts.append(start)
        if self._release_handle is None:
            self._release_handle = self.device.call_later(hold, self._release_starts)
        return True

    def _release_starts(self) -> None:
        self._release_handle = None
        pending, self._pending_starts = self._pending_starts, []
        for start in pending:
            start()

    def intercept_key(self, keycode: int) -> bool:
        """Whether a key is swallowed before it reaches the focused window (True) or goes on (False).

        - while the screensaver runs, any key ends it and goes no further (DreamService finishes on a key);
        - during the HOME transition, keys are dropped (InputDispatcher: ``Dropped event because of pending
          overdue app switch.``, fire-tv-timing.md "keys after HOME");
        - HOME itself goes through at once (the app is paused and the launcher resumed, as AOSP's
          startHomeActivity does), but no window has focus until the transition is over.
        """
        self.user_activity()
        if keycode == KEY_WAKEUP:  # a wake key wakes (ending a dream) and is never passed to apps
            self.end_dream()
            return True
        if self.dreaming:
            self.end_dream()
            return True
        if self.in_home_transition():
            self.device.system_log("I", "InputDispatcher", "Dropped event because of pending overdue app switch.")
            return True
        if keycode == KEY_HOME and (self.timing.home_transition > 0 or self.timing.app_switch_delay > 0):
            self._home_at = self.device.clock.now()
            activities = self.device.activities
            on_home = activities.top is not None and activities.top.app.package == activities.home_package
            # ASSUMPTION: HOME on the home screen switches nothing, so there is no transition to drop keys in
            # (settle by: `input keyevent 3 20` on the home screen of a stick).
            if not on_home:
                self._transition = True
        return False

    # -- screensaver --------------------------------------------------------------------------------
    def user_activity(self) -> None:
        """A key (or a wake-up) restarts the idle timer before the screensaver."""
        after = self.timing.screensaver_after
        if after is None:
            return
        if self._idle_handle is not None:
            self._idle_handle.cancel()
        try:
            self._idle_handle = self.device.call_later(after, self._idle)
        except RuntimeError:  # no running loop yet (construction); start() sets the timer
            self._idle_handle = None

    def screensaver_enabled(self) -> bool:
        """``settings put secure screensaver_enabled 0`` turns the screensaver off (fire-tv-timing.md
        "screensaver" row). ASSUMPTION: on Fire OS 8 this setting alone is enough; reports say ambient mode
        also needs ``amazon_ambient_enabled 0`` and a reboot (settle by: trying it on an AFTKRT)."""
        return self.device.settings.get("secure", {}).get("screensaver_enabled", "1") != "0"

    def _idle(self) -> None:
        self._idle_handle = None
        if self.screensaver_enabled() and not self.dreaming:
            self.dreaming = True
            self.device.system_log("I", "DreamManagerService", f"Entering dreamland: name=ComponentInfo{{{DREAM_SERVICE}}}")
        elif not self.dreaming:
            self.user_activity()  # check again later: the setting may be turned back on

    def end_dream(self) -> None:
        if self.dreaming:
            self.dreaming = False
            self.device.system_log("I", "DreamManagerService", "Gently waking up from dream.")
            self.user_activity()

    # -- log chatter --------------------------------------------------------------------------------
    async def _chatter_loop(self) -> None:
        # A real device never runs faster than real time; at --speed 20 the same chatter per device second
        # would be 20 times as many lines per real second, more than the host's adb and log tail carry. So the
        # rate is capped in real lines per second (the device-time rate is then lower at high speeds).
        rate = min(self.timing.log_chatter_per_second, MAX_CHATTER_REAL_PER_SECOND / self.device.clock.speed)
        tick = 0.1  # device seconds per batch
        lines = itertools.cycle(_CHATTER)
        carry = 0.0
        while True:
            await asyncio.sleep(self.device.clock.real_seconds(tick))
            carry += rate * tick
            count, carry = int(carry), carry - int(carry)
            for _ in range(count):
                process, level, tag, message = next(lines)
                pid = self.device.processes.pid_of(process)
                self.device.log.write(level, tag, message, pid=pid, tid=pid + 3)
