"""One device log record, whatever the platform's log format (logcat threadtime, Vega's journal)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LogRecord:
    """A parsed log line. ``date``/``time`` are the device's own text ("12-03", "04:05:06.789");
    ``level`` is one letter (V D I W E F A); ``message`` is what the program logged."""

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
