"""Typed errors of the Vega driver. Each says what the device answered and how to fix the cause."""

from __future__ import annotations

from firebridge.errors import FirebridgeError

# What every inputd-cli command prints when the developer shell service is down (developer mode off);
# verbatim from a real VVD (argent's vega-injection test, captured in tests/samples).
DEV_SHELL_DOWN = "No running instances of com.amazon.dev.shell.service found"


class VegaError(FirebridgeError):
    """A Vega tool on the device did not do what it was asked (its output says why)."""


class DeveloperModeOff(VegaError):
    """``inputd-cli`` cannot inject input: the device's developer mode (dev shell service) is off."""

    def __init__(self, serial: str, output: str = "") -> None:
        super().__init__(
            f"{serial}: inputd-cli cannot inject keys because developer mode is off (the device says "
            f"{(output.strip() or DEV_SHELL_DOWN)!r}). Turn it on: in a device shell run "
            f"`vsm developer-mode enable` (Vega Virtual Device: `adb -s {serial} shell vsm developer-mode enable`); "
            f"on a Fire TV stick use Settings > My Fire TV > Developer Options > Developer Mode, then retry.")
        self.serial = serial
        self.output = output


class KeyNotTaken(VegaError):
    """``inputd-cli`` did not confirm a key press (no ``Injecting Button Press`` line for it)."""


class UnknownVegaKey(VegaError, ValueError):
    """A firebridge key name with no Vega (Linux input) equivalent."""


class AppCommandFailed(VegaError):
    """``vmsgr``/``vlcm``/``vpm`` reported a failure (often with exit status 0)."""


class ToolkitUnavailable(VegaError):
    """The on-device automation toolkit gave no page source (not attached to the app in front)."""


class ToolkitError(VegaError):
    """The automation toolkit answered with a JSON-RPC error or a reply that is not JSON-RPC."""


class ScreenshotFailed(VegaError):
    """Neither ``gwsi-tool-screenshooter`` nor the toolkit produced a PNG."""
