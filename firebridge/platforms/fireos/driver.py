"""``FireOSDriver``: the driver protocol (:mod:`firebridge.driver.protocol`) over Android's shell tools.

Every device call goes through the transport (``shell``/``exec_out``); every command is built and every
answer parsed by the pure modules next to this one (``input``, ``uiautomator``, ``logcat``, ``activity``,
``notifications``, ``power``, ``props``).
"""

from __future__ import annotations

from typing import Sequence

from firebridge.driver.keys import Key, key_list, split_after_home
from firebridge.driver.pace import DEFAULT_PACE_CALL, pace_of
from firebridge.driver.logrecord import LogRecord
from firebridge.driver.notifications import BroadcastResult, IntentExtra, NotificationRecord
from firebridge.driver.storage import DiskSpace
from firebridge.driver.protocol import Feature, Identity, Platform, Support, Transport
from firebridge.driver.ui import UiTree
from firebridge.errors import CommandFailed
from firebridge.platforms.df import parse_df
from firebridge.platforms.fireos import activity, input as fireos_input, logcat, notifications, power, props
from firebridge.platforms.fireos.uiautomator import dump, dump_raw
from firebridge.waiting import wait_until

_KEY_HINT = "the device refused the key event; check `adb shell input` works"


class FireOSDriver:
    """Fire OS (Android) behind a :class:`~firebridge.driver.protocol.Transport` (a ``FireTV``)."""

    platform = Platform.FIRE_OS
    PACE_CALL = DEFAULT_PACE_CALL  # `input -h`: the Java VM every `input` call starts (firebridge.driver.pace)

    def __init__(self, transport: Transport, ui_retries: int = 3) -> None:
        self.transport = transport
        self.ui_retries = ui_retries
        self._props: dict[str, str] | None = None
        self._features: set[str] | None = None
        self._identity: Identity | None = None
        self._input: fireos_input.InputCapabilities | None = None

    def __repr__(self) -> str:
        return f"FireOSDriver({self.transport!r})"

    @property
    def serial(self) -> str:
        return self.transport.serial

    def _run(self, argv: str | Sequence[str], hint: str = "", timeout: float | None = None) -> str:
        return self.transport.shell(argv, timeout).check(hint).stdout

    def forget(self) -> None:
        """Drop what was read once per boot (the device rebooted)."""
        self._props = self._features = self._identity = self._input = None

    # -- who and what ---------------------------------------------------------------------------
    @property
    def props(self) -> dict[str, str]:
        """Every system property (``getprop``), read once."""
        if self._props is None:
            self._props = props.parse_getprop(self._run("getprop"))
        return self._props

    @property
    def features(self) -> set[str]:
        """System features (``pm list features``), read once."""
        if self._features is None:
            self._features = props.parse_features(self._run(["pm", "list", "features"]))
        return self._features

    def identity(self) -> Identity:
        if self._identity is None:
            p = self.props
            details = {k: v for k, v in (("fingerprint", p.get("ro.build.fingerprint", "")),
                                         ("sdk", p.get("ro.build.version.sdk", "")),
                                         ("release", p.get("ro.build.version.release", "")),
                                         ("build_name", p.get("ro.build.version.name", "")),
                                         ("device", p.get("ro.product.device", ""))) if v}
            self._identity = Identity(platform=Platform.FIRE_OS, model=p.get("ro.product.model", ""),
                                      os_version=props.fire_os_version(p),
                                      manufacturer=p.get("ro.product.manufacturer", ""),
                                      build=p.get("ro.build.display.id", ""), details=details)
        return self._identity

    def supports(self, feature: Feature) -> Support:
        """Everything firebridge knows is on Fire OS. PMR still needs the helper app (the ``pmr``
        capability says how to install it); UI reading needs ``uiautomator``, on every Fire OS."""
        return Support(True)

    # -- remote ---------------------------------------------------------------------------------
    def press(self, keys: Sequence[str]) -> None:
        """The ``keys`` in one ``input keyevent`` call per run (one ART VM start each on Fire OS <= 8).

        HOME ends a run: a real Fire TV drops keys that arrive while it switches to the launcher
        (InputDispatcher "Dropped event because of pending overdue app switch."), so after HOME this waits
        until the launcher has focus before it sends anything more (and before the caller reads the screen).
        """
        for group in split_after_home(key_list(keys)):
            self._run(fireos_input.keyevent_command(group), _KEY_HINT)
            if group[-1] == Key.HOME.value:
                self.wait_for_focus(activity.LAUNCHER_PACKAGE, pace_of(self.transport).timeout(10.0, calls=4))

    def long_press(self, key: str) -> None:
        """``input keyevent --longpress``: DOWN, a repeated DOWN flagged LONG_PRESS, then UP, at once
        (what apps see as a long press; it does not keep the key down for any time)."""
        self._run(fireos_input.keyevent_command(key_list([key]), longpress=True), _KEY_HINT)

    def input_capabilities(self) -> fireos_input.InputCapabilities:
        """Read once from the device's ``input`` usage text (printed for an unknown option)."""
        if self._input is None:
            result = self.transport.shell(fireos_input.USAGE_COMMAND)
            self._input = fireos_input.parse_input_usage(result.stdout + "\n" + result.stderr)
        return self._input

    def hold(self, key: str, seconds: float) -> str:
        """``--duration`` where ``input keyevent`` offers it (``cmd input`` of newer Android, e.g. Fire
        OS 14): the key is held for ``seconds``. Fire OS <= 8 has only ``--longpress``: apps see a long
        press but the key is NOT held (there is no way to do that through ``input`` there)."""
        if seconds <= 0:
            raise ValueError(f"seconds must be positive, not {seconds}")
        names = key_list([key])
        if self.input_capabilities().duration:
            self._run(fireos_input.keyevent_command(names, duration_ms=max(1, round(seconds * 1000))), _KEY_HINT)
            return "duration"
        self._run(fireos_input.keyevent_command(names, longpress=True), _KEY_HINT)
        return "longpress"

    def type_text(self, text: str) -> None:
        self._run(fireos_input.text_command(text), "`input text` failed")

    # -- screen ---------------------------------------------------------------------------------
    def ui_tree(self, timeout: float | None = None) -> UiTree:
        return dump(self.transport, retries=self.ui_retries, timeout=timeout or 60)

    def ui_xml(self) -> str:
        """The raw hierarchy document (failure artifacts keep it as the device wrote it)."""
        return dump_raw(self.transport, retries=self.ui_retries)

    def screenshot(self) -> bytes:
        """``screencap -p`` over exec (binary-safe)."""
        data = self.transport.exec_out("screencap -p", timeout=30)
        if not data.startswith(b"\x89PNG"):
            raise CommandFailed("screencap -p", 0, data[:200].decode(errors="replace"),
                                hint="the device did not return a PNG")
        return data

    # -- logs -----------------------------------------------------------------------------------
    def log_command(self) -> list[str]:
        return logcat.stream_command()

    def parse_log_line(self, line: str) -> LogRecord | None:
        return logcat.parse_threadtime(line)

    def log_marker(self, tag: str, message: str) -> None:
        self._run(logcat.marker_command(tag, message), "`log` (/system/bin/log) failed")

    def log_excerpt(self, lines: int = 200) -> str:
        return self.transport.shell(logcat.excerpt_command(lines)).stdout

    def key_log_pattern(self) -> str | None:
        return logcat.KEY_DOWN_INJECTED

    # -- apps -----------------------------------------------------------------------------------
    def _am_start(self, argv: list[str], hint: str) -> None:
        result = self.transport.shell(argv)
        failure = activity.am_start_failed(result.stdout, result.stderr, result.exit_code)
        if failure is not None:
            # The failure line is in the output CommandFailed shows (am exits 0 with it on Fire OS <= 8).
            raise CommandFailed(" ".join(argv), result.exit_code, result.stdout, result.stderr, hint)

    def launch(self, package: str, component: str | None = None, wait: bool = False) -> None:
        """``am start -n COMPONENT`` (``-W`` with ``wait``: returns once the activity is up, so a start
        held after HOME cannot land later); without one, the package's launcher activity (``monkey``)."""
        if component is None:
            self._run(activity.monkey_launch_command(package), f"is {package} installed?")
            return
        if component.startswith("."):
            component = f"{package}/{component}"
        command = activity.start_component_command(component)
        if wait:
            command.insert(2, "-W")
        self._am_start(command, f"is {package} installed?")

    def open_link(self, package: str, uri: str, wait: bool = False) -> None:
        """``am start -a VIEW -d URI -p PKG`` (``-W`` with ``wait``, as for :meth:`launch`).
        ASSUMPTION: `am start -W` returns once the activity is drawn, i.e. it has focus, also for a start
        held after HOME (settle by: `input keyevent 3; am start -W ...; dumpsys window` on a stick)."""
        command = activity.view_command(uri, package)
        if wait:
            command.insert(2, "-W")
        self._am_start(command,
                       f"is {package} installed, and does it handle {uri}?")

    def stop(self, package: str) -> None:
        self._run(activity.force_stop_command(package))

    def focus(self) -> activity.Focus:
        """What has input focus (``dumpsys window windows``; see activity.parse_focus)."""
        return activity.parse_focus(self.transport.shell(activity.WINDOW_DUMP_COMMAND, timeout=30).stdout)

    def foreground_app(self) -> str | None:
        """The package of the focused window (``dumpsys window``), else of the resumed activity when the
        window dump has no focus line at all. None while no window has focus (``mCurrentFocus=null``,
        between windows) or the screensaver has it."""
        focus = self.focus()
        if focus.found:
            return focus.package
        return activity.parse_resumed_package(self.transport.shell(activity.ACTIVITY_DUMP_COMMAND).stdout)

    def wait_for_focus(self, package: str, timeout: float) -> None:
        """Poll ``dumpsys window windows`` until ``package``'s window has focus."""
        last: list[activity.Focus] = []

        def focused() -> bool:
            last[:] = [self.focus()]
            return last[0].package == package

        wait_until(focused, timeout, f"{package} to have focus", interval=0.1,
                   describe=lambda: f"focus on {last[0].window if last else 'nothing read'}")

    # -- screensaver ----------------------------------------------------------------------------
    def dismiss_screensaver(self) -> None:
        """``input keyevent WAKEUP``: ends a dream and is never passed to apps (AOSP
        PhoneWindowManager.interceptKeyBeforeQueueing); also resets the idle timer."""
        self.transport.shell(["input", "keyevent", str(activity.KEYCODE_WAKEUP)], timeout=60)

    def prevent_screensaver(self) -> list[tuple[str, str, str]]:
        """``settings put secure screensaver_enabled 0``; returns the previous values.
        ASSUMPTION: Fire OS 8 may also need ``amazon_ambient_enabled 0`` plus a reboot (AerialViews
        README); firebridge does not reboot, so a run there also dismisses it (settle by: an idle AFTKRT)."""
        previous = []
        for namespace, key, value in activity.SCREENSAVER_OFF:
            old = self.transport.shell(["settings", "get", namespace, key], timeout=30).stdout.strip()
            previous.append((namespace, key, old))
            self.transport.shell(["settings", "put", namespace, key, value], timeout=30)
        return previous

    def restore_screensaver(self, saved: object) -> None:
        for namespace, key, old in saved or []:  # type: ignore[union-attr]
            if old in ("", "null"):
                self.transport.shell(["settings", "delete", namespace, key], timeout=30)
            else:
                self.transport.shell(["settings", "put", namespace, key, old], timeout=30)

    def is_installed(self, package: str) -> bool:
        """``pm path PKG`` finds an APK."""
        return bool(notifications.parse_pm_path(self.transport.shell(notifications.pm_path_command(package)).stdout))

    def open_settings(self, page: str) -> bool:
        """``preferences``: the Fire TV settings app's Preferences action. False when there is no
        action for ``page`` or the device did not resolve it (the caller walks the UI instead)."""
        action = activity.SETTINGS_ACTIONS.get(page)
        if action is None:
            return False
        result = self.transport.shell(activity.action_command(action))
        if not result.ok or "Error" in result.stderr + result.stdout:
            return False
        # `am start` returns before the activity is up (and is held up to 5 s after HOME): wait for it
        # before the caller reads the screen or sends keys.
        self.wait_for_focus(activity.SETTINGS_PACKAGE, pace_of(self.transport).timeout(10.0, calls=4))
        return True

    # -- device clock ---------------------------------------------------------------------------
    def device_time_ms(self) -> int:
        # `date +%s` is in every toybox; sub-second formats are not on older Fire OS builds.
        return int(self._run("date +%s").strip()) * 1000

    # -- screen power ---------------------------------------------------------------------------
    def screen_awake(self) -> tuple[bool | None, str]:
        state = power.parse_wakefulness(self.transport.shell(power.POWER_DUMP_COMMAND, timeout=10).stdout)
        if state is not None:
            return state == "Awake", f"mWakefulness={state}"
        awake = power.parse_window_awake(self.transport.shell(power.WINDOW_POLICY_COMMAND, timeout=10).stdout)
        if awake is not None:
            return awake, f"mAwake={'true' if awake else 'false'}"
        return None, "neither `dumpsys power` (mWakefulness) nor `dumpsys window policy` (mAwake) says"

    def wake(self) -> None:
        """KEYCODE_WAKEUP (API 20+) wakes without toggling, unlike POWER."""
        self.transport.shell(fireos_input.keyevent_command([Key.WAKEUP]), timeout=10)

    def free_storage(self) -> tuple[DiskSpace | None, str]:
        """``df /data``: where apps and their data live."""
        result = self.transport.shell(["df", "/data"], timeout=10)
        space = parse_df(result.stdout, "/data")
        if space is None:
            return None, (f"`df /data` exited {result.exit_code}: "
                          f"{(result.stdout or result.stderr).strip()[:120]!r}")
        return space, f"{space.available_mb} MB free on /data"

    # -- app messages ---------------------------------------------------------------------------
    def broadcast(self, component: str, extras: Sequence[IntentExtra] = ()) -> BroadcastResult:
        argv = notifications.broadcast_command(component, extras)
        result = self.transport.shell(argv)
        result.check(hint="am broadcast failed")
        parsed = notifications.parse_broadcast_result(result.stdout)
        if parsed is None:
            raise CommandFailed(" ".join(argv[:5]) + " ...", result.exit_code, result.stdout, result.stderr,
                                "am printed no 'Broadcast completed' line")
        return parsed

    def notifications(self) -> list[NotificationRecord]:
        result = self.transport.shell(notifications.NOTIFICATION_DUMP_COMMAND).check()
        return notifications.parse_notification_dump(result.stdout)
