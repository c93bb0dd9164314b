"""Helpers for firebridge's own tests."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import pytest

from firebridge.virtual.shell import Shell
from firebridge.virtual.shellio import BufferSink, BytesSource
from firebridge.virtual.system import VirtualDevice
import firebridge.virtual.commands  # noqa: F401  (registers the device commands)


@dataclass
class ShellResult:
    status: int
    stdout: str
    stderr: str


class DeviceShell:
    """Runs scripts straight against a VirtualDevice's shell (no wire), for the shell's own tests."""

    def __init__(self, device: VirtualDevice) -> None:
        self.device = device
        self.shell = Shell(device)

    def __call__(self, script: str, stdin: bytes = b"") -> ShellResult:
        out, err = BufferSink(), BufferSink()
        status = asyncio.run(self.shell.run(script, BytesSource(stdin), out, err))
        return ShellResult(status, out.data.decode(), err.data.decode())


@pytest.fixture
def device(tmp_path: Path) -> VirtualDevice:
    return VirtualDevice(tmp_path, model="AFTMM")


@pytest.fixture
def sh(device: VirtualDevice) -> DeviceShell:
    return DeviceShell(device)


SAMPLES = Path(__file__).resolve().parent / "samples"
