"""Is this adb device a Vega OS device, and which serial is the default? (pure; no I/O)

Vega is Linux (Yocto), not Android: it has no ``getprop``/``input``/``am``/``pm``, and it has
``loggingctl``, ``inputd-cli``, ``vlcm`` (Amazon's Vega docs). daemon8 tells the two apart over the
wire by looking for ``loggingctl`` (crates/adb/src/device_manager.rs); firebridge looks for the three
Vega tools and for ``getprop``: :func:`looks_like_vega` is the one rule, and
:func:`firebridge.platforms.probe` applies it to its probe's output. A Vega Virtual Device registers on adb as ``emulator-5554`` like an
Android emulator; the probe still finds the Vega tools there, so it is Vega, not an emulator.
"""

from __future__ import annotations

from typing import Mapping

from firebridge.adb.env import SERIAL_ENV_VARS as _SERIAL_ENV_VARS, serial_from_env

VEGA_TOOLS = ("loggingctl", "inputd-cli", "vlcm")
# One line per tool found (its path). The probe that runs it is firebridge.platforms.PROBE_COMMAND
# (the same loop plus Fire OS's API level); this name stays for callers of the tool list alone.
PROBE_COMMAND = "for c in loggingctl inputd-cli vlcm getprop; do command -v \"$c\"; done; true"

# Default-target environment variables: one list, kept with the adb environment rules (adb/env.py).
SERIAL_ENV_VARS = _SERIAL_ENV_VARS


def found_tools(probe_output: str) -> set[str]:
    """Names of the probed tools the device has (the last path component of each output line)."""
    names = set()
    for line in probe_output.splitlines():
        line = line.strip()
        if line:
            names.add(line.rsplit("/", 1)[-1])
    return names


def looks_like_vega(probe_output: str) -> bool:
    """True when the output of :data:`PROBE_COMMAND` shows Vega's tools and no Android ``getprop``."""
    tools = found_tools(probe_output)
    return bool(tools & set(VEGA_TOOLS)) and "getprop" not in tools


def default_serial(env: Mapping[str, str]) -> str | None:
    """The serial the user chose through the environment: ``VEGA_SERIAL``, then ``VDA_SERIAL``, then
    ``ANDROID_SERIAL`` (empty values are ignored); None when none is set."""
    found = serial_from_env(env)
    return found[0] if found else None
