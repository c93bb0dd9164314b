"""ADB authentication on the virtual Fire TV, through the real adb server."""

from __future__ import annotations

import base64
import struct

import pytest

from firebridge.adb.server import AdbServer
from firebridge.adb.connect import DeviceUnauthorized, connect_device, device_state
from firebridge.virtual import VirtualFireTV
from firebridge.virtual.adbd.auth import InvalidKey, parse_public_key
from firebridge.virtual.process import VirtualFireTVProcess
from firebridge.waiting import wait_until


@pytest.fixture
def private_server(tmp_path):
    server = AdbServer(home=tmp_path / "home").start()
    yield server
    server.stop()


def _public_key(server: AdbServer) -> str:
    return (server.home / ".android" / "adbkey.pub").read_text()


def test_public_key_parsing_checks_the_blob(private_server):
    key = parse_public_key(_public_key(private_server))
    assert key.exponent == 65537 and key.modulus.bit_length() == 2048
    blob = bytearray(base64.b64decode(_public_key(private_server).split()[0]))
    struct.pack_into("<I", blob, 4, 12345)  # a wrong n0inv
    with pytest.raises(InvalidKey, match="inconsistent"):
        parse_public_key(base64.b64encode(bytes(blob)).decode())
    with pytest.raises(InvalidKey, match="base64"):
        parse_public_key("not*base64 user@host")


def test_unknown_key_stays_unauthorized_until_allowed(private_server, tmp_path):
    with VirtualFireTV(auth="required", adb_keys=tmp_path / "adb_keys") as tv:
        client = private_server.client()
        answer = client.connect(tv.address, timeout=10)
        assert "failed to authenticate" in answer
        assert device_state(client, tv.address) == "unauthorized"
        shell = private_server.run("-s", tv.address, "shell", "echo hi")
        assert shell.returncode != 0 and b"unauthorized" in shell.stderr
        with pytest.raises(DeviceUnauthorized, match="Allow USB debugging"):
            connect_device(client, tv.address, timeout=1)
        # The person at the TV presses "Allow": the same transport turns into a device.
        assert tv.allow_pending() == 1
        wait_until(lambda: device_state(client, tv.address) == "device", 10, "state device")
        assert private_server.run("-s", tv.address, "shell", "echo hi").stdout == b"hi\n"
        assert _public_key(private_server).split()[0] in (tmp_path / "adb_keys").read_text()


def test_a_trusted_key_connects_at_once(private_server, tmp_path):
    keys = tmp_path / "adb_keys"
    keys.write_text("garbage line\n" + _public_key(private_server))
    with VirtualFireTVProcess(auth="required", adb_keys=keys) as tv:
        answer = private_server.client().connect(tv.address, timeout=10)
        assert answer.startswith("connected to")
        assert device_state(private_server.client(), tv.address) == "device"


def test_accept_mode_allows_a_new_key_after_a_delay(private_server, tmp_path):
    with VirtualFireTVProcess(auth="accept", adb_keys=tmp_path / "adb_keys",
                              extra_args=("--accept-delay", "1.0")) as tv:
        client = private_server.client()
        client.connect(tv.address, timeout=10)
        assert device_state(client, tv.address) == "unauthorized"
        wait_until(lambda: device_state(client, tv.address) == "device", 10, "state device")
        assert private_server.run("-s", tv.address, "shell", "getprop ro.product.brand").stdout == b"Amazon\n"


def test_no_auth_mode_skips_authentication(private_server):
    with VirtualFireTVProcess(auth="none") as tv:
        assert private_server.client().connect(tv.address, timeout=10).startswith("connected to")
