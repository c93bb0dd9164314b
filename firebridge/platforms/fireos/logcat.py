"""Fire OS's log: ``logcat`` commands and the ``-v threadtime`` line parser (pure)."""

from __future__ import annotations

import re

from firebridge.driver.logrecord import LogRecord

_THREADTIME = re.compile(
    r"^(?P<date>\d\d-\d\d) (?P<time>\d\d:\d\d:\d\d\.\d{3})\s+(?P<pid>\d+)\s+(?P<tid>\d+)\s+"
    r"(?P<level>[VDIWEFA])\s(?P<tag>.*?)\s*: (?P<message>.*)$")


# AOSP Input.java logs each event before injecting it (``Log.i(TAG, "injectKeyEvent: " + event)``), so a
# key's effects come after this line in logcat.
KEY_DOWN_INJECTED = r"injectKeyEvent: KeyEvent \{ action=ACTION_DOWN[^\n]*\n"


def parse_threadtime(line: str) -> LogRecord | None:
    """A threadtime line as a record; None for anything else (dividers, continuation garbage)."""
    match = _THREADTIME.match(line.rstrip("\r\n"))
    if not match:
        return None
    return LogRecord(match["date"], match["time"], int(match["pid"]), int(match["tid"]), match["level"],
                     match["tag"], match["message"])


def stream_command(fmt: str = "threadtime", tail_lines: int = 1) -> list[str]:
    """adb arguments that stream the log. ``-T N`` starts at the newest N lines instead of replaying
    the whole ring buffer."""
    return ["logcat", "-v", fmt, "-T", str(max(1, tail_lines))]


def excerpt_command(lines: int = 200) -> list[str]:
    """The last ``lines`` records, then exit (``-d``)."""
    return ["logcat", "-d", "-v", "threadtime", "-t", str(int(lines))]


def marker_command(tag: str, message: str, priority: str = "i") -> list[str]:
    """``log -p i -t TAG MESSAGE`` (/system/bin/log) writes one line into the main buffer."""
    return ["log", "-p", priority, "-t", tag, message]
