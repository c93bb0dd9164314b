"""adb's conventions for choosing the server and the device (firebridge.adb.env) — pure."""

from __future__ import annotations

import pytest

from firebridge.adb.env import choose_serial, choose_server, client_env, parse_socket_spec
from firebridge.errors import ConfigError


def test_the_server_in_adbs_order():
    assert choose_server(None, {}).address == "127.0.0.1:5037"
    assert not choose_server(None, {}).explicit
    port_only = choose_server(None, {"ANDROID_ADB_SERVER_PORT": "5038"})
    assert (port_only.address, port_only.explicit) == ("127.0.0.1:5038", False)  # still this host's server
    remote = choose_server(None, {"ANDROID_ADB_SERVER_ADDRESS": "bench-1", "ANDROID_ADB_SERVER_PORT": "5039"})
    assert (remote.address, remote.explicit) == ("bench-1:5039", True)
    socket_env = {"ADB_SERVER_SOCKET": "tcp:192.168.1.5:5040", "ANDROID_ADB_SERVER_PORT": "5038",
                  "ANDROID_ADB_SERVER_ADDRESS": "bench-1"}
    chosen = choose_server(None, socket_env)  # adb prefers the socket over ADDRESS/PORT
    assert (chosen.address, chosen.source, chosen.explicit) == ("192.168.1.5:5040", "$ADB_SERVER_SOCKET", True)
    flag = choose_server("10.0.0.2:5037", socket_env)  # -H/-P (here --adb-server) win over every variable
    assert (flag.address, flag.source) == ("10.0.0.2:5037", "--adb-server")


def test_socket_specs():
    assert parse_socket_spec("tcp:5041") == "127.0.0.1:5041"
    assert parse_socket_spec("tcp:localhost:5041") == "localhost:5041"
    with pytest.raises(ConfigError, match="TCP only"):
        parse_socket_spec("localfilesystem:/tmp/adb.sock")
    with pytest.raises(ConfigError, match="port number"):
        parse_socket_spec("tcp:host:99999")
    with pytest.raises(ConfigError, match=r"\$ANDROID_ADB_SERVER_PORT must be a port"):
        choose_server(None, {"ANDROID_ADB_SERVER_PORT": "five"})


def test_the_device_in_adbs_order():
    assert choose_serial(None, {}) is None
    assert choose_serial(None, {"ANDROID_SERIAL": "G070VM"}) == "G070VM"
    assert choose_serial("192.168.1.20:5555", {"ANDROID_SERIAL": "G070VM"}) == "192.168.1.20:5555"  # -s wins


def test_a_child_adb_is_pointed_at_one_server_only():
    env = client_env("127.0.0.1:6001", {"ADB_SERVER_SOCKET": "tcp:9:9", "ANDROID_ADB_SERVER_ADDRESS": "x",
                                        "PATH": "/bin"})
    assert env == {"ANDROID_ADB_SERVER_PORT": "6001", "PATH": "/bin"}
    assert client_env("bench-1:5037", {})["ANDROID_ADB_SERVER_ADDRESS"] == "bench-1"
