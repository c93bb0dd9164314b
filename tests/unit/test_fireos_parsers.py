"""Pure parts of the Fire OS driver (firebridge.platforms.fireos) on real captured output, and the probe's
platform decision (firebridge.platforms.parse_probe) on what both shells print."""

from __future__ import annotations

import pytest

from firebridge.adb.shell import ShellResult
from firebridge.driver.protocol import Platform
from firebridge.platforms import PROBE_COMMAND, UnsupportedPlatform, parse_probe, probe
from firebridge.platforms.fireos import activity, logcat
from firebridge.platforms.fireos.driver import FireOSDriver
from firebridge.platforms.fireos.input import text_command
from firebridge.platforms.fireos.props import parse_getprop

from ..conftest import SAMPLES


# -- probe --------------------------------------------------------------------------------------------
def test_probe_output_decides_the_platform():
    assert parse_probe("fb-probe-vega:\nfb-probe-sdk:25\n") is Platform.FIRE_OS
    assert parse_probe("fb-probe-vega:\r\nfb-probe-sdk:22\r\n") is Platform.FIRE_OS  # Fire OS 5: PTY, CRLF
    assert parse_probe("fb-probe-vega:/usr/bin/loggingctl\nfb-probe-sdk:\n") is Platform.VEGA
    assert parse_probe("sh: getprop: not found\nfb-probe-vega:/bin/loggingctl\r\nfb-probe-sdk:\r\n") is Platform.VEGA
    assert parse_probe("fb-probe-vega:\nfb-probe-sdk:\n") is None
    assert parse_probe("") is None


class ScriptedShell:
    """Answers the probe like one platform's shell would."""

    def __init__(self, stdout: str, stderr: str = "") -> None:
        self.serial = "FAKE0001"
        self.stdout, self.stderr = stdout, stderr
        self.commands: list[str] = []

    def shell(self, command, timeout=None):
        self.commands.append(command)
        return ShellResult(str(command), self.stdout, self.stderr, 0)

    def exec_out(self, command, timeout=None) -> bytes:
        raise AssertionError("the probe needs no exec")


def test_probe_makes_one_call_and_returns_the_fire_os_driver():
    shell = ScriptedShell("fb-probe-vega:\r\nfb-probe-sdk:28\r\n")
    driver = probe(shell)
    assert isinstance(driver, FireOSDriver) and driver.platform is Platform.FIRE_OS and driver.transport is shell
    assert shell.commands == [PROBE_COMMAND]


def test_probe_of_a_vega_device_needs_the_vega_driver():
    shell = ScriptedShell("fb-probe-vega:/usr/bin/loggingctl\nfb-probe-sdk:\n", "sh: getprop: not found\n")
    try:
        driver = probe(shell)
    except UnsupportedPlatform as exc:  # this firebridge has no Vega driver (yet)
        assert "Vega OS" in str(exc) and "firebridge.platforms.vega.driver" in str(exc)
    else:
        assert driver.platform is Platform.VEGA


def test_probe_of_something_else_says_what_it_saw():
    with pytest.raises(UnsupportedPlatform, match="neither Fire OS.*nor Vega OS.*not found"):
        probe(ScriptedShell("fb-probe-vega:\nfb-probe-sdk:\n", "sh: getprop: not found\n"))


# -- props --------------------------------------------------------------------------------------------
def test_getprop_tolerates_crlf():
    text = (SAMPLES / "getprop_firetv_stick_aftt_partial.txt").read_text()
    assert parse_getprop(text.replace("\n", "\r\n")) == parse_getprop(text)


# -- activities -----------------------------------------------------------------------------------------
def test_foreground_from_real_dumps():
    assert activity.parse_focused_package((SAMPLES / "dumpsys_window_focus_and_playback_firetv.txt").read_text()) \
        == "com.amazon.avod"  # mFocusedApp on a Fire TV
    # Android 11+: neither focus line in `dumpsys window windows`
    assert activity.parse_focused_package((SAMPLES / "dumpsys_window_windows_androidtv_kodi.txt").read_text()) is None
    assert activity.parse_focused_package("  mCurrentFocus=Window{1a2b u0 com.x/com.x.Main}\n") == "com.x"
    assert activity.parse_focused_package("  mCurrentFocus=null\n  mFocusedApp=null\n") is None
    assert activity.parse_resumed_package("    mResumedActivity: ActivityRecord{4d u0 com.y/.Main t12}\n") == "com.y"
    assert activity.parse_resumed_package("  topResumedActivity=ActivityRecord{4d u0 com.z/.M t3}\n") == "com.z"
    assert activity.parse_resumed_package((SAMPLES / "dumpsys_activity_activities_firetv.txt").read_text()) is None


def test_am_start_failures():
    assert activity.am_start_failed("Starting: Intent { cmp=a/.B }\n", "", 0) is None
    assert activity.am_start_failed("Starting: Intent { act=X }\n",
                                    "Error: Activity not started, unable to resolve Intent { act=X }\n", 0) \
        == "Error: Activity not started, unable to resolve Intent { act=X }"
    assert activity.am_start_failed("", "", 255) == "exit 255"
    assert activity.am_start_failed("Warning: Activity not started, its current task has been brought to the front\n",
                                    "", 0) is None


def test_app_commands_quote_what_the_user_gave():
    assert activity.view_command("demo://x y", "com.a") == ["am", "start", "-a", "android.intent.action.VIEW",
                                                            "-d", "demo://x y", "-p", "com.a"]
    assert text_command("a b$(id)") == ["input", "text", "a%sb$(id)"]


# -- logs -----------------------------------------------------------------------------------------------
def test_log_commands_and_records():
    assert logcat.stream_command() == ["logcat", "-v", "threadtime", "-T", "1"]
    assert logcat.excerpt_command(50) == ["logcat", "-d", "-v", "threadtime", "-t", "50"]
    assert logcat.marker_command("tag", "a b") == ["log", "-p", "i", "-t", "tag", "a b"]
    line = (SAMPLES / "logcat_threadtime_firetv_zapp.txt").read_text().splitlines()
    records = [r for r in map(logcat.parse_threadtime, line) if r is not None]
    assert records and all(r.message is not None and r.level in "VDIWEFA" for r in records)


# -- which driver a capability gets ----------------------------------------------------------------------
def test_driver_for_accepts_drivers_devices_and_transports():
    from firebridge.device.resolve import driver_for

    shell = ScriptedShell("fb-probe-vega:\nfb-probe-sdk:30\n")
    driver = FireOSDriver(shell)
    assert driver_for(driver) is driver

    class Device:  # what FireTV offers: a lazily probed driver
        def __init__(self) -> None:
            self.driver = driver
    assert driver_for(Device()) is driver
    probed = driver_for(shell)  # a bare transport is probed
    assert isinstance(probed, FireOSDriver) and probed.transport is shell and shell.commands == [PROBE_COMMAND]
