"""The Vega journal (systemd-journald's memory) and ``loggingctl``'s output formats (pure + asyncio wake-ups).

Line format of ``-o short_precise``, from Jeremiah-Sakuda/sema-firetv docs/vega/logs/evidence-excerpts.txt (a real
VVD) and daemon8's parser (crates/adb/src/parser/loggingctl.rs, lines from a physical stick)::

    Oct 01 21:17:42.677089 amazon-761010f39a2ef58a com.sema.viewer[8023]: W chromium:...        (VVD)
    Mar 24 18:14:48.429744 firestick-d5c035c0b6c510f5 local0.err lcm_service[900]: 900 E lcm-server:...  (stick)

The VVD prints no ``facility.severity``; the stick does, bare (daemon8's test line has no brackets; the
brackets of its ``[<facility>.<severity>]`` notation mark the field as optional). ``-o short`` is the same without the
microseconds (journalctl's ``short``).

Rate limit and levels (Amazon's loggingctl page [D-LOG]): every process may log ``1000`` lines per
second by default and at level ``info`` and above; ``loggingctl config --set-rate/--set-level`` changes
that once journald restarts (``systemctl restart systemd-journald``). Lines over the limit are dropped
silently (field notes: "a higher rate limit to avoid silent drops").
ASSUMPTION: the limit counts lines per process per device-clock second and drops the rest without a
"Suppressed N messages" line (settle by: flooding ``logger`` 2000 times in one second on a stick and
counting what ``loggingctl log`` shows).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Iterator

from firebridge.virtual.clock import DeviceClock
from firebridge.virtual.ring import EntryRing

# syslog severities, journald's PRIORITY field (0 = emerg .. 7 = debug).
PRIORITIES = ("emerg", "alert", "crit", "err", "warning", "notice", "info", "debug")
FACILITIES = ("kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv",
              "ftp", "12", "13", "14", "15", "local0", "local1", "local2", "local3", "local4", "local5",
              "local6", "local7")
DEFAULT_RATE = 1000  # lines per second per process [D-LOG]
DEFAULT_LEVEL = PRIORITIES.index("info")  # [D-LOG]
USER = FACILITIES.index("user")
DAEMON = FACILITIES.index("daemon")

# A Vega component's inline level word, as the VVD journal shows (INFO com.amazon.keplerscript: ...).
LEVEL_WORDS = {"E": "ERROR", "W": "WARNING", "I": "INFO", "D": "DEBUG", "V": "DEBUG", "F": "ERROR"}
LEVEL_PRIORITY = {"E": 3, "W": 4, "I": 6, "D": 7, "V": 7, "F": 2}


def priority_of(name: str) -> int:
    """A syslog severity name or number (``err``, ``3``; ``error``/``warn``/``panic`` as aliases)."""
    aliases = {"error": "err", "warn": "warning", "panic": "emerg"}
    name = aliases.get(name.lower(), name.lower())
    if name.isdigit() and int(name) < len(PRIORITIES):
        return int(name)
    if name not in PRIORITIES:
        raise ValueError(f"unknown priority {name!r}")
    return PRIORITIES.index(name)


def facility_of(name: str) -> int:
    if name not in FACILITIES:
        raise ValueError(f"unknown facility {name!r}")
    return FACILITIES.index(name)


@dataclass(frozen=True, slots=True)
class JournalEntry:
    seq: int
    time: float  # device epoch seconds
    ident: str  # SYSLOG_IDENTIFIER: a process name or a package id
    pid: int | None
    priority: int
    facility: int
    message: str


def format_entry(entry: JournalEntry, hostname: str, fmt: str = "short_precise", show_facility: bool = False) -> str:
    """One entry as ``loggingctl log -o FMT`` prints it (no trailing newline)."""
    if fmt == "cat":
        return entry.message
    local = time.localtime(entry.time)
    stamp = time.strftime("%b %d %H:%M:%S", local)
    if fmt == "short_precise":
        stamp += f".{int(round((entry.time % 1) * 1e6)) % 1_000_000:06d}"
    where = f"{FACILITIES[entry.facility]}.{PRIORITIES[entry.priority]} " if show_facility else ""
    ident = entry.ident if entry.pid is None else f"{entry.ident}[{entry.pid}]"
    return f"{stamp} {hostname} {where}{ident}: {entry.message}"


# ASSUMPTION: loggingctl accepts these output names; captures only show short_precise (one project writes
# short-precise, journalctl's spelling) (settle by: `loggingctl log --help` on a device).
FORMATS = {"short_precise": "short_precise", "short-precise": "short_precise", "short": "short", "cat": "cat"}


@dataclass
class _Config:
    rate: dict[str, int] = field(default_factory=dict)
    level: dict[str, int] = field(default_factory=dict)
    muted: set[str] = field(default_factory=set)


class Journal(EntryRing[JournalEntry]):
    """A bounded ring buffer of journal entries that ``loggingctl log -f`` readers wait on."""

    def __init__(self, clock: DeviceClock, capacity: int = 20000) -> None:
        super().__init__(capacity)
        self.clock = clock
        self.active = _Config()  # what journald enforces now
        self.pending = _Config()  # what `loggingctl config` set; applied when journald restarts
        self._window: dict[str, tuple[int, int]] = {}  # ident -> (second, lines in it)
        self.dropped = 0

    # -- configuration (loggingctl config) -------------------------------------------------------
    def restart(self) -> None:
        """``systemctl restart systemd-journald``: the pending configuration takes effect."""
        self.active = _Config(dict(self.pending.rate), dict(self.pending.level), set(self.pending.muted))
        self._window.clear()

    def rate_of(self, ident: str) -> int:
        return self.active.rate.get(ident, DEFAULT_RATE)

    def level_of(self, ident: str) -> int:
        return self.active.level.get(ident, DEFAULT_LEVEL)

    # -- writing --------------------------------------------------------------------------------
    def write(self, ident: str, message: str, pid: int | None = None, priority: int = 6,
              facility: int = USER) -> JournalEntry | None:
        """Append one entry (None when the level, mute or rate limit drops it)."""
        if ident in self.active.muted or priority > self.level_of(ident):
            return None
        second = int(self.clock.now())
        start, count = self._window.get(ident, (second, 0))
        if start != second:
            start, count = second, 0
        if count >= self.rate_of(ident):
            self.dropped += 1
            return None
        self._window[ident] = (start, count + 1)
        return self._append(JournalEntry(self.next_seq(), self.clock.now(), ident, pid, priority, facility, message))

