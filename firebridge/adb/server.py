"""The adb binary and adb servers that firebridge starts itself.

A lab's own adb server usually listens on 5037; firebridge never touches it unless told to. Servers
firebridge starts run in the foreground (``adb server nodaemon``) as its own child process, so they
are stopped by their process id and nothing is left behind.

A server given its own ``home`` writes its files there (``.android/adb.PORT``, a generated key) instead
of into the user's ``~/.android``, yet signs in to devices as the user's own adb would: with the user's
``~/.android/adbkey`` and ``$ADB_VENDOR_KEYS`` (firebridge.adb.keys), so a Fire TV that allowed this
computer is authorized through it too.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Mapping

import adbutils

from firebridge.adb.keys import (USER_KEY_NAME, VENDOR_KEYS_VARIABLE, UserKeys, find_user_keys, public_key_of,
                                 user_android_dir)
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

    ``home`` gives the server its own ``$HOME`` (its ``.android`` files go there, never into the user's);
    by default it uses the caller's, as any adb server would. With a ``home`` and ``user_keys`` (the
    default) the server still authenticates as the user: the user's keys (``~/.android/adbkey`` and
    ``$ADB_VENDOR_KEYS`` as found in ``user_env``, default this process's environment) are passed in
    its ``$ADB_VENDOR_KEYS``, and the user's ``adbkey`` becomes the server's own key (a symlink in
    ``home``), so the key a TV shows in "Allow USB debugging?" — and keeps on "Always allow" — is the
    user's, not a throwaway one. Without a user key the server generates its own in ``home``.
    ``user_keys=False``: only the server's own key (a host the TV has never seen).
    """

    def __init__(self, port: int | None = None, adb: Path | None = None, home: Path | None = None,
                 host: str = "127.0.0.1", burst_mode: bool = False, user_keys: bool = True,
                 user_env: Mapping[str, str] | None = None) -> None:
        self.adb = adb or bundled_adb()
        self.host = host
        self.port = port or free_port(host)
        self.home = home
        self.burst_mode = burst_mode
        # Found once, in the caller's environment (the server's own HOME is not the user's).
        self.user_keys: UserKeys | None = find_user_keys(user_env) if user_keys and home is not None else None
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
            vendor_keys = self.user_keys.vendor_keys_value() if self.user_keys is not None else ""
            if vendor_keys:
                env[VENDOR_KEYS_VARIABLE] = vendor_keys  # adb loads each at start-up and signs with all
            else:
                env.pop(VENDOR_KEYS_VARIABLE, None)
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
            self._adopt_user_key()
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

    def _adopt_user_key(self) -> None:
        """Make the user's ``adbkey`` this server's own key (a symlink, nothing copied), with its
        ``adbkey.pub`` beside it, unless ``home`` already has a key. adb writes a key only where none
        exists, so the user's file is only ever read. A key adb cannot read is left out (adb would
        then load no key at all); ``$ADB_VENDOR_KEYS`` still carries the user's keys."""
        if self.user_keys is None or self.user_keys.user_key is None:
            return
        android = self.home / ".android"
        key, pub = android / USER_KEY_NAME, android / f"{USER_KEY_NAME}.pub"
        if os.path.lexists(key):
            return
        public = public_key_of(self.adb, self.user_keys.user_key)
        if public is None:
            return
        try:
            key.symlink_to(self.user_keys.user_key)
        except OSError:  # no symlinks here (Windows without the privilege): the server makes its own key
            return
        pub.write_text(public)

    def public_key(self) -> str | None:
        """The public key this server offers when a device does not know it (``adbkey.pub`` of its own
        key), or None before a server with its own ``home`` has made one."""
        android = self.home / ".android" if self.home is not None else user_android_dir()
        pub = android / f"{USER_KEY_NAME}.pub"
        if pub.is_file():
            return pub.read_text()
        key = android / USER_KEY_NAME
        return public_key_of(self.adb, key) if key.is_file() else None

    def describe_keys(self) -> str:
        """Which keys the server signs with, for notes ("the user's key ~/.android/adbkey; ...")."""
        if self.home is None:
            return "the keys of the user it runs as (~/.android/adbkey, $ADB_VENDOR_KEYS)"
        if self.user_keys is None:
            return f"its own key only ({self.home / '.android' / USER_KEY_NAME})"
        return self.user_keys.describe()

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
