"""The device log: a ring buffer of entries, logcat's filters and output formats (pure + asyncio wake-ups).

Formats follow AOSP ``liblog/logprint.c`` and the real captures in ``tests/samples/logcat_*``:
threadtime ``MM-DD HH:MM:SS.mmm  PID  TID L TAG     : msg``, time ``MM-DD HH:MM:SS.mmm L/TAG( PID): msg``,
brief ``L/TAG( PID): msg``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Iterable, Iterator

from firebridge.virtual.clock import DeviceClock
from firebridge.virtual.ring import EntryRing

LEVELS = "VDIWEFS"  # verbose .. silent; A (assert) is an alias of F


@dataclass(frozen=True, slots=True)
class LogEntry:
    seq: int
    time: float  # device epoch seconds
    pid: int
    tid: int
    level: str  # one of V D I W E F
    tag: str
    message: str
    buffer: str = "main"


def level_rank(level: str) -> int:
    level = level.upper()
    if level == "A":
        level = "F"
    if level == "*":
        return 0
    index = LEVELS.find(level)
    if index < 0:
        raise ValueError(f"unknown log level '{level}'")
    return index


class TagFilter:
    """``TAG:LEVEL`` filter specs as logcat takes them (and ANDROID_LOG_TAGS)."""

    def __init__(self, specs: Iterable[str] = ()) -> None:
        self.default = 0  # *:V
        self.tags: dict[str, int] = {}
        for spec in specs:
            self.add(spec)

    def add(self, spec: str) -> None:
        tag, _, level = spec.rpartition(":") if ":" in spec else (spec, "", "V")
        rank = level_rank(level or "V")
        if tag == "*":
            self.default = rank
        else:
            self.tags[tag] = rank

    def accepts(self, entry: LogEntry) -> bool:
        return level_rank(entry.level) >= self.tags.get(entry.tag, self.default)


def _stamp(entry_time: float) -> str:
    local = time.localtime(entry_time)
    millis = int((entry_time % 1) * 1000)
    return time.strftime("%m-%d %H:%M:%S", local) + f".{millis:03d}"


def format_entry(entry: LogEntry, fmt: str) -> str:
    """One entry as logcat prints it (without the trailing newline)."""
    lines = entry.message.split("\n")
    out = []
    for line in lines:
        if fmt == "brief":
            out.append(f"{entry.level}/{entry.tag:<8}({entry.pid:5d}): {line}")
        elif fmt == "time":
            out.append(f"{_stamp(entry.time)} {entry.level}/{entry.tag:<8}({entry.pid:5d}): {line}")
        elif fmt == "process":
            out.append(f"{entry.level}({entry.pid:5d}) {line}  ({entry.tag})")
        elif fmt == "tag":
            out.append(f"{entry.level}/{entry.tag:<8}: {line}")
        elif fmt == "raw":
            out.append(line)
        else:  # threadtime, the default since Android 7
            out.append(f"{_stamp(entry.time)} {entry.pid:5d} {entry.tid:5d} {entry.level} {entry.tag:<8}: {line}")
    return "\n".join(out)


FORMATS = ("threadtime", "time", "brief", "process", "tag", "raw")


class LogBuffer(EntryRing[LogEntry]):
    """A bounded ring buffer of log entries that streaming readers can wait on."""

    def __init__(self, clock: DeviceClock, capacity: int = 20000) -> None:
        super().__init__(capacity)
        self.clock = clock

    def write(self, level: str, tag: str, message: str, pid: int = 0, tid: int | None = None,
              buffer: str = "main") -> LogEntry:
        """Append one entry stamped with the device clock and wake streaming readers."""
        return self._append(LogEntry(self.next_seq(), self.clock.now(), pid, pid if tid is None else tid, level,
                                     tag, message, buffer))
