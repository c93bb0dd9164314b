"""firebridge's pytest plugin: fixtures that give tests an adb server and a virtual Fire TV.

Every adb server here runs on a private port (never 5037, where a lab's own server may live) and,
like every virtual device, is a child process stopped by its pid when the fixture ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from .adbserver import AdbServer, bundled_adb
from .connect import connect_device
from .virtual.process import VirtualFireTVProcess


@dataclass
class VirtualDeviceSession:
    """A running virtual Fire TV connected to a private adb server."""

    process: VirtualFireTVProcess
    adb_server: AdbServer

    @property
    def serial(self) -> str:
        """The adb serial (``127.0.0.1:PORT``)."""
        return self.process.address

    def adb(self, *args: str, timeout: float = 30.0, input: bytes | None = None):
        """Run ``adb -s SERIAL ARGS`` against the private server (a CompletedProcess)."""
        return self.adb_server.run("-s", self.serial, *args, timeout=timeout, input=input)

    def adbutils_device(self):
        """The device as stock adbutils sees it."""
        return self.adb_server.client().device(self.serial)


def start_adb_server(home: Path) -> AdbServer:
    """An adb server from the adbutils wheel on a free private port, with its own ~/.android."""
    return AdbServer(adb=bundled_adb(), home=home).start()


def start_trusted_virtual_device(server: AdbServer, workdir: Path, **options) -> VirtualDeviceSession:
    """A virtual Fire TV that already trusts ``server``'s key (as after "Always allow"), connected."""
    assert server.home is not None, "the adb server needs its own home to know its key"
    keys = workdir / "adb_keys"
    keys.write_text((server.home / ".android" / "adbkey.pub").read_text())
    process = VirtualFireTVProcess(auth=options.pop("auth", "required"), adb_keys=keys, **options).start()
    try:
        connect_device(server.client(), process.address)
    except BaseException:
        process.stop()
        raise
    return VirtualDeviceSession(process, server)


@pytest.fixture(scope="session")
def adb_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdbServer]:
    """A private adb server (bundled adb, free port, own key), stopped by pid at the end."""
    server = start_adb_server(tmp_path_factory.mktemp("adb-home"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def virtual_device(adb_server: AdbServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtualDeviceSession]:
    """A virtual Fire TV (its own process, authentication on) connected to ``adb_server``."""
    session = start_trusted_virtual_device(adb_server, tmp_path_factory.mktemp("virtual-firetv"))
    try:
        yield session
    finally:
        adb_server.client().disconnect(session.serial)
        session.process.stop()


@pytest.fixture
def start_virtual_device(adb_server: AdbServer, tmp_path_factory: pytest.TempPathFactory):
    """A factory for fresh virtual Fire TVs on ``adb_server`` (each its own process), for tests that
    need a device in its initial state or with options: ``start_virtual_device(speed=20, model="AFTKA")``.
    Every device it started is disconnected and stopped by pid when the test ends."""
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
