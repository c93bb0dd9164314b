"""``VegaDriver``: the :class:`~firebridge.driver.protocol.Driver` protocol for Vega OS over an adb transport.

Vega's device adapter (``vda``) is an adb fork and vdad speaks the adb wire protocol, so the transport is
the same one Fire OS uses (docs/vega-os.md section 1). Everything here goes through ``transport.shell`` /
``transport.exec_out`` (and, for the automation toolkit, an adb port forward when the transport offers
its adb server client). Vega tools often exit 0 when they fail, so each command's output is checked;
a non-zero exit counts as failure too. Anything user-provided is quoted for POSIX ``sh``.
"""

from __future__ import annotations

import http.client
import re
import shlex
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from firebridge.driver.ui import UiTree
from firebridge.driver.notifications import BroadcastResult, IntentExtra, NotificationRecord
from firebridge.driver.protocol import Feature, Identity, Platform, Support, Transport, Unsupported
from firebridge.driver.storage import DiskSpace
from firebridge.platforms.df import parse_df
from firebridge.platforms.vega import apps, identity as ident, keys as vkeys, logs, toolkit
from firebridge.platforms.vega.errors import (AppCommandFailed, DeveloperModeOff, ScreenshotFailed, ToolkitError,
                                              ToolkitUnavailable, VegaError)
from firebridge.waiting import WaitTimeout, wait_until

PMR_REASON = "PMR is a Fire OS feature (Android notifications); Vega OS has no PMR"
VVD_NO_CP_REASON = ("the Vega Virtual Device has no Content Personalization (Amazon: it needs real device "
                    "capabilities the VVD lacks); run this on a Fire TV with Vega OS")
VVD_NO_HOME_REASON = ("the Vega Virtual Device has no Fire TV home screen (its launcher is a placeholder "
                      "\"Kepler Virtual Device is ready\" page without content rows); run this on a Fire TV "
                      "with Vega OS")
SCREENSHOT_PATH = "/tmp/firebridge-screenshot.png"
# How long launch(wait=True) waits for the app to be VISIBLE: several times Amazon's cold time-to-fully-drawn
# target of 8 s ("Vega App Performance Certification Guidebook - App Latency"), for apps that miss it.
LAUNCH_TIMEOUT_S = 30.0
APP_DATA_ROOT = "/home/app_user"  # app data dirs: /home/app_user/packages/<pkg>/data [VVS][KVA]
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def parse_epoch_ms(output: str) -> int:
    """Milliseconds since the epoch from ``date +%s%N`` output; a ``date`` without ``%N`` (BusyBox)
    prints seconds followed by ``N`` or ``%N``, read as whole seconds."""
    digits = re.match(r"\s*(\d+)", output)
    if not digits:
        raise VegaError(f"the device clock gave no number: {output.strip()[:100]!r}")
    value = digits.group(1)
    if len(value) >= 16:   # nanoseconds
        return int(value) // 1_000_000
    if len(value) >= 13:   # milliseconds
        return int(value)
    return int(value) * 1000


class VegaDriver:
    """Drives one Vega OS device (a Fire TV stick or the Vega Virtual Device) through ``transport``.

    ``enable_toolkit``: create the automation toolkit's flag file whenever this driver launches an app,
    so that :meth:`ui_tree` works on the apps it starts.
    """

    platform = Platform.VEGA
    #: The call the device pace times (firebridge.driver.pace): an inputd-cli process that injects nothing.
    PACE_CALL = (vkeys.SCREEN_SIZE_COMMAND, "`inputd-cli`")

    def __init__(self, transport: Transport, enable_toolkit: bool = True, command_timeout: float = 30.0) -> None:
        self.transport = transport
        self.enable_toolkit = enable_toolkit
        self.command_timeout = command_timeout
        self._facts: ident.VegaFacts | None = None
        self._identity: Identity | None = None
        self._forward_port: int | None = None
        self._developer_mode_tried = False

    def __repr__(self) -> str:
        return f"VegaDriver({self.serial!r})"

    @property
    def serial(self) -> str:
        return getattr(self.transport, "serial", "?")

    # -- shell ----------------------------------------------------------------------------------
    def _run(self, command: str, timeout: float | None = None) -> tuple[str, int]:
        """(stdout + stderr, exit code) of one device shell line."""
        result = self.transport.shell(command, timeout=timeout or self.command_timeout)
        output = result.stdout
        if result.stderr:
            output += ("" if not output or output.endswith("\n") else "\n") + result.stderr
        return output, result.exit_code

    def _tool(self, command: str, hint: str = "", timeout: float | None = None, listing: bool = False) -> str:
        output, code = self._run(command, timeout)
        return apps.check_tool_output(command, output, code, self.serial, hint, listing)

    # -- who and what ---------------------------------------------------------------------------
    def facts(self) -> ident.VegaFacts:
        """os-release and the virtual-device signs, read once."""
        if self._facts is None:
            # stdout only: a shell's complaint about a missing file (stderr) is not a section's value.
            output = self.transport.shell(ident.IDENTITY_COMMAND, timeout=self.command_timeout).stdout
            self._facts = ident.parse_identity_output(output, self.serial)
        return self._facts

    def identity(self) -> Identity:
        if self._identity is None:
            self._identity = ident.identity_from_facts(self.facts())
        return self._identity

    @property
    def is_virtual(self) -> bool:
        """True on the Vega Virtual Device (from what the device reports; see identity.VegaFacts)."""
        return self.facts().is_virtual

    def supports(self, feature: Feature) -> Support:
        if feature is Feature.PMR:
            return Support(False, PMR_REASON)
        # The consent toggles are Content Personalization's (seed 002), and the VVD's placeholder launcher
        # leads to no Settings app that holds them.
        if feature in (Feature.CONTENT_PERSONALIZATION, Feature.PRIVACY_SETTINGS) and self.is_virtual:
            return Support(False, VVD_NO_CP_REASON)
        if feature is Feature.HOME_ROWS and self.is_virtual:
            return Support(False, VVD_NO_HOME_REASON)
        # ASSUMPTION: a stick's launcher tree (Continue Watching row) is readable through the toolkit and
        # the privacy consents are reachable in its Settings UI; neither has a public capture (docs/vega-os.md
        # sections 6 and 7; settle by: page source of the home screen and of Settings on a stick).
        return Support(True)

    # -- remote ---------------------------------------------------------------------------------
    def press(self, keys: Sequence[str]) -> None:
        """Press ``keys`` in order in ONE shell call; each press must be confirmed by inputd-cli."""
        if isinstance(keys, str):  # one key name, not a sequence of letters
            keys = [keys]
        names = [str(getattr(k, "name", k)) for k in keys]
        if not names:
            return
        command = vkeys.press_command(names)
        output, _ = self._run(command, timeout=self.command_timeout + 2 * len(names))
        try:
            vkeys.check_presses(output, names, self.serial)
        except DeveloperModeOff:
            if not self._enable_developer_mode():
                raise
            output, _ = self._run(command, timeout=self.command_timeout + 2 * len(names))
            vkeys.check_presses(output, names, self.serial)

    def _enable_developer_mode(self) -> bool:
        """On the Vega Virtual Device, turn developer mode on (``vsm developer-mode enable``, the VVD's
        documented one-time step before inputd-cli injects keys); True when that was done. A stick is
        left alone: its developer mode is switched from the Vega CLI and the TV (README)."""
        if not self.is_virtual or self._developer_mode_tried:
            return False
        self._developer_mode_tried = True
        self._run(vkeys.DEVELOPER_MODE_COMMAND)
        return True

    def long_press(self, key: str) -> None:
        name = str(getattr(key, "name", key))
        output, _ = self._run(vkeys.press_command([name], hold_ms=vkeys.LONG_PRESS_MS))
        vkeys.check_presses(output, [name], self.serial)

    def type_text(self, text: str) -> None:
        output, _ = self._run(vkeys.text_command(text))
        vkeys.check_text_output(output, self.serial)

    def screen_size(self) -> tuple[int, int]:
        """``inputd-cli get_screen_size``; raises DeveloperModeOff when developer mode is off."""
        output, _ = self._run(vkeys.SCREEN_SIZE_COMMAND)
        return vkeys.parse_screen_size(output, self.serial)

    # -- automation toolkit ---------------------------------------------------------------------
    def _adb_server(self):
        """The transport's adb server client, when it has one that can forward and listens locally."""
        server = getattr(self.transport, "server", None)
        if server is None or not hasattr(server, "forward") or getattr(server, "host", "") not in _LOOPBACK:
            return None
        return server

    def _toolkit_port(self, server) -> int:
        if self._forward_port is None:
            self._forward_port = server.forward(self.serial, "tcp:0", f"tcp:{toolkit.TOOLKIT_PORT}")
        return self._forward_port

    def toolkit_call(self, method: str, params: dict | None = None, timeout: float = 30.0) -> object:
        """One JSON-RPC call to the device's automation toolkit; its ``result``.

        Through an adb forward (host -> device tcp:8383) when the transport offers its adb server
        client; otherwise with ``curl`` on the device (plexinc/Maestro's route).
        """
        body = toolkit.request_body(method, params)
        server = self._adb_server()
        if server is not None:
            try:
                reply = self._post(server.host, self._toolkit_port(server), body, method, timeout)
            except ConnectionRefusedError:
                # The forward is gone (adb server restarted, device reconnected): set it up again, once.
                self._forward_port = None
                try:
                    reply = self._post(server.host, self._toolkit_port(server), body, method, timeout)
                except ConnectionRefusedError:
                    reply = b""
            return toolkit.parse_response(reply, method)
        command = (f"curl -s -m {int(timeout)} -X POST -H 'Content-Type: application/json' "
                   f"--data-binary {shlex.quote(body.decode())} "
                   f"http://127.0.0.1:{toolkit.TOOLKIT_PORT}{toolkit.TOOLKIT_PATH}")
        result = self.transport.shell(command, timeout=timeout + 5)
        # ASSUMPTION: curl's stdout is the reply; an unreachable toolkit gives empty stdout (curl -s)
        # and a non-zero exit, which reads as "relaunch needed".
        return toolkit.parse_response(result.stdout, method)

    @staticmethod
    def _post(host: str, port: int, body: bytes, method: str, timeout: float) -> bytes:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
        try:
            connection.request("POST", toolkit.TOOLKIT_PATH, body, {"Content-Type": "application/json"})
            response = connection.getresponse()
            data = response.read()
        except ConnectionRefusedError:
            raise  # nothing listens on the host side: the forward itself is missing
        except TimeoutError:
            raise ToolkitError(f"the toolkit did not answer {method} within {timeout:g} s (the app may be busy; "
                               f"retry, or relaunch it)") from None
        except (ConnectionError, http.client.HTTPException):
            # adb closes the forwarded socket when nothing listens on the device's 8383: the toolkit is
            # not running, which is the same "relaunch the app with the toolkit enabled" case.
            return b""
        finally:
            connection.close()
        if response.status != 200:
            raise ToolkitError(f"the toolkit answered {method} with HTTP {response.status}: {data[:200]!r}")
        return data

    def ui_tree(self, timeout: float | None = None) -> UiTree:
        """The screen's UI tree from the toolkit's page source (every app on screen, the foreground app
        first as the toolkit lists it). With ``timeout``, an empty page source is retried until then
        (the first launch after an install can race the toolkit).

        The toolkit attaches only to apps started while its flag file exists, and the launcher and
        Settings on a stick were started at boot, before anyone created it. So when the toolkit does
        not answer and ``enable_toolkit`` is on, the driver creates the flag and relaunches the app on
        screen once (docs/vega-os.md: "touch the flag, relaunch the app"; plexinc/Maestro and argent do the
        same by hand), then reads again. That restarts the app on screen, as a person's relaunch would.
        """
        try:
            return self._read_tree(timeout)
        except ToolkitUnavailable:
            if not self.enable_toolkit:
                raise
            instance = apps.foreground(self.running())
            if instance is None:
                raise
            self.relaunch(instance.package, instance.application)
            return self._read_tree(max(timeout or 0, 10.0))

    def _read_tree(self, timeout: float | None) -> UiTree:
        last: list[ToolkitUnavailable] = []

        def attempt() -> UiTree | None:
            try:
                result = self.toolkit_call("getPageSource")
                return toolkit.parse_page_source(toolkit.page_source_from_result(result))
            except ToolkitUnavailable as exc:
                last[:] = [exc]
                return None

        if not timeout:
            tree = attempt()
            if tree is None:
                raise last[0]
            return tree
        try:
            return wait_until(attempt, timeout, "a page source from the automation toolkit", interval=0.5)
        except WaitTimeout:
            raise last[0] from None

    def screenshot(self) -> bytes:
        """PNG bytes: ``gwsi-tool-screenshooter`` on a stick; the toolkit's ``takeScreenshot`` on the VVD
        (where the screenshooter is unsupported) and as the fallback."""
        problems = []
        if not self.is_virtual:
            try:
                return self._screenshooter()
            except VegaError as exc:
                problems.append(str(exc))
        try:
            return toolkit.png_from_result(self.toolkit_call("takeScreenshot"))
        except VegaError as exc:
            problems.append(str(exc))
        raise ScreenshotFailed(f"{self.serial}: no screenshot: " + " | ".join(problems))

    def _screenshooter(self) -> bytes:
        path = shlex.quote(SCREENSHOT_PATH)
        output, _ = self._run(f"rm -f {path}; gwsi-tool-screenshooter {path} 2>&1", timeout=60)
        data = self.transport.exec_out(f"cat {path}; rm -f {path}", timeout=60)
        if not data.startswith(b"\x89PNG"):
            raise ScreenshotFailed(f"gwsi-tool-screenshooter made no PNG: {output.strip()[-300:]!r}")
        return data

    # -- home screen ----------------------------------------------------------------------------
    @property
    def launcher_app(self) -> str:
        """The home launcher's app name: the VVD's placeholder launcher or the stick's.

        ASSUMPTION: com.amazon.smplighthouse.launcher is the stick's home launcher (Amazon's kpi-visualizer
        expects it; it does not exist on the VVD) (settle by: ``vlcm list`` on a stick at home)."""
        return toolkit.VVD_LAUNCHER_APP if self.is_virtual else toolkit.STICK_LAUNCHER_APP

    def home_tree(self, timeout: float | None = 10.0) -> UiTree:
        """Go home and return the launcher's part of the UI tree (the rows on a stick)."""
        self.press(["HOME"])
        tree = self.ui_tree(timeout=timeout)
        launcher = toolkit.app_tree(tree, self.launcher_app)
        if not launcher.roots:
            raise ToolkitUnavailable(
                f"{self.serial}: the launcher {self.launcher_app} is not in the page source (apps seen: "
                f"{tree.packages}): the automation toolkit attaches only to apps started after "
                f"{apps.TOOLKIT_FLAG} exists; restart the launcher with driver.relaunch({self.launcher_app!r})")
        return launcher

    # -- logs -----------------------------------------------------------------------------------
    def log_command(self) -> list[str]:
        return list(logs.LOG_COMMAND)

    def parse_log_line(self, line: str) -> logs.VegaLogRecord | None:
        """One line of the stream; pure (the doubled JS console.info copies are dropped over a sequence
        with :meth:`collapse_doubled` or :meth:`log_filter`, since a line alone cannot tell)."""
        return logs.parse_loggingctl_line(line)

    @staticmethod
    def collapse_doubled(records: Iterable[logs.VegaLogRecord]) -> Iterator[logs.VegaLogRecord]:
        """``records`` without the second copy loggingctl prints of each JS ``console.info`` line."""
        return logs.collapse_doubled(records)

    @staticmethod
    def log_filter() -> logs.ConsoleCopyFilter:
        """A per-stream filter (``.accept(record)``) that drops the doubled console.info copies live."""
        return logs.ConsoleCopyFilter()

    def log_marker(self, tag: str, message: str) -> None:
        command = shlex.join(logs.marker_command(tag, message)) + " 2>&1"
        output, code = self._run(command)
        if code not in (0, -1) or output.strip():
            raise VegaError(f"{self.serial}: `logger` did not write the mark (exit {code}): {output.strip()[-300:]!r}")

    def key_log_pattern(self) -> str | None:
        # inputd-cli confirms each press on its stdout; no per-key journal line is known on Vega (the
        # public captures show none). ASSUMPTION: none exists (settle by: `loggingctl log -f` on a stick
        # while `inputd-cli button_press KEY_DOWN` runs).
        return None

    def log_excerpt(self, lines: int = 200) -> str:
        # ASSUMPTION: `loggingctl log` without -f prints the current boot's journal and exits, like
        # journalctl (Amazon's loggingctl page; settle by: run it on a device and time it).
        output, _ = self._run(f"loggingctl log -o short_precise 2>&1 | tail -n {int(lines)}", timeout=60)
        return output

    # -- apps -----------------------------------------------------------------------------------
    def launch(self, package: str, component: str | None = None, wait: bool = False) -> None:
        """``vmsgr send pkg://<component>``; with ``wait``, return once the component is VISIBLE in ``vlcm list``.

        vmsgr returns when the message is delivered, not when the app is up (there is no ``am start -W``):
        the app shows its first frame later (Amazon's certification targets: 1.5 s cold, 0.5 s warm), and keys
        sent before that go to the app still in front."""
        target = apps.check_id(component, "component id") if component else apps.main_component(package)
        self._send(apps.launch_uri(target))
        if wait:
            self.wait_for_focus(target, LAUNCH_TIMEOUT_S)

    def open_link(self, package: str, uri: str, wait: bool = False) -> None:
        self._send(apps.deep_link_uri(package, uri))

    def _send(self, uri: str) -> None:
        self._tool(apps.send_command(uri, enable_toolkit=self.enable_toolkit),
                   hint="check that the component is installed (`vpm list components`) and its id is right")

    def relaunch(self, package: str, component: str | None = None) -> None:
        """Stop and start an app again (with the toolkit flag, so its UI tree becomes readable). The flag
        is created before the stop: the system may restart an app it needs (the launcher) on its own."""
        if self.enable_toolkit:
            self._run(f"touch {apps.TOOLKIT_FLAG}")
        self.stop(package)
        self.launch(package, component, wait=True)  # its tree is readable once it is in front

    def stop(self, package: str) -> None:
        """``vlcm terminate-app --pkg-id``; an error answer is accepted when the app is not running
        afterwards (stopping a stopped app is not a failure, as with Fire OS force-stop)."""
        command = apps.terminate_command(package)
        output, code = self._run(command)
        try:
            apps.check_tool_output(command, output, code, self.serial)
        except AppCommandFailed:
            if any(instance.package == package or instance.application == package for instance in self.running()):
                raise

    def running(self) -> list[apps.AppInstance]:
        """``vlcm list``: every app instance and its state."""
        return apps.parse_vlcm_list(self._tool("vlcm list 2>&1", listing=True))

    def foreground_app(self) -> str | None:
        """The component id of the VISIBLE app (the launcher when at home)."""
        instance = apps.foreground(self.running())
        return instance.application if instance else None

    def wait_for_focus(self, package: str, timeout: float) -> None:
        """Wait until ``package`` is the VISIBLE app (Vega has no window focus dump)."""
        wait_until(lambda: self.foreground_app() == package, timeout, f"{package} to be in front", interval=0.2)

    def dismiss_screensaver(self) -> None:
        # ASSUMPTION: no Vega screensaver control is documented; nothing to do (settle by: an idle stick).
        return None

    def prevent_screensaver(self) -> object:
        # ASSUMPTION: as dismiss_screensaver: no documented setting, so nothing changes.
        return None

    def restore_screensaver(self, saved: object) -> None:
        return None

    def installed_packages(self) -> list[str]:
        output = self._tool("vpm list packages 2>&1", listing=True)
        if "ids:" not in output:
            raise AppCommandFailed(f"{self.serial}: `vpm list packages` printed no package list: {output[-300:]!r}")
        return apps.parse_vpm_list(output)

    def is_installed(self, package: str) -> bool:
        return apps.check_id(package) in self.installed_packages()

    def package_info(self, package_or_component: str) -> dict[str, str]:
        output = self._tool(f"vpm info {shlex.quote(apps.check_id(package_or_component))} 2>&1", listing=True)
        return apps.parse_vpm_info(output)

    def install(self, vpkg: str | Path, force: bool = False) -> None:
        """Push a ``.vpkg`` to /tmp and ``vpm install`` it (vpm installs only files already on the device)."""
        push = getattr(self.transport, "push", None)
        if push is None:
            raise VegaError(f"{self.serial}: this transport cannot push files; install with "
                            f"`vega device install-app -p`")
        remote = f"/tmp/{Path(vpkg).name}"
        push(str(vpkg), remote)
        try:
            self._tool(apps.install_command(remote, force), timeout=300,
                       hint="the package's CPU architecture must match the device (aarch64 or x86_64)")
        finally:
            self._run(f"rm -f {shlex.quote(remote)}")

    def uninstall(self, package: str) -> None:
        self._tool(apps.uninstall_command(package))

    def open_settings(self, page: str) -> bool:
        # ASSUMPTION: no public component id for Vega's Settings pages (docs/vega-os.md section 7), so the
        # caller walks the Settings UI (settle by: `vlcm list` while Settings is open on a stick).
        return False

    # -- device clock ---------------------------------------------------------------------------
    def device_time_ms(self) -> int:
        output, _ = self._run("date +%s%N")
        return parse_epoch_ms(output)

    # -- added with the Fire OS driver (protocol methods Remote.hold, bench health and PMR use) ------
    def hold(self, key: str, seconds: float) -> str:
        """``inputd-cli button_press KEY --holdDuration MS``: the key is held for ``seconds``."""
        if seconds <= 0:
            raise ValueError(f"seconds must be positive, not {seconds}")
        name = str(getattr(key, "name", key))
        output, _ = self._run(vkeys.press_command([name], hold_ms=max(1, round(seconds * 1000))))
        vkeys.check_presses(output, [name], self.serial)
        return "duration"

    def screen_awake(self) -> tuple[bool | None, str]:
        # ASSUMPTION: no public Vega command reports whether the screen is on (settle by: a power/display
        # state tool on a stick); the health check then reports the state as unknown.
        return None, "Vega OS: no known command reports the screen state"

    def wake(self) -> None:
        raise Unsupported(f"{self.serial}: waking the screen is not known on Vega OS; press a remote key")

    def free_storage(self) -> tuple[DiskSpace | None, str]:
        """Free space where apps keep their data: app data directories are
        ``/home/app_user/packages/<pkg>/data`` (docs/vega-os.md section 2); Vega has no /data."""
        # ASSUMPTION: the dev shell has `df` (Yocto's BusyBox or coreutils; unconfirmed) and installed
        # packages share the filesystem of app_user's home (settle by: `df -k /home/app_user` on a stick).
        command = f"df -k {APP_DATA_ROOT}"
        output, code = self._run(command)
        space = parse_df(output, APP_DATA_ROOT)
        if space is None:
            return None, f"`{command}` exited {code}: {output.strip()[:120]!r}"
        return space, f"{space.available_mb} MB free on {space.mount} (holding {APP_DATA_ROOT})"

    def broadcast(self, component: str, extras: Sequence[IntentExtra] = ()) -> BroadcastResult:
        raise Unsupported(f"{self.serial}: {PMR_REASON}")

    def notifications(self) -> list[NotificationRecord]:
        raise Unsupported(f"{self.serial}: {PMR_REASON}")

    # -- cleanup --------------------------------------------------------------------------------
    def close(self) -> None:
        """Remove the toolkit's port forward, if one was made."""
        server = self._adb_server()
        if server is not None and self._forward_port is not None and hasattr(server, "remove_forward"):
            try:
                server.remove_forward(self.serial, f"tcp:{self._forward_port}")
            except Exception:  # the server or device may be gone already; nothing to clean then
                pass
        self._forward_port = None


__all__ = ["VegaDriver", "parse_epoch_ms", "PMR_REASON"]
