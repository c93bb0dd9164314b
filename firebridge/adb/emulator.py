"""The Android SDK emulator: find it, list AVDs, boot one headless, wait for boot, shut down what we started.

There is no Fire TV emulator image; an Android TV AVD is useful only for generic ADB, key, uiautomator
and logcat plumbing (docs/fire-os.md section 6).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from firebridge.adb.env import client_env
from firebridge.adb.wire import AdbServerClient
from firebridge.errors import ConfigError, DeviceUnavailable
from firebridge.processes import stop_process
from firebridge.waiting import WaitTimeout, wait_until

FIRST_CONSOLE_PORT, LAST_CONSOLE_PORT = 5554, 5584  # consoles are even; adb is console + 1


def find_emulator(env: dict[str, str] | None = None) -> Path | None:
    """The SDK's ``emulator``: $ANDROID_SDK_ROOT/emulator, $ANDROID_HOME/emulator, then PATH."""
    env = os.environ if env is None else env
    for variable in ("ANDROID_SDK_ROOT", "ANDROID_HOME"):
        root = env.get(variable)
        if root:
            candidate = Path(root) / "emulator" / "emulator"
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return candidate
    found = shutil.which("emulator", path=env.get("PATH"))
    return Path(found) if found else None


def list_avds(emulator: Path, env: dict[str, str] | None = None) -> list[str]:
    """``emulator -list-avds`` (informational lines the emulator prints are skipped)."""
    result = subprocess.run([str(emulator), "-list-avds"], capture_output=True, text=True, timeout=30, env=env)
    return [line.strip() for line in result.stdout.splitlines()
            if line.strip() and not line.startswith(("INFO", "WARNING", "ERROR", "|"))]


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_console_port() -> int:
    """The first even console port whose adb port (console + 1) is free too."""
    for port in range(FIRST_CONSOLE_PORT, LAST_CONSOLE_PORT + 1, 2):
        if _port_free(port) and _port_free(port + 1):
            return port
    raise DeviceUnavailable("every emulator port pair 5554-5585 is taken; stop an emulator first")


@dataclass
class EmulatorInstance:
    """An emulator this process booted (and so may shut down)."""

    avd: str
    console_port: int
    process: subprocess.Popen
    log_path: Path
    server: AdbServerClient = field(repr=False)

    @property
    def serial(self) -> str:
        return f"emulator-{self.console_port}"

    def stop(self, timeout: float = 30.0) -> None:
        """Shut the emulator down by its pid (only ever one we started)."""
        stop_process(self.process, timeout)


def boot(emulator: Path, avd: str, server: AdbServerClient, timeout: float = 300.0,
         extra_args: tuple[str, ...] = (), log_dir: Path | None = None,
         env: dict[str, str] | None = None) -> EmulatorInstance:
    """Boot ``avd`` headless on a free console port and wait for ``sys.boot_completed=1``."""
    available = list_avds(emulator, env)
    if avd not in available:
        raise ConfigError(f"no AVD named {avd!r}; available: {', '.join(available) or 'none'} "
                          f"(create one with avdmanager, or pick one with --device emulator:NAME)")
    port = free_console_port()
    log_path = (log_dir or Path(os.environ.get("TMPDIR", "/tmp"))) / f"emulator-{port}.log"
    # The emulator tells the adb server at this port that it exists (host:emulator:ADB_PORT).
    child_env = client_env(f"{server.host}:{server.port}", os.environ if env is None else env)
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(emulator), "-avd", avd, "-port", str(port), "-no-window", "-no-audio", "-no-boot-anim",
             "-no-snapshot-save", *extra_args],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=child_env,
            start_new_session=True)
    instance = EmulatorInstance(avd, port, process, log_path, server)
    try:
        wait_for_boot(instance, timeout)
    except BaseException:
        instance.stop()
        raise
    return instance


def wait_for_boot(instance: EmulatorInstance, timeout: float) -> None:
    """Wait until adb lists the emulator as ``device`` and ``sys.boot_completed`` is 1."""
    def booted() -> bool:
        if instance.process.poll() is not None:
            raise DeviceUnavailable(f"emulator for {instance.avd} exited with {instance.process.returncode}; "
                                    f"see {instance.log_path}")
        if instance.server.state(instance.serial) != "device":
            return False
        # The server's exec service directly: the adb layer stays below the device layer (docs/architecture.md).
        return instance.server.exec_out(instance.serial, "getprop sys.boot_completed", timeout=10).strip() == b"1"

    try:
        wait_until(booted, timeout, f"{instance.serial} ({instance.avd}) to finish booting", interval=0.5,
                   describe=lambda: f"adb state {instance.server.state(instance.serial)!r}")
    except WaitTimeout as exc:
        raise DeviceUnavailable(f"{exc}; the emulator's output is in {instance.log_path}") from None
