"""Vega detection (probe output, default serial) and identity (/etc/os-release, VVD signs) on real captures."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from firebridge.driver.protocol import Platform
from firebridge.platforms.vega.detect import PROBE_COMMAND, default_serial, found_tools, looks_like_vega
from firebridge.platforms.vega.identity import (IDENTITY_COMMAND, SECTION, VVD_MODEL, identity_from_facts,
                                                parse_identity_output, parse_os_release)

from ..conftest import SAMPLES

OS_RELEASE = (SAMPLES / "os_release_vvd_os1.2_sightlineprobe.txt").read_text()
# The `cat /proc/asound/cards` part of a real VVD run-cmd capture.
VVD_CARDS = (SAMPLES / "vega_device_run_cmd_asound_vvd_sightlineprobe.txt").read_text().split("\n\n")[0].split("\n", 1)[1]


def test_looks_like_vega():
    assert looks_like_vega("/usr/bin/loggingctl\n/usr/bin/inputd-cli\n/usr/bin/vlcm\n")
    assert looks_like_vega("/usr/bin/loggingctl\n")
    assert not looks_like_vega("/system/bin/getprop\n")             # Fire OS: only getprop answers
    assert not looks_like_vega("")
    assert not looks_like_vega("/usr/bin/loggingctl\n/system/bin/getprop\n")  # an Android with a stray tool
    assert found_tools(" /usr/bin/vlcm \n\n") == {"vlcm"}


def _fake_bin(tmp_path: Path, names: list[str]) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in names:
        tool = bin_dir / name
        tool.write_text("#!/bin/sh\n")
        tool.chmod(0o755)
    return bin_dir


@pytest.mark.parametrize("tools,vega", [(["loggingctl", "inputd-cli", "vlcm"], True), (["getprop"], False), ([], False)])
def test_probe_command_runs_in_a_posix_shell(tmp_path, tools, vega):
    """The probe text itself, through a real POSIX sh with a PATH holding only the given tools."""
    bin_dir = _fake_bin(tmp_path, tools)
    result = subprocess.run(["/bin/sh", "-c", PROBE_COMMAND], capture_output=True, text=True, env={"PATH": str(bin_dir)})
    assert result.returncode == 0
    assert looks_like_vega(result.stdout) is vega
    assert found_tools(result.stdout) == set(tools)


def test_default_serial_order():
    assert default_serial({"VEGA_SERIAL": "G071R20720350DT6", "VDA_SERIAL": "x", "ANDROID_SERIAL": "y"}) == "G071R20720350DT6"
    assert default_serial({"VDA_SERIAL": "emulator-5554", "ANDROID_SERIAL": "y"}) == "emulator-5554"
    assert default_serial({"VEGA_SERIAL": " ", "ANDROID_SERIAL": "192.168.1.100:5555"}) == "192.168.1.100:5555"
    assert default_serial({"HOME": "/root"}) is None


def test_parse_os_release_capture():
    assert parse_os_release(OS_RELEASE) == {
        "OS_VERSION": "1.2", "BUILD_DESC": "OS 1.2 (TV Ship/101520710)",
        "BUILD_FINGERPRINT": "1.0.152071.0(9a1d8dfa7da5d600)/101520710N:user/dev-keys", "BUILD_VARIANT": "user"}


def test_parse_os_release_tolerates_comments_unquoted_and_junk():
    text = "# comment\nID=vega\nNAME='Vega OS'\nbroken line\nPRETTY_NAME=\"Vega \\\"OS\\\" 1\"\nBAD=\"unbalanced\n"
    assert parse_os_release(text) == {"ID": "vega", "NAME": "Vega OS", "PRETTY_NAME": 'Vega "OS" 1', "BAD": "unbalanced"}


def _output(os_release=OS_RELEASE, hostname="", cards="", virtio="", model="", machine="aarch64") -> str:
    return f"\n{SECTION}\n".join([os_release, hostname, cards, virtio, model, machine]) + "\n"


def test_vvd_identity_from_its_sound_card():
    facts = parse_identity_output(_output(hostname="amazon-3ef2badfb9a39e0b", cards=VVD_CARDS), serial="127.0.0.1:5555")
    assert facts.is_virtual and "virtio-snd" in facts.virtual_reason
    identity = identity_from_facts(facts)
    assert (identity.platform, identity.model, identity.os_version) == (Platform.VEGA, VVD_MODEL, "1.2")
    assert identity.build == "OS 1.2 (TV Ship/101520710)"
    assert identity.details["os-release BUILD_VARIANT"] == "user"
    assert identity.details["hostname"] == "amazon-3ef2badfb9a39e0b"
    assert identity.describe() == "Vega Virtual Device (Vega OS 1.2)"


@pytest.mark.parametrize("kwargs,serial", [({"virtio": "virtio0\nvirtio1"}, "x:5555"),
                                           ({"model": "linux,dummy-virt"}, "x:5555"),
                                           ({}, "emulator-5554")])
def test_other_vvd_signs(kwargs, serial):
    assert parse_identity_output(_output(**kwargs), serial).is_virtual


def test_a_stick_without_virtual_signs():
    cards = " 0 [mtsndcard      ]: mt8696 - mt-snd-card\n"  # a SoC card, not virtio
    facts = parse_identity_output(_output(hostname="firestick-d5c035c0b6c510f5", cards=cards), "G071R20720350DT6")
    assert not facts.is_virtual
    identity = identity_from_facts(facts)
    assert identity.model == "Vega device" and identity.details["Vega Virtual Device (VVD)"] == "no"


def test_missing_sections_and_sandbox_silence():
    facts = parse_identity_output("", "G071R20720350DT6")
    assert facts.os_release == {} and not facts.is_virtual
    assert identity_from_facts(facts).os_version is None


def test_identity_command_runs_in_a_posix_shell():
    """Every section separator comes out even where the files are missing (as in the uid-5000 sandbox)."""
    result = subprocess.run(["/bin/sh", "-c", IDENTITY_COMMAND], capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.count(SECTION) == 5


def test_one_probe_rule_for_both_platforms() -> None:
    """platforms.parse_probe applies detect.looks_like_vega: a Vega tool and no getprop is Vega; getprop
    with an API level is Fire OS (whatever Vega-looking tool an Android build may carry)."""
    from firebridge.driver.protocol import Platform
    from firebridge.platforms import PROBE_COMMAND, parse_probe
    assert "loggingctl" in PROBE_COMMAND and "getprop" in PROBE_COMMAND
    assert parse_probe("/usr/bin/loggingctl\n/usr/bin/inputd-cli\n/usr/bin/vlcm\nfb-probe-sdk:\n") is Platform.VEGA
    assert parse_probe("/system/bin/getprop\r\nfb-probe-sdk:28\r\n") is Platform.FIRE_OS
    assert parse_probe("/system/bin/loggingctl\n/system/bin/getprop\nfb-probe-sdk:30\n") is Platform.FIRE_OS
    assert parse_probe("sh: getprop: not found\nfb-probe-sdk:\n") is None


def test_default_serial_order_is_shared_with_the_adb_environment() -> None:
    from firebridge.adb.env import choose_serial
    from firebridge.platforms.vega.detect import default_serial
    env = {"VEGA_SERIAL": "", "VDA_SERIAL": "vda-1", "ANDROID_SERIAL": "android-1"}
    assert default_serial(env) == choose_serial(None, env) == "vda-1"
    assert choose_serial("explicit", env) == "explicit"
    assert choose_serial(None, {"ANDROID_SERIAL": "a"}) == "a"
