"""Platform drivers: everything that knows one operating system's commands and output formats.

:func:`probe` decides, over the wire, which platform a device runs and returns its driver. Never from a
model name: Fire TV Edition TVs use vendor model codes, and the same hardware ships Fire OS and Vega OS.
"""

from __future__ import annotations

import importlib
import importlib.util

from firebridge.driver.protocol import Driver, Platform, Transport
from firebridge.errors import FirebridgeError
from firebridge.platforms.vega.detect import VEGA_TOOLS, found_tools, looks_like_vega

# One call that both shells answer, and ONE rule over its output (platforms/vega/detect.py,
# looks_like_vega): Vega OS (Linux) has `loggingctl`, `inputd-cli`, `vlcm` and no `getprop`; Fire OS
# has `getprop` (docs/vega-os.md section 2: daemon8 tells them apart by `which loggingctl`). `command -v`
# is a builtin of mksh (Fire OS) and of POSIX shells (Vega), unlike `which`, which Fire OS 5's toolbox
# lacks (`which` is the fallback for a shell without `command`). The API level line confirms Fire OS;
# its marker keeps it apart from the tool paths whatever else a shell prints.
PROBE_COMMAND = ("for c in " + " ".join((*VEGA_TOOLS, "getprop")) + "; do command -v \"$c\" 2>/dev/null || "
                 "which \"$c\" 2>/dev/null; done; echo fb-probe-sdk:$(getprop ro.build.version.sdk 2>/dev/null)")
VEGA_DRIVER_MODULE = "firebridge.platforms.vega.driver"


class UnsupportedPlatform(FirebridgeError):
    """The device runs no platform firebridge has a driver for (or the driver is not installed)."""


def parse_probe(output: str) -> Platform | None:
    """The platform from :data:`PROBE_COMMAND`'s output (pure; tolerant of CRLF, which Fire OS 5
    prints through its PTY): Vega when :func:`~firebridge.platforms.vega.detect.looks_like_vega` says so
    (a Vega tool and no ``getprop``), Fire OS when ``getprop`` gave an API level, None otherwise."""
    sdk = ""
    paths = []
    for line in output.replace("\r", "\n").splitlines():
        line = line.strip()
        if line.startswith("fb-probe-sdk:"):
            sdk = line[len("fb-probe-sdk:"):].strip()
        elif line and " " not in line:  # a tool's path (error messages have spaces)
            paths.append(line)
    if looks_like_vega("\n".join(paths)):
        return Platform.VEGA
    if sdk.isdigit():
        return Platform.FIRE_OS
    return None


def driver_for_platform(platform: Platform, transport: Transport) -> Driver:
    """The driver of ``platform`` around ``transport``; UnsupportedPlatform if it is not available."""
    if platform is Platform.FIRE_OS:
        from firebridge.platforms.fireos.driver import FireOSDriver
        return FireOSDriver(transport)
    if importlib.util.find_spec("firebridge.platforms.vega") is None or \
            importlib.util.find_spec(VEGA_DRIVER_MODULE) is None:
        raise UnsupportedPlatform(
            f"{transport.serial} runs Vega OS, but this firebridge has no Vega OS driver "
            f"({VEGA_DRIVER_MODULE} is missing); update firebridge to a version with Vega OS support")
    module = importlib.import_module(VEGA_DRIVER_MODULE)
    return module.VegaDriver(transport)


def probe(transport: Transport) -> Driver:
    """Ask the device which platform it runs (one shell call) and return that platform's driver."""
    result = transport.shell(PROBE_COMMAND, timeout=15)
    platform = parse_probe(result.stdout + "\n" + result.stderr)
    if platform is None:
        shown = (result.stdout + result.stderr).strip()[:300]
        raise UnsupportedPlatform(
            f"{transport.serial} is neither Fire OS (no answer from `getprop`) nor Vega OS (no `loggingctl`); "
            f"the probe printed {shown!r}. Check that the serial names a Fire TV and that its shell works "
            f"(`adb -s {transport.serial} shell echo ok`)")
    return driver_for_platform(platform, transport)


__all__ = ["PROBE_COMMAND", "UnsupportedPlatform", "driver_for_platform", "parse_probe", "probe"]
