"""``FireTV``: one attached Fire TV (hardware, emulator or the virtual device — all the same to it).

Shell commands go over firebridge's own adb-server client (:mod:`adbwire`, shell protocol v2:
separate stdout/stderr, exit codes); device lists, ``adb connect`` and file sync use adbutils.
Which platform the device runs (Fire OS or Vega OS) is probed over the wire on first use of
:attr:`FireTV.driver`; everything platform-specific goes through that driver. Properties are read
once per boot. A network device whose transport drops is reconnected, waited
for, and probed with a real command before the interrupted command is retried once — a transport
that is "online" again is not necessarily usable yet.
"""

from __future__ import annotations

import shlex
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

import adbutils

from firebridge.adb.connect import connect_and_probe, is_network_serial  # noqa: F401 (is_network_serial: re-export)
from firebridge.adb.wire import AdbServerClient, AdbServerUnreachable, decode_shell_v2
from firebridge.errors import AdbTimeout, DeviceUnauthorized, DeviceUnavailable
from firebridge.adb.shell import (ShellResult, normalize_newlines, parse_shell_v1,  # noqa: F401 (re-exports)
                                  v1_script)
from firebridge.driver.protocol import Driver, Identity, Platform
from firebridge.platforms import probe
# Fire OS property parsing lives with the Fire OS driver; re-exported for existing callers.
from firebridge.platforms.fireos.props import (FIRE_TV_FEATURE, fire_os_matches, fire_os_version,  # noqa: F401
                                               is_fire_tv, parse_features, parse_getprop, sdk_level)

def shell_join(command: str | Sequence[str]) -> str:
    """A string is sent as written (a script); a list is quoted word by word."""
    return command if isinstance(command, str) else shlex.join(command)


class FireTV:
    """One device behind an adb server.

    >>> tv = FireTV("192.168.1.20:5555")                     # doctest: +SKIP
    >>> tv.shell("getprop ro.product.model").stdout           # doctest: +SKIP
    'AFTMM\\n'
    """

    def __init__(self, serial: str, adb_server: str = "127.0.0.1:5037", timeout: float = 30.0,
                 reconnect_timeout: float = 30.0) -> None:
        host, _, port = adb_server.rpartition(":")
        self.serial = serial
        self.adb_server = adb_server
        self.server = AdbServerClient(host or "127.0.0.1", int(port))
        self.client = adbutils.AdbClient(host=self.server.host, port=self.server.port)
        self.timeout = timeout
        self.reconnect_timeout = reconnect_timeout
        self._driver: Driver | None = None
        self._boot_id: str | None = None
        self._shell_v2: bool | None = None
        self.reconnects = 0
        # Why the device is known gone (set by the run once recovery failed): calls then fail at once
        # instead of waiting ``reconnect_timeout`` each; :meth:`recover` clears it.
        self.lost: str | None = None
        self._cap: float | None = None  # inside time_boxed(): no call waits longer than this

    def __repr__(self) -> str:
        return f"FireTV({self.serial!r}, adb_server={self.adb_server!r})"

    # -- shell ----------------------------------------------------------------------------------
    def shell(self, command: str | Sequence[str], timeout: float | None = None) -> ShellResult:
        """Run a shell command; never raises on a non-zero exit (see ShellResult.check)."""
        script = shell_join(command)
        return self._with_reconnect(lambda: self._shell_once(script, self._limit(timeout)))

    def _limit(self, timeout: float | None) -> float:
        wanted = timeout or self.timeout
        return min(wanted, self._cap) if self._cap is not None else wanted

    def run(self, command: str | Sequence[str], timeout: float | None = None, hint: str = "") -> str:
        """Run a command that must succeed; return its stdout or raise CommandFailed."""
        return self.shell(command, timeout).check(hint).stdout

    def _shell_once(self, script: str, timeout: float) -> ShellResult:
        if self._shell_v2 is None:
            self._shell_v2 = "shell_v2" in self.server.features(self.serial)
        if self._shell_v2:
            raw = self.server.run_service(self.serial, f"shell,v2,raw:{script}", timeout)
            out = decode_shell_v2(raw)
            if out.exit_code == -1:
                # adbd ends every shell v2 stream with an exit packet; a stream without one was cut off
                # (the transport dropped mid-command): the device's, not the command's, failure.
                raise DeviceUnavailable(f"{self.serial}: the shell stream of `{script[:80]}` ended without an exit "
                                        f"status (the adb transport dropped mid-command)")
            return ShellResult(script, out.stdout.decode(errors="replace"), out.stderr.decode(errors="replace"),
                               out.exit_code)
        # Old adbd without shell v2 (Fire OS 5): a PTY, so no exit status, stderr merged and CRLF line
        # ends; ask the shell for $? after the command.
        raw = self.server.run_service(self.serial, f"shell:{v1_script(script)}", timeout)
        body, status = parse_shell_v1(raw)
        return ShellResult(script, body, "", status)

    def exec_out(self, command: str | Sequence[str], timeout: float | None = None) -> bytes:
        """Binary-safe output of a command (``adb exec-out``)."""
        script = shell_join(command)
        return self._with_reconnect(lambda: self.server.exec_out(self.serial, script, self._limit(timeout)))

    # -- transport health -----------------------------------------------------------------------
    def state(self) -> str | None:
        """adb's state for this device (device, unauthorized, offline...) or None if not listed."""
        return self.server.state(self.serial)

    def _with_reconnect(self, call):
        if self.lost is not None:  # known gone: no reconnect wait per call
            raise DeviceUnavailable(f"{self.serial} is lost ({self.lost}); not waiting for it again")
        try:
            return call()
        except (DeviceUnavailable, ConnectionError, AdbTimeout) as first:
            if (not is_network_serial(self.serial) or isinstance(first, (DeviceUnauthorized, AdbServerUnreachable))):
                raise
            self.reconnect()
            return call()

    def mark_lost(self, reason: str) -> None:
        """Remember that the device is gone: later calls fail at once (no reconnect wait each)."""
        self.lost = reason

    def recover(self, timeout: float) -> bool:
        """One recovery attempt (firebridge.adb.connect) of at most ``timeout`` seconds; clears
        :attr:`lost` when the device answers again. Never raises."""
        try:
            connect_and_probe(self.server, self.serial, timeout, patient=True, probe_timeout=min(5.0, max(timeout, 1.0)))
        except (DeviceUnavailable, DeviceUnauthorized, AdbTimeout, OSError):
            return False
        self.lost = None
        return True

    def boot_id(self, timeout: float = 5.0) -> str:
        """This boot's id: Fire OS's ``ro.runtime.firstboot`` (set by system_server at every boot) and the
        kernel's ``boot_id`` (Linux: Fire OS and Vega OS), one line each where present. One shell call,
        no reconnect; raises the transport's error."""
        # ASSUMPTION: /proc/sys/kernel/random/boot_id is readable by the adb shell user on Fire OS and
        # Vega OS (settle by: `adb shell cat /proc/sys/kernel/random/boot_id` on a Fire TV Stick and a
        # Vega stick); where it is not, the property alone tells a Fire OS reboot.
        script = "getprop ro.runtime.firstboot 2>/dev/null; cat /proc/sys/kernel/random/boot_id 2>/dev/null"
        if self.lost is not None:
            raise DeviceUnavailable(f"{self.serial} is lost ({self.lost})")
        return self._shell_once(script, timeout).stdout.strip()

    @contextmanager
    def time_boxed(self, timeout: float, reconnect_timeout: float = 0.0) -> Iterator[None]:
        """Calls inside take at most ``timeout`` seconds each and wait at most ``reconnect_timeout``
        for a dropped transport (failure artifacts: best effort, never the whole run's time)."""
        saved = self.timeout, self.reconnect_timeout, self._cap
        self.timeout, self.reconnect_timeout, self._cap = timeout, reconnect_timeout, timeout
        try:
            yield
        finally:
            self.timeout, self.reconnect_timeout, self._cap = saved

    def reconnect(self) -> None:
        """``adb connect`` again until the device answers a shell command (firebridge.adb.connect), then
        forget cached properties if it rebooted meanwhile. Raises the typed error of the state it stayed in."""
        connect_and_probe(self.server, self.serial, self.reconnect_timeout, patient=True)
        self.reconnects += 1
        self._check_boot()

    # -- properties -----------------------------------------------------------------------------
    def _check_boot(self) -> None:
        """Forget cached properties if the device rebooted (ro.runtime.firstboot changes each boot)."""
        # ASSUMPTION: on Vega OS this answers nothing (no getprop), so a Vega reboot is not noticed here
        # (settle by: the Vega driver offering a boot id).
        boot = self._shell_once("getprop ro.runtime.firstboot", 10).stdout.strip()
        if boot != self._boot_id:
            forget = getattr(self._driver, "forget", None)
            if forget is not None:
                forget()
            self._boot_id = boot

    # -- platform -------------------------------------------------------------------------------
    @property
    def driver(self) -> Driver:
        """This device's platform driver, probed over the wire on first use (``firebridge.platforms.probe``)."""
        if self._driver is None:
            self._driver = probe(self)
        return self._driver

    @property
    def platform(self) -> Platform:
        return self.driver.platform

    @property
    def identity(self) -> Identity:
        return self.driver.identity()

    def _fire_os_driver(self):
        """The Fire OS driver, or None on another platform (Android properties exist only on Fire OS)."""
        driver = self.driver
        return driver if driver.platform is Platform.FIRE_OS else None

    @property
    def props(self) -> dict[str, str]:
        """Every system property (Fire OS), read once per boot; {} on Vega OS."""
        driver = self._fire_os_driver()
        if driver is None:
            return {}
        props = driver.props
        if self._boot_id is None:
            self._boot_id = props.get("ro.runtime.firstboot", "")
        return props

    def prop(self, name: str, default: str = "") -> str:
        return self.props.get(name, default)

    @property
    def model(self) -> str:
        return self.identity.model

    @property
    def manufacturer(self) -> str:
        return self.identity.manufacturer

    @property
    def sdk(self) -> int:
        """The API level (``ro.build.version.sdk``; Fire OS fingerprints carry another number); 0 on Vega OS."""
        return sdk_level(self.props)

    @property
    def fire_os(self) -> str | None:
        """The Fire OS version ("7.6.5.2"), None on a device that is not Fire OS."""
        return fire_os_version(self.props)

    @property
    def features(self) -> set[str]:
        """Android system features (``pm list features``; Fire OS only, empty elsewhere)."""
        driver = self._fire_os_driver()
        return driver.features if driver is not None else set()

    @property
    def is_fire_tv(self) -> bool:
        """Amazon's check: the ``amazon.hardware.fire_tv`` system feature; an Amazon-made television
        (leanback) device counts too. Never a model list: Fire TV Edition TVs use vendor codes. A Vega
        OS device is a Fire TV by platform."""
        if self.platform is Platform.VEGA:
            return True
        return is_fire_tv(self.features, self.manufacturer)

    # -- files and screen -----------------------------------------------------------------------
    def push(self, local: str | Path, remote: str) -> None:
        self._with_reconnect(lambda: self._sync().push(str(local), remote))

    def pull(self, remote: str, local: str | Path) -> Path:
        path = Path(local)
        self._with_reconnect(lambda: self._sync().pull(remote, str(path)))
        return path

    def _sync(self):
        # Make sure the server answers first: adbutils would otherwise start one on port 5037.
        self.server.host_query("host:version")
        return self.client.device(self.serial).sync

    def screenshot(self) -> bytes:
        """The screen as PNG bytes (from the driver)."""
        return self.driver.screenshot()

    def save_screenshot(self, path: str | Path) -> Path:
        target = Path(path)
        target.write_bytes(self.screenshot())
        return target

    # -- disruptive operations ------------------------------------------------------------------
    @contextmanager
    def expect_disconnect(self) -> Iterator[None]:
        """Around something that drops the transport on purpose (reboot, network change): reconnect after."""
        yield
        self.reconnect()
