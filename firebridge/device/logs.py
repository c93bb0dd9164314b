"""Device log tail: ``adb -s SERIAL logcat -v threadtime`` under pexpect, the whole stream kept on disk.

In the style of pytest-embedded's ``dut.expect``: ``expect(pattern)`` consumes the stream from where the
last match ended; ``mark()`` remembers a point and ``wait_for(pattern, since=mark)`` looks at everything
after it (already read or still to come). Every timeout says what was awaited, shows the last lines and
names the log file.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Pattern

import pexpect

from firebridge.errors import FirebridgeError

_THREADTIME = re.compile(
    r"^(?P<date>\d\d-\d\d) (?P<time>\d\d:\d\d:\d\d\.\d{3})\s+(?P<pid>\d+)\s+(?P<tid>\d+)\s+"
    r"(?P<level>[VDIWEFA])\s(?P<tag>.*?)\s*: (?P<message>.*)$")


class LogTimeout(FirebridgeError, TimeoutError):
    """A pattern did not appear in the device log in time."""


@dataclass(frozen=True)
class LogLine:
    """One ``logcat -v threadtime`` line."""

    date: str
    time: str
    pid: int
    tid: int
    level: str
    tag: str
    message: str

    @property
    def timestamp(self) -> str:
        return f"{self.date} {self.time}"


def parse_threadtime(line: str) -> LogLine | None:
    """A threadtime line as a record; None for anything else (dividers, continuation garbage)."""
    match = _THREADTIME.match(line.rstrip("\r\n"))
    if not match:
        return None
    return LogLine(match["date"], match["time"], int(match["pid"]), int(match["tid"]), match["level"],
                   match["tag"], match["message"])


class _Recorder:
    """pexpect's logfile_read: appends every byte read to the log file and to memory."""

    def __init__(self, path: Path) -> None:
        self.handle = path.open("a", encoding="utf-8", errors="replace")
        self.text: list[str] = []
        self.size = 0

    def write(self, data: str) -> None:
        data = data.replace("\r\n", "\n")  # the pty adds CRs; the file keeps the device's line endings
        self.text.append(data)
        self.size += len(data)
        self.handle.write(data)

    def flush(self) -> None:
        self.handle.flush()

    def since(self, offset: int) -> str:
        return "".join(self.text)[offset:]

    def close(self) -> None:
        self.handle.close()


class LogTail:
    """A running ``adb logcat`` for one device. Use as a context manager, or ``start()``/``stop()``."""

    def __init__(self, serial: str, log_path: Path, adb: Path | str, adb_server: str = "127.0.0.1:5037",
                 fmt: str = "threadtime", tail_lines: int = 0) -> None:
        self.serial = serial
        self.log_path = Path(log_path)
        self.adb = str(adb)
        self.adb_server = adb_server
        self.fmt = fmt
        self.tail_lines = tail_lines  # 0 = only what happens from now on
        self.child: pexpect.spawn | None = None
        self._recorder: _Recorder | None = None

    def start(self, timeout: float = 15.0) -> "LogTail":
        host, _, port = self.adb_server.rpartition(":")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._recorder = _Recorder(self.log_path)
        env = dict(os.environ, ANDROID_ADB_SERVER_PORT=port)
        # -T 1: start at the newest line instead of replaying the whole ring buffer.
        args = ["-H", host or "127.0.0.1", "-P", port, "-s", self.serial, "logcat", "-v", self.fmt,
                "-T", str(max(1, self.tail_lines))]
        self.child = pexpect.spawn(self.adb, args, env=env, encoding="utf-8", codec_errors="replace",
                                   timeout=timeout, maxread=65536)
        self.child.logfile_read = self._recorder
        return self

    def stop(self) -> None:
        if self.child is not None:
            self.child.close(force=True)
            self.child = None
        if self._recorder is not None:
            self._recorder.close()
            self._recorder = None

    def __enter__(self) -> "LogTail":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- reading --------------------------------------------------------------------------------
    def mark(self) -> int:
        """A point in the stream: what is logged after it is visible to ``wait_for(..., since=mark)``."""
        self._pump(0)
        return self._recorder.size if self._recorder else 0

    def text(self, since: int = 0) -> str:
        self._pump(0)
        return self._recorder.since(since) if self._recorder else ""

    def lines(self, since: int = 0) -> list[str]:
        return [line for line in self.text(since).split("\n") if line]

    def records(self, since: int = 0) -> Iterator[LogLine]:
        for line in self.lines(since):
            record = parse_threadtime(line)
            if record is not None:
                yield record

    def follow(self, poll: float = 0.5) -> Iterator[str]:
        """Complete lines as they arrive, until adb logcat ends (Ctrl-C stops a caller's loop)."""
        offset = 0
        while True:
            head, newline, _ = self.text(offset).rpartition("\n")
            if newline:
                offset += len(head) + 1
                yield from head.split("\n")
            elif not self._pump(poll):
                return

    def _pump(self, timeout: float) -> bool:
        """Read what is available (waiting up to ``timeout``); False at end of stream."""
        if self.child is None:
            return False
        try:
            self.child.read_nonblocking(65536, timeout=timeout)
            while True:
                self.child.read_nonblocking(65536, timeout=0)
        except pexpect.TIMEOUT:
            return True
        except pexpect.EOF:
            return False

    def expect(self, pattern: str | Pattern[str], timeout: float = 10.0) -> re.Match[str]:
        """Consume the stream up to the next match of ``pattern`` and return the match."""
        assert self.child is not None, "LogTail.start() first"
        try:
            self.child.expect(pattern, timeout=timeout)
        except (pexpect.TIMEOUT, pexpect.EOF) as exc:
            raise self._timeout(pattern, timeout, "EOF: adb logcat ended" if isinstance(exc, pexpect.EOF) else "")
        return self.child.match

    def wait_for(self, pattern: str | Pattern[str], since: int = 0, timeout: float = 10.0) -> re.Match[str]:
        """The first match of ``pattern`` in everything logged after ``since`` (read or still coming)."""
        regex = re.compile(pattern, re.M) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + timeout
        while True:
            match = regex.search(self.text(since))
            if match:
                return match
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise self._timeout(regex.pattern, timeout, "")
            if not self._pump(min(remaining, 0.5)):
                match = regex.search(self.text(since))
                if match:
                    return match
                raise self._timeout(regex.pattern, timeout, "adb logcat ended")

    def _timeout(self, pattern: object, timeout: float, note: str, last: int = 15) -> LogTimeout:
        pattern_text = getattr(pattern, "pattern", pattern)
        tail = self.lines()[-last:]
        shown = "\n".join(f"    {line}" for line in tail) or "    (nothing logged)"
        return LogTimeout(f"no log line matched {pattern_text!r} within {timeout:g} s on {self.serial}"
                          f"{'; ' + note if note else ''}\n  last {len(tail)} lines:\n{shown}\n"
                          f"  full log: {self.log_path}")
