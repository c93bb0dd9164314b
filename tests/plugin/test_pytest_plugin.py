"""The pytest plugin, run as a user runs it (pytester subprocess) against a private adb server."""

from __future__ import annotations

import pytest


pytest_plugins = ["pytester"]

DEVICE_TESTS = '''
import pytest

def test_logs_follow_the_device(firetv, logs):
    firetv.shell("log -t PluginTest hello")
    logs.wait_for("PluginTest: hello")

@pytest.mark.firetv(os="8")
def test_only_on_fire_os_8(firetv):
    pass

@pytest.mark.firetv(model=["AFTMM", "AFTKA"], min_sdk=25)
def test_on_these_models(firetv):
    assert firetv.is_fire_tv

def test_fails_on_purpose(firetv, logs):
    firetv.shell("log -t PluginTest before-failure")
    logs.wait_for("before-failure")
    assert firetv.model == "NOT-THIS"

def test_without_a_device():
    pass
'''


@pytest.mark.slow
def test_device_tests_run_with_header_skip_reason_and_failure_artifacts(pytester, adb_server):
    pytester.makepyfile(test_device=DEVICE_TESTS)
    artifacts = pytester.path / "art"
    result = pytester.runpytest_subprocess("--device", "virtual", "--adb-server", adb_server.address,
                                           "--artifacts", str(artifacts), "-rs", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, failed=1, skipped=1)
    result.stdout.fnmatch_lines([
        "firebridge device: 127.0.0.1:* (virtual) — virtual Fire TV (Fire OS) 127.0.0.1:* (pid *) — --device virtual",
        "*firebridge artifacts*",
        "screenshot: *screen.png",
        "*SKIPPED*needs Fire OS 8, device runs Fire OS 6.*",
    ])
    folder = next(artifacts.glob("*test_fails_on_purpose*"))
    assert (folder / "screen.png").read_bytes().startswith(b"\x89PNG")
    assert "<hierarchy" in (folder / "window_dump.xml").read_text()
    assert "before-failure" in (folder / "logcat-excerpt.txt").read_text()
    assert "before-failure" in (folder / "device.log").read_text()


@pytest.mark.slow
def test_auto_says_why_it_fell_back_to_the_virtual_device(pytester, tmp_path):
    from firebridge.adb.server import AdbServer

    pytester.makepyfile(test_one="def test_one(firetv):\n    assert firetv.is_fire_tv\n")
    with AdbServer(home=tmp_path / "empty") as empty_server:  # nothing attached to this one
        result = pytester.runpytest_subprocess("--adb-server", empty_server.address, "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines([
        "firebridge device: * (virtual) — virtual Fire TV * — nothing else available (auto)",
        "  not chosen: no authorized Fire TV attached to the adb server at *",
        "  not chosen: no running emulator or Vega Virtual Device",
        "  not chosen: no Vega SDK CLI (`vega`) on PATH to start a Vega Virtual Device",
    ])


def test_no_device_is_chosen_when_no_test_needs_one(pytester, adb_server):
    pytester.makepyfile(test_plain="def test_plain():\n    pass\n")
    result = pytester.runpytest_subprocess("--adb-server", adb_server.address, "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    assert "firebridge device:" not in result.stdout.str()


def test_an_unknown_device_is_a_clear_error(pytester, adb_server):
    pytester.makepyfile(test_one="def test_one(firetv):\n    pass\n")
    result = pytester.runpytest_subprocess("--device", "G070NOPE", "--adb-server", adb_server.address,
                                           "-p", "no:cacheprovider")
    assert result.ret != 0
    result.stderr.fnmatch_lines(["*--device G070NOPE: no such device on the adb server*adb devices*"])


def test_android_serial_and_adb_server_socket_choose_the_device_as_for_adb(pytester, virtual_device, monkeypatch):
    pytester.makepyfile(test_one="def test_one(firetv):\n    assert firetv.is_fire_tv\n")
    for variable in ("ANDROID_ADB_SERVER_ADDRESS", "ANDROID_ADB_SERVER_PORT"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("ADB_SERVER_SOCKET", f"tcp:{virtual_device.adb_server.address}")
    monkeypatch.setenv("ANDROID_SERIAL", virtual_device.serial)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines([f"firebridge device: {virtual_device.serial} (network) — named with $ANDROID_SERIAL (adb connect)"])


def test_a_device_address_that_refuses_fails_in_seconds(pytester, adb_server):
    import time

    from firebridge.adb.server import free_port

    pytester.makepyfile(test_one="def test_one(firetv):\n    pass\n")
    address = f"127.0.0.1:{free_port()}"
    started = time.monotonic()
    result = pytester.runpytest_subprocess("--device", address, "--adb-server", adb_server.address,
                                           "-p", "no:cacheprovider")
    assert time.monotonic() - started < 10  # pytest's own start-up included; was 16-18 s
    assert result.ret != 0
    result.stderr.fnmatch_lines([f"*could not select a device: adb connect {address} failed*ADB debugging*"])


def test_firetv_marker_arguments_by_position_or_name():
    import pytest

    from firebridge.device.firetv import fire_os_matches
    from firebridge.plugin.options import marker_criteria

    assert marker_criteria(pytest.mark.firetv("7", 28).mark) == {"os": "7", "min_sdk": 28}
    assert marker_criteria(pytest.mark.firetv("8", model="AFTKRT").mark) == {"os": "8", "model": "AFTKRT"}
    with pytest.raises(TypeError, match="at most 3 positional"):
        marker_criteria(pytest.mark.firetv("7", 28, "AFTKA", "extra").mark)
    with pytest.raises(TypeError, match="multiple values for os"):
        marker_criteria(pytest.mark.firetv("7", os="8").mark)
    assert fire_os_matches("7.6.6.8", "7") and fire_os_matches("7.6.6.8", 7) and fire_os_matches("7.6.6.8", "7.6")
    assert not fire_os_matches("17.0", "7") and not fire_os_matches(None, "7") and not fire_os_matches("", "7")
