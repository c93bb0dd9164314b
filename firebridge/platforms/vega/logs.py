"""``loggingctl log -o short_precise`` lines as records (pure; no I/O).

Line shape (journald short-precise, Vega's ``loggingctl``)::

    <Mon> <DD> <HH:MM:SS.micro> <host> [<facility>.<severity>] <process>[<pid>]: <message>

Variants seen in real output (tests/samples/vega_*loggingctl*):

* a physical stick (host ``firestick-<hex>``) prints a syslog ``facility.severity`` token
  (``local0.err``) before the process; the Vega Virtual Device (host ``amazon-<hex>``) does not;
* the message may start with an inline level: a word (``INFO``, ``WARNING``, ``ERROR``) or a letter
  (``I``, ``W``, ``E``), optionally after the pid (``900 E lcm-server:...``), then a component
  (``com.amazon.keplerscript:``, ``chromium:``, ``pkgmgr-registrar:``); some messages have no level;
* React Native app ``console.*`` output reads
  ``<pkg>[pid]: INFO com.amazon.keplerscript: [KeplerScript-JavaScript] <text>``;
* each JS ``console.info`` is printed twice (sema-firetv PLATFORM-FINDINGS): :func:`collapse_doubled`
  drops the second copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator

LOG_COMMAND = ["shell", "loggingctl", "log", "-f", "-o", "short_precise"]
JS_CONSOLE_TAG = "[KeplerScript-JavaScript]"

_LINE = re.compile(
    r"^(?P<timestamp>[A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2}(?:\.\d+)?) +(?P<host>\S+) +"
    r"(?:(?P<facility>kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|local[0-7])"
    r"\.(?P<fseverity>[a-z]+) +)?"
    r"(?P<process>[^\s\[\]:]+)(?:\[(?P<pid>\d+)\])?: ?(?P<text>.*)$")

# Inline levels: syslog words and the one-letter levels native Vega code prints.
_WORD_SEVERITY = {"EMERG": "emerg", "ALERT": "alert", "CRIT": "crit", "CRITICAL": "crit", "FATAL": "crit",
                  "ERROR": "err", "ERR": "err", "WARNING": "warning", "WARN": "warning", "NOTICE": "notice",
                  "INFO": "info", "DEBUG": "debug", "TRACE": "debug", "VERBOSE": "debug"}
_LETTER_SEVERITY = {"F": "crit", "E": "err", "W": "warning", "I": "info", "D": "debug", "V": "debug"}
_SYSLOG_SEVERITIES = ("emerg", "alert", "crit", "err", "warning", "notice", "info", "debug")
_SEVERITY_ALIASES = {"error": "err", "warn": "warning", "panic": "emerg"}
# Android-style letter for each syslog severity (what firebridge's Fire OS records carry).
_LEVEL_LETTER = {"emerg": "F", "alert": "F", "crit": "F", "err": "E", "warning": "W", "notice": "I",
                 "info": "I", "debug": "D"}

_INLINE = re.compile(r"^(?:(?P<ipid>\d+) +)?(?P<level>[A-Z]+) +(?P<rest>.*)$", re.S)
_COMPONENT = re.compile(r"^(?P<component>[^\s:\[\]]+):(?P<rest>.*)$", re.S)


@dataclass(frozen=True)
class VegaLogRecord:
    """One ``loggingctl`` line.

    ``message`` is what the writer said: for JS console output the app's own text (after
    ``[KeplerScript-JavaScript]``), for native lines the text after the inline level and component, else
    the whole message. ``text`` is everything after ``process[pid]:`` unchanged. ``severity`` is a syslog
    name (``err``, ``warning``, ``info``...) or None when the line carries none; ``level`` is the matching
    Android-style letter (E, W, I, D, F) or "".
    """

    timestamp: str
    host: str
    process: str
    pid: int | None
    message: str
    text: str
    facility: str | None = None
    severity: str | None = None
    component: str | None = None
    javascript: bool = False
    raw: str = ""

    @property
    def level(self) -> str:
        return _LEVEL_LETTER.get(self.severity or "", "")

    @property
    def tag(self) -> str:
        """What a logcat user would call the tag: the inline component, else the process name."""
        return self.component or self.process

    @property
    def date(self) -> str:
        """``MM-DD`` as :class:`~firebridge.driver.logrecord.LogRecord` has it (from ``Dec 03``)."""
        month, day = self.timestamp.split()[:2]
        return f"{_MONTHS.index(month) + 1:02d}-{int(day):02d}"

    @property
    def time(self) -> str:
        """``HH:MM:SS.ffffff`` as the journal printed it (``-o short`` has no fraction)."""
        return self.timestamp.split()[2]


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _severity_name(word: str) -> str | None:
    lowered = word.lower()
    lowered = _SEVERITY_ALIASES.get(lowered, lowered)
    return lowered if lowered in _SYSLOG_SEVERITIES else None


def _split_inline(text: str) -> tuple[str | None, str | None, str, bool]:
    """(severity, component, message, javascript) from a message with an optional inline level."""
    match = _INLINE.match(text)
    if not match:
        return None, None, text, False
    word = match["level"]
    severity = _WORD_SEVERITY.get(word) if len(word) > 1 else _LETTER_SEVERITY.get(word)
    if severity is None:  # an upper-case first word that is not a level ("OK done"): no inline level
        return None, None, text, False
    rest = match["rest"]
    component_match = _COMPONENT.match(rest)
    if not component_match:
        return severity, None, rest, False
    component = component_match["component"]
    message = component_match["rest"].lstrip(" ")
    if message.startswith(JS_CONSOLE_TAG):
        return severity, component, message[len(JS_CONSOLE_TAG):].lstrip(" "), True
    return severity, component, message, False


def parse_loggingctl_line(line: str) -> VegaLogRecord | None:
    """One ``short_precise`` line as a record; None for anything else (blank lines, ``-- Boot ... --``
    separators, comments in captures)."""
    stripped = line.rstrip("\r\n")
    match = _LINE.match(stripped)
    if not match:
        return None
    text = match["text"].strip()
    inline_severity, component, message, javascript = _split_inline(text)
    facility_severity = _severity_name(match["fseverity"]) if match["fseverity"] else None
    return VegaLogRecord(
        timestamp=match["timestamp"], host=match["host"], process=match["process"],
        pid=int(match["pid"]) if match["pid"] else None, message=message, text=text,
        facility=match["facility"], severity=facility_severity or inline_severity, component=component,
        javascript=javascript, raw=stripped)


class ConsoleCopyFilter:
    """Drops the second copy loggingctl prints of each JS ``console.info`` line, one record at a time
    (for a live stream; :func:`collapse_doubled` does the same over a sequence).

    A JS info record whose process, pid and text match an earlier one still waiting for its copy is
    that copy; copies may come after other lines (sema-firetv's collector drops repeats among the
    last 400 messages rather than adjacent ones). Each original pairs with one copy only, so an app
    that logs the same line twice gets two records, as it should.
    ASSUMPTION: both copies carry the same process, pid and text (the timestamps may differ), only
    ``console.info`` is doubled, and a copy follows its original within ``window`` JS info lines of
    that process (settle by: log a counter with console.info/log/warn on a VVD and a stick and diff
    the copies).
    """

    def __init__(self, window: int = 400) -> None:
        self.window = window
        self._waiting: dict[tuple[str, int | None], list[str]] = {}

    def accept(self, record: VegaLogRecord) -> bool:
        """False when ``record`` is the copy of an earlier console.info line."""
        if not (record.javascript and record.severity == "info"):
            return True
        waiting = self._waiting.setdefault((record.process, record.pid), [])
        if record.text in waiting:
            waiting.remove(record.text)
            return False
        waiting.append(record.text)
        del waiting[:-self.window]
        return True


def collapse_doubled(records: Iterable[VegaLogRecord], window: int = 400) -> Iterator[VegaLogRecord]:
    """The records without the doubled JS ``console.info`` copies (see :class:`ConsoleCopyFilter`)."""
    copies = ConsoleCopyFilter(window)
    return (record for record in records if copies.accept(record))


def marker_command(tag: str, message: str) -> list[str]:
    """``logger`` words that put ``message`` into the journal under ``tag`` (daemon8 marks its
    loggingctl stream this way); the driver quotes them for the device shell."""
    return ["logger", "-t", tag, "-p", "user.info", "--", message]
