"""Device selection (`--device`) with the real adb server, virtual devices and a stand-in SDK emulator."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from firebridge.adb.server import AdbServer, free_port
from firebridge.adb.wire import AdbServerUnreachable
from firebridge.errors import ConfigError, ConnectFailed, DeviceUnauthorized, DeviceUnavailable
from firebridge.selection import DeviceSelector
from firebridge.virtual.process import VirtualFireTVProcess

FAKE_SDK = Path(__file__).resolve().parents[1] / "fake_sdk"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ANDROID_SERIAL", "ANDROID_SDK_ROOT", "ANDROID_HOME",
                                                             "FIREBRIDGE_AVD", "ADB_SERVER_SOCKET",
                                                             "ANDROID_ADB_SERVER_ADDRESS", "ANDROID_ADB_SERVER_PORT")}
    # No SDK emulator unless a test adds one; keep this Python first (the stand-in emulator is a script).
    env["PATH"] = f"{Path(sys.executable).parent}:/usr/bin:/bin"
    env.update(extra)
    return env


@pytest.fixture
def server(tmp_path):
    with AdbServer(home=tmp_path / "adb-home") as srv:
        yield srv


def test_auto_with_nothing_attached_starts_the_virtual_device(server, tmp_path):
    selection = DeviceSelector(server.address, env=_env(), workdir=tmp_path).select("auto")
    try:
        assert selection.kind == "virtual"
        assert selection.firetv.shell("getprop ro.product.manufacturer").stdout == "Amazon\n"
        notes = " | ".join(selection.summary())
        assert "no authorized Fire TV attached" in notes and "no running emulator" in notes
        assert "no Android SDK emulator" in notes
        pid = int(selection.reason.split("pid ")[1].split(")")[0])
    finally:
        selection.close()
    assert not Path(f"/proc/{pid}").exists()  # stopped by its pid


def test_auto_prefers_an_attached_fire_tv_and_names_the_unauthorized_one(server, tmp_path):
    keys = tmp_path / "keys"
    keys.write_text((server.home / ".android" / "adbkey.pub").read_text())
    with VirtualFireTVProcess(auth="required", adb_keys=keys) as trusted, \
            VirtualFireTVProcess(auth="required", adb_keys=tmp_path / "none") as locked:
        server.client().connect(locked.address, timeout=10)
        server.client().connect(trusted.address, timeout=10)
        selection = DeviceSelector(server.address, env=_env(), workdir=tmp_path).select()
        try:
            assert (selection.serial, selection.kind) == (trusted.address, "network")
            assert "first attached, authorized Fire TV (AFTMM)" in selection.reason
            assert any(locked.address in note and "Allow USB debugging" in note for note in selection.passed_over)
        finally:
            selection.close()
        with pytest.raises(DeviceUnauthorized, match="Allow USB debugging"):
            DeviceSelector(server.address, env=_env(), workdir=tmp_path, connect_timeout=1).select(locked.address)


def test_android_serial_and_unknown_serials(server, tmp_path):
    with pytest.raises(DeviceUnavailable, match="no such device.*adb devices"):
        DeviceSelector(server.address, env=_env(ANDROID_SERIAL="G070XX"), workdir=tmp_path).select()


def test_host_port_is_connected_first(server, tmp_path):
    keys = tmp_path / "keys"
    keys.write_text((server.home / ".android" / "adbkey.pub").read_text())
    with VirtualFireTVProcess(auth="required", adb_keys=keys) as tv:
        selection = DeviceSelector(server.address, env=_env(), workdir=tmp_path).select(tv.address)
        assert selection.kind == "network" and "adb connect" in selection.reason
        assert selection.firetv.model == "AFTMM"
        selection.close()


def test_explicit_server_that_does_not_answer(tmp_path):
    with pytest.raises(AdbServerUnreachable, match="no adb server answers"):
        DeviceSelector(f"127.0.0.1:{free_port()}", env=_env(), workdir=tmp_path).select("virtual")


def test_no_server_on_the_default_port_starts_a_private_one(tmp_path):
    env = _env(ANDROID_ADB_SERVER_PORT=str(free_port()))  # stands in for an idle 5037
    selection = DeviceSelector(env=env, workdir=tmp_path).select("virtual")
    try:
        assert any("started a private one" in note for note in selection.notes)
        assert selection.firetv.shell("echo ok").stdout == "ok\n"
    finally:
        selection.close()


def test_emulator_is_booted_headless_and_listed_by_adb_as_emulator(server, tmp_path):
    env = _env(ANDROID_SDK_ROOT=str(FAKE_SDK))
    selection = DeviceSelector(server.address, env=env, workdir=tmp_path).select("emulator:Fire_TV_Stand_In")
    try:
        assert selection.kind == "emulator"
        assert selection.serial.startswith("emulator-55")
        assert selection.firetv.shell("getprop sys.boot_completed").stdout == "1\n"
        serial = selection.serial
    finally:
        selection.close()
    # Shut down: the adb server no longer lists it as a usable device.
    from firebridge.waiting import wait_until
    wait_until(lambda: all(not (e.serial == serial and e.state == "device")
                           for e in selection.firetv.server.devices()), 15, f"{serial} to go away")


def test_auto_boots_the_configured_avd_and_explains_a_missing_one(server, tmp_path):
    env = _env(ANDROID_SDK_ROOT=str(FAKE_SDK))
    selection = DeviceSelector(server.address, env=env, workdir=tmp_path).select("auto")
    try:
        assert selection.kind == "virtual"
        assert any("no AVD configured" in note and "Fire_TV_Stand_In" in note for note in selection.passed_over)
    finally:
        selection.close()
    selection = DeviceSelector(server.address, env=dict(env, FIREBRIDGE_AVD="Fire_TV_Stand_In"),
                               workdir=tmp_path).select("auto")
    try:
        assert selection.kind == "emulator" and "booted AVD Fire_TV_Stand_In" in selection.reason
    finally:
        selection.close()
    with pytest.raises(ConfigError, match="no AVD named 'Nope'"):
        DeviceSelector(server.address, env=env, workdir=tmp_path).select("emulator:Nope")


def test_an_address_that_refuses_fails_at_once_and_says_how_to_fix_it(server, tmp_path):
    import time
    address = f"127.0.0.1:{free_port()}"
    started = time.monotonic()
    with pytest.raises(ConnectFailed) as caught:
        DeviceSelector(server.address, env=_env(), workdir=tmp_path).select(address)
    assert time.monotonic() - started < 3  # was 15 s: the whole connect timeout after one refused `adb connect`
    assert address in str(caught.value) and "ADB debugging" in str(caught.value)


def test_an_unknown_avd_is_named_with_the_available_ones(server, tmp_path):
    with pytest.raises(ConfigError, match="no AVD named 'NoSuchAvd'; available: Fire_TV_Stand_In"):
        DeviceSelector(server.address, env=_env(ANDROID_SDK_ROOT=str(FAKE_SDK)), workdir=tmp_path).select(
            "emulator:NoSuchAvd")
    with pytest.raises(DeviceUnavailable, match="emulator:NoSuchAvd: no Android SDK emulator found"):
        DeviceSelector(server.address, env=_env(), workdir=tmp_path).select("emulator:NoSuchAvd")


def test_adb_server_socket_and_port_variables_choose_the_server(server, tmp_path):
    for env in (_env(ADB_SERVER_SOCKET=f"tcp:{server.address}"), _env(ANDROID_ADB_SERVER_PORT=str(server.port)),
                _env(ADB_SERVER_SOCKET=f"tcp:{server.port}", ANDROID_ADB_SERVER_PORT=str(free_port()))):
        selection = DeviceSelector(env=env, workdir=tmp_path).select("virtual")
        try:
            assert selection.firetv.adb_server == server.address and not selection.notes, env
        finally:
            selection.close()


def test_a_socket_variable_that_points_at_nothing_is_an_error_not_a_private_server(tmp_path):
    address = f"127.0.0.1:{free_port()}"
    with pytest.raises(AdbServerUnreachable, match=rf"no adb server answers at {address} \(\$ADB_SERVER_SOCKET\)"):
        DeviceSelector(env=_env(ADB_SERVER_SOCKET=f"tcp:{address}"), workdir=tmp_path).select("virtual")
