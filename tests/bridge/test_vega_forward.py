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


def test_vega_toolkit_route_through_the_real_adb_server_reports_relaunch(virtual_device):
    """VegaDriver's toolkit route end to end up to the device: adb forward tcp:0 -> tcp:8383 on the real
    adb server, HTTP POST to the forwarded port. Nothing listens on the device's 8383 (as on a Vega
    device whose app started without the toolkit flag), so adbd refuses the stream, adb closes the
    socket, and the driver says to relaunch the app with the toolkit enabled."""
    from firebridge.device.firetv import FireTV
    from firebridge.platforms.vega.driver import VegaDriver
    from firebridge.platforms.vega.errors import ToolkitUnavailable

    transport = FireTV(virtual_device.serial, adb_server=virtual_device.adb_server.address)
    vega = VegaDriver(transport, enable_toolkit=False)  # the typed error, not a relaunch of the app on screen
    try:
        with pytest.raises(ToolkitUnavailable, match="automation-toolkit.enable"):
            vega.ui_tree()
        port = vega._forward_port
        assert port and (virtual_device.serial, f"tcp:{port}", "tcp:8383") in transport.server.list_forward()
    finally:
        vega.close()
    assert all(entry[1] != f"tcp:{port}" for entry in transport.server.list_forward())
