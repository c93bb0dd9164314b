"""Is this adb device a Vega OS device, and which serial is the default? (pure; no I/O)

Vega is Linux (Yocto), not Android: it has no ``getprop``/``input``/``am``/``pm``, and it has
``loggingctl``, ``inputd-cli``, ``vlcm`` (Amazon's Vega docs). daemon8 tells the two apart over the
wire by looking for ``loggingctl`` (crates/adb/src/device_manager.rs); firebridge looks for the three
Vega tools and for ``getprop``. A Vega Virtual Device registers on adb as ``emulator-5554`` like an
Android emulator; the probe still finds the Vega tools there, so it is Vega, not an emulator.
"""

from __future__ import annotations

from typing import Mapping

VEGA_TOOLS = ("loggingctl", "inputd-cli", "vlcm")
# One line per tool found (its path); ``command -v`` is a POSIX shell builtin, so the probe needs no
# ``which`` binary (toybox on Fire OS and Vega's /bin/sh both have it). ``true``: exit 0 either way.
PROBE_COMMAND = "for c in loggingctl inputd-cli vlcm getprop; do command -v \"$c\"; done; true"

# Default-target environment variables, most specific first: VEGA_SERIAL (Vega SDK 0.24 and 2.0
# docs), VDA_SERIAL (SDK 0.21-0.23 docs), ANDROID_SERIAL (honoured by vda, an adb fork, per Porthole).
SERIAL_ENV_VARS = ("VEGA_SERIAL", "VDA_SERIAL", "ANDROID_SERIAL")


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
    for name in SERIAL_ENV_VARS:
        value = (env.get(name) or "").strip()
        if value:
            return value
    return None
