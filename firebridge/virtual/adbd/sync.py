"""The ``sync:`` service: STAT/STA2/LST2, LIST/LIS2, SEND/SND2, RECV/RCV2, QUIT (reference section 7).

Requests arrive as a byte stream split at arbitrary WRTE boundaries (adb pipelines them); each reply
record goes out in one write, because adbutils reads them with a plain ``recv``.
"""

from __future__ import annotations

import asyncio
import errno
import os
import stat as statmod
import struct
from typing import Protocol

from firebridge.virtual.adbd.protocol import Stream
from firebridge.virtual.fs import DeviceFileSystem

MAX_DATA = 64 * 1024
_STAT_V2 = struct.Struct("<4sIQQIIIIQqqq")  # 72 bytes
_DENT_V1 = struct.Struct("<4sIIII")  # 20 bytes
_DONE_V1 = b"DONE" + bytes(16)
_DONE_V2 = b"DONE" + bytes(72)
_DRY_RUN = 0x80000000
_OUT_BATCH = 1024 * 1024


class SyncHost(Protocol):
    """What the sync service needs from the device: its files, and who owns them."""

    fs: DeviceFileSystem

    def file_owner(self, path: str) -> tuple[int, int]:
        """(uid, gid) that STAT reports for a device path."""


class _Reader:
    """Exact-length reads over a stream's byte flow."""

    def __init__(self, stream: Stream) -> None:
        self.stream = stream
        self.buffer = bytearray()

    async def exactly(self, n: int) -> bytes:
        while len(self.buffer) < n:
            chunk = await self.stream.read()
            if not chunk:
                raise asyncio.IncompleteReadError(bytes(self.buffer), n)
            self.buffer += chunk
        data = bytes(self.buffer[:n])
        del self.buffer[:n]
        return data

    async def request(self) -> tuple[bytes, int]:
        header = await self.exactly(8)
        return header[:4], struct.unpack_from("<I", header, 4)[0]


def _owner(device: SyncHost, fs_path: str) -> tuple[int, int]:
    return device.file_owner(fs_path)


def _stat_v2(device: SyncHost, request_id: bytes, path: str, follow: bool) -> bytes:
    try:
        host = device.fs.host_path(path, follow=follow)
        info = os.stat(host) if follow else os.lstat(host)
    except OSError as exc:
        return _STAT_V2.pack(request_id, exc.errno or errno.ENOENT, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    uid, gid = _owner(device, device.fs.normalize(path))
    return _STAT_V2.pack(request_id, 0, info.st_dev, info.st_ino, info.st_mode, info.st_nlink, uid, gid,
                         info.st_size, int(info.st_atime), int(info.st_mtime), int(info.st_ctime))


def _stat_v1(device: SyncHost, path: str) -> bytes:
    try:
        info = os.lstat(device.fs.host_path(path, follow=False))
    except OSError:
        return struct.pack("<4sIII", b"STAT", 0, 0, 0)
    return struct.pack("<4sIII", b"STAT", info.st_mode, info.st_size & 0xFFFFFFFF, int(info.st_mtime))


def _list(device: SyncHost, path: str, v2: bool) -> bytes:
    records = []
    try:
        host = device.fs.host_path(path)
        names = [".", ".."] + sorted(os.listdir(host))
    except OSError:
        names = []
    for name in names:
        name_bytes = name.encode()
        try:
            info = os.lstat(host / name)
        except OSError:
            continue
        if v2:
            uid, gid = _owner(device, device.fs.normalize(path))
            records.append(_STAT_V2.pack(b"DNT2", 0, info.st_dev, info.st_ino, info.st_mode, info.st_nlink,
                                         uid, gid, info.st_size, int(info.st_atime), int(info.st_mtime),
                                         int(info.st_ctime)) + struct.pack("<I", len(name_bytes)) + name_bytes)
        else:
            records.append(_DENT_V1.pack(b"DENT", info.st_mode, info.st_size & 0xFFFFFFFF, int(info.st_mtime),
                                         len(name_bytes)) + name_bytes)
    records.append(_DONE_V2 if v2 else _DONE_V1)
    return b"".join(records)


def _fail(message: str) -> bytes:
    data = message.encode()
    return b"FAIL" + struct.pack("<I", len(data)) + data


async def _receive_file(reader: _Reader, device: SyncHost, path: str, mode: int,
                        dry_run: bool) -> bytes:
    """Read DATA records until DONE; write the file; return the reply (OKAY or FAIL)."""
    error = None
    handle = None
    if not dry_run:
        try:
            if not device.fs.is_writable(path):
                raise PermissionError(errno.EACCES, "Permission denied")
            host = device.fs.host_path(path)
            host.parent.mkdir(parents=True, exist_ok=True)  # fixed_push_mkdir
            if host.is_dir():
                raise IsADirectoryError(errno.EISDIR, "Is a directory")
            handle = host.open("wb")
        except OSError as exc:
            error = f"couldn't create file: {exc.strerror}"
    mtime = 0
    try:
        while True:
            request_id, length = await reader.request()
            if request_id == b"DATA":
                data = await reader.exactly(length)
                if handle is not None:
                    handle.write(data)
            elif request_id == b"DONE":
                mtime = length
                break
            else:
                error = error or f"invalid data message: expected DATA or DONE, got {request_id!r}"
                break
    finally:
        if handle is not None:
            handle.close()
    if error:
        return _fail(error)
    if handle is not None:
        host = device.fs.host_path(path)
        os.chmod(host, statmod.S_IMODE(mode) or 0o644)
        if mtime:
            os.utime(host, (mtime, mtime))
    return b"OKAY" + bytes(4)


async def _send_file(stream: Stream, device: SyncHost, path: str) -> bool:
    """RECV: DATA records then DONE; False after a FAIL (which ends the service)."""
    try:
        host = device.fs.host_path(path)
        handle = open(host, "rb")
    except OSError as exc:
        await stream.write(_fail(f"open failed: {exc.strerror}"))
        return False
    with handle:
        if os.path.isdir(host):
            await stream.write(_fail("open failed: Is a directory"))
            return False
        batch = bytearray()
        while chunk := handle.read(MAX_DATA):
            batch += b"DATA" + struct.pack("<I", len(chunk)) + chunk
            if len(batch) >= _OUT_BATCH:
                await stream.write(bytes(batch))
                batch.clear()
        batch += b"DONE" + bytes(4)
        await stream.write(bytes(batch))
    return True


async def serve_sync(stream: Stream, device: SyncHost) -> None:
    """Answer sync requests until QUIT, a FAIL, or the host closes the stream."""
    reader = _Reader(stream)
    try:
        while True:
            request_id, length = await reader.request()
            if request_id == b"QUIT":
                return
            if length > 1024:
                await stream.write(_fail(f"path too long: {length}"))
                return
            path = (await reader.exactly(length)).decode(errors="replace")
            if request_id == b"STAT":
                await stream.write(_stat_v1(device, path))
            elif request_id in (b"STA2", b"LST2"):
                await stream.write(_stat_v2(device, request_id, path, follow=request_id == b"STA2"))
            elif request_id in (b"LIST", b"LIS2"):
                await stream.write(_list(device, path, v2=request_id == b"LIS2"))
            elif request_id == b"SEND":
                target, _, mode_text = path.rpartition(",")
                mode = int(mode_text) if mode_text.isdigit() else 0o100644
                reply = await _receive_file(reader, device, target or path, mode, dry_run=False)
                await stream.write(reply)
                if reply.startswith(b"FAIL"):
                    return
            elif request_id == b"SND2":
                setup_id, mode, flags = struct.unpack("<4sII", await reader.exactly(12))
                if setup_id != b"SND2" or flags & ~_DRY_RUN:
                    await stream.write(_fail("unsupported send flags (no compression on this device)"))
                    return
                reply = await _receive_file(reader, device, path, mode, dry_run=bool(flags & _DRY_RUN))
                await stream.write(reply)
                if reply.startswith(b"FAIL"):
                    return
            elif request_id in (b"RECV", b"RCV2"):
                if request_id == b"RCV2":
                    setup_id, flags = struct.unpack("<4sI", await reader.exactly(8))
                    if flags:
                        await stream.write(_fail("unsupported receive flags (no compression on this device)"))
                        return
                if not await _send_file(stream, device, path):
                    return
            else:
                await stream.write(_fail(f"unknown sync request {request_id!r}"))
                return
    except asyncio.IncompleteReadError:
        return  # the host closed the stream without QUIT (adbutils does)
