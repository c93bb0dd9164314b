"""The helper APK built from source, checked statically with the Android build tools Debian ships.

These need ``apt-get install -y --no-install-recommends aapt zipalign apksigner android-framework-res
libsmali-java`` and are skipped, saying so, without them. What they cannot check (there is no Android
runtime here) is listed in docs/helper-app.md with the hardware checklist.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from firebridge.helperapp import SHIPPED_APK
from firebridge.helperapp.build import DEBIAN_PACKAGES, SigningKey, build, missing_tools
from firebridge.virtual.fireos.apps.helper import APP_ICON

MISSING = missing_tools()
pytestmark = pytest.mark.skipif(bool(MISSING), reason=f"helper APK build tools missing ({', '.join(MISSING)}): "
                                                       f"apt-get install -y --no-install-recommends {DEBIAN_PACKAGES}")


def run(*argv: str) -> str:
    result = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"{argv}: {result.stdout}{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("helper-a"))


def test_two_builds_are_byte_identical_and_equal_the_shipped_apk(built, tmp_path):
    again = build(tmp_path / "b")
    assert again.read_bytes() == built.read_bytes()
    assert SHIPPED_APK.read_bytes() == built.read_bytes(), (
        "firebridge/helperapp/firebridge-helper.apk is stale: rebuild it with "
        "`firebridge helper build -o firebridge/helperapp` and commit it")


def test_the_cli_builds_it(tmp_path, this_checkout):
    import sys
    out = run(sys.executable, "-m", "firebridge", "helper", "build", "-o", str(tmp_path))
    assert out.strip() == str(tmp_path / "firebridge-helper.apk")
    assert (tmp_path / "firebridge-helper.apk").read_bytes() == SHIPPED_APK.read_bytes()


def test_badging(built):
    badging = run("aapt", "dump", "badging", str(built))
    assert re.search(r"^package: name='com.firebridge.helper' versionCode='1' versionName='1.0'", badging, re.M)
    assert "sdkVersion:'22'" in badging and "targetSdkVersion:'28'" in badging
    assert "application-label:'FireBridge Helper'" in badging
    assert "application-icon-160:'res/drawable/ic_helper.png'" in badging
    assert "other-receivers" in badging and "other-activities" in badging
    assert "uses-permission" not in badging
    assert "launchable-activity" not in badging and "leanback-launchable-activity" not in badging


def test_signature_verifies_with_v1_v2_v3(built):
    out = run("apksigner", "verify", "-v", "--print-certs", str(built))
    for scheme in ("v1 scheme (JAR signing)", "v2 scheme (APK Signature Scheme v2)",
                   "v3 scheme (APK Signature Scheme v3)"):
        assert f"Verified using {scheme}: true" in out
    assert "CN=FireBridge TEST KEY - NOT FOR RELEASE" in out
    run("zipalign", "-c", "-p", "4", str(built))


def test_manifest_receivers_activity_and_permissions(built):
    tree = run("aapt", "dump", "xmltree", str(built), "AndroidManifest.xml")
    receivers = re.findall(r'E: receiver.*\n\s+A: android:name\(0x01010003\)="([^"]+)".*\n'
                           r'\s+A: android:exported\(0x01010010\)=\(type 0x12\)0xffffffff', tree)
    assert receivers == [".PostRecommendation", ".Cancel", ".CancelAll"]
    assert "intent-filter" not in tree and "uses-permission" not in tree
    assert re.search(r"E: activity.*\n\s+A: android:theme\(0x01010000\)=@0x01030055\n"  # Theme.NoDisplay
                     r'\s+A: android:name\(0x01010003\)=".Main"', tree)


def test_the_icon_resource_id_is_the_one_the_virtual_helper_shows(built):
    resources = run("aapt", "dump", "resources", str(built))
    assert f"resource 0x{APP_ICON.res_id:08x} com.firebridge.helper:drawable/ic_helper" in resources


def test_baksmali_round_trip_reassembles_the_same_dex(built, tmp_path):
    with zipfile.ZipFile(built) as apk:
        dex = apk.read("classes.dex")
    (tmp_path / "classes.dex").write_bytes(dex)
    run("baksmali", "disassemble", "-o", str(tmp_path / "out"), str(tmp_path / "classes.dex"))
    classes = sorted(p.stem for p in (tmp_path / "out" / "com" / "firebridge" / "helper").glob("*.smali"))
    assert classes == ["Api26", "Cancel", "CancelAll", "Main", "PostRecommendation", "Poster"]
    run("smali", "assemble", "-j", "1", "--api", "22", "-o", str(tmp_path / "again.dex"), str(tmp_path / "out"))
    assert (tmp_path / "again.dex").read_bytes() == dex


def test_a_keystore_of_ones_own_signs_it(tmp_path):
    keystore = tmp_path / "mine.p12"
    run("keytool", "-genkeypair", "-keystore", str(keystore), "-storetype", "PKCS12", "-storepass", "secret1",
        "-keypass", "secret1", "-alias", "mine", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=Someone Else")
    apk = build(tmp_path / "out", SigningKey(keystore, "secret1", "mine"))
    out = run("apksigner", "verify", "--print-certs", str(apk))
    assert "CN=Someone Else" in out and "TEST KEY" not in out
    from firebridge.errors import HelperBuildError
    with pytest.raises(HelperBuildError, match="check --ks-pass and --alias"):
        build(tmp_path / "bad", SigningKey(keystore, "wrong-password", "mine"))
