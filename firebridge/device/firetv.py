"""``FireTV``: one attached Fire TV (hardware, emulator or the virtual device — all the same to it).

Shell commands go over firebridge's own adb-server client (:mod:`adbwire`, shell protocol v2:
separate stdout/stderr, exit codes); device lists, ``adb connect`` and file sync use adbutils.
Properties are read once per boot. A network device whose transport drops is reconnected, waited
for, and probed with a real command before the interrupted command is retried once — a transport
that is "online" again is not necessarily usable yet.
"""

from __future__ import annotations

import re
import shlex
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

import adbutils

from firebridge.adb.connect import connect_and_probe, is_network_serial  # noqa: F401 (is_network_serial: re-export)
from firebridge.adb.wire import AdbServerClient, AdbServerUnreachable, decode_shell_v2
from firebridge.errors import AdbTimeout, CommandFailed, DeviceUnauthorized, DeviceUnavailable
from firebridge.adb.shell import ShellResult

FIRE_TV_FEATURE = "amazon.hardware.fire_tv"
_GETPROP_LINE = re.compile(r"^\[(?P<key>[^\]]+)\]: \[(?P<value>.*?)\]$", re.M | re.S)
_FIRE_OS_NAME = re.compile(r"Fire OS (\d+(?:\.\d+)*)")
_V1_EXIT_MARKER = "FBEXIT:"
# Fire OS generation by API level, for builds that do not say (shared/reference/fire-tv-platform.md).
_FIRE_OS_BY_SDK = {22: "5", 25: "6", 28: "7", 29: "8", 30: "8", 31: "14", 32: "14", 33: "14", 34: "14"}


def parse_getprop(text: str) -> dict[str, str]:
    """``[key]: [value]`` lines (values may span lines) into a dict."""
    return {m.group("key"): m.group("value") for m in _GETPROP_LINE.finditer(text)}


def parse_features(text: str) -> set[str]:
    """``pm list features`` output into feature names (``reqGlEsVersion=...`` included as-is)."""
    return {line[len("feature:"):].strip() for line in text.splitlines() if line.startswith("feature:")}


def fire_os_matches(version: str | None, wanted: str | int) -> bool:
    """Whether Fire OS ``version`` ("7.6.6.8") is the release ``wanted`` names ("7", "7.6" or "7.6.6.8")."""
    return version is not None and (version == str(wanted) or version.startswith(f"{wanted}."))


def fire_os_version(props: dict[str, str]) -> str | None:
    """"6.7.1.1" from ``ro.build.version.name`` ("Fire OS 6.7.1.1 (NS6711/5908)"), else
    ``ro.build.mktg.fireos``, else the generation implied by the API level; None if not Fire OS."""
    for key in ("ro.build.version.name", "ro.build.mktg.fireos"):
        match = _FIRE_OS_NAME.search(props.get(key, ""))
        if match:
            return match.group(1)
    if props.get("ro.product.manufacturer") == "Amazon":
        try:
            return _FIRE_OS_BY_SDK.get(int(props.get("ro.build.version.sdk", "")))
        except ValueError:
            return None
    return None


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
        self._props: dict[str, str] | None = None
        self._boot_id: str | None = None
        self._features: set[str] | None = None
        self._shell_v2: bool | None = None
        self.reconnects = 0

    def __repr__(self) -> str:
        return f"FireTV({self.serial!r}, adb_server={self.adb_server!r})"

    # -- shell ----------------------------------------------------------------------------------
    def shell(self, command: str | Sequence[str], timeout: float | None = None) -> ShellResult:
        """Run a shell command; never raises on a non-zero exit (see ShellResult.check)."""
        script = shell_join(command)
        return self._with_reconnect(lambda: self._shell_once(script, timeout or self.timeout))

    def run(self, command: str | Sequence[str], timeout: float | None = None, hint: str = "") -> str:
        """Run a command that must succeed; return its stdout or raise CommandFailed."""
        return self.shell(command, timeout).check(hint).stdout

    def _shell_once(self, script: str, timeout: float) -> ShellResult:
        if self._shell_v2 is None:
            self._shell_v2 = "shell_v2" in self.server.features(self.serial)
        if self._shell_v2:
            raw = self.server.run_service(self.serial, f"shell,v2,raw:{script}", timeout)
            out = decode_shell_v2(raw)
            return ShellResult(script, out.stdout.decode(errors="replace"), out.stderr.decode(errors="replace"),
                               out.exit_code)
        # Old adbd without shell v2: no exit status and stderr is merged, so ask the shell for $?.
        raw = self.server.run_service(self.serial, f"shell:{script}; echo {_V1_EXIT_MARKER}$?", timeout)
        text = raw.decode(errors="replace")
        body, _, status = text.rpartition(_V1_EXIT_MARKER)
        return ShellResult(script, body, "", int(status.strip() or -1))

    def exec_out(self, command: str | Sequence[str], timeout: float | None = None) -> bytes:
        """Binary-safe output of a command (``adb exec-out``)."""
        script = shell_join(command)
        return self._with_reconnect(lambda: self.server.exec_out(self.serial, script, timeout or self.timeout))

    # -- transport health -----------------------------------------------------------------------
    def state(self) -> str | None:
        """adb's state for this device (device, unauthorized, offline...) or None if not listed."""
        return self.server.state(self.serial)

    def _with_reconnect(self, call):
        try:
            return call()
        except (DeviceUnavailable, ConnectionError, AdbTimeout) as first:
            if (not is_network_serial(self.serial) or isinstance(first, (DeviceUnauthorized, AdbServerUnreachable))):
                raise
            self.reconnect()
            return call()

    def reconnect(self) -> None:
        """``adb connect`` again until the device answers a shell command (firebridge.adb.connect), then
        forget cached properties if it rebooted meanwhile. Raises the typed error of the state it stayed in."""
        connect_and_probe(self.server, self.serial, self.reconnect_timeout, patient=True)
        self.reconnects += 1
        self._check_boot()

    # -- properties -----------------------------------------------------------------------------
    def _check_boot(self) -> None:
        """Forget cached properties if the device rebooted (ro.runtime.firstboot changes each boot)."""
        boot = self._shell_once("getprop ro.runtime.firstboot", 10).stdout.strip()
        if boot != self._boot_id:
            self._props = None
            self._features = None
            self._boot_id = boot

    @property
    def props(self) -> dict[str, str]:
        """Every system property, read once per boot."""
        if self._props is None:
            self._props = parse_getprop(self.run("getprop"))
            self._boot_id = self._props.get("ro.runtime.firstboot", "")
        return self._props

    def prop(self, name: str, default: str = "") -> str:
        return self.props.get(name, default)

    @property
    def model(self) -> str:
        return self.prop("ro.product.model")

    @property
    def manufacturer(self) -> str:
        return self.prop("ro.product.manufacturer")

    @property
    def sdk(self) -> int:
        """The API level (``ro.build.version.sdk``; Fire OS fingerprints carry another number)."""
        return int(self.prop("ro.build.version.sdk", "0") or 0)

    @property
    def fire_os(self) -> str | None:
        """The Fire OS version ("7.6.5.2"), None on a device that is not Fire OS."""
        return fire_os_version(self.props)

    @property
    def features(self) -> set[str]:
        if self._features is None:
            self._features = parse_features(self.run("pm list features"))
        return self._features

    @property
    def is_fire_tv(self) -> bool:
        """Amazon's check: the ``amazon.hardware.fire_tv`` system feature; an Amazon-made television
        (leanback) device counts too. Never a model list: Fire TV Edition TVs use vendor codes."""
        if FIRE_TV_FEATURE in self.features:
            return True
        return self.manufacturer == "Amazon" and "android.software.leanback" in self.features

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
        """The screen as PNG bytes (``screencap -p`` over exec, binary-safe)."""
        data = self.exec_out("screencap -p", timeout=30)
        if not data.startswith(b"\x89PNG"):
            raise CommandFailed("screencap -p", 0, data[:200].decode(errors="replace"),
                                hint="the device did not return a PNG")
        return data

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
