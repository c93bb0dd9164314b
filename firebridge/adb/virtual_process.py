"""Starting a virtual Fire TV: ``python -m firebridge virtual`` in its own process, stopped by its pid.

Tests, device selection and benches use this so the device does not share the test process's
interpreter, exactly as a real device would not. It lives on the bridge side and talks to the
virtual device only through its command line (``firebridge virtual --help``) and, like to a real
device, through adb: the bridge never imports ``firebridge.virtual`` (an import-linter contract,
pyproject.toml). docs/virtual-device.md describes the device's fault switches.
"""

from __future__ import annotations

import os
import re
import selectors
import subprocess
import sys
import time
from pathlib import Path

from firebridge.processes import stop_process

_READY = re.compile(rb"adb connect (\S+):(\d+)")

# The system property the virtual reference app reads its fault switches from (``--prop
# debug.firebridge.fault=NAME[,NAME...]``); the virtual device defines the same name
# (firebridge/virtual/fireos/apps/reference/faults.py; tests/virtual/test_virtual_process_faults.py
# keeps the two equal).
FAULT_PROPERTY = "debug.firebridge.fault"


def virtual_command(*args: str) -> list[str]:
    """The command line of ``firebridge virtual ARGS`` with this interpreter."""
    return [sys.executable, "-m", "firebridge", "virtual", *args]


def parse_fault_list(text: str) -> dict[str, str]:
    """``firebridge virtual --list-faults`` output (``NAME  what it breaks`` per line) as a dict (pure)."""
    faults: dict[str, str] = {}
    for line in text.splitlines():
        name, _, what = line.strip().partition(" ")
        if name:
            faults[name] = what.strip()
    return faults


def list_faults(timeout: float = 60.0, os: str = "fireos") -> dict[str, str]:
    """The virtual reference app's fault switches (name -> what it breaks) on ``os``, asked of
    ``firebridge virtual``."""
    done = subprocess.run(virtual_command("--list-faults", "--os", os), capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise RuntimeError(f"firebridge virtual --list-faults exited with {done.returncode}: {done.stderr.strip()}")
    return parse_fault_list(done.stdout)


class VirtualFireTVProcess:
    """``python -m firebridge virtual --port 0 ...`` as a child process."""

    def __init__(self, auth: str = "none", model: str = "AFTMM", speed: float = 1.0,
                 adb_keys: Path | None = None, host: str = "127.0.0.1", port: int = 0,
                 extra_args: tuple[str, ...] = (), os: str = "fireos", vvd: bool = False,
                 timing: str = "fast") -> None:
        self.args = ["--host", host, "--port", str(port), "--auth", auth, "--model", model,
                     "--speed", str(speed), "--os", os, *(["--vvd"] if vvd else []), *extra_args]
        if timing != "fast":
            self.args += ["--timing", timing]
        if adb_keys is not None:
            self.args += ["--adb-keys", str(adb_keys)]
        self.host = host
        self.port = 0
        self.process: subprocess.Popen | None = None
        self.banner = b""

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def start(self, timeout: float = 20.0) -> "VirtualFireTVProcess":
        """Start it and wait for the ``adb connect HOST:PORT`` line it prints once listening."""
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.process = subprocess.Popen(virtual_command(*self.args),
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        assert self.process.stdout is not None
        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        try:
            while not (match := _READY.search(self.banner)):
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.process.poll() is not None:
                    output = self.banner.decode(errors="replace")
                    status = self.stop()
                    if status == 2:  # its options were refused: the output says which and why
                        raise ValueError(output.strip().removeprefix("firebridge virtual: "))
                    raise RuntimeError(f"virtual Fire TV did not start (output: {output!r})")
                if selector.select(remaining):
                    chunk = os.read(self.process.stdout.fileno(), 4096)
                    if not chunk and self.process.poll() is not None:
                        continue
                    self.banner += chunk
        finally:
            selector.close()
        self.port = int(match.group(2))
        return self

    def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM (a clean shutdown), then SIGKILL; returns the exit status."""
        if self.process is None:
            return None
        process, self.process = self.process, None
        status = stop_process(process, timeout)
        if process.stdout is not None:
            process.stdout.close()
        return status

    def __enter__(self) -> "VirtualFireTVProcess":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
