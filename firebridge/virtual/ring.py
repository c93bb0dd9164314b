"""A bounded, sequenced ring of entries that streaming readers wait on: the device log of both
personalities (Fire OS's logcat buffer, Vega's journal) is one of these."""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Generic, Iterator, Protocol, TypeVar


class Sequenced(Protocol):
    seq: int


E = TypeVar("E", bound=Sequenced)


class EntryRing(Generic[E]):
    """Entries numbered 1, 2, ... (``next_seq``); the oldest fall out past ``capacity``. Writers may run on
    any thread: readers on the loop given to :meth:`bind_loop` are woken safely."""

    def __init__(self, capacity: int) -> None:
        self._entries: deque[E] = deque(maxlen=capacity)
        self._seq = 0
        self._changed: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def bind_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        """Writes from other threads are handed to this loop so readers wake up safely."""
        self._loop = loop

    def next_seq(self) -> int:
        """The number the next entry gets."""
        self._seq += 1
        return self._seq

    def _append(self, entry: E) -> E:
        self._entries.append(entry)
        self._wake()
        return entry

    def _wake(self) -> None:
        if self._changed is None:
            return
        event, self._changed = self._changed, None
        loop = self._loop
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if loop is not None and running is not loop:
            loop.call_soon_threadsafe(event.set)
        else:
            event.set()

    def clear(self) -> None:
        self._entries.clear()

    def entries(self) -> list[E]:
        return list(self._entries)

    def since(self, seq: int) -> Iterator[E]:
        """Entries newer than ``seq``."""
        if not self._entries or self._entries[-1].seq <= seq:
            return iter(())
        first = self._entries[0].seq
        start = max(0, seq + 1 - first)
        return (self._entries[i] for i in range(start, len(self._entries)))

    @property
    def last_seq(self) -> int:
        return self._seq

    async def wait_newer(self, seq: int) -> None:
        """Return once an entry newer than ``seq`` exists."""
        while self._seq <= seq:
            if self._changed is None:
                self._changed = asyncio.Event()
            await self._changed.wait()
