"""The seam between the adb daemon and the device model behind it: a device personality.

``firebridge.virtual.adbd`` (CNXN banner, shell/exec, sync, ``tcp:PORT`` forwards) and
``firebridge.virtual.shell`` each say what they need from a device (:class:`~.adbd.protocol.DaemonHost`,
:class:`~.adbd.services.ServiceHost`, :class:`~.shell.interpreter.ShellHost`); a personality offers all of
it, so a Fire OS (Android) device and a Vega OS (Linux) device plug in beside each other. Neither
platform's model imports this module: each satisfies the protocol as it is. Which personality a device
gets is :func:`firebridge.virtual.devices.create_device`'s choice.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Protocol

from firebridge.virtual.adbd.protocol import DaemonHost
from firebridge.virtual.adbd.services import ServiceHost
from firebridge.virtual.clock import DeviceClock


class DeviceLog(Protocol):
    def bind_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        """Wake readers on ``loop`` (the device's event loop) when lines arrive."""


class DevicePersonality(DaemonHost, ServiceHost, Protocol):
    """What adbd, the shell and the server that runs them need from a device, whatever its operating system."""

    serial: str
    workdir: Path
    clock: DeviceClock

    @property
    def log(self) -> DeviceLog: ...

    def features(self) -> list[str]:
        """The device's adb feature list."""

    def close(self) -> None:
        """Shut down (power off or reboot); the owner removes ``workdir``."""
