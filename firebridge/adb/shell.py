"""The typed result of a device shell command, and the protocol every shell-capable object offers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence

from firebridge.errors import CommandFailed


@dataclass(frozen=True)
class ShellResult:
    """What a shell command printed and how it exited (shell protocol v2 keeps the streams apart)."""

    command: str
    stdout: str
    stderr: str
    exit_code: int

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    def check(self, hint: str = "") -> "ShellResult":
        """Raise CommandFailed unless the command exited 0; return self otherwise."""
        if self.exit_code != 0:
            raise CommandFailed(self.command, self.exit_code, self.stdout, self.stderr, hint)
        return self


class Shell(Protocol):
    """Anything that runs device shell commands (firebridge.device.firetv.FireTV does)."""

    serial: str

    def shell(self, command: str | Sequence[str], timeout: float | None = None) -> ShellResult:
        """Run a command (a list is quoted word by word) and return its result; never raises on a
        non-zero exit (use ``.check()``), raises AdbTimeout / DeviceUnavailable on transport trouble."""
        ...
