"""Where the user's adb keys are (as AOSP adb finds them) and how doctor words each state (pure)."""

from __future__ import annotations

import os
from pathlib import Path

from firebridge.adb.keys import find_user_keys, server_vendor_keys, user_android_dir, vendor_key_entries
from firebridge.doctor import FAIL, check_state, offline_check, unauthorized_check


def test_the_user_key_is_home_dot_android_adbkey_as_adb_reads_it(tmp_path: Path):
    (tmp_path / "home" / ".android").mkdir(parents=True)
    (tmp_path / "home" / ".android" / "adbkey").write_text("key")
    (tmp_path / "elsewhere").mkdir()
    # adb_utils.cpp: $HOME/.android; adb reads neither ANDROID_USER_HOME nor ANDROID_SDK_HOME.
    env = {"HOME": str(tmp_path / "home"), "ANDROID_USER_HOME": str(tmp_path / "elsewhere"),
           "ANDROID_SDK_HOME": str(tmp_path / "elsewhere")}
    assert user_android_dir(env) == tmp_path / "home" / ".android"
    keys = find_user_keys(env)
    assert keys.user_key == tmp_path / "home" / ".android" / "adbkey"
    assert keys.paths == [keys.user_key] and keys.vendor_keys_value() == str(keys.user_key)


def test_no_user_key_offers_nothing(tmp_path: Path):
    keys = find_user_keys({"HOME": str(tmp_path)})
    assert keys.user_key is None and keys.paths == [] and keys.vendor_keys_value() == ""
    assert f"no user key (no {tmp_path / '.android' / 'adbkey'})" in keys.describe()


def test_vendor_keys_are_split_on_the_path_separator_and_missing_ones_named(tmp_path: Path):
    (tmp_path / "lab").mkdir()
    (tmp_path / "one.key").write_text("k")
    value = os.pathsep.join([str(tmp_path / "lab"), "", str(tmp_path / "one.key"), str(tmp_path / "gone")])
    env = {"HOME": str(tmp_path / "nohome"), "ADB_VENDOR_KEYS": value}
    assert vendor_key_entries(env) == [tmp_path / "lab", tmp_path / "one.key", tmp_path / "gone"]
    keys = find_user_keys(env)
    assert keys.vendor == (tmp_path / "lab", tmp_path / "one.key") and keys.missing == (tmp_path / "gone",)
    assert keys.vendor_keys_value() == os.pathsep.join([str(tmp_path / "lab"), str(tmp_path / "one.key")])
    assert "do not exist" in keys.describe() and str(tmp_path / "gone") in keys.describe()


def test_what_an_adb_server_says_its_vendor_keys_are():
    # adb's refusal of an unauthorized device (transport.cpp), as the bundled adb 36 sends it
    said = ("device unauthorized.\nThis adb server's $ADB_VENDOR_KEYS is /root/.android/adbkey\n"
            "Try 'adb kill-server' if that seems wrong.\nOtherwise check for a confirmation dialog on your device.")
    assert server_vendor_keys(said) == "/root/.android/adbkey"
    assert server_vendor_keys("device unauthorized.\nThis adb server's $ADB_VENDOR_KEYS is not set\n") == "not set"
    assert server_vendor_keys("device offline") is None


def test_doctor_tells_unauthorized_from_offline():
    unauthorized = check_state("G070VM1234567890", "unauthorized")
    assert unauthorized is not None and unauthorized.status == FAIL
    assert "G070VM1234567890 is unauthorized" in unauthorized.detail
    assert 'a dialog "Allow USB debugging?" is waiting on the TV (G070VM1234567890)' in unauthorized.fix
    assert '"Always allow from this computer", then OK' in unauthorized.fix
    assert "Settings > My Fire TV > Developer Options" in unauthorized.fix and "ADB debugging: turn it off and on" \
        in unauthorized.fix
    assert "unplug G070VM1234567890's USB cable" in unauthorized.fix  # a USB serial is replugged
    offline = check_state("192.168.1.20:5555", "offline")
    assert offline is not None and "192.168.1.20:5555 is offline" in offline.detail
    assert "adbd is not answering" in offline.detail and "Allow USB debugging" not in offline.fix
    assert "adb disconnect 192.168.1.20:5555; adb connect 192.168.1.20:5555" in offline.fix
    assert "restart the adb server" in offline.fix and "reboot the TV" in offline.fix
    assert check_state("G070VM1234567890", "device") is None
    assert offline_check("G0", "device").detail == "G0 is listed as a device but its adbd did not answer `echo firebridge-ok`"
    assert unauthorized_check("G0").render().startswith("[FAIL] device: G0 is unauthorized")
