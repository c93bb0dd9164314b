"""Bench health checks: is a Fire TV fit to take work? (state, authorization, shell, storage, screen).

Run before a device takes tests (``pytest --bench``, ``firebridge bench check``). Each check says what
it saw and, when it fails, how to fix it. What the device is asked goes through its driver: free
storage (``free_storage()``; the ``df`` parser is ``firebridge.platforms.df``) and the screen state
(``screen_awake()``; Fire OS: ``firebridge.platforms.fireos.power``); :func:`check_device` does the I/O.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Sequence

from firebridge.adb.connect import PROBE_COMMAND, connect_and_probe
from firebridge.lab.bench import BenchDevice
from firebridge.lab.identity import describe_identity, platform_name, platform_value  # noqa: F401 (re-exported)
from firebridge.device.firetv import FireTV, fire_os_matches
from firebridge.driver.protocol import Platform
from firebridge.driver.storage import DiskSpace  # noqa: F401 (re-exported)
from firebridge.errors import (AdbServerUnreachable, DeviceOffline, DeviceUnauthorized, DeviceUnavailable,
                               FirebridgeError)
from firebridge.platforms.df import parse_df  # noqa: F401 (re-exported)
from firebridge.waiting import WaitTimeout, wait_until

@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str

    def render(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'} {self.name}: {self.detail}"


@dataclass
class Health:
    """The checks of one device, and what it is (once its shell answered)."""

    device: BenchDevice
    checks: list[Check] = field(default_factory=list)
    identity: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(check.ok for check in self.checks)

    @property
    def problem(self) -> str:
        """The first failing check, in one line ("" when healthy)."""
        failed = [c for c in self.checks if not c.ok]
        return f"{failed[0].name}: {failed[0].detail}" if failed else ""

    def summary(self) -> str:
        what = describe_identity(self.identity) if self.identity else "unknown"
        return f"{self.device.name}: {what} — " + ("healthy" if self.ok else f"UNHEALTHY ({self.problem})")

    def add(self, name: str, ok: bool, detail: str) -> bool:
        self.checks.append(Check(name, ok, detail))
        return ok


def identity_of(firetv: FireTV, device: BenchDevice) -> dict[str, Any]:
    """What reports say about a device: its platform (``fireos``/``vega``), model, OS version and build
    (the driver's :class:`~firebridge.driver.protocol.Identity`), serial, adb server; on Fire OS also the
    Fire OS version and API level (``fire_os`` is None and ``sdk`` 0 on Vega OS)."""
    identity = firetv.identity
    build = firetv.prop("ro.build.version.name") if identity.platform is Platform.FIRE_OS else identity.build
    return {"name": device.name, "serial": firetv.serial, "adb_server": device.adb_server,
            "platform": identity.platform.value, "model": identity.model, "os_version": identity.os_version,
            "fire_os": firetv.fire_os, "sdk": firetv.sdk, "build": build, "serialno": firetv.prop("ro.serialno")}


def tag_mismatch(tags: dict[str, str], identity: dict[str, Any]) -> str | None:
    """How the bench file's tags disagree with the device, or None. ``os`` is a version prefix of the
    device's own OS (Fire OS "7", Vega OS "1.2")."""
    name = platform_name(identity)
    platform = tags.get("platform")
    if platform and platform != platform_value(identity):
        return f"the bench file says platform {platform}, the device runs {name}"
    model = tags.get("model")
    if model and model != identity.get("model"):
        return f"the bench file says model {model}, the device reports {identity.get('model')}"
    os_tag = tags.get("os")
    fire_os = name == str(Platform.FIRE_OS)
    version = (identity.get("fire_os") if fire_os else identity.get("os_version")) or ""
    if os_tag and not fire_os_matches(version, os_tag):
        return f"the bench file says {name} {os_tag}, the device runs {version or 'no ' + name}"
    return None


def check_device(device: BenchDevice, firetv: FireTV, min_free_mb: int, connect_timeout: float = 10.0,
                 wake: bool = True) -> Health:
    """Every check in order; stops at the first one that makes the rest meaningless."""
    health = Health(device)
    if not _transport(health, device, firetv, connect_timeout):
        return health
    try:
        health.identity = identity_of(firetv, device)
        _tags(health, device)
        _storage(health, firetv, min_free_mb)
        _awake(health, firetv, wake)
    except FirebridgeError as exc:
        health.add("shell", False, f"stopped answering during the checks ({exc})")
    return health


def check_devices(devices: Sequence[BenchDevice], min_free_mb: int,
                  reconnect_timeout: float) -> list[tuple[FireTV, Health]]:
    """Every device checked at once (one thread each); a check that crashed is a failed check, not a
    crashed run. Returns each device's FireTV (for what comes next) and its Health, in order."""
    def check(device: BenchDevice) -> tuple[FireTV, Health]:
        firetv = FireTV(device.serial, adb_server=device.adb_server, reconnect_timeout=reconnect_timeout)
        try:
            return firetv, check_device(device, firetv, min_free_mb)
        except Exception as exc:  # noqa: BLE001 - reported as the device's failed check
            return firetv, Health(device, [Check("health check", False, f"{type(exc).__name__}: {exc}")])

    with ThreadPoolExecutor(max_workers=max(1, len(devices))) as pool:
        return list(pool.map(check, devices))


def _transport(health: Health, device: BenchDevice, firetv: FireTV, connect_timeout: float) -> bool:
    """Attached, authorized and answering a shell command (firebridge.adb.connect's one recovery path)."""
    try:
        connect_and_probe(firetv.server, device.serial, connect_timeout)
    except AdbServerUnreachable as exc:
        health.add("adb server", False, f"{exc.reason}; start it on the bench host: `adb -a -P PORT nodaemon server`")
        return False
    except DeviceUnauthorized:
        health.add("authorized", False, "unauthorized: press Allow on the TV's \"Allow USB debugging?\" prompt (tick "
                                        "\"Always allow from this computer\")")
        return False
    except DeviceOffline as exc:
        if exc.state != "device":
            health.add("state", False, f"{exc} (on {device.adb_server})")
            return False
        health.add("state", True, "device")
        health.add("authorized", True, "this host's key is accepted")
        health.add("shell", False, f"no answer ({exc}); reboot the device or reconnect its cable/network")
        return False
    except DeviceUnavailable as exc:
        health.add("state", False, f"{exc} (on {device.adb_server})")
        return False
    except OSError as exc:
        health.add("adb server", False, f"{exc}; start it on the bench host: `adb -a -P PORT nodaemon server`")
        return False
    health.add("state", True, "device")
    health.add("authorized", True, "this host's key is accepted")
    health.add("shell", True, f"answers `{PROBE_COMMAND}`")
    return True


def _tags(health: Health, device: BenchDevice) -> None:
    mismatch = tag_mismatch(device.tags, health.identity)
    if mismatch:
        health.add("tags", False, f"{mismatch}; fix the bench file (the history compares devices by name)")
    elif device.tags:
        health.add("tags", True, ", ".join(f"{k}={v}" for k, v in device.tags.items()))


def _storage(health: Health, firetv: FireTV, min_free_mb: int) -> None:
    space, seen = firetv.driver.free_storage()
    if space is None:
        health.add("storage", False, f"could not read the free space ({seen})")
        return
    ok = space.available_mb >= min_free_mb
    health.add("storage", ok, f"{space.available_mb} MB free on {space.mount}" + (
        "" if ok else f", below the bench's {min_free_mb} MB; uninstall apps or clear data "
                      f"(Settings > Applications > Manage Installed Applications)"))


def _screen_state(firetv: FireTV) -> tuple[bool | None, str]:
    return firetv.driver.screen_awake()


def _awake(health: Health, firetv: FireTV, wake: bool) -> None:
    awake, seen = _screen_state(firetv)
    if awake is None:
        health.add("screen", True, f"state unknown ({seen}); assuming awake")
        return
    if awake:
        health.add("screen", True, f"awake ({seen})")
        return
    if wake:
        firetv.driver.wake()
        try:
            wait_until(lambda: _screen_state(firetv)[0], 5.0, "the screen to wake", interval=0.2)
            health.add("screen", True, f"was asleep ({seen}); woke it with the WAKEUP key")
            return
        except WaitTimeout:
            seen = _screen_state(firetv)[1]
    health.add("screen", False, f"asleep ({seen}); wake the TV (remote, or `firebridge press WAKEUP`) and turn off "
                                f"sleep in Settings > Display & Sounds > Screensaver")
