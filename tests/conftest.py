"""Helpers for firebridge's own tests."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from firebridge.adb.server import AdbServer, bundled_adb
from firebridge.lab.benchup import VirtualDeviceSession, start_trusted_virtual_device

from firebridge.virtual.shell.interpreter import Shell
from firebridge.virtual.shell.streams import BufferSink, BytesSource
from firebridge.virtual.fireos.personality import create_device
from firebridge.virtual.fireos.system import VirtualDevice


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
    return create_device(tmp_path, model="AFTMM")


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


# -- a private adb server and virtual devices (firebridge's own tests; not part of the shipped plugin) ------
@pytest.fixture(scope="session")
def adb_server(tmp_path_factory: pytest.TempPathFactory):
    """A private adb server (bundled adb, free port, own HOME; the user's adb key), stopped by pid at the end."""
    server = AdbServer(adb=bundled_adb(), home=tmp_path_factory.mktemp("adb-home")).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def virtual_device(adb_server: AdbServer, tmp_path_factory: pytest.TempPathFactory):
    """A virtual Fire TV (its own process, authentication on) connected to ``adb_server``."""
    session = start_trusted_virtual_device(adb_server, tmp_path_factory.mktemp("virtual-firetv"))
    try:
        yield session
    finally:
        adb_server.client().disconnect(session.serial)
        session.process.stop()


def virtual_device_factory(adb_server: AdbServer, tmp_path_factory: pytest.TempPathFactory):
    """The body of a factory fixture: yields ``start(**options)``; every device it started is
    disconnected and stopped by pid when the fixture ends (whatever its scope)."""
    sessions: list[VirtualDeviceSession] = []

    def start(**options) -> VirtualDeviceSession:
        session = start_trusted_virtual_device(adb_server, tmp_path_factory.mktemp("virtual-firetv"), **options)
        sessions.append(session)
        return session

    yield start
    for session in sessions:
        try:
            adb_server.client().disconnect(session.serial)
        finally:
            session.process.stop()


@pytest.fixture
def start_virtual_device(adb_server: AdbServer, tmp_path_factory: pytest.TempPathFactory):
    """A factory for fresh virtual Fire TVs on ``adb_server`` (each its own process), for tests that
    need a device in its initial state or with options: ``start_virtual_device(speed=20, model="AFTKA")``.
    Every device it started is disconnected and stopped by pid when the test ends."""
    yield from virtual_device_factory(adb_server, tmp_path_factory)
