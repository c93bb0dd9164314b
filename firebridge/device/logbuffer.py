"""The captured text of a log stream: all of it on disk, a bounded window of it in memory.

A test's log can run to hundreds of megabytes, and a tail is polled many times a second, so nothing here
costs more than the new data plus a fixed overlap per poll: appending writes the new text to the file
and to a window of recent text (older text leaves memory); searching resumes where the last search of
the same wait stopped, keeping only the last ``max_match`` characters to re-search so that a match that
arrives in pieces is still found. Text that has left the window is read back from the file, through a
sparse index of (character offset, byte offset) checkpoints.

Offsets are characters of the captured text counted from the start of the capture (not bytes of the file,
which may already hold an earlier run's text).
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from pathlib import Path
from typing import Any, Iterator

_MERGE_CHARS = 4096  # appended pieces are merged into window chunks of about this size
_CHECKPOINT_CHARS = 64 * 1024  # one (char, byte) checkpoint per this much text: 16 bytes per 64 KiB
_SEGMENT_CHARS = 1024 * 1024  # text read back from disk is searched in segments of this size


class LogMatch:
    """A pattern's match in the log: an ``re.Match`` whose positions count from an origin.

    ``start()``, ``end()`` and ``span()`` count from the ``since`` the search was given (0 for
    ``expect``, so there they are offsets in the whole log, usable as a later ``since``); ``group()``,
    ``groups()``, ``groupdict()`` and ``match[1]`` are those of the underlying match.
    """

    def __init__(self, match: re.Match[str], shift: int) -> None:
        self.match = match
        self._shift = shift

    def start(self, group: int | str = 0) -> int:
        position = self.match.start(group)
        return position if position < 0 else position + self._shift

    def end(self, group: int | str = 0) -> int:
        position = self.match.end(group)
        return position if position < 0 else position + self._shift

    def span(self, group: int | str = 0) -> tuple[int, int]:
        return self.start(group), self.end(group)

    def group(self, *groups: int | str) -> Any:
        return self.match.group(*groups)

    def __getitem__(self, group: int | str) -> Any:
        return self.match[group]

    def groups(self, default: Any = None) -> tuple[Any, ...]:
        return self.match.groups(default)

    def groupdict(self, default: Any = None) -> dict[str, Any]:
        return self.match.groupdict(default)

    @property
    def re(self) -> re.Pattern[str]:
        return self.match.re

    @property
    def lastgroup(self) -> str | None:
        return self.match.lastgroup

    def __repr__(self) -> str:
        return f"<LogMatch span={self.span()} match={self.group()!r}>"


# What lets a pattern match a newline: the escapes and classes that include it, a range that starts at
# an escape (such as [\x00-\x7f]), dot-all, a literal newline.
_SPANS_LINES = re.compile(r"\\[nsSDW]|\\x0[aA]|\\0?12|\\u000[aA]|\\N|\[\^|\(\?[a-zA-Z]*s|\n"
                          r"|\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|[tbfrv])-")


def may_span_lines(regex: re.Pattern[str]) -> bool:
    """Whether ``regex`` might match text across a line end (conservative: True when unsure)."""
    if regex.flags & re.DOTALL and "." in regex.pattern:
        return True
    return bool(_SPANS_LINES.search(regex.pattern))


class LogBuffer:
    """Append-only captured text: the file holds everything, memory the last ``window_chars``.

    ``max_match`` bounds how long a match may be (in characters) to be found when it arrives in pieces;
    a pattern that spans more text than that may be missed, as with pexpect's ``searchwindowsize``.
    """

    def __init__(self, path: Path, window_chars: int = 1024 * 1024, max_match: int = 16 * 1024) -> None:
        if window_chars < max_match:
            raise ValueError(f"window_chars ({window_chars}) must be at least max_match ({max_match})")
        self.path = Path(path)
        self.window_chars = window_chars
        self.max_match = max_match
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._out = self.path.open("ab", buffering=0)  # unbuffered: what was appended can be read back
        base = self._out.tell()  # the file may hold an earlier capture; offsets count from ours
        self.size = 0  # characters captured
        self.complete = 0  # offset just after the last newline: the end of the last complete line
        self._bytes = base
        # The window: chunks of recent text, with each chunk's starting char and byte offsets.
        self._chunks: list[str] = []
        self._chunk_chars = array("q")
        self._chunk_bytes = array("q")
        self._window = 0  # characters held in the window
        # Checkpoints for reading back from disk: a char offset and the byte offset it starts at.
        self._check_chars = array("q", [0])
        self._check_bytes = array("q", [base])

    # -- writing ----------------------------------------------------------------------------------
    def append(self, text: str) -> None:
        """Add captured text: to the file, and to the window (dropping what falls out of it)."""
        if not text:
            return
        # Window chunks of at most _MERGE_CHARS, each with its byte offset, so that memory can be
        # trimmed to the window however large one read was.
        encoded: list[bytes] = []
        position, byte_position = 0, self._bytes
        if self._chunks and len(self._chunks[-1]) < _MERGE_CHARS:
            position = _MERGE_CHARS - len(self._chunks[-1])
            head = text[:position]
            self._chunks[-1] += head
            encoded.append(head.encode("utf-8", "replace"))  # "replace": one character stays one
            byte_position += len(encoded[-1])
        while position < len(text):
            piece = text[position:position + _MERGE_CHARS]
            self._chunks.append(piece)
            self._chunk_chars.append(self.size + position)
            self._chunk_bytes.append(byte_position)
            encoded.append(piece.encode("utf-8", "replace"))
            byte_position += len(encoded[-1])
            position += len(piece)
        data = b"".join(encoded) if len(encoded) > 1 else encoded[0]
        view = memoryview(data)
        while view:
            view = view[self._out.write(view):]
        self.size += len(text)
        self._bytes += len(data)
        self._window += len(text)
        newline = text.rfind("\n")
        if newline >= 0:
            self.complete = self.size - len(text) + newline + 1
        if self.size - self._check_chars[-1] >= _CHECKPOINT_CHARS:
            self._check_chars.append(self.size)
            self._check_bytes.append(self._bytes)
        if self._window - len(self._chunks[0]) >= self.window_chars + _MERGE_CHARS:
            self._trim()

    def _trim(self) -> None:
        drop = 0
        while len(self._chunks) - drop > 1 and self._window - len(self._chunks[drop]) >= self.window_chars:
            self._window -= len(self._chunks[drop])
            drop += 1
        del self._chunks[:drop]
        del self._chunk_chars[:drop]
        del self._chunk_bytes[:drop]

    def close(self) -> None:
        """No more appending; what was captured stays readable from the file."""
        self._out.close()

    # -- reading ----------------------------------------------------------------------------------
    @property
    def window_start(self) -> int:
        """The offset of the oldest character still in memory."""
        return self._chunk_chars[0] if self._chunks else self.size

    @property
    def buffered_chars(self) -> int:
        """Characters of captured text held in memory (the rest is only on disk)."""
        return self._window

    def read(self, start: int, end: int | None = None) -> str:
        """The captured text between two offsets (from memory, or from the file for older text)."""
        end = self.size if end is None else min(end, self.size)
        start = max(0, start)
        if start >= end:
            return ""
        window_start = self.window_start
        parts = []
        if start < window_start:
            parts.append(self._read_disk(start, min(end, window_start)))
        if end > window_start:
            parts.append(self._read_window(max(start, window_start), end))
        return "".join(parts)

    def _read_window(self, start: int, end: int) -> str:
        first = bisect_right(self._chunk_chars, start) - 1
        last = bisect_left(self._chunk_chars, end)
        text = "".join(self._chunks[first:last])
        base = self._chunk_chars[first]
        return text[start - base:end - base]

    def _read_disk(self, start: int, end: int) -> str:
        # From the checkpoint at or before start to the nearest known boundary at or after end.
        index = bisect_right(self._check_chars, start) - 1
        char0, byte0 = self._check_chars[index], self._check_bytes[index]
        after = bisect_left(self._check_chars, end)
        byte1 = self._check_bytes[after] if after < len(self._check_chars) else self._bytes
        if self._chunks and self._chunk_chars[0] >= end:  # the window's start may be nearer
            byte1 = min(byte1, self._chunk_bytes[0])
        with self.path.open("rb") as handle:
            handle.seek(byte0)
            text = handle.read(byte1 - byte0).decode("utf-8", "replace")
        return text[start - char0:end - char0]

    def last_lines(self, count: int) -> list[str]:
        """The last ``count`` non-empty lines (read from the end, not the whole log)."""
        span = 16 * 1024
        while True:
            start = max(0, self.size - span)
            lines = [line for line in self.read(start).split("\n") if line]
            if start == 0 or len(lines) > count:
                return lines[-count:] if count else []
            span *= 4

    # -- searching --------------------------------------------------------------------------------
    def search(self, regex: re.Pattern[str], since: int, resume: int, final: bool = False,
               origin: int | None = None) -> tuple[LogMatch | None, int]:
        """The first match of ``regex`` after ``since``, searching from ``resume`` (>= since).

        Returns (match, resume): the match with positions counted from ``origin`` (default ``since``;
        0 gives offsets in the whole log), or None and where
        the next search of the same wait should resume. Only complete lines are searched until
        ``final`` (the stream has ended), so ``$`` and ``.*`` never see half a line.
        """
        end = self.size if final else self.complete
        origin = since if origin is None else origin
        resume = max(resume, since)
        while resume < end:
            stop = min(end, resume + _SEGMENT_CHARS)
            text = self.read(resume, stop)
            found = regex.search(text)
            if found is not None:
                return LogMatch(found, resume - origin), resume
            # Keep the last max_match characters, from a line start, for a match still arriving;
            # a pattern that cannot cross a line end is done with every complete line searched.
            keep_from = len(text) - self.max_match if may_span_lines(regex) else len(text)
            if keep_from <= 0:
                restart = resume
            else:
                newline = text.find("\n", keep_from - 1)
                restart = resume + (newline + 1 if newline >= 0 else keep_from)
            if stop == end:
                return None, max(resume, restart)
            resume = max(resume + 1, restart)
        return None, resume

    def lines_from(self, start: int, end: int) -> Iterator[str]:
        """The lines between two offsets (split at LF only), read in segments for long spans."""
        position = start
        while position < end:
            stop = min(end, position + _SEGMENT_CHARS)
            text = self.read(position, stop)
            if stop < end:
                cut = text.rfind("\n")
                if cut >= 0:
                    text = text[:cut + 1]
            position += len(text)
            yield from (text[:-1] if text.endswith("\n") else text).split("\n")
