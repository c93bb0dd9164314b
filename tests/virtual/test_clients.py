"""Widely used host-side clients against the virtual Fire TV, through the real adb server, as against a Fire TV.

- python-androidtv (``androidtv``, what Home Assistant's Android TV integration runs): ``FireTVSync`` over
  an adb server sends long shell pipelines (``dumpsys power``, ``dumpsys window windows``, ``dumpsys
  media_session``, ``ps``, ``dumpsys activity starter``) and parses what comes back.
- Mobly (``mobly.controllers.android_device``): runs the ``adb`` binary (``ANDROID_ADB_SERVER_PORT`` points
  it at the private server); build info from ``getprop``, ``take_bug_report()`` (``bugreportz`` then
  ``adb pull`` on Android 7+, the plain-text ``adb bugreport`` before), screenshots, and the logcat
  service that ``android_device.create`` starts.

What each client gets is what it would get from a real Fire TV of that generation (sources in the
device commands); python-androidtv's pipelines need the real device shell (mksh), so those tests skip
where it cannot run.
"""

from __future__ import annotations

import logging
import os
import sys
import uuid
import zipfile
from pathlib import Path

import pytest
from androidtv import constants
from androidtv.firetv.firetv_sync import FireTVSync

from firebridge.adb.server import AdbServer
from firebridge.virtual.fireos.commands.bugreport import BUGREPORT_DIR
from firebridge.virtual.fireos.models import get_model
from firebridge.virtual.shell.sandbox import enabled, support
from firebridge.waiting import wait_until

LAUNCHER = "com.amazon.tv.launcher"
REFERENCE = "com.firebridge.reference"

real_shell = pytest.mark.skipif(not enabled(), reason=f"python-androidtv's pipelines need mksh; virtual "
                                                      f"devices run the {support().describe()}")


def firetv(session, adb_server: AdbServer) -> FireTVSync:
    """python-androidtv's Fire TV, talking to the device through the adb server (pure-python-adb)."""
    host, port = session.serial.rsplit(":", 1)
    client = FireTVSync(host, int(port), adb_server_ip=adb_server.host, adb_server_port=adb_server.port)
    assert client.adb_connect(), "python-androidtv found no device at the adb server"
    return client


def launch_reference(session) -> None:
    result = session.adb("shell", f"monkey -p {REFERENCE} -c android.intent.category.LEANBACK_LAUNCHER 1")
    assert result.returncode == 0, result


# --- python-androidtv ---------------------------------------------------------------------------------------

@real_shell
@pytest.mark.parametrize("model", ["AFTMM", "AFTKA"])  # Fire OS 6 (Android 7.1), Fire OS 7 (Android 9)
def test_androidtv_update_on_the_home_screen_and_after_an_app_starts(model, start_virtual_device, adb_server):
    session = start_virtual_device(model=model)
    client = firetv(session, adb_server)
    client.get_device_properties()
    if model == "AFTKA":  # Android 9 has ro.product.vendor.device, the fifth property asked for
        serial = session.adbutils_device().prop.get("ro.serialno")
        assert {key: client.device_properties[key] for key in ("manufacturer", "model", "serialno", "sw_version",
                                                               "product_id")} == {
            "manufacturer": "Amazon", "model": model, "serialno": serial, "sw_version": "9", "product_id": "kara"}
    else:  # Android 7.1 has none: getprop prints an empty line, strip() drops it, the five-line parse gives up
        assert "manufacturer" not in client.device_properties  # as on a real stick (python-androidtv PR #359)

    state, current_app, running_apps, hdmi_input = client.update()
    assert (state, current_app) == ("idle", LAUNCHER)  # screen on, awake, the launcher in front
    assert current_app in running_apps and hdmi_input is None  # a stick has no HDMI input
    assert client.screen_on_awake_wake_lock_size()[:2] == (True, True)

    launch_reference(session)
    wait_until(lambda: client.update()[1] == REFERENCE, timeout=10, interval=0.5,
               what=f"python-androidtv to see {REFERENCE}")
    state, current_app, _, _ = client.update()
    assert state not in ("off", "standby", None)

    session.adb("shell", "input keyevent 3")  # HOME
    wait_until(lambda: client.update()[1] == LAUNCHER, timeout=10, interval=0.5,
               what="python-androidtv to see the launcher again")


@real_shell
def test_androidtv_fire_os_8_screen_on_but_no_current_app(start_virtual_device, adb_server):
    """Fire OS 8 (Android 11) has no mCurrentFocus/mFocusedApp in `dumpsys window windows`, and python-androidtv
    uses the Android 11 command only for Android TV devices: a real Fire OS 8 stick reports screen on, idle,
    no current app (JeffLIrion/python-androidtv #372, home-assistant/core #180997)."""
    session = start_virtual_device(model="AFTKRT")
    client = firetv(session, adb_server)
    state, current_app, _, _ = client.update()
    assert (state, current_app) == ("idle", None)
    assert client.screen_on_awake_wake_lock_size()[:2] == (True, True)
    # The Android 11 command, which an `androidtv`-typed device gets, does find the launcher.
    client.customize_command(constants.CUSTOM_CURRENT_APP, constants.CMD_CURRENT_APP11)
    assert client.current_app().strip() == LAUNCHER


@real_shell
def test_androidtv_fire_os_5_home_screen(start_virtual_device, adb_server):
    """Fire OS 5 (Android 5.1): no shell protocol, so every answer arrives with CRLF through a pty."""
    session = start_virtual_device(model="AFTT")
    client = firetv(session, adb_server)
    state, current_app, _, _ = client.update()
    assert (state, current_app) == ("idle", LAUNCHER)


@real_shell
def test_androidtv_reports_standby_while_the_screensaver_runs(start_virtual_device, adb_server):
    """The screensaver is a dream: `dumpsys power` says mWakefulness=Dreaming with the display on, which
    python-androidtv reports as standby; a wake key ends it."""
    # At 300x the hardware profile's 5-minute screensaver timeout is one real second.
    session = start_virtual_device(model="AFTMM", speed=300, timing="hardware")
    client = firetv(session, adb_server)
    wait_until(lambda: client.screen_on_awake_wake_lock_size()[:2] == (True, False), timeout=20,
               interval=0.3, what="the screensaver to start (mWakefulness=Dreaming)")
    assert client.update() == ("standby", None, None, None)
    session.adb("shell", "input keyevent 224")  # KEYCODE_WAKEUP
    wait_until(lambda: client.update()[:2] == ("idle", LAUNCHER), timeout=20, interval=0.5,
               what="the launcher after waking")


# --- Mobly -----------------------------------------------------------------------------------------------

@pytest.fixture
def mobly_adb(adb_server: AdbServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Mobly runs `adb` from PATH against ANDROID_ADB_SERVER_PORT: make both the private server's; its logs
    go to a temporary directory. Returns that directory."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "adb").symlink_to(adb_server.adb)
    for name in ("ADB_SERVER_SOCKET", "ANDROID_ADB_SERVER_ADDRESS", "ANDROID_SERIAL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(adb_server.port))
    monkeypatch.setenv("ADB_LIBUSB", adb_server.env()["ADB_LIBUSB"])
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    logs = tmp_path / "mobly-logs"
    monkeypatch.setattr(logging, "log_path", str(logs), raising=False)  # where Mobly puts device logs
    return logs


@pytest.fixture
def mobly_device(mobly_adb, start_virtual_device):
    """``android_device.create([serial])`` for a fresh virtual Fire TV (it starts Mobly's logcat service);
    ``destroy`` stops that service's adb process."""
    if sys.version_info < (3, 11):
        pytest.skip("Mobly 1.12+ needs Python 3.11 (the test extra installs it only there)")
    from mobly.controllers import android_device  # the test extra installs it (Python 3.11+)

    created = []

    def create(model: str):
        session = start_virtual_device(model=model)
        ads = android_device.create([session.serial])
        created.extend(ads)
        return session, ads[0]

    yield create
    android_device.destroy(created)


def test_mobly_on_fire_os_6_build_info_bug_report_screenshot_and_logcat(mobly_device, tmp_path):
    session, ad = mobly_device("AFTMM")
    model = get_model("AFTMM")
    info = ad.build_info
    assert info["build_version_sdk"] == "25" and info["build_id"] == model.build_id
    assert info["build_fingerprint"] == model.fingerprint and info["build_type"] == "user"
    assert info["debuggable"] == "0" and info["build_characteristics"] == "tv"
    assert ad.model == "mantis" and not ad.is_rootable
    assert ad.adb.current_user_id == 0  # `am get-current-user` on Android 7+

    report = Path(ad.take_bug_report(destination=str(tmp_path / "reports")))
    assert report.suffix == ".zip" and zipfile.is_zipfile(report)
    with zipfile.ZipFile(report) as archive:
        main_entry = archive.read("main_entry.txt").decode()
        assert archive.read("version.txt") == b"1.0"
        assert main_entry.startswith(f"bugreport-{model.build_id}-") and main_entry in archive.namelist()
        text = archive.read(main_entry).decode()
    assert text.startswith("========================================================\n== dumpstate: ")
    assert f"Build fingerprint: '{model.fingerprint}'" in text and "DUMP OF SERVICE window:" in text
    # Mobly removed the report from the device after pulling it, as the shell user may.
    assert session.adb("shell", f"ls {BUGREPORT_DIR}").stdout.strip() == b""

    shot = Path(ad.take_screenshot(str(tmp_path / "shots")))
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")

    assert ad.services.logcat.is_alive
    token = f"mobly-{uuid.uuid4().hex[:8]}"
    ad.adb.shell(["log", "-t", "MoblyProbe", token])
    wait_until(lambda: token in Path(ad.adb_logcat_file_path).read_text(errors="replace"), timeout=15,
               interval=0.2, what="Mobly's logcat file to receive the line")
    line = next(line for line in Path(ad.adb_logcat_file_path).read_text().splitlines() if token in line)
    assert " I MoblyProbe: " in line  # threadtime: date time pid tid level tag: message


def test_mobly_bug_report_on_fire_os_5_is_plain_text(mobly_device, tmp_path):
    """Fire OS 5 (Android 5.1) has no bugreportz (the shell says "not found"), so Mobly falls back to
    `adb bugreport > FILE.txt`, which adb turns into the flat `bugreport` text."""
    session, ad = mobly_device("AFTT")
    model = get_model("AFTT")
    assert b"not found" in session.adb("shell", "bugreportz -v").stdout
    assert ad.build_info["build_version_sdk"] == "22"
    report = Path(ad.take_bug_report(destination=str(tmp_path / "reports")))
    assert report.suffix == ".txt" and not zipfile.is_zipfile(report)
    text = report.read_bytes().decode().replace("\r\n", "\n")  # Android 5.1's adb shell is a pty
    assert text.startswith("========================================================\n== dumpstate: ")
    assert f"Build fingerprint: '{model.fingerprint}'" in text and text.rstrip().endswith("== dumpstate: done")
    assert "Bugreport format version" not in text  # a nougat-era header line
