"""Sources and sinks over real file descriptors (those a sandboxed process hands to the device model).

A received descriptor shares its open file description with the sandbox's processes, so its flags
must not change (making a shared pipe non-blocking would break ``mksh`` writing to it). Pipes and
terminals are therefore re-opened through ``/proc/self/fd`` (a new description of the same pipe,
non-blocking and private); regular files and other character devices (``/dev/null``) never block and
are used as they are, keeping their offset and ``O_APPEND``; anything else (a socket) is served by a
worker thread.
"""

from __future__ import annotations

import asyncio
import errno
import os
import select
import stat

from firebridge.virtual.shell.streams import BrokenPipe


def _mode(fd: int) -> str:
    try:
        info = os.fstat(fd)
    except OSError:
        return "closed"
    if stat.S_ISFIFO(info.st_mode) or (stat.S_ISCHR(info.st_mode) and os.isatty(fd)):
        return "poll"
    if stat.S_ISREG(info.st_mode) or stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode):
        return "direct"
    return "thread"


class _FdStream:
    def __init__(self, fd: int, flags: int) -> None:
        self.fd = fd
        self.mode = _mode(fd)
        self._private: int | None = None
        if self.mode == "poll":
            try:
                self._private = os.open(f"/proc/self/fd/{fd}", flags | os.O_NONBLOCK | os.O_CLOEXEC)
            except OSError as exc:
                # ENXIO: a FIFO with nobody at the other end; the plain descriptor reports it itself.
                self.mode = "thread" if exc.errno != errno.ENXIO else "direct"

    async def _wait(self, writable: bool) -> None:
        loop = asyncio.get_running_loop()
        ready = loop.create_future()
        fd = self._private
        add, remove = (loop.add_writer, loop.remove_writer) if writable else (loop.add_reader, loop.remove_reader)
        add(fd, lambda: ready.done() or ready.set_result(None))
        try:
            await ready
        finally:
            remove(fd)

    def close(self) -> None:
        """Close the private descriptor (the received one belongs to the caller)."""
        if self._private is not None:
            os.close(self._private)
            self._private = None


class FdSink(_FdStream):
    """Writes to a descriptor; a reader that went away raises :class:`BrokenPipe` (the SIGPIPE)."""

    def __init__(self, fd: int) -> None:
        super().__init__(fd, os.O_WRONLY)

    def reader_gone(self) -> bool:
        """True once nobody can read what this pipe would carry (its read end is closed everywhere)."""
        if self.mode != "poll" or self._private is None:
            return False
        poller = select.poll()
        poller.register(self._private, select.POLLOUT)
        return any(events & select.POLLERR for _, events in poller.poll(0))

    async def write(self, data: bytes) -> None:
        view = memoryview(data)
        try:
            while view:
                if self.mode == "poll":
                    try:
                        written = os.write(self._private, view)
                    except BlockingIOError:
                        await self._wait(writable=True)
                        continue
                elif self.mode == "thread":
                    written = await asyncio.get_running_loop().run_in_executor(None, os.write, self.fd, view)
                elif self.mode == "closed":
                    return
                else:
                    written = os.write(self.fd, view)
                view = view[written:]
        except (BrokenPipeError, ConnectionResetError):
            raise BrokenPipe() from None
        except OSError as exc:
            if exc.errno in (errno.EPIPE, errno.EIO):
                raise BrokenPipe() from None
            raise


class FdSource(_FdStream):
    """Reads from a descriptor lazily: only what the command asks for is taken from the pipe."""

    def __init__(self, fd: int) -> None:
        super().__init__(fd, os.O_RDONLY)

    async def read(self, n: int = -1) -> bytes:
        size = 65536 if n < 0 else n
        try:
            if self.mode == "poll":
                while True:
                    try:
                        return os.read(self._private, size)
                    except BlockingIOError:
                        await self._wait(writable=False)
            if self.mode == "thread":
                return await asyncio.get_running_loop().run_in_executor(None, os.read, self.fd, size)
            if self.mode == "closed":
                return b""
            return os.read(self.fd, size)
        except OSError as exc:
            if exc.errno == errno.EIO:  # a terminal whose other side is gone
                return b""
            raise
