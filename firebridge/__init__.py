"""firebridge: an ADB device bridge and hardware test runner for Amazon Fire TV (Fire OS and Vega OS).

The public API, importable from here (loaded on first use, so ``import firebridge`` stays cheap):

Device and platforms
    :class:`FireTV` — one device behind an adb server: ``shell()``, ``run()``, ``push``/``pull``,
    ``screenshot()``, and ``driver`` (the platform's :class:`Driver`, probed over the wire: Fire OS or
    Vega OS). :func:`probe` picks the driver for any transport. :class:`DeviceSelector` chooses the
    device a run uses (``SERIAL | HOST:PORT | emulator[:AVD] | virtual | auto``).
    :class:`Platform`, :class:`Feature`, :class:`Support`, :class:`Identity` describe what a device is
    and has; a feature a platform lacks is declared with its reason.

What tests ask for (platform-free)
    :class:`Remote` (key names: :class:`Key`, :func:`parse_key`), :class:`Home` and
    :class:`HomeSnapshot` (the home screen's rows), :class:`Privacy` and :class:`Consent` (the two
    consents Continue Watching depends on), :class:`PMR` and :class:`Recommendation` (Partner-Managed
    Rows, Fire OS), :class:`AppProfile` / :func:`load_profile` / :class:`AppDriver` (the app under test),
    :class:`LogTail` (the device log under pexpect, whole on disk), :class:`UiTree` / :class:`UiNode`.

Results and errors
    :class:`ShellResult`; :func:`wait_until` / :class:`WaitTimeout`; :class:`FirebridgeError` and its
    kinds :class:`DeviceUnavailable`, :class:`DeviceUnauthorized`, :class:`DeviceOffline`,
    :class:`DeviceLost`, :class:`AdbTimeout`, :class:`CommandFailed`, :class:`ConfigError` — each says
    how to fix its cause.

The pytest plugin (fixtures ``firetv``, ``remote``, ``home``, ``privacy``, ``pmr``, ``app``, ``logs``)
loads through the ``pytest11`` entry point; the layers are drawn in docs/architecture.md.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "FireTV": "firebridge.device.firetv",
    "DeviceSelector": "firebridge.selection",
    "probe": "firebridge.platforms",
    "Driver": "firebridge.driver.protocol",
    "Platform": "firebridge.driver.protocol",
    "Feature": "firebridge.driver.protocol",
    "Support": "firebridge.driver.protocol",
    "Identity": "firebridge.driver.protocol",
    "Key": "firebridge.driver.keys",
    "parse_key": "firebridge.driver.keys",
    "UiTree": "firebridge.driver.ui",
    "UiNode": "firebridge.driver.ui",
    "LogTail": "firebridge.device.logs",
    "Remote": "firebridge.capabilities.remote",
    "Home": "firebridge.capabilities.home",
    "HomeSnapshot": "firebridge.capabilities.home",
    "Privacy": "firebridge.capabilities.privacy",
    "Consent": "firebridge.capabilities.privacy",
    "PMR": "firebridge.capabilities.pmr",
    "Recommendation": "firebridge.capabilities.pmr",
    "AppProfile": "firebridge.capabilities.apps",
    "AppDriver": "firebridge.capabilities.apps",
    "load_profile": "firebridge.capabilities.apps",
    "ShellResult": "firebridge.adb.shell",
    "wait_until": "firebridge.waiting",
    "WaitTimeout": "firebridge.waiting",
    "FirebridgeError": "firebridge.errors",
    "DeviceUnavailable": "firebridge.errors",
    "DeviceUnauthorized": "firebridge.errors",
    "DeviceOffline": "firebridge.errors",
    "DeviceLost": "firebridge.errors",
    "AdbTimeout": "firebridge.errors",
    "CommandFailed": "firebridge.errors",
    "ConfigError": "firebridge.errors",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    """Load a public name from its module on first use (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'firebridge' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:  # for type checkers and IDEs: the same names, imported eagerly
    from firebridge.adb.shell import ShellResult
    from firebridge.capabilities.apps import AppDriver, AppProfile, load_profile
    from firebridge.capabilities.home import Home, HomeSnapshot
    from firebridge.capabilities.pmr import PMR, Recommendation
    from firebridge.capabilities.privacy import Consent, Privacy
    from firebridge.capabilities.remote import Remote
    from firebridge.device.firetv import FireTV
    from firebridge.device.logs import LogTail
    from firebridge.driver.keys import Key, parse_key
    from firebridge.driver.protocol import Driver, Feature, Identity, Platform, Support
    from firebridge.driver.ui import UiNode, UiTree
    from firebridge.errors import (AdbTimeout, CommandFailed, ConfigError, DeviceLost, DeviceOffline,
                                   DeviceUnauthorized, DeviceUnavailable, FirebridgeError)
    from firebridge.platforms import probe
    from firebridge.selection import DeviceSelector
    from firebridge.waiting import WaitTimeout, wait_until
