"""firebridge's typed errors. Each says what went wrong and how to fix it."""

from __future__ import annotations


class FirebridgeError(Exception):
    """Base of every error firebridge raises on purpose."""


class DeviceUnavailable(FirebridgeError):
    """The device is not attached, offline, or its transport dropped and did not come back."""


class AdbServerUnreachable(DeviceUnavailable):
    """Nothing answers at the adb server's address.

    firebridge never starts a server on its own here: adbutils would run `adb start-server`, which
    listens on 5037 whatever port was asked for — on a lab bench that is somebody else's server.
    """

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message  # the socket's words alone (for callers that give their own fix)


class DeviceNotFound(DeviceUnavailable):
    """The adb server does not list the device at all (unplugged, never connected, or its transport is gone)."""

    def __init__(self, serial: str, attached: str = "", hint: str = "") -> None:
        listed = f" (attached: {attached})" if attached else ""
        super().__init__(hint or (
            f"{serial} is not attached to the adb server{listed}: check the cable and `adb devices`; for a "
            f"network device run `adb connect {serial}`"))
        self.serial = serial


class ConnectFailed(DeviceNotFound):
    """``adb connect HOST:PORT`` could not reach the device (refused, timed out, no route)."""

    def __init__(self, address: str, answer: str) -> None:
        super().__init__(address, hint=(
            f"adb connect {address} failed ({answer.strip() or 'no answer'}): check the address, that the TV is "
            f"on and on this network, and that ADB debugging is on (Settings > My Fire TV > Developer Options; "
            f"the port is 5555)"))
        self.address = address
        self.answer = answer


class DeviceOffline(DeviceUnavailable):
    """The adb server lists the device but cannot talk to it (``offline``), or it does not answer a shell."""

    def __init__(self, serial: str, state: str = "offline", detail: str = "") -> None:
        super().__init__(
            f"{serial} is {detail or state}: adb sees it but cannot use it; check its power and its cable or network, "
            f"then run `adb reconnect offline` (a network device: `adb disconnect {serial}; adb connect {serial}`)")
        self.serial = serial
        self.state = state  # adb's word for it; "device" when listed as one but silent


class DeviceUnauthorized(FirebridgeError):
    """The device has not accepted this host's adb key."""

    def __init__(self, serial: str) -> None:
        super().__init__(
            f"{serial} is unauthorized: press Allow on the TV's \"Allow USB debugging?\" prompt (tick \"Always "
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


class HelperBuildError(FirebridgeError):
    """The PMR helper APK could not be built (a missing build tool, a keystore problem, a tool failure)."""


class StateRestoreFailed(FirebridgeError):
    """The device could not be brought back to the known state a test starts from (signed in, app
    stopped, home screen): the test did not run, and the failure is the lab's, not the app's."""


class DeviceLost(DeviceUnavailable):
    """The device went away earlier in the run and did not come back: a test that needs it is not run."""
