"""The typed result of a device shell command, and the protocol every shell-capable object offers."""

from __future__ import annotations

import shlex
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


V1_EXIT_MARKER = "FBEXIT:"


def normalize_newlines(text: str) -> str:
    """A PTY's CRLF (and a stray CR before it) as plain LF: ``adb shell`` on an adbd without shell_v2 (Fire
    OS 5) runs every command on a PTY, whose ONLCR turns each LF into CRLF (AOSP lollipop-mr1 services.c)."""
    return text.replace("\r\r\n", "\n").replace("\r\n", "\n")


def v1_script(script: str, marker: str = V1_EXIT_MARKER) -> str:
    """The script for a shell v1 stream: run in a child ``sh -c`` (so ``exit N`` still reaches the marker),
    then print the marker and ``$?``."""
    return f"sh -c {shlex.quote(script)}; echo {marker}$?"


def parse_shell_v1(raw: bytes, marker: str = V1_EXIT_MARKER) -> tuple[str, int]:
    """The output and exit status of ``CMD; echo MARKER$?`` run over a shell v1 (PTY) stream (pure):
    CRLF becomes LF; a missing marker (the connection died mid-command) is status -1."""
    text = normalize_newlines(raw.decode(errors="replace"))
    body, found, status = text.rpartition(marker)
    if not found:
        return text, -1
    try:
        return body, int(status.strip())
    except ValueError:
        return body, -1


class Shell(Protocol):
    """Anything that runs device shell commands (firebridge.device.firetv.FireTV does)."""

    serial: str

    def shell(self, command: str | Sequence[str], timeout: float | None = None) -> ShellResult:
        """Run a command (a list is quoted word by word) and return its result; never raises on a
        non-zero exit (use ``.check()``), raises AdbTimeout / DeviceUnavailable on transport trouble."""
        ...
