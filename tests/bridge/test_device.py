"""FireTV against the virtual device through the real adb server, and its pure parsers on real captures."""

from __future__ import annotations

import uuid

import pytest

from firebridge.adb.server import AdbServer
from firebridge.device.firetv import FireTV, fire_os_version, parse_features, parse_getprop
from firebridge.errors import AdbTimeout, DeviceUnauthorized, DeviceUnavailable
from firebridge.virtual import VirtualFireTV

from ..conftest import SAMPLES


def test_parse_getprop_on_a_real_capture():
    props = parse_getprop((SAMPLES / "getprop_firetv_stick_aftt_partial.txt").read_text())
    assert props["ro.product.model"] == "AFTT"
    assert props["ro.build.version.sdk"] == "22"
    assert props["ro.build.platform.version"] == ""  # "[]" is an empty value
    assert fire_os_version(props) == "5"  # no version name in this capture: the API level says FOS5


def test_fire_os_version_sources():
    assert fire_os_version({"ro.build.version.name": "Fire OS 6.2.7.7 (NS6277/3033)"}) == "6.2.7.7"
    assert fire_os_version({"ro.build.version.name": "Fire OS 7.01065.5585"}) == "7.01065.5585"
    assert fire_os_version({"ro.build.mktg.fireos": "Fire OS 7.3.3.0"}) == "7.3.3.0"
    assert fire_os_version({"ro.product.manufacturer": "Google", "ro.build.version.sdk": "30"}) is None


def test_parse_features():
    text = "feature:reqGlEsVersion=0x30000\nfeature:amazon.hardware.fire_tv\nfeature:android.software.leanback\n"
    assert {"amazon.hardware.fire_tv", "android.software.leanback"} <= parse_features(text)


@pytest.fixture(scope="module")
def firetv(virtual_device) -> FireTV:
    return FireTV(virtual_device.serial, adb_server=virtual_device.adb_server.address)


def test_shell_returns_a_typed_result(firetv):
    result = firetv.shell("echo out; echo err >&2; exit 3")
    assert (result.stdout, result.stderr, result.exit_code, result.ok) == ("out\n", "err\n", 3, False)
    assert firetv.shell(["echo", "a b", "it's"]).stdout == "a b it's\n"  # lists are quoted word by word


def test_run_raises_command_failed_with_stderr(firetv):
    from firebridge.errors import CommandFailed
    with pytest.raises(CommandFailed, match="exited with 1: cat: /sdcard/none: No such file"):
        firetv.run("cat /sdcard/none")


def test_identity(firetv):
    assert firetv.model == "AFTMM"
    assert firetv.manufacturer == "Amazon"
    assert firetv.sdk == 25
    assert firetv.fire_os.startswith("6.")
    assert firetv.is_fire_tv


def test_timeout_is_typed(firetv):
    with pytest.raises(AdbTimeout):
        firetv.shell("sleep 5", timeout=0.3)
    assert firetv.shell("echo after").stdout == "after\n"


def test_unknown_serial_is_device_unavailable(virtual_device):
    tv = FireTV("192.0.2.1:5555", adb_server=virtual_device.adb_server.address, reconnect_timeout=0.5)
    with pytest.raises(DeviceUnavailable, match="not attached|did not come back"):
        tv.shell("echo hi")
    usb = FireTV("G070VM0000000000", adb_server=virtual_device.adb_server.address)
    with pytest.raises(DeviceUnavailable, match="adb devices"):
        usb.shell("echo hi")


def test_no_adb_server_is_device_unavailable():
    from firebridge.adb.server import free_port
    with pytest.raises(DeviceUnavailable, match="no adb server"):
        FireTV("x:5555", adb_server=f"127.0.0.1:{free_port()}").shell("echo")


def test_push_pull_and_screenshot(firetv, tmp_path):
    (tmp_path / "f.txt").write_text("firebridge\n")
    remote = f"/data/local/tmp/{uuid.uuid4().hex}.txt"
    firetv.push(tmp_path / "f.txt", remote)
    assert firetv.pull(remote, tmp_path / "g.txt").read_text() == "firebridge\n"
    png = firetv.screenshot()
    assert png.startswith(b"\x89PNG")


def test_unauthorized_device_gives_the_allow_prompt_error(tmp_path):
    with VirtualFireTV(auth="required", adb_keys=tmp_path / "keys") as tv, AdbServer(home=tmp_path / "h") as server:
        server.client().connect(tv.address, timeout=10)
        firetv = FireTV(tv.address, adb_server=server.address)
        with pytest.raises(DeviceUnauthorized, match="Allow USB debugging"):
            firetv.shell("echo hi")


def test_dropped_transport_is_reconnected_without_the_caller_noticing(tmp_path):
    from firebridge.adb.connect import connect_device
    with VirtualFireTV(auth="none") as tv, AdbServer(home=tmp_path / "h") as server:
        connect_device(server.client(), tv.address)
        firetv = FireTV(tv.address, adb_server=server.address, reconnect_timeout=20)
        assert firetv.shell("echo before").stdout == "before\n"
        boot = firetv.prop("ro.runtime.firstboot")
        tv.drop_connections()  # Wi-Fi blip: every adb connection to the TV is cut
        assert firetv.shell("echo after").stdout == "after\n"
        assert firetv.prop("ro.runtime.firstboot") == boot  # same boot: properties stay cached
