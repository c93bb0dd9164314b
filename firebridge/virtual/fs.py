"""The device filesystem: Android paths mapped onto a host temporary directory.

Only the places a shell user can write on a real Fire TV exist as real directories: ``/sdcard``
(= ``/storage/emulated/0``) and ``/data/local/tmp``. Every device path is resolved inside the root,
so nothing a client sends can reach the host's files.
"""

from __future__ import annotations

import errno
import os
import posixpath
import shutil
from dataclasses import dataclass
from pathlib import Path

# Device path prefixes that are aliases of another path, as on Android.
_ALIASES = {
    "/sdcard": "/storage/emulated/0",
    "/storage/self/primary": "/storage/emulated/0",
    "/mnt/sdcard": "/storage/emulated/0",
}
_WRITABLE = ("/storage/emulated/0", "/data/local/tmp")
_SKELETON = ("/storage/emulated/0", "/data/local/tmp", "/system/bin", "/system/app", "/system/priv-app",
             "/data/app", "/vendor", "/proc", "/dev", "/cache", "/etc")


class DeviceFileSystem:
    """Maps absolute device paths to host paths under ``root``."""

    def __init__(self, root: Path, skeleton: tuple[str, ...] = _SKELETON, writable: tuple[str, ...] = _WRITABLE,
                 aliases: dict[str, str] | None = None) -> None:
        """The Android layout by default; a Linux personality (Vega) passes its own directories."""
        self.root = root
        self.writable = writable
        self.aliases = _ALIASES if aliases is None else aliases
        for directory in skeleton:
            (root / directory.lstrip("/")).mkdir(parents=True, exist_ok=True)
        if skeleton is _SKELETON:
            for name in ("Download", "Movies", "Pictures"):
                (root / "storage/emulated/0" / name).mkdir(exist_ok=True)

    def normalize(self, path: str, cwd: str = "/") -> str:
        """An absolute, normalized device path with aliases resolved."""
        if not path.startswith("/"):
            path = posixpath.join(cwd, path)
        path = posixpath.normpath(path)
        if path.startswith("//"):
            path = "/" + path.lstrip("/")
        for alias, target in self.aliases.items():
            if path == alias or path.startswith(alias + "/"):
                return target + path[len(alias):]
        return path

    def host_path(self, path: str, follow: bool = True) -> Path:
        """The host path for a device path (never outside the root).

        Symlinks are followed by the host, so one made on the device (toybox ``ln -s /etc/x /sdcard/y``
        in the real shell) must not lead out of the root: then PermissionError. With ``follow`` False
        only the directories leading to it are checked (for lstat, listing, removing the link itself).
        """
        host = self.root / self.normalize(path).lstrip("/")
        real = os.path.realpath(host if follow else host.parent)
        root = os.path.realpath(self.root)
        if real != root and not real.startswith(root + os.sep):
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return host

    def is_writable(self, path: str) -> bool:
        device_path = self.normalize(path)
        return any(device_path == w or device_path.startswith(w + "/") for w in self.writable)

    def writable_path(self, path: str) -> Path:
        """The host path for writing; raises PermissionError / FileNotFoundError like the device would."""
        if not self.is_writable(path):
            raise PermissionError(errno.EACCES, "Permission denied", path)
        host = self.host_path(path)
        if not host.parent.is_dir():
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", path)
        return host

    def read_bytes(self, path: str) -> bytes:
        host = self.host_path(path)
        if host.is_dir():
            raise IsADirectoryError(errno.EISDIR, "Is a directory", path)
        try:
            return host.read_bytes()
        except FileNotFoundError:
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", path) from None

    def write_bytes(self, path: str, data: bytes) -> None:
        self.writable_path(path).write_bytes(data)

    def makedirs(self, path: str, parents: bool) -> None:
        if not self.is_writable(path):
            raise PermissionError(errno.EACCES, "Permission denied", path)
        host = self.host_path(path)
        if host.exists() and not parents:
            raise FileExistsError(errno.EEXIST, "File exists", path)
        try:
            host.mkdir(parents=parents, exist_ok=parents)
        except FileNotFoundError:
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", path) from None

    def remove(self, path: str, recursive: bool) -> None:
        if not self.is_writable(path) or self.normalize(path) in self.writable:
            raise PermissionError(errno.EACCES, "Permission denied", path)
        host = self.host_path(path, follow=False)
        if host.is_dir() and not host.is_symlink():
            if not recursive:
                raise IsADirectoryError(errno.EISDIR, "Is a directory", path)
            shutil.rmtree(host)
        elif host.exists() or host.is_symlink():
            host.unlink()
        else:
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", path)

    def lstat(self, path: str) -> os.stat_result:
        host = self.host_path(path, follow=False)
        try:
            return os.lstat(host)
        except FileNotFoundError:
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", path) from None

    def listdir(self, path: str) -> list[str]:
        host = self.host_path(path)
        if not host.exists():
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", path)
        if not host.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "Not a directory", path)
        return sorted(os.listdir(host))


@dataclass(frozen=True)
class Mount:
    """One mounted filesystem as ``df`` reports it (sizes in KiB)."""

    source: str
    target: str
    size_kb: int
    used_kb: int
    block_size: int = 4096

    @property
    def available_kb(self) -> int:
        return max(0, self.size_kb - self.used_kb)


def bytes_under(root: Path) -> int:
    """Bytes of the files below ``root`` in a device's file tree (what ``df`` counts as written)."""
    total = 0
    for folder, _, files in os.walk(root):
        for name in files:
            try:
                total += os.lstat(os.path.join(folder, name)).st_size
            except OSError:
                continue  # removed while walking
    return total
