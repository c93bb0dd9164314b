"""The adb binary and adb servers that firebridge starts itself.

A lab's own adb server usually listens on 5037; firebridge never touches it unless told to. Servers
firebridge starts run in the foreground (``adb server nodaemon``) as its own child process, so they
are stopped by their process id and nothing is left behind.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import adbutils

from firebridge.processes import stop_process


class AdbNotFound(RuntimeError):
    """No usable adb binary."""


def bundled_adb() -> Path:
    """The adb binary shipped inside the adbutils wheel (the one tests pin)."""
    path = Path(adbutils.__file__).parent / "binaries" / "adb"
    if not path.exists():
        raise AdbNotFound(f"adbutils has no bundled adb at {path}; reinstall adbutils from a wheel "
                          "for this platform, or put the Android platform-tools adb on PATH")
    return path


def adb_binary() -> Path:
    """The adb a lab expects: the one on PATH, else the bundled one (what adbutils would run)."""
    on_path = shutil.which("adb")
    return Path(on_path) if on_path else bundled_adb()


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _server_answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5) as sock:
            sock.sendall(b"000chost:version")
            return sock.recv(4) == b"OKAY"
    except OSError:
        return False


class AdbServer:
    """An adb server on a private port, run as a child process and stopped by its pid.

    ``home`` gives the server its own ``~/.android`` (its RSA key lives there); by default it uses
    the caller's, as any adb server would.
    """

    def __init__(self, port: int | None = None, adb: Path | None = None, home: Path | None = None,
                 host: str = "127.0.0.1", burst_mode: bool = False) -> None:
        self.adb = adb or bundled_adb()
        self.host = host
        self.port = port or free_port(host)
        self.home = home
        self.burst_mode = burst_mode
        self.process: subprocess.Popen | None = None
        self.log_path: Path | None = None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def env(self) -> dict[str, str]:
        """Environment for adb clients (and the server) that must talk to this server only."""
        env = dict(os.environ)
        for variable in ("ADB_SERVER_SOCKET", "ANDROID_ADB_SERVER_ADDRESS", "ANDROID_SERIAL"):
            env.pop(variable, None)  # they would point adb at another server or device (adb prefers the socket)
        env["ANDROID_ADB_SERVER_PORT"] = str(self.port)
        if self.home is not None:
            env["HOME"] = str(self.home)
            env["ANDROID_USER_HOME"] = str(self.home / ".android")
        if self.burst_mode:
            env["ADB_BURST_MODE"] = "1"
        # adb 36's libusb backend fails to initialise where there is no USB (containers, CI) and
        # then stalls start-up for ~3 s; the native Linux backend still finds USB devices and
        # starts in ~40 ms. A lab that needs libusb sets ADB_LIBUSB=1 itself.
        env.setdefault("ADB_LIBUSB", "0")
        return env

    def start(self, timeout: float = 15.0) -> "AdbServer":
        """Start the server and wait until it answers ``host:version``."""
        if self.home is not None:
            (self.home / ".android").mkdir(parents=True, exist_ok=True)
        log_dir = self.home or Path(os.environ.get("TMPDIR", "/tmp"))
        self.log_path = log_dir / f"adb-server-{self.port}.log"
        with open(self.log_path, "wb") as log_file:
            self.process = subprocess.Popen(
                [str(self.adb), "-P", str(self.port), "server", "nodaemon"],
                env=self.env(), stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
                start_new_session=True)
        deadline = time.monotonic() + timeout
        while not _server_answers(self.host, self.port):
            if self.process.poll() is not None:
                raise RuntimeError(f"adb server on port {self.port} exited with {self.process.returncode}; "
                                   f"see {self.log_path}")
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"adb server on port {self.port} did not answer within {timeout} s; "
                                   f"see {self.log_path}")
            time.sleep(0.02)  # polling a port that is coming up; there is no event to wait on
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the server by its pid (SIGTERM, then SIGKILL)."""
        if self.process is None:
            return
        stop_process(self.process, timeout)
        self.process = None

    def client(self) -> adbutils.AdbClient:
        """An adbutils client bound to this server."""
        return adbutils.AdbClient(host=self.host, port=self.port)

    def run(self, *args: str, timeout: float = 30.0, input: bytes | None = None) -> subprocess.CompletedProcess:
        """Run ``adb -P PORT ARGS`` against this server and capture its output."""
        return subprocess.run([str(self.adb), "-H", self.host, "-P", str(self.port), *args],
                              env=self.env(), capture_output=True, timeout=timeout, input=input)

    def __enter__(self) -> "AdbServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
