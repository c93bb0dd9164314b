"""Which device model to boot: a Fire OS or a Vega OS personality, by name.

The one module that knows both platforms; everything below it sees only the
:class:`~firebridge.virtual.personality.DevicePersonality` contract. Each personality builds its command
table and apps explicitly when a device is created (nothing is registered at import time).
"""

from __future__ import annotations

from pathlib import Path

from firebridge.virtual.fireos import personality as fireos
from firebridge.virtual.personality import DevicePersonality
from firebridge.virtual.vega import personality as vega

OPERATING_SYSTEMS = ("fireos", "vega")


def create_device(os_name: str, workdir: Path, *, model: str | None = None, serial: str | None = None,
                  speed: float = 1.0, flavour: str | None = None, timing: str = "fast") -> DevicePersonality:
    """A ready device of ``os_name`` ("fireos" or "vega"; Vega's ``flavour`` "vvd" is the Vega Virtual
    Device, default the Fire TV stick)."""
    if os_name == "fireos":
        return fireos.create_device(workdir, model=model or "AFTMM", serial=serial, speed=speed, timing=timing)
    if os_name == "vega":
        return vega.create_device(workdir, model=model, serial=serial, speed=speed, vvd=flavour == "vvd",
                                  timing=timing)
    raise ValueError(f"unknown device OS {os_name!r}: choose one of {', '.join(OPERATING_SYSTEMS)}")
