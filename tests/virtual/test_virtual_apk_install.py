"""Installing APKs on the virtual Fire TV: ``adb install`` through the real adb client (push + ``pm
install``), ``pm install``/``uninstall`` answers, ``cmd package install -S`` (the streamed route), and the
built helper APK behaving as the built-in helper once installed on a ``--no-helper`` device."""

from __future__ import annotations

import io
import zipfile

from firebridge.helperapp import SHIPPED_APK
from firebridge.virtual.fireos.installer import installed_apks
from firebridge.virtual.fireos.personality import create_device
from firebridge.virtual.fireos.system import VirtualDevice
from tests.conftest import DeviceShell
from tests.virtual.test_virtual_pmr import EVERY_TYPE, EXPECTED_EXTRAS, HELPER, broadcast, dump, shell

PM_PATH = f"package:/data/app/{HELPER}-1/base.apk"


def test_adb_install_on_a_device_without_the_helper_then_it_posts_like_the_built_in_one(start_virtual_device):
    device = start_virtual_device(extra_args=("--no-helper",))
    path = device.adb("shell", f"pm path {HELPER}")
    assert (path.returncode, path.stdout) == (1, b"")
    assert HELPER.encode() not in device.adb("shell", "pm list packages").stdout
    missing = broadcast(device, ".PostRecommendation", "--ei", "id", "1")
    assert (missing["code"], missing["data"]) == ("0", None)  # nobody answers

    installed = device.adb("install", str(SHIPPED_APK))
    assert installed.returncode == 0, installed.stderr
    out = installed.stdout.decode()
    assert "Performing Push Install" in out and out.rstrip().endswith("Success")
    assert shell(device, "pm", "path", HELPER).strip() == PM_PATH
    assert shell(device, "ls", "/data/local/tmp") == ""  # adb removes its pushed copy
    package = shell(device, "dumpsys", "package", HELPER)
    assert "    versionCode=1 minSdk=22 targetSdk=28\n    versionName=1.0\n" in package and "stopped=true" in package

    # Stopped after install, as on Android: only --include-stopped-packages reaches it until .Main runs.
    assert broadcast(device, ".PostRecommendation", "--ei", "id", "1", stopped_ok=False)["code"] == "0"
    shell(device, "am", "start", "-n", f"{HELPER}/.Main")
    result = broadcast(device, ".PostRecommendation", *EVERY_TYPE, stopped_ok=False)
    amazon = sorted(k for k in EXPECTED_EXTRAS if k.startswith("com.amazon.extra."))
    assert (result["code"], result["data"]) == ("-1", f"posted id=7 amazon_extras=[{', '.join(amazon)}]")
    [record] = dump(device, "--noredact")
    assert {k: v for k, v in record["extras"].items() if k in EXPECTED_EXTRAS} == EXPECTED_EXTRAS

    removed = device.adb("shell", f"pm uninstall {HELPER}")
    assert (removed.returncode, removed.stdout) == (0, b"Success\n")
    assert dump(device, "--noredact") == []  # its notifications go with it
    assert device.adb("shell", f"pm path {HELPER}").stdout == b""
    again = device.adb("shell", f"pm uninstall {HELPER}")
    assert (again.returncode, again.stdout) == (1, b"Failure [DELETE_FAILED_INTERNAL_ERROR]\n")
    assert broadcast(device, ".Cancel", "--ei", "id", "7")["code"] == "0"


def test_reinstalling_keeps_it_working_and_adb_uninstall_removes_it(start_virtual_device):
    device = start_virtual_device(model="AFTKA")  # Fire OS 7, built-in helper
    assert device.adb("install", "-r", str(SHIPPED_APK)).stdout.decode().rstrip().endswith("Success")
    assert broadcast(device, ".CancelAll")["data"] == "cancelled all"
    assert device.adb("uninstall", HELPER).stdout.decode().rstrip().endswith("Success")
    again = device.adb("shell", f"pm uninstall {HELPER}")
    assert (again.returncode, again.stdout) == (1, b"Failure [DELETE_FAILED_INTERNAL_ERROR]\n")  # for all users
    one_user = device.adb("shell", f"pm uninstall --user 0 {HELPER}")
    assert one_user.stdout == b"Failure [not installed for 0]\n"  # runUninstall's check for one user


def _unsigned_copy() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(SHIPPED_APK) as apk, zipfile.ZipFile(buffer, "w") as out:
        for info in apk.infolist():
            if not info.filename.startswith("META-INF/"):
                out.writestr(info.filename, apk.read(info))
    return buffer.getvalue()


def test_pm_install_failures_use_androids_codes(device: VirtualDevice, sh: DeviceShell):
    device.fs.write_bytes("/data/local/tmp/junk.apk", b"not a zip")
    result = sh("pm install /data/local/tmp/junk.apk")
    assert result.status == 1 and result.stdout.startswith("Failure [INSTALL_PARSE_FAILED_NOT_APK: ")
    device.fs.write_bytes("/data/local/tmp/unsigned.apk", _unsigned_copy())
    result = sh("pm install -r /data/local/tmp/unsigned.apk")
    assert result.status == 1 and result.stdout.startswith("Failure [INSTALL_PARSE_FAILED_NO_CERTIFICATES: ")
    result = sh("pm install /data/local/tmp/none.apk")
    assert (result.status, result.stdout) == (1, "")
    assert result.stderr == ("Error: Unable to open file: /data/local/tmp/none.apk\n"
                             "Consider using a file under /data/local/tmp/\n")
    assert sh("pm install").stdout == "Error: must either specify a package size or an APK file\n"
    assert sh("pm uninstall com.amazon.tv.launcher").stdout == "Failure [DELETE_FAILED_INTERNAL_ERROR]\n"


def test_streamed_install_reads_size_bytes_from_stdin(tmp_path, monkeypatch):
    device = create_device(tmp_path, model="AFTKA")
    sh = DeviceShell(device)
    assert sh(f"pm uninstall {HELPER}").stdout == "Success\n"
    data = SHIPPED_APK.read_bytes()
    result = sh(f"cmd package install -S {len(data)}", stdin=data)
    assert (result.status, result.stdout) == (0, "Success\n")
    assert installed_apks(device)[HELPER].manifest.version_code == 1
    assert device.fs.read_bytes(f"/data/app/{HELPER}-1/base.apk") == data
    short = sh(f"cmd package install -S {len(data) + 10}", stdin=data)
    assert short.status == 1 and short.stdout.startswith("Failure [INSTALL_FAILED_INVALID_APK")
    assert sh(f"cmd package path {HELPER}").stdout == PM_PATH + "\n"

    # A downgrade needs -d (PackageManagerShellCommand: INSTALL_ALLOW_DOWNGRADE).
    from firebridge.virtual.fireos import installer
    newer = installer.read_manifest(data)
    monkeypatch.setattr(installer, "read_manifest",
                        lambda apk: newer.__class__(**{**newer.__dict__, "version_code": 0}))
    result = sh(f"cmd package install -S {len(data)}", stdin=data)
    assert result.stdout == "Failure [INSTALL_FAILED_VERSION_DOWNGRADE]\n"
    assert sh(f"cmd package install -d -S {len(data)}", stdin=data).stdout == "Success\n"


def test_an_apk_without_a_receiver_has_no_such_receiver(device: VirtualDevice, sh: DeviceShell, monkeypatch):
    """The installed helper runs only the components its manifest declares."""
    from firebridge.virtual.fireos import installer
    manifest = installer.read_manifest(SHIPPED_APK.read_bytes())
    fewer = manifest.__class__(**{**manifest.__dict__, "receivers": manifest.receivers[:1]})
    monkeypatch.setattr(installer, "read_manifest", lambda apk: fewer)
    installer.install_apk(device, SHIPPED_APK.read_bytes())
    assert set(device.activities.apps[HELPER].receivers) == {".PostRecommendation"}
    out = sh(f"am broadcast --include-stopped-packages -n {HELPER}/.CancelAll").stdout
    assert "Broadcast completed: result=0\n" in out
