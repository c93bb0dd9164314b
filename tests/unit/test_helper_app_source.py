"""The helper app's source, its shipped APK's manifest (pure binary-XML parser) and the install/version
parsers. No build tools needed: tests/plugin/test_helper_apk.py checks the APK with aapt/apksigner."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from firebridge.adb.install import InstallResult, parse_install_output
from firebridge.capabilities.helper_app import parse_package_version
from firebridge.capabilities.pmr import CANCEL_ALL_RECEIVER, CANCEL_RECEIVER, HELPER_PACKAGE, POST_RECEIVER
from firebridge.errors import HelperBuildError
from firebridge.helperapp import HERE, SHIPPED_APK
from firebridge.helperapp import build as helper_build
from firebridge.helperapp.make_icon import ICON, png
from firebridge.platforms.fireos.apk import ApkError, is_signed, read_manifest
from firebridge.virtual.fireos.apps import helper as virtual_helper

SMALI = sorted((HERE / "smali" / "com" / "firebridge" / "helper").glob("*.smali"))


def smali_text() -> str:
    return "\n".join(path.read_text() for path in SMALI)


def test_every_smali_file_starts_with_the_java_it_stands_for():
    assert {p.stem for p in SMALI} == {"Main", "PostRecommendation", "Cancel", "CancelAll", "Poster", "Api26"}
    for path in SMALI:
        text = path.read_text()
        assert text.startswith("# Java:\n"), path
        assert re.search(rf"^#\s+.*\bclass {path.stem}\b", text, re.M), path


def test_the_source_carries_the_virtual_helpers_contract():
    """The same constants as the virtual helper (firebridge/virtual/fireos/apps/helper.py), so the two agree."""
    text = smali_text()
    for constant in (virtual_helper.CHANNEL.id, virtual_helper.CHANNEL.name, virtual_helper.DEFAULT_TITLE,
                     virtual_helper.LOG_TAG, "com.amazon.extra.", "recommendation", "posted id=",
                     " amazon_extras=", "cancelled id=", "cancelled all", "error: ", "large_icon_path",
                     "launch_package"):
        assert f'"{constant}"' in text, constant
    assert virtual_helper.CHANNEL.importance == 2 and "const/4 v3, 0x2" in text  # IMPORTANCE_LOW
    assert "Ljava/util/TreeSet;-><init>(Ljava/util/Collection;)V" in text  # sorted keys, TreeSet.toString
    assert "const/4 v1, -0x1" in text and "const/4 v1, 0x1" in text  # RESULT_OK / error result codes
    assert text.count(".catch Ljava/lang/Throwable;") == 3  # every receiver answers, whatever fails


def test_the_shipped_apks_manifest_declares_the_contracts_components(device):
    manifest = read_manifest(SHIPPED_APK.read_bytes())
    assert (manifest.package, manifest.version_code, manifest.version_name) == (HELPER_PACKAGE, 1, "1.0")
    assert (manifest.min_sdk, manifest.target_sdk) == (22, 28)
    receivers = {c.name: c for c in manifest.receivers}
    declared = {f"{HELPER_PACKAGE}/{name}" for name in receivers}
    assert declared == {POST_RECEIVER, CANCEL_RECEIVER, CANCEL_ALL_RECEIVER}
    assert set(receivers) == set(virtual_helper.HelperApp(device).receivers)  # the virtual twin's receivers
    assert all(c.exported is True and not c.has_intent_filter for c in manifest.receivers)
    [main] = manifest.activities
    assert (main.name, main.exported, main.has_intent_filter) == (".Main", True, False)
    assert manifest.permissions == ()
    assert is_signed(SHIPPED_APK.read_bytes())


def test_an_unsigned_or_broken_apk_is_recognised():
    with zipfile.ZipFile(SHIPPED_APK) as apk:
        manifest = apk.read("AndroidManifest.xml")
    unsigned = io.BytesIO()
    with zipfile.ZipFile(unsigned, "w") as out:
        out.writestr("AndroidManifest.xml", manifest)
    assert read_manifest(unsigned.getvalue()).package == HELPER_PACKAGE
    assert not is_signed(unsigned.getvalue())
    with pytest.raises(ApkError, match="not a zip"):
        read_manifest(b"not an apk")
    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w") as out:
        out.writestr("classes.dex", b"dex\n035\0")
    with pytest.raises(ApkError, match="no AndroidManifest.xml"):
        read_manifest(empty.getvalue())
    text_manifest = io.BytesIO()
    with zipfile.ZipFile(text_manifest, "w") as out:
        out.writestr("AndroidManifest.xml", b"<manifest package='x.y'/>")
    with pytest.raises(ApkError, match="binary XML"):
        read_manifest(text_manifest.getvalue())


def test_the_icon_script_reproduces_the_committed_icon():
    assert ICON.read_bytes() == png()
    assert png()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_missing_build_tool_names_the_debian_packages(monkeypatch, tmp_path):
    monkeypatch.setattr(helper_build.shutil, "which", lambda name: None)
    with pytest.raises(HelperBuildError) as info:
        helper_build.build(tmp_path)
    message = str(info.value)
    assert "smali" in message and "apksigner" in message
    assert ("apt-get install -y --no-install-recommends aapt zipalign apksigner android-framework-res "
            "libsmali-java") in message
    assert not list(tmp_path.iterdir())


def test_the_cli_reports_missing_tools_and_a_keystore_without_alias(monkeypatch, tmp_path, capsys):
    from firebridge.cli import main
    monkeypatch.setattr(helper_build.shutil, "which", lambda name: None)
    assert main(["helper", "build", "-o", str(tmp_path)]) == 1
    assert "apt-get install" in capsys.readouterr().err
    assert main(["helper", "build", "-o", str(tmp_path), "--keystore", str(tmp_path / "k.p12")]) == 2
    assert "--alias" in capsys.readouterr().err


@pytest.mark.parametrize("output, expected", [
    ("Performing Push Install\n/tmp/x.apk: 1 file pushed, 0 skipped.\nSuccess\n", InstallResult(True)),
    ("Performing Streamed Install\nSuccess\n", InstallResult(True)),
    ("Performing Push Install\nFailure [INSTALL_FAILED_VERSION_DOWNGRADE]\n",
     InstallResult(False, "INSTALL_FAILED_VERSION_DOWNGRADE")),
    ("adb: failed to install x.apk: Failure [INSTALL_FAILED_OLDER_SDK: Failed parse during installPackageLI]\n",
     InstallResult(False, "INSTALL_FAILED_OLDER_SDK", "Failed parse during installPackageLI")),
    ("Failure [not installed for 0]\n", InstallResult(False, "not installed for 0")),
    ("adb: error: failed to get feature set: device offline\n", None),
])
def test_install_output(output, expected):
    assert parse_install_output(output) == expected


def test_package_version_from_dumpsys_package():
    dump = ("Packages:\n  Package [com.firebridge.helper] (81e4048):\n    userId=10192\n"
            "    versionCode=1 minSdk=22 targetSdk=28\n    versionName=1.0\n")
    assert parse_package_version(dump) == "1.0 (versionCode 1)"
    assert parse_package_version("Packages:\n") is None


def test_the_prebuilt_apk_and_its_source_are_package_data():
    pyproject = (HERE.parents[1] / "pyproject.toml").read_text()
    for entry in ('"helperapp/firebridge-helper.apk"', '"helperapp/smali/**/*.smali"', '"helperapp/testkey/*"'):
        assert entry in pyproject
