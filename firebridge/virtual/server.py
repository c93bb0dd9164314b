"""Running a virtual Fire TV: :class:`VirtualFireTV` (a context manager for tests and tools).

The device runs on its own event loop in a background thread and listens on a TCP port, like a Fire
TV with network debugging on; clients reach it only through an adb server (``adb connect``).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import shutil
import signal
import tempfile
import threading
from pathlib import Path
from typing import Any, Callable, TypeVar

from firebridge.virtual.fireos.apps.reference import PROPERTY as FIREOS_FAULT_PROPERTY
from firebridge.virtual.vega.reference import FAULTS_FILE as VEGA_FAULTS_FILE
from firebridge.virtual.adbd.protocol import AdbDaemon, AuthMode, ConnectionLimits
from firebridge.virtual.adbd.auth import AdbKeyStore
from firebridge.virtual.adbd.services import Services
from firebridge.virtual.devices import create_device
from firebridge.virtual.reference.faults import FAULTS, PROPERTY, parse_faults

T = TypeVar("T")


def check_fault_property(properties: dict[str, str]) -> None:
    """Refuse a misspelt fault switch at boot (it would otherwise run the app without the fault, silently)."""
    if PROPERTY not in properties:
        return
    _, unknown = parse_faults(properties[PROPERTY])
    if unknown:
        raise ValueError(f"unknown fault {unknown[0]!r} in {PROPERTY}={properties[PROPERTY]}; valid faults: "
                         f"{', '.join(FAULTS)} (firebridge virtual --list-faults says what each breaks)")


class VirtualFireTV:
    """A virtual Fire TV listening for adb on ``host:port`` (port 0 picks a free one).

    ``os="vega"`` runs a Vega OS device instead of Fire OS (``flavour="vvd"``: the Vega Virtual Device).

    >>> with VirtualFireTV(auth="none") as tv:
    ...     print(tv.address)        # doctest: +SKIP
    127.0.0.1:40123
    """

    def __init__(self, port: int = 0, host: str = "127.0.0.1", auth: str | AuthMode = AuthMode.REQUIRED,
                 model: str = "AFTMM", speed: float = 1.0, serial: str | None = None,
                 adb_keys: Path | None = None, accept_delay: float = 0.5,
                 workdir: Path | None = None, properties: dict[str, str] | None = None, faults: str | None = None,
                 limits: ConnectionLimits | None = None,
                 os: str = "fireos", flavour: str | None = None, timing: str = "fast") -> None:
        self.host = host
        self.limits = limits or ConnectionLimits()
        self.requested_port = port
        self.auth = AuthMode(auth)
        self.accept_delay = accept_delay
        self._own_workdir = workdir is None
        self.workdir = Path(tempfile.mkdtemp(prefix="firebridge-vtv-")) if workdir is None else workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.adb_keys = adb_keys or self.workdir / "adb_keys"
        self.os = os
        # Vega has no model table of its own: the Fire OS default model code means "the stick".
        self._boot_args = dict(model=model if os == "fireos" or model != "AFTMM" else None, serial=serial,
                               speed=speed, flavour=flavour, timing=timing)
        self._faults = faults
        if properties:
            check_fault_property(properties)  # a misspelt fault name is refused at boot, not ignored
        self._boot_properties = dict(properties or {})
        self.speed = speed
        self.boots = 0
        self.device = self._boot()
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._daemon: AdbDaemon | None = None

    def _boot(self):
        """A freshly booted device: files under ``workdir`` persist (as /data does), everything held in
        memory (running apps, settings, the signed-in account, the log) starts over."""
        # ASSUMPTION: the virtual device keeps its account and settings only in memory, so a reboot
        # resets them to the first-boot defaults; a real Fire TV keeps them in /data (settle by: signing
        # out of an app on a Fire TV, `adb reboot`, opening the app again).
        device = create_device(self.os, self.workdir, **self._boot_args)
        if self._boot_properties:
            if not hasattr(device, "properties"):
                raise ValueError("--prop sets Android system properties; a Vega device has none")
            device.properties.update(self._boot_properties)
        if self._faults:
            self._set_faults(device, self._faults)
        device.request_reboot = self._request_reboot  # `reboot` in its shell, adb's reboot: service
        self.boots += 1
        return device

    # Fire TV Sticks take 30-60 s from `adb reboot` to an adb connection (fire-tv-timing); device seconds.
    # ASSUMPTION: 40 device seconds (settle by: timing `adb reboot` to `adb devices` on a Fire TV Stick 4K).
    REBOOT_DEVICE_S = 40.0

    def _request_reboot(self) -> None:
        """Called on the device's loop by ``reboot`` / ``adb reboot``: go away, come back rebooted."""
        asyncio.get_running_loop().call_soon(lambda: asyncio.ensure_future(self._reboot()))

    async def _reboot(self) -> None:
        daemon = self._daemon
        assert daemon is not None
        await daemon.stop()  # listening socket closed, every connection dropped: adb sees it go
        self.device.close()
        await asyncio.sleep(self.REBOOT_DEVICE_S / max(self.speed, 0.001))
        self.device = self._boot()
        self._device_up()
        daemon.device = self.device
        daemon.services = Services(self.device)
        await daemon.start(self.host, self.port)

    def reboot(self) -> None:
        """Reboot the device (as ``adb reboot`` does); returns at once, the device comes back later."""
        self.call(self._request_reboot)

    def revoke_authorizations(self) -> None:
        """Developer Options' "Revoke USB debugging authorizations": forget every trusted host key and drop
        every connection; the hosts reconnect and stay unauthorized until allowed again."""
        assert self._daemon is not None
        self.call(self._daemon.revoke_keys)

    def _set_faults(self, device, faults: str) -> None:
        """Switch on the reference app's faults the way each OS's app reads them: Fire OS's from the
        ``debug.firebridge.fault`` system property, Vega's (no system properties) from its data file."""
        if self.os == "fireos":
            device.properties[FIREOS_FAULT_PROPERTY] = faults
            return
        path = device.fs.host_path(VEGA_FAULTS_FILE)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(faults + "\n")

    @property
    def address(self) -> str:
        """``host:port`` as given to ``adb connect``; also the serial the adb server will use."""
        return f"{self.host}:{self.port}"

    @property
    def serial(self) -> str:
        """The device's own serial number (``ro.serialno``), not the adb transport name."""
        return self.device.serial

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> "VirtualFireTV":
        """Start listening; returns once the port is bound."""
        if self._thread is not None:
            return self
        loop = asyncio.new_event_loop()
        self._loop = loop
        ready: concurrent.futures.Future[int] = concurrent.futures.Future()
        self._thread = threading.Thread(target=self._run, args=(loop, ready), name="virtual-firetv",
                                        daemon=True)
        self._thread.start()
        self.port = ready.result(timeout=10)
        return self

    def _run(self, loop: asyncio.AbstractEventLoop, ready: concurrent.futures.Future) -> None:
        asyncio.set_event_loop(loop)
        try:
            port = loop.run_until_complete(self._start_daemon())
        except BaseException as exc:
            ready.set_exception(exc)
            loop.close()
            return
        ready.set_result(port)
        loop.run_forever()
        loop.run_until_complete(self._daemon.stop())
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in pending:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.close()

    def _device_up(self) -> None:
        """The device's system is running (first start or after a reboot), on the running loop: its log is
        bound to the loop, and on Fire OS the hardware-timing behaviour (screensaver timer, log chatter)
        starts afresh, as on a booting device."""
        self.device.log.bind_loop(asyncio.get_running_loop())
        if hasattr(self.device, "hardware"):
            self.device.hardware.start()

    async def _start_daemon(self) -> int:
        self._device_up()
        self._daemon = AdbDaemon(self.device, Services(self.device), AdbKeyStore(self.adb_keys),
                                 self.auth, self.accept_delay, self.limits)
        return await self._daemon.start(self.host, self.requested_port)

    def stop(self) -> None:
        """Stop listening, drop every connection and remove the device's files."""
        if self._thread is not None and self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
            self._thread = None
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> "VirtualFireTV":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # -- things a person at the TV (or a test harness) does -------------------------------------
    def call(self, function: Callable[..., T], *args: Any) -> T:
        """Run ``function(*args)`` on the device's thread and return its result."""
        if self._loop is None or self._thread is None:
            return function(*args)

        async def invoke() -> T:
            return function(*args)

        return asyncio.run_coroutine_threadsafe(invoke(), self._loop).result(timeout=10)

    def trust_key(self, public_key_line: str) -> None:
        """Add a host key to adb_keys, as "Always allow from this computer" does."""
        AdbKeyStore(self.adb_keys).add(public_key_line)

    def allow_pending(self) -> int:
        """Press "Allow" on the USB-debugging prompt; returns how many hosts were waiting."""
        assert self._daemon is not None
        return self.call(self._daemon.allow_pending)

    def pending_keys(self) -> list[str]:
        """Host keys waiting on the prompt."""
        assert self._daemon is not None
        return self.call(lambda: list(self._daemon.pending_keys))

    def open_streams(self) -> list[str]:
        """Services running right now, one entry per open stream (diagnostics and tests)."""
        assert self._daemon is not None
        return self.call(self._daemon.open_services)

    def drop_connections(self) -> None:
        """Cut every adb connection, as a Wi-Fi drop does; adb servers reconnect by themselves."""
        assert self._daemon is not None
        self.call(self._daemon.drop_connections)


async def serve_forever(tv: VirtualFireTV, stop: asyncio.Event) -> None:
    """Run the device on the current loop until ``stop`` is set (the foreground CLI)."""
    port = await tv._start_daemon()
    tv.port = port
    loop = asyncio.get_running_loop()
    # The harness's switches for a device in its own process (firebridge/virtual/process.py):
    # SIGUSR1 revokes the adb authorizations, SIGUSR2 reboots it.
    loop.add_signal_handler(signal.SIGUSR1, tv._daemon.revoke_keys)
    loop.add_signal_handler(signal.SIGUSR2, tv._request_reboot)
    try:
        await stop.wait()
    finally:
        if hasattr(tv.device, "hardware"):
            tv.device.hardware.stop()
        assert tv._daemon is not None
        await tv._daemon.stop()
