"""The seam between the adb daemon and the device model behind it: a device personality.

``firebridge.virtual.adbd`` (CNXN banner, shell/exec, sync, ``tcp:PORT`` forwards) talks only to this
interface, so a Fire OS (Android) device and a Vega OS (Linux) device plug in beside each other. Each
personality builds its command table and apps explicitly when a device is created (nothing is
registered at import time).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Awaitable, Callable, Protocol

from firebridge.virtual.fireos import personality as fireos
from firebridge.virtual.vega import personality as vega

if TYPE_CHECKING:
    from firebridge.virtual.adbd.protocol import Stream
    from firebridge.virtual.clock import DeviceClock
    from firebridge.virtual.fs import DeviceFileSystem
    from firebridge.virtual.shell.interpreter import CommandTable, ShellProfile

TcpHandler = Callable[["Stream"], Awaitable[None]]

OPERATING_SYSTEMS = ("fireos", "vega")


class ProcessIds(Protocol):
    def allocate(self) -> int: ...


class DeviceLog(Protocol):
    def bind_loop(self, loop) -> None: ...


class DevicePersonality(Protocol):
    """What adbd and the shell need from a device, whatever its operating system."""

    serial: str
    workdir: Path
    clock: "DeviceClock"
    fs: "DeviceFileSystem"
    log: DeviceLog
    processes: ProcessIds
    commands: "CommandTable"
    shell_profile: "ShellProfile"

    def banner(self, features: list[str]) -> bytes:
        """The CNXN identity string."""

    def features(self) -> list[str]:
        """The device's adb feature list."""

    def adbd_features(self) -> tuple[str, ...]:
        """The adbd features its CNXN banner advertises (which decide shell_v2, stat_v2, ...)."""

    def prompt(self, status: int) -> str:
        """The interactive shell's prompt after a command that exited with ``status``."""

    def file_owner(self, path: str) -> tuple[int, int]:
        """(uid, gid) that sync's STAT reports for a device path."""

    def open_tcp(self, port: int) -> TcpHandler | None:
        """A handler for one forwarded connection to ``port`` on the device, None if nothing listens."""

    def system_log(self, level: str, tag: str, message: str, process: str = ...) -> None:
        """Write a line from a named system process to the device's log."""


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
