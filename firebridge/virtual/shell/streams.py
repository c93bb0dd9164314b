"""Byte streams for the device shell: sinks commands write to and sources they read from.

Every write is awaited so that a slow adb client applies back-pressure all the way down to the
command producing the output (a streaming ``logcat`` must block, never buffer without bound).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Protocol


class BrokenPipe(Exception):
    """The reader of a pipe went away (the shell's SIGPIPE)."""


class Sink(Protocol):
    """Where a command's output goes."""

    async def write(self, data: bytes) -> None: ...


class Source(Protocol):
    """Where a command's input comes from."""

    async def read(self, n: int = -1) -> bytes:
        """Up to ``n`` bytes (any amount when ``n`` < 0); ``b""`` at end of input."""
        ...


class NullSink:
    """``/dev/null``."""

    async def write(self, data: bytes) -> None:
        return None


class EmptySource:
    """No input: reads report end of input at once."""

    async def read(self, n: int = -1) -> bytes:
        return b""


class BufferSink:
    """Collects output in memory (command substitution, tests)."""

    def __init__(self) -> None:
        self.data = bytearray()

    async def write(self, data: bytes) -> None:
        self.data += data


class FileSink:
    """A redirection to a file on the device filesystem (``>`` truncates, ``>>`` appends)."""

    def __init__(self, path: Path, append: bool) -> None:
        self._handle = path.open("ab" if append else "wb")

    async def write(self, data: bytes) -> None:
        self._handle.write(data)

    def close(self) -> None:
        self._handle.close()


class BytesSource:
    """Input from a fixed byte string (``< file``, here-strings, tests)."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    async def read(self, n: int = -1) -> bytes:
        if n < 0 or n >= len(self._data):
            data, self._data = self._data, b""
        else:
            data, self._data = self._data[:n], self._data[n:]
        return data


class Pipe:
    """A bounded in-memory pipe between two commands of a pipeline (or a stream and a shell)."""

    def __init__(self, capacity: int = 64 * 1024) -> None:
        self._buffer = bytearray()
        self._capacity = capacity
        self._closed = False  # writer finished
        self._broken = False  # reader finished
        self._changed = asyncio.Event()

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def write(self, data: bytes) -> None:
        while True:
            if self._broken:
                raise BrokenPipe()
            if len(self._buffer) < self._capacity:
                self._buffer += data
                self._notify()
                return
            await self._changed.wait()

    def feed(self, data: bytes) -> None:
        """Add data without waiting (the producer bounds it itself, e.g. one WRTE at a time)."""
        self._buffer += data
        self._notify()

    def close(self) -> None:
        """The writer is done: readers see end of input once the buffer is drained."""
        self._closed = True
        self._notify()

    def break_(self) -> None:
        """The reader is done: further writes raise BrokenPipe."""
        self._broken = True
        self._notify()

    @property
    def buffered(self) -> int:
        return len(self._buffer)

    async def read(self, n: int = -1) -> bytes:
        while not self._buffer:
            if self._closed:
                return b""
            await self._changed.wait()
        if n < 0 or n >= len(self._buffer):
            data = bytes(self._buffer)
            self._buffer.clear()
        else:
            data = bytes(self._buffer[:n])
            del self._buffer[:n]
        self._notify()
        return data


async def read_all(source: Source) -> bytes:
    """Everything until end of input."""
    chunks = []
    while chunk := await source.read():
        chunks.append(chunk)
    return b"".join(chunks)


async def read_lines(source: Source):
    """Yield lines (with their newline) as they arrive; a last unterminated line too."""
    pending = b""
    while chunk := await source.read():
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            yield line + b"\n"
    if pending:
        yield pending
