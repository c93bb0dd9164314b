"""Device log tail: ``adb -s SERIAL logcat -v threadtime`` under pexpect, the whole stream kept on disk.

In the style of pytest-embedded's ``dut.expect``: ``expect(pattern)`` consumes the stream from where the
last match ended; ``mark()`` remembers a point and ``wait_for(pattern, since=mark)`` looks at everything
after it (already read or still to come). Every timeout says what was awaited, shows the last lines and
names the log file.

Each poll costs the new data plus a fixed overlap, and memory stays bounded however long the test logs
(see :mod:`firebridge.device.logbuffer`): the whole log is on disk, memory keeps a window of recent text.

Other platforms: the adb arguments that stream the log and the line parser are parameters, which is
what a driver's ``log_command()`` and ``parse_log_line()`` give (firebridge.driver.protocol). For Vega OS
(``shell loggingctl log -f -o short_precise``)::

    LogTail(serial, path, adb, stream_args=driver.log_command(), parser=driver.parse_log_line)

``records()`` then yields what that parser returns for each line (lines it returns None for are skipped).
"""

from __future__ import annotations

import codecs
import errno
import math
import os
import re
import select
import time
import uuid
from pathlib import Path
from typing import Any, Callable, Iterator, Pattern, Sequence

import pexpect

from firebridge.device.logbuffer import LogBuffer, LogMatch
from firebridge.driver.logrecord import LogRecord
from firebridge.errors import FirebridgeError
from firebridge.platforms.fireos.logcat import parse_threadtime, stream_command

__all__ = ["LineParser", "LogLine", "LogMatch", "LogTail", "LogTimeout", "logcat_args", "parse_threadtime"]

class LogTimeout(FirebridgeError, TimeoutError):
    """A pattern did not appear in the device log in time."""


# The record is platform-free (firebridge.driver.logrecord), the threadtime parser is Fire OS's
# (firebridge.platforms.fireos.logcat); both kept here under their old names for callers.
LogLine = LogRecord


LineParser = Callable[[str], Any]
"""Turns one log line into a record, or None for lines that are not records (dividers, garbage)."""

_READ_SIZE = 65536
_READS_PER_PUMP = 64  # a firehose cannot keep a pump from returning


def logcat_args(fmt: str = "threadtime", tail_lines: int = 0) -> list[str]:
    """The adb arguments that stream an Android device's log from now on (the default stream)."""
    return stream_command(fmt, tail_lines)


class LogTail:
    """A running log stream (``adb logcat`` by default) for one device.

    Use as a context manager, or ``start()``/``stop()``. ``stream_args`` are the adb arguments after
    ``-s SERIAL`` that stream the log (default :func:`logcat_args` of ``fmt`` and ``tail_lines``);
    ``parser`` turns a line into a record for :meth:`records` (default :func:`parse_threadtime`).
    ``window_chars`` is how much recent text stays in memory (older text is read back from the file);
    ``max_match`` is the longest text (in characters) a pattern is guaranteed to be found across.
    """

    def __init__(self, serial: str, log_path: Path, adb: Path | str, adb_server: str = "127.0.0.1:5037",
                 fmt: str = "threadtime", tail_lines: int = 0, *, stream_args: Sequence[str] | None = None,
                 parser: LineParser = parse_threadtime, window_chars: int = 1024 * 1024,
                 max_match: int = 16 * 1024) -> None:
        self.serial = serial
        self.log_path = Path(log_path)
        self.adb = str(adb)
        self.adb_server = adb_server
        self.fmt = fmt
        self.tail_lines = tail_lines  # 0 = only what happens from now on
        self.stream_args = list(stream_args) if stream_args is not None else logcat_args(fmt, tail_lines)
        self.parser = parser
        self.window_chars = window_chars
        self.max_match = max_match
        self.child: pexpect.spawn | None = None
        self.buffer: LogBuffer | None = None
        self._expect_from = 0  # where the last expect() match ended
        self._held_cr = ""  # a CR that ended a read: the LF that may follow comes in the next one
        self._ended = False
        self._poller: select.poll | None = None
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def start(self, timeout: float = 15.0, ready: Callable[[str], None] | None = None,
              ready_timeout: float = 30.0) -> "LogTail":
        """Start the stream. With ``ready`` (a function that writes its argument into the device log,
        e.g. ``driver.log_marker``), return only once the stream is live: the stream starts at the
        newest line, so without this check whatever the device logs while adb and the device's shell
        are still setting the stream up (tens of milliseconds to seconds on a slow device) would be
        missed. The mark is written again each second until it shows up."""
        self._spawn(timeout)
        if ready is not None:
            self._wait_live(ready, ready_timeout)
        return self

    def _wait_live(self, ready: Callable[[str], None], timeout: float) -> None:
        token = f"firebridge-log-live-{uuid.uuid4().hex[:12]}"
        deadline = time.monotonic() + timeout
        while True:
            ready(token)
            try:
                self.expect(re.escape(token), timeout=max(0.1, min(1.0, deadline - time.monotonic())))
                return
            except LogTimeout:
                if time.monotonic() >= deadline:
                    raise LogTimeout(f"the log stream of {self.serial} never showed the mark {token!r} written "
                                     f"to it within {timeout:g} s; is `{' '.join(self.stream_args)}` streaming? "
                                     f"Full output: {self.log_path}") from None

    def _spawn(self, timeout: float) -> None:
        host, _, port = self.adb_server.rpartition(":")
        self.buffer = LogBuffer(self.log_path, self.window_chars, self.max_match)
        self._expect_from, self._held_cr, self._ended, self._poller = 0, "", False, None
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        env = dict(os.environ, ANDROID_ADB_SERVER_PORT=port)
        args = ["-H", host or "127.0.0.1", "-P", port, "-s", self.serial, *self.stream_args]
        self.child = pexpect.spawn(self.adb, args, env=env, encoding="utf-8", codec_errors="replace",
                                   timeout=timeout, maxread=_READ_SIZE)

    def stop(self) -> None:
        """End the stream; what was captured stays readable (``text()``, ``lines()``, the file)."""
        if self.child is not None:
            self.child.close(force=True)
            self.child = None
        if self.buffer is not None:
            self._append("", end=True)
            self.buffer.close()
        self._ended = True

    def __enter__(self) -> "LogTail":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- reading the stream -------------------------------------------------------------------------
    def _append(self, data: str, end: bool = False) -> None:
        # The pty turns the device's LF into CRLF; the file keeps the device's line endings. On Fire OS 5
        # (no shell_v2) logcat already runs on the device's PTY, so its lines arrive CR CR LF.
        data = self._held_cr + data
        self._held_cr = ""
        if not end:
            kept = data.rstrip("\r")  # CRs that ended a read: their LF may come in the next one
            data, self._held_cr = kept, data[len(kept):]
        self.buffer.append(data.replace("\r\r\n", "\n").replace("\r\n", "\n"))

    def _pump(self, timeout: float) -> bool:
        """Read what is available (waiting up to ``timeout`` for the first piece); False at end of stream.

        Reads the pty pexpect spawned directly: one poll and one read per piece (pexpect's
        read_nonblocking also checks the child's status on every call, which at thousands of lines a
        second is most of the reader's time)."""
        if self.child is None or self._ended:
            return False
        if self._poller is None:
            self._poller = select.poll()
            self._poller.register(self.child.child_fd, select.POLLIN)
        wait_ms = max(0, math.ceil(timeout * 1000))
        for _ in range(_READS_PER_PUMP):
            try:
                ready = self._poller.poll(wait_ms)
            except InterruptedError:
                continue
            if not ready:
                return True
            try:
                data = os.read(self.child.child_fd, _READ_SIZE)
            except OSError as exc:  # EIO: the pty's other side closed (Linux)
                if exc.errno != errno.EIO:
                    raise
                data = b""
            if not data:
                self._append(self._decoder.decode(b"", final=True), end=True)
                self._ended = True
                return False
            self._append(self._decoder.decode(data))
            wait_ms = 0
        return True

    # -- what was captured --------------------------------------------------------------------------
    def mark(self) -> int:
        """A point in the stream: what is logged after it is visible to ``wait_for(..., since=mark)``."""
        self._pump(0)
        return self.buffer.size if self.buffer else 0

    def text(self, since: int = 0) -> str:
        """Everything captured after ``since`` (older text is read back from the log file)."""
        self._pump(0)
        return self.buffer.read(since) if self.buffer else ""

    def lines(self, since: int = 0, complete: bool = False) -> list[str]:
        """The non-empty lines captured after ``since``; ``complete``: without a last line still being
        received (adb delivers a long line in pieces; a parser would see its first half)."""
        self._pump(0)
        if self.buffer is None:
            return []
        end = self.buffer.complete if complete else self.buffer.size
        return [line for line in self.buffer.lines_from(since, max(since, end)) if line]

    def last_lines(self, count: int) -> list[str]:
        """The last ``count`` lines, without reading the whole log."""
        self._pump(0)
        return self.buffer.last_lines(count) if self.buffer else []

    def records(self, since: int = 0) -> Iterator[Any]:
        """The lines after ``since`` that the parser makes records of (:class:`LogLine` for logcat)."""
        for line in self.lines(since):
            record = self.parser(line)
            if record is not None:
                yield record

    def follow(self, poll: float = 0.5) -> Iterator[str]:
        """Complete lines as they arrive, until the stream ends (Ctrl-C stops a caller's loop)."""
        offset = 0
        while True:
            if self.buffer is not None and self.buffer.complete > offset:
                end = self.buffer.complete
                yield from self.buffer.lines_from(offset, end)
                offset = end
            elif not self._pump(poll):
                if self.buffer is not None and self.buffer.complete > offset:
                    continue  # the last lines came with the end of the stream
                return

    # -- waiting for patterns -----------------------------------------------------------------------
    def expect(self, pattern: str | Pattern[str], timeout: float = 10.0) -> LogMatch:
        """Consume the stream up to the next match of ``pattern`` and return the match.

        A string pattern is compiled with ``re.DOTALL``, as pexpect does. The match's positions are
        offsets in the whole log (``match.end()`` can be a later ``since``).
        """
        assert self.child is not None or self.buffer is not None, "LogTail.start() first"
        regex = re.compile(pattern, re.DOTALL) if isinstance(pattern, str) else pattern
        match = self._wait(regex, self._expect_from, timeout, origin=0)
        self._expect_from = match.end()
        return match

    def wait_for(self, pattern: str | Pattern[str], since: int = 0, timeout: float = 10.0) -> LogMatch:
        """The first match of ``pattern`` in everything logged after ``since`` (read or still coming).

        A string pattern is compiled with ``re.MULTILINE``; the match's positions count from ``since``.
        """
        regex = re.compile(pattern, re.M) if isinstance(pattern, str) else pattern
        return self._wait(regex, since, timeout, origin=since)

    def _wait(self, regex: Pattern[str], since: int, timeout: float, origin: int) -> LogMatch:
        deadline = time.monotonic() + timeout
        resume = since
        self._pump(0)
        while True:
            if self.buffer is None:
                raise self._timeout(regex.pattern, timeout, "the tail was never started")
            match, resume = self.buffer.search(regex, since, resume, final=self._ended, origin=origin)
            if match is not None:
                return match
            if self._ended:
                raise self._timeout(regex.pattern, timeout, "EOF: the log stream ended")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise self._timeout(regex.pattern, timeout, "")
            self._pump(min(remaining, 0.5))

    def _timeout(self, pattern: object, timeout: float, note: str, last: int = 15) -> LogTimeout:
        pattern_text = getattr(pattern, "pattern", pattern)
        tail = self.buffer.last_lines(last) if self.buffer else []
        shown = "\n".join(f"    {line}" for line in tail) or "    (nothing logged)"
        return LogTimeout(f"no log line matched {pattern_text!r} within {timeout:g} s on {self.serial}"
                          f"{'; ' + note if note else ''}\n  last {len(tail)} lines:\n{shown}\n"
                          f"  full log: {self.log_path}")
