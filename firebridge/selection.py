"""Which device a run uses: ``SERIAL | HOST:PORT | emulator[:AVD] | virtual | auto``.

``auto`` (the default) takes the first attached, authorized Fire TV; else a running emulator; else
boots the configured AVD when an SDK emulator exists; else starts the virtual Fire TV. Every
candidate passed over is recorded with the reason, for the pytest header.

firebridge never starts an adb server on the default port: when none answers at the configured
address it starts a private one (the adbutils wheel's adb, a free port, its own HOME), which still sees
USB devices and running emulators, signs in with the user's adb keys (``~/.android/adbkey``,
``$ADB_VENDOR_KEYS``) as the user's own server would, and stops it at the end.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from firebridge.adb.connect import connect_and_probe, is_network_serial
from firebridge.adb.emulator import EmulatorInstance, boot, find_emulator, list_avds
from firebridge.adb.env import DEFAULT_ADB_PORT, choose_serial, choose_server  # noqa: F401 (DEFAULT_ADB_PORT: re-export)
from firebridge.adb.server import AdbServer, bundled_adb
from firebridge.adb.wire import AdbServerClient, AdbServerUnreachable, DeviceEntry
from firebridge.device.firetv import FireTV
from firebridge.errors import ConfigError, DeviceNotFound, DeviceUnavailable


@dataclass
class Selection:
    """The chosen device, why, and what was passed over; ``close()`` stops what selection started."""

    firetv: FireTV
    kind: str  # "device", "network", "emulator", "vvd" (Vega Virtual Device), "virtual"
    reason: str
    passed_over: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what selection did on the way (a private adb server...)
    _cleanups: list[Callable[[], None]] = field(default_factory=list, repr=False)

    @property
    def serial(self) -> str:
        return self.firetv.serial

    def summary(self) -> list[str]:
        """Lines for the pytest header."""
        lines = [f"firebridge device: {self.serial} ({self.kind}) — {self.reason}"]
        lines += [f"  platform: {line}" for line in self.identity_lines()]
        lines += [f"  note: {note}" for note in self.notes]
        lines += [f"  not chosen: {note}" for note in self.passed_over]
        return lines

    def identity_lines(self) -> list[str]:
        """The device's platform and identity (Fire OS: build props; Vega: os-release OS_VERSION,
        BUILD_DESC...), for the header and reports; a device that cannot say is reported as such."""
        try:
            identity = self.firetv.identity
        except Exception as exc:  # the header must not fail the run; the first test will say why
            return [f"unknown ({exc})"]
        details = ", ".join(f"{k} {v}" for k, v in identity.details.items() if v)
        return [f"{identity.platform.value} — {identity.describe()}" + (f" — {details}" if details else "")]

    def close(self) -> None:
        while self._cleanups:
            cleanup = self._cleanups.pop()
            try:
                cleanup()
            except Exception:  # best effort: one failing cleanup must not hide the others
                pass


def default_adb_server(env: dict[str, str] | None = None) -> str:
    """The adb server adb itself would use ($ADB_SERVER_SOCKET, $ANDROID_ADB_SERVER_ADDRESS/PORT, 5037)."""
    return choose_server(None, env).address


def _server_up(address: str) -> bool:
    host, _, port = address.rpartition(":")
    try:
        AdbServerClient(host, int(port)).host_query("host:version", timeout=2)
        return True
    except (AdbServerUnreachable, OSError):
        return False


def _virtual_name(options: dict) -> str:
    if options.get("os") == "vega":
        return "Vega Virtual Device" if options.get("vvd") else "Vega OS Fire TV"
    return "Fire TV (Fire OS)"


class DeviceSelector:
    """Resolves a ``--device`` spec against an adb server (see the module docstring)."""

    def __init__(self, adb_server: str | None = None, env: dict[str, str] | None = None,
                 avd: str | None = None, virtual_options: dict | None = None, workdir: Path | None = None,
                 boot_timeout: float = 300.0, connect_timeout: float = 15.0, platform: str | None = None) -> None:
        self.env = dict(os.environ if env is None else env)
        choice = choose_server(adb_server, self.env)
        self.explicit_server = choice.explicit
        self.adb_server = choice.address
        self.server_source = choice.source
        self.avd = avd or self.env.get("FIREBRIDGE_AVD")
        self.virtual_options = virtual_options or {}
        self.workdir = workdir or Path(tempfile.mkdtemp(prefix="firebridge-select-"))
        self.boot_timeout = boot_timeout
        self.connect_timeout = connect_timeout  # how long a person has to press "Allow" on the TV
        self._cleanups: list[Callable[[], None]] = []
        self._private: AdbServer | None = None
        self.notes: list[str] = []
        self._named_by = "--device"
        if platform not in (None, "", "any", "fireos", "vega"):
            raise ConfigError(f"--platform {platform!r}: choose fireos or vega (or leave it out for either)")
        self.platform = platform if platform in ("fireos", "vega") else None  # --platform: only this OS

    def _platform_of(self, firetv: FireTV) -> str:
        return firetv.driver.platform.value

    def _wanted(self, firetv: FireTV) -> str:
        """"" when ``firetv`` runs the platform asked for (any without --platform), else why not."""
        if self.platform is None:
            return ""
        found = self._platform_of(firetv)
        return "" if found == self.platform else f"runs {found}, not the --platform {self.platform} asked for"

    def _stop_started(self) -> None:
        """Selection failed: stop whatever it had started (newest first)."""
        while self._cleanups:
            try:
                self._cleanups.pop()()
            except Exception:
                pass

    # -- the adb server -------------------------------------------------------------------------
    def _server(self) -> AdbServerClient:
        if not _server_up(self.adb_server):
            if self.explicit_server:
                raise AdbServerUnreachable(f"no adb server answers at {self.adb_server} ({self.server_source}); "
                                           f"start it there (`adb -a -P PORT nodaemon server` on the bench host)")
            # Its own HOME (nothing written to the user's ~/.android), the user's keys (a Fire TV that
            # allowed this computer is authorized through it too; see firebridge.adb.keys).
            self._private = AdbServer(adb=bundled_adb(), home=self.workdir / "adb-home", user_env=self.env).start()
            self._cleanups.append(self._private.stop)
            self.notes.append(f"no adb server at {self.adb_server}; started a private one at "
                              f"{self._private.address} (pid {self._private.pid}) signing in with "
                              f"{self._private.describe_keys()}")
            self.adb_server = self._private.address
        host, _, port = self.adb_server.rpartition(":")
        return AdbServerClient(host, int(port))

    def _firetv(self, serial: str) -> FireTV:
        return FireTV(serial, adb_server=self.adb_server)

    def _finish(self, firetv: FireTV, kind: str, reason: str, passed_over: list[str]) -> Selection:
        return Selection(firetv, kind, reason, passed_over, self.notes, self._cleanups)

    # -- entry point ----------------------------------------------------------------------------
    def select(self, spec: str | None = None) -> Selection:
        from firebridge.adb.env import serial_from_env
        from_env = None if spec else serial_from_env(self.env)
        self._named_by = "--device" if spec else (f"${from_env[1]}" if from_env else "--device")
        spec = choose_serial(spec, self.env) or "auto"
        try:
            if spec == "auto":
                return self._auto()
            if spec == "virtual":
                return self._virtual("--device virtual", [])
            if spec == "emulator" or spec.startswith("emulator:"):
                return self._emulator(spec.partition(":")[2] or self.avd, required=True, passed_over=[])
            if is_network_serial(spec):
                return self._network(spec)
            return self._serial(spec)
        except BaseException:
            self._stop_started()
            raise

    def _serial(self, serial: str) -> Selection:
        server = self._server()
        try:
            connect_and_probe(server, serial, self.connect_timeout)
        except DeviceNotFound as exc:
            attached = ", ".join(f"{e.serial} ({e.state})" for e in server.devices()) or "none"
            raise DeviceNotFound(serial, hint=f"--device {serial}: no such device on the adb server at "
                                              f"{self.adb_server} (attached: {attached}); check the cable and "
                                              f"`adb devices`") from exc
        firetv = self._firetv(serial)
        kind = ("vvd" if self._platform_of(firetv) == "vega" else "emulator") if serial.startswith("emulator-") \
            else "device"
        return self._finish(firetv, kind, f"named with {self._named_by}", [])

    def _network(self, address: str) -> Selection:
        """``adb connect`` and probe; an address that refuses fails at once (ConnectFailed)."""
        connect_and_probe(self._server(), address, self.connect_timeout)
        return self._finish(self._firetv(address), "network", f"named with {self._named_by} (adb connect)", [])

    def _auto(self) -> Selection:
        server = self._server()
        passed_over: list[str] = []
        emulators: list[DeviceEntry] = []
        fire_tvs: list[FireTV] = []
        for entry in server.devices():
            if entry.serial.startswith("emulator-"):
                if entry.state == "device":
                    why_not = self._wanted_entry(entry.serial)
                    if why_not:
                        passed_over.append(f"{entry.serial}: {why_not}")
                    else:
                        emulators.append(entry)
                else:
                    passed_over.append(f"{entry.serial}: emulator is {entry.state}")
                continue
            if entry.state == "unauthorized":
                passed_over.append(f"{entry.serial}: unauthorized — accept \"Allow USB debugging?\" on the TV")
                continue
            if entry.state != "device":
                passed_over.append(f"{entry.serial}: {entry.state}")
                continue
            candidate = self._firetv(entry.serial)
            try:
                is_fire_tv = candidate.is_fire_tv
            except Exception as exc:  # a device that cannot answer is passed over, with the reason
                passed_over.append(f"{entry.serial}: did not answer ({exc})")
                continue
            why_not = self._wanted(candidate) if is_fire_tv else ""
            if why_not:
                passed_over.append(f"{entry.serial}: {why_not}")
            elif is_fire_tv:
                fire_tvs.append(candidate)
            else:
                passed_over.append(f"{entry.serial}: not a Fire TV (no feature amazon.hardware.fire_tv, "
                                   f"manufacturer {candidate.manufacturer or '?'})")
        if fire_tvs:
            chosen = fire_tvs[0]
            passed_over += [f"{other.serial}: another Fire TV; the first one is used (name one with --device)"
                            for other in fire_tvs[1:]]
            passed_over += [f"{entry.serial}: emulator; a Fire TV is attached" for entry in emulators]
            kind = "network" if is_network_serial(chosen.serial) else "device"
            platform = self._platform_of(chosen)
            model = chosen.identity.model if platform == "vega" else chosen.model
            return self._finish(chosen, kind, f"first attached, authorized Fire TV ({model}) on {platform}",
                                passed_over)
        passed_over.append(f"no authorized Fire TV attached to the adb server at {self.adb_server}")
        if emulators:
            chosen = self._firetv(emulators[0].serial)
            if self._platform_of(chosen) == "vega":
                return self._finish(chosen, "vvd", "a running Vega Virtual Device (no Fire TV attached)", passed_over)
            return self._finish(chosen, "emulator", "a running emulator (no Fire TV attached)", passed_over)
        passed_over.append("no running emulator or Vega Virtual Device")
        if self.platform in (None, "vega"):
            started = self._start_vvd(passed_over)
            if started is not None:
                return started
        if self.platform == "vega":
            return self._virtual("nothing else available (auto, --platform vega)", passed_over)
        booted = self._emulator(self.avd, required=False, passed_over=passed_over)
        if booted is not None:
            return booted
        return self._virtual("nothing else available (auto)", passed_over)

    def _emulator(self, avd: str | None, required: bool, passed_over: list[str]) -> Selection | None:
        server = self._server()
        running = [e for e in server.devices() if e.serial.startswith("emulator-") and e.state == "device"]
        for entry in running:
            if self._platform_of(self._firetv(entry.serial)) == "vega":
                continue  # a Vega Virtual Device registers as emulator-5554 too; it has no AVD name
            name = self._firetv(entry.serial).shell(
                "getprop ro.boot.qemu.avd_name; getprop ro.kernel.qemu.avd_name").stdout.split()
            if avd is None or avd in name:
                return self._finish(self._firetv(entry.serial), "emulator", f"running emulator {avd or ''}".strip(),
                                    passed_over)
        emulator = find_emulator(self.env)
        if emulator is None:
            if required:
                raise DeviceUnavailable(f"--device emulator{':' + avd if avd else ''}: no Android SDK emulator found "
                                        f"(set ANDROID_SDK_ROOT or ANDROID_HOME, or put `emulator` on PATH)")
            passed_over.append("no Android SDK emulator (ANDROID_SDK_ROOT, ANDROID_HOME, PATH)")
            return None
        if avd is None:
            avds = list_avds(emulator, self.env)
            if required and len(avds) == 1:
                avd = avds[0]
            else:
                message = (f"emulator at {emulator} but no AVD configured (available: {', '.join(avds) or 'none'}); "
                           f"pick one with --device emulator:NAME or FIREBRIDGE_AVD")
                if required:
                    raise ConfigError(message)
                passed_over.append(message)
                return None
        instance: EmulatorInstance = boot(emulator, avd, server, timeout=self.boot_timeout,
                                          log_dir=self.workdir, env=self.env)
        self._cleanups.append(instance.stop)
        return self._finish(self._firetv(instance.serial), "emulator",
                            f"booted AVD {avd} headless (pid {instance.process.pid})", passed_over)

    def _wanted_entry(self, serial: str) -> str:
        try:
            return self._wanted(self._firetv(serial))
        except Exception as exc:  # a device that cannot answer the probe is passed over, with the reason
            return f"did not answer the platform probe ({exc})"

    def _start_vvd(self, passed_over: list[str]) -> Selection | None:
        """``vega virtual-device start --no-gui`` when the Vega SDK's CLI is on PATH; then the VVD that
        registers on adb (emulator-5554). None, with the reason in ``passed_over``, otherwise."""
        import shutil
        import subprocess

        from firebridge.adb.env import client_env
        from firebridge.waiting import WaitTimeout, wait_until

        vega = shutil.which("vega", path=self.env.get("PATH"))
        if vega is None:
            passed_over.append("no Vega SDK CLI (`vega`) on PATH to start a Vega Virtual Device")
            return None
        # ASSUMPTION: `vega virtual-device start --no-gui` returns once the VVD is booted, and the VVD then
        # shows up on the adb server as emulator-5554 (Amazon's VVD page; settle by: running it on a host
        # with the SDK installed).
        result = subprocess.run([vega, "virtual-device", "start", "--no-gui"], env=client_env(self.adb_server, self.env),
                                capture_output=True, text=True, timeout=self.boot_timeout)
        if result.returncode != 0:
            passed_over.append(f"`vega virtual-device start --no-gui` failed (exit {result.returncode}): "
                               f"{(result.stderr or result.stdout).strip()[-200:]}")
            return None
        server = self._server()

        def registered():
            return next((e for e in server.devices() if e.serial.startswith("emulator-") and e.state == "device"), None)

        try:
            entry = wait_until(registered, 120, "the Vega Virtual Device on the adb server")
        except WaitTimeout as exc:
            passed_over.append(str(exc))
            return None
        self._cleanups.append(lambda: subprocess.run([vega, "virtual-device", "stop"], capture_output=True,
                                                     timeout=120))
        return self._finish(self._firetv(entry.serial), "vvd", "started a Vega Virtual Device "
                            "(`vega virtual-device start --no-gui`)", passed_over)

    def _virtual(self, reason: str, passed_over: list[str]) -> Selection:
        from firebridge.adb.virtual_process import VirtualFireTVProcess

        self._server()
        options = dict(self.virtual_options)
        keys = self.workdir / "virtual-adb_keys"
        public_key = self._server_public_key()
        if public_key is not None and "auth" not in options:
            keys.write_text(public_key)  # as if this host had been allowed before ("Always allow")
            options["auth"] = "required"
        options.setdefault("auth", "accept")
        if self.platform == "vega" and options.get("os", "fireos") == "fireos":
            options["os"] = "vega"  # --platform vega: the virtual device is a Vega one
        try:
            process = VirtualFireTVProcess(adb_keys=keys, **options).start()
        except ValueError as exc:  # an option of the virtual device was refused (e.g. a misspelt fault)
            raise ConfigError(f"the virtual Fire TV refused its options: {exc}") from None
        self._cleanups.append(process.stop)
        host, _, port = self.adb_server.rpartition(":")
        connect_and_probe(AdbServerClient(host, int(port)), process.address, self.connect_timeout)
        self._cleanups.append(lambda: AdbServerClient(host, int(port)).disconnect(process.address))
        return self._finish(self._firetv(process.address), "virtual",
                            f"virtual {_virtual_name(options)} {process.address} (pid {process.pid}) — {reason}",
                            passed_over)

    def _server_public_key(self) -> str | None:
        """The key of a server this selector started (so the device can trust it up front). For any
        other server the key is unknown here (it may even be on another host): the virtual device then
        accepts it on first contact, as a person pressing "Allow" would."""
        return self._private.public_key() if self._private is not None else None
