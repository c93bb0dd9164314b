"""AdbServerClient.forward (the Vega toolkit's route to device port 8383) against the real adb server."""

from __future__ import annotations

import pytest

from firebridge.adb.wire import AdbServerClient
from firebridge.errors import DeviceUnavailable


@pytest.fixture
def server(virtual_device) -> AdbServerClient:
    host, _, port = virtual_device.adb_server.address.rpartition(":")
    return AdbServerClient(host or "127.0.0.1", int(port))


def test_forward_tcp0_returns_the_port_the_server_chose_and_can_be_removed(server, virtual_device):
    serial = virtual_device.serial
    port = server.forward(serial, "tcp:0", "tcp:8383")
    try:
        assert 0 < port < 65536
        assert (serial, f"tcp:{port}", "tcp:8383") in server.list_forward()
    finally:
        server.remove_forward(serial, f"tcp:{port}")
    assert (serial, f"tcp:{port}", "tcp:8383") not in server.list_forward()


def test_forward_to_an_unknown_serial_is_a_typed_error(server):
    with pytest.raises(DeviceUnavailable, match="not attached"):
        server.forward("no-such-device-1234", "tcp:0", "tcp:8383")
