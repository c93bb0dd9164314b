"""firebridge's typed errors. Each says what went wrong and how to fix it."""

from __future__ import annotations


class FirebridgeError(Exception):
    """Base of every error firebridge raises on purpose."""


class DeviceUnavailable(FirebridgeError):
    """The device is not attached, offline, or its transport dropped and did not come back."""


class DeviceUnauthorized(FirebridgeError):
    """The device has not accepted this host's adb key."""

    def __init__(self, serial: str) -> None:
        super().__init__(
            f"{serial} is unauthorized: on the TV, accept the \"Allow USB debugging?\" prompt (tick \"Always "
            f"allow from this computer\"). If no prompt shows, turn ADB debugging off and on in Settings > "
            f"My Fire TV > Developer Options, then reconnect.")
        self.serial = serial


class AdbTimeout(FirebridgeError):
    """An adb request did not finish in time."""


class CommandFailed(FirebridgeError):
    """A device shell command exited non-zero."""

    def __init__(self, command: str, exit_code: int, stdout: str = "", stderr: str = "", hint: str = "") -> None:
        detail = (stderr or stdout).strip()
        message = f"`{command}` exited with {exit_code}" + (f": {detail[-500:]}" if detail else "")
        super().__init__(message + (f". {hint}" if hint else ""))
        self.command = command
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr


class ConfigError(FirebridgeError):
    """A user-provided file (YAML) or value is invalid; names the file and line and how to fix it."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        where = f"{path}:{line}: " if path and line else (f"{path}: " if path else "")
        super().__init__(where + message)
        self.path = path
        self.line = line


class HelperAppMissing(FirebridgeError):
    """The PMR helper app is not installed on the device."""
