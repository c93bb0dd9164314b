"""The virtual Vega device's shell against the real captures (tests/samples/*vega*, inputd_cli_*, vlcm_*, ...),
run straight against the model (no wire); tests/virtual/test_vega_adb.py goes through the real adb server."""

from __future__ import annotations

import io
import re
import tarfile
from pathlib import Path

import pytest

from firebridge.virtual.devices import create_device
from firebridge.virtual.vega.journal import Journal, format_entry
from firebridge.virtual.clock import DeviceClock
from tests.conftest import DeviceShell

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
# journald short-precise as a real VVD printed it (vega_vvd_loggingctl_short_precise.txt)
SHORT_PRECISE = re.compile(r"^[A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d\.\d{6} (?P<host>\S+) (?:(?P<fac>[a-z0-9]+)\.(?P<sev>[a-z]+) )?"
                           r"(?P<ident>[^\s\[]+)\[(?P<pid>\d+)\]: (?P<msg>.*)$")
ANDROID_COMMANDS = ("getprop", "setprop", "input", "am", "pm", "dumpsys", "settings", "logcat", "uiautomator",
                    "screencap", "cmd", "monkey")


def sample(name: str) -> str:
    """A capture without its trailing newline (the copies differ in whether they keep one)."""
    return (SAMPLES / name).read_text().rstrip("\n")


@pytest.fixture
def stick(tmp_path: Path):
    return create_device("vega", tmp_path)


@pytest.fixture
def vvd(tmp_path: Path):
    return create_device("vega", tmp_path, flavour="vvd")


def test_the_capture_lines_fit_the_format_the_device_prints() -> None:
    lines = [line for line in sample("vega_vvd_loggingctl_short_precise.txt").splitlines() if not line.startswith("#")]
    assert lines and all(SHORT_PRECISE.match(line) for line in lines)


def test_short_precise_format_matches_the_vvd_capture_shape() -> None:
    journal = Journal(DeviceClock(start=1_790_889_342.521654))
    entry = journal.write("inputd", "I Inputd:triggerEvent:628: VoiceView Combo Triggered", pid=2872)
    line = format_entry(entry, "amazon-761010f39a2ef58a", "short_precise")
    match = SHORT_PRECISE.match(line)
    assert match and match["fac"] is None and match["ident"] == "inputd" and match["pid"] == "2872"
    assert line.split(" amazon-")[0].count(":") == 2 and re.search(r"\.\d{6} amazon-", line)
    on_stick = format_entry(entry, "firestick-0f", "short_precise", show_facility=True)
    assert SHORT_PRECISE.match(on_stick)["fac"] == "user" and " user.info inputd[2872]:" in on_stick


def test_no_android_commands(stick) -> None:
    shell = DeviceShell(stick)
    for name in ANDROID_COMMANDS:
        result = shell(name)
        assert (result.status, result.stdout, result.stderr) == (127, "", f"sh: {name}: not found\n")
    assert shell("which getprop").status == 1 and shell("which getprop").stdout == ""


def test_linux_identity(stick) -> None:
    shell = DeviceShell(stick)
    assert shell("which loggingctl").stdout.strip().endswith("/loggingctl")
    assert shell("id").stdout.startswith("uid=5000(app_user) gid=5000(app_user)")
    assert shell("whoami").stdout == "app_user\n"
    assert shell("cat /etc/os-release").stdout.rstrip("\n") == sample("os_release_vvd_os1.2_sightlineprobe.txt")
    assert shell("echo $HOME $USER").stdout == "/home/app_user app_user\n"


def test_shell_errors_as_captured(stick) -> None:
    captured = sample("vda_shell_error_messages_vvd_sema-firetv.txt").splitlines()
    shell = DeviceShell(stick)
    assert shell("journalctl -f").stdout.splitlines() == [captured[0]]
    assert shell('loggingctl log -S "-5min"').stderr.splitlines()[0] == captured[1]


def test_inputd_cli_outputs_as_captured(stick) -> None:
    shell = DeviceShell(stick)
    assert shell("inputd-cli button_press KEY_UP").stdout.rstrip("\n") == sample("inputd_cli_button_press_firestick_kellner.txt")
    assert shell("inputd-cli get_screen_size").stdout.rstrip("\n") == sample("inputd_cli_get_screen_size_vvd_argent.txt")
    series = sample("inputd_cli_series_outputs_vvd_sema-firetv.txt").splitlines()
    assert shell('inputd-cli series "button_hold KEY_BACK,button_hold KEY_MENU"').stdout.splitlines() == series[0:2]
    assert shell('inputd-cli series "button_press KEY_LEFT short"').stdout.splitlines() == [series[2]]
    assert shell("inputd-cli series button_hold KEY_BACK").stdout.splitlines() == [series[3]]


def test_inputd_cli_needs_developer_mode_on_the_vvd(vvd) -> None:
    shell = DeviceShell(vvd)
    down = sample("inputd_cli_dev_mode_off_error_vvd_argent.txt")
    for command in ("inputd-cli get_screen_size", "inputd-cli button_press KEY_ENTER"):
        assert shell(command).stdout.rstrip("\n") == down
    assert shell("vsm developer-mode enable").status == 0
    assert shell("inputd-cli get_screen_size").stdout == "1920 x 1080\n"
    shell("vsm developer-mode disable")
    assert shell("inputd-cli get_screen_size").stdout.rstrip("\n") == down


def test_key_injection_is_journalled_as_inputd_does(stick) -> None:
    shell = DeviceShell(stick)
    shell("inputd-cli button_press KEY_DOWN")
    lines = shell("loggingctl log -o short_precise").stdout.splitlines()
    injected = [line for line in lines if "Inputd:inject_key:427" in line]
    assert [line.rsplit("state=", 1)[1] for line in injected] == ["down", "up"]


def test_vlcm_and_vmsgr_as_captured(vvd) -> None:
    shell = DeviceShell(vvd)
    missing = shell("vmsgr send pkg://com.amazon.smplighthouse.launcher.main")
    assert (missing.status, missing.stdout.rstrip("\n")) == (255, sample("vmsgr_send_cli_send_error_vvd_dicechess-tv.txt"))
    assert shell("vmsgr send pkg://com.amazon.keplerlauncherapp.main").status == 0
    assert shell("vlcm crash-history").stdout.rstrip("\n") == sample("vlcm_crash_history_empty_vvd_dicechess-tv.txt")
    assert shell("vlcm trigger-back --inst 1").stdout.rstrip("\n") == sample("vlcm_trigger_back_error_vvd_porthole.txt")
    launched = shell("vlcm launch-app pkg://com.firebridge.reference.main")
    assert launched.stdout.rstrip("\n") == sample("vlcm_launch_app_deprecation_firestick_kellner.txt")


def _state_of(shell: DeviceShell, component: str) -> str | None:
    """What scripts read from `vlcm list`: $5 of the row whose $1 is the component."""
    out = shell(f"vlcm list | grep {component}").stdout.split()
    return out[4] if out else None


def test_launch_foreground_and_terminate(stick) -> None:
    shell = DeviceShell(stick)
    assert _state_of(shell, "com.amazon.smplighthouse.launcher.main") == "VISIBLE"
    assert shell("vmsgr send pkg://com.firebridge.reference.main").status == 0
    assert _state_of(shell, "com.firebridge.reference.main") == "VISIBLE"
    assert _state_of(shell, "com.amazon.smplighthouse.launcher.main") == "NOT_VISIBLE"
    assert shell("vlcm terminate-app --pkg-id com.firebridge.reference").status == 0
    assert _state_of(shell, "com.firebridge.reference.main") is None
    assert _state_of(shell, "com.amazon.smplighthouse.launcher.main") == "VISIBLE"


def _vpkg(package_id: str) -> bytes:
    out = io.BytesIO()
    manifest = f'[package]\nid = "{package_id}"\nversion = "2.1.0"\n'.encode()
    with tarfile.open(fileobj=out, mode="w") as archive:
        info = tarfile.TarInfo("manifest.toml")
        info.size = len(manifest)
        archive.addfile(info, io.BytesIO(manifest))
    return out.getvalue()


def test_vpm_install_list_info_uninstall(stick) -> None:
    stick.fs.write_bytes("/tmp/demo.vpkg", _vpkg("com.example.demo"))
    shell = DeviceShell(stick)
    assert shell("vpm install /tmp/demo.vpkg").status == 0
    assert "com.example.demo" in shell("vpm list packages").stdout.split()
    assert "version: 2.1.0" in shell("vpm info com.example.demo").stdout
    assert shell("vmsgr send pkg://com.example.demo.main").status == 0
    assert shell("vpm uninstall com.example.demo").status == 0
    assert "com.example.demo" not in shell("vpm list packages").stdout.split()
    assert shell("vpm install /tmp/missing.vpkg").status != 0


def test_logger_reaches_the_journal_and_filters(stick) -> None:
    shell = DeviceShell(stick)
    shell("logger -t fbprobe -p user.info hello-journal")
    lines = shell("loggingctl log -o short_precise -v fbprobe").stdout.splitlines()
    assert len(lines) == 1
    match = SHORT_PRECISE.match(lines[0])
    assert match and (match["fac"], match["sev"], match["ident"], match["msg"]) == ("user", "info", "fbprobe",
                                                                                    "hello-journal")
    assert shell("loggingctl log -p err -v fbprobe").stdout == ""


def test_journal_rate_limit_and_config(stick) -> None:
    frozen = Journal(DeviceClock(speed=1e-9, start=1_790_889_342.0))  # one device second lasts for ages
    kept = [frozen.write("flood", f"line {i}") for i in range(1500)]
    # DEFAULT_RATE lines per second per process [D-LOG], the rest dropped silently; other processes unaffected.
    assert sum(1 for e in kept if e is not None) == 1000 and frozen.dropped == 500
    assert frozen.write("other", "still logged") is not None
    journal = stick.log
    shell = DeviceShell(stick)
    assert shell("loggingctl config --set-level chatty debug").status == 0
    assert journal.write("chatty", "dbg", priority=7) is None  # pending until journald restarts
    shell("systemctl restart systemd-journald")
    assert journal.write("chatty", "dbg", priority=7) is not None



def test_cli_refuses_vvd_without_vega() -> None:
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "firebridge", "virtual", "--vvd", "--port", "0"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "--vvd" in result.stderr and "--os vega" in result.stderr


def test_screenshots_on_a_stick_and_the_vvd_errors(stick, vvd) -> None:
    from io import BytesIO

    from PIL import Image

    assert DeviceShell(stick)("gwsi-tool-screenshooter /tmp/s.png").status == 0
    assert Image.open(BytesIO(stick.fs.read_bytes("/tmp/s.png"))).size == (1920, 1080)
    captured = sample("vda_shell_error_messages_vvd_sema-firetv.txt").splitlines()
    failed = DeviceShell(vvd)("screenshooter /tmp/shot.png")
    assert failed.status != 0 and failed.stderr.splitlines() == captured[2:5]
    shell = DeviceShell(vvd)
    assert shell("a11y-tv-util settings list").stdout.splitlines() == [captured[5]]
    assert shell("a11y-tv-util settings get voiceview").stdout.splitlines() == [captured[6]]


def test_continue_watching_rules_are_the_shared_ones(stick) -> None:
    """Consent on, 2% adds the title, finishing removes it (docs/virtual-device.md section 1, the shared service)."""
    from firebridge.virtual.personalization import consent
    from firebridge.virtual.vega.reference import REFERENCE_PACKAGE

    stick.settings["secure"].update({consent.SHARE_APP_VIEWING_KEY: "1", consent.SYNC_ACROSS_DEVICES_KEY: "1"})
    shell = DeviceShell(stick)
    # One event loop for the whole scenario: the player's 60 s timer lives on it.
    script = (f"vmsgr send pkg://{REFERENCE_PACKAGE}.main?play=movienightharbor && "
              "inputd-cli button_press KEY_FASTFORWARD && inputd-cli button_press KEY_HOMEPAGE")
    assert shell(script).status == 0
    assert [item.content_id for item in stick.personalization.continue_watching()] == ["movie-night-harbor"]
    script = (f"vmsgr send pkg://{REFERENCE_PACKAGE}.main?play=movienightharbor && "
              + " && ".join(["inputd-cli button_press KEY_FASTFORWARD"] * 10))
    assert shell(script).status == 0
    assert stick.personalization.continue_watching() == []


def test_app_console_lines_reach_the_journal_under_the_package(stick) -> None:
    shell = DeviceShell(stick)
    assert shell("vmsgr send pkg://com.firebridge.reference.main?play=movienightharbor").status == 0
    lines = shell("loggingctl log -o short_precise -v com.firebridge.reference").stdout.splitlines()
    assert lines and all(SHORT_PRECISE.match(line)["ident"] == "com.firebridge.reference" for line in lines)
    # Opening the app signed in syncs first (seed 000), then the player reports.
    assert "INFO com.amazon.keplerscript: [KeplerScript-JavaScript] ReferenceTV reportRefreshedContentEntitlements" in lines[0]
    assert any("INFO com.amazon.keplerscript: [KeplerScript-JavaScript] ReferenceTV reportNewPlaybackEvent "
               "type=Active contentId=movie-night-harbor state=0 positionMs=0" in line for line in lines), lines
