"""Helpers for firebridge's own tests."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from firebridge.virtual.shell.interpreter import Shell
from firebridge.virtual.shell.streams import BufferSink, BytesSource
from firebridge.virtual.fireos.system import VirtualDevice
import firebridge.virtual.fireos.commands  # noqa: F401  (registers the device commands)


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


def _port_5037_answers() -> bool:
    import socket
    try:
        with socket.create_connection(("127.0.0.1", 5037), timeout=0.3):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session", autouse=True)
def never_start_the_default_adb_server():
    """Tests run their own adb servers; one appearing on 5037 means something started a lab's server."""
    before = _port_5037_answers()
    yield
    if not before and _port_5037_answers():
        pytest.fail("an adb server appeared on port 5037 during the tests (adbutils auto-start?); "
                    "tests must only use their private servers")


REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def this_checkout():
    """Subprocesses (pytest, its workers, virtual devices) import this checkout's firebridge, whatever the
    working directory (pytester changes it) and wherever an installed firebridge points."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
        yield
