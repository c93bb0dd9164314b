"""Device leases: lock files that keep two users off one Fire TV, across processes and pytest runs.

A lease is an exclusive ``flock`` on ``LEASE_DIR/<device key>.lock``. The kernel drops it when the holder
exits, however it exits, so a crashed run never leaves a device locked. The file also says who holds
it (pid, host, command), for the message another run prints when the device is busy.

Two levels are used by ``pytest --bench``: the run lease (the controller holds each device it will use
for the whole run, so a concurrent run cannot take it) and the worker lease (``<key>.worker.lock``,
held by the one xdist worker driving the device).

ASSUMPTION: every run that shares devices sees the same lease directory (one bench host, or a shared
``FIREBRIDGE_LEASE_DIR``); flock is not reliable on NFS.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import socket
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


def default_lease_dir() -> Path:
    """``$FIREBRIDGE_LEASE_DIR``, else a per-user folder in the system temp dir."""
    configured = os.environ.get("FIREBRIDGE_LEASE_DIR")
    if configured:
        return Path(configured)
    return Path(tempfile.gettempdir()) / f"firebridge-leases-{os.getuid()}"


def lock_path(directory: Path, key: str, level: str = "") -> Path:
    """The lock file of a device key (``adb server/serial``), made safe as a file name."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", key).strip("_")
    return directory / f"{safe}{'.' + level if level else ''}.lock"


@dataclass
class Lease:
    """A held lease; ``release()`` (or the process ending) gives it back."""

    key: str
    path: Path
    fd: int | None

    @property
    def held(self) -> bool:
        return self.fd is not None

    def release(self) -> None:
        if self.fd is None:
            return
        fd, self.fd = self.fd, None
        try:
            os.ftruncate(fd, 0)  # nobody holds it any more
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def __enter__(self) -> "Lease":
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def try_lease(key: str, directory: Path | None = None, level: str = "", holder: dict | None = None) -> Lease | None:
    """Take the lease now, or return None when someone else holds it."""
    directory = directory or default_lease_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = lock_path(directory, key, level)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    info = {"pid": os.getpid(), "host": socket.gethostname(), "since": time.strftime("%Y-%m-%d %H:%M:%S"),
            "command": " ".join(sys.argv)[:300], "key": key, **(holder or {})}
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(info).encode(), 0)
    return Lease(key, path, fd)


def holder_of(key: str, directory: Path | None = None, level: str = "") -> str:
    """Who holds a lease, in words (best effort: the file may be mid-write)."""
    path = lock_path(directory or default_lease_dir(), key, level)
    try:
        info = json.loads(path.read_text() or "{}")
    except (OSError, ValueError):
        return "another process"
    if not info:
        return "another process"
    return f"pid {info.get('pid')} on {info.get('host')} since {info.get('since')} ({info.get('command', '')[:80]})"


def lease_all(keys: list[str], directory: Path | None = None, timeout: float = 0.0, holder: dict | None = None,
              poll: float = 0.5) -> tuple[dict[str, Lease], dict[str, str]]:
    """Lease every free key. When none is free, wait up to ``timeout`` seconds for one to free up.

    Returns (leases by key, holder description by busy key)."""
    deadline = time.monotonic() + timeout
    while True:
        leases: dict[str, Lease] = {}
        busy: dict[str, str] = {}
        for key in keys:
            lease = try_lease(key, directory, holder=holder)
            if lease is None:
                busy[key] = holder_of(key, directory)
            else:
                leases[key] = lease
        if leases or time.monotonic() >= deadline:
            return leases, busy
        time.sleep(poll)  # another run holds every device: poll the locks until one frees or time runs out
