"""``bugreportz`` and ``bugreport`` on the virtual Fire TV, per generation (AOSP cmds/bugreportz, dumpstate)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from firebridge.virtual.fireos.commands.bugreport import BUGREPORT_DIR
from firebridge.virtual.fireos.personality import create_device
from tests.conftest import DeviceShell

USAGE = ("usage: bugreportz [-h | -v]\n  -h: to display this help message\n  -p: display progress\n"
         "  -v: to display the version\n  or no arguments to generate a zipped bugreport\n")


def shell(tmp_path, model: str) -> DeviceShell:
    return DeviceShell(create_device(tmp_path, model=model))


def test_version_and_usage_go_to_stderr(tmp_path):
    sh = shell(tmp_path, "AFTMM")
    assert (sh("bugreportz -v").status, sh("bugreportz -v").stdout, sh("bugreportz -v").stderr) == (0, "", "1.1\n")
    assert (sh("bugreportz -h").status, sh("bugreportz -h").stderr) == (0, USAGE)
    bad = sh("bugreportz --help")  # getopt sees the option character '-' (a device capture shows the same)
    assert (bad.status, bad.stdout, bad.stderr) == (1, "", "bugreportz: invalid option -- -\n" + USAGE)


def test_zipped_report_protocol_and_contents(tmp_path):
    device = create_device(tmp_path, model="AFTMM")
    sh = DeviceShell(device)
    result = sh("bugreportz")
    match = re.fullmatch(rf"OK:({BUGREPORT_DIR}/bugreport-NS6711-\d{{4}}(-\d\d){{5}}\.zip)\n", result.stdout)
    assert match and result.status == 0 and result.stderr == ""
    with zipfile.ZipFile(io.BytesIO(device.fs.read_bytes(match.group(1)))) as archive:
        entry = archive.read("main_entry.txt").decode()
        assert entry == match.group(1).rsplit("/", 1)[1].replace(".zip", ".txt")
        assert archive.read("version.txt") == b"1.0"
        text = archive.read(entry).decode()
    assert "Bugreport format version: 1.0\n" in text and "------ SYSTEM PROPERTIES ------\n" in text
    assert "[ro.product.model]: [AFTMM]" in text and text.endswith("== dumpstate: done (id 1)\n")
    # The shell user may remove it (Mobly does, after pulling it).
    assert sh(f"rm {match.group(1)}").status == 0 and sh(f"ls {BUGREPORT_DIR}").stdout == ""


def test_progress_lines_only_with_p(tmp_path):
    lines = shell(tmp_path, "AFTKA")("bugreportz -p").stdout.splitlines()
    assert lines[0].startswith(f"BEGIN:{BUGREPORT_DIR}/bugreport-kara-PS7713.5443N-")  # Android 8+: product name
    assert all(re.fullmatch(r"PROGRESS:\d+/5000", line) for line in lines[1:-1]) and len(lines) > 2
    assert lines[-1] == "OK:" + lines[0][len("BEGIN:"):]


def test_fire_os_5_has_no_bugreportz_but_a_flat_bugreport(tmp_path):
    sh = shell(tmp_path, "AFTT")
    missing = sh("bugreportz -v")
    assert missing.status == 127 and "not found" in missing.stderr
    flat = sh("bugreport")
    assert flat.status == 0 and flat.stderr == ""
    assert flat.stdout.startswith("========================================================\n== dumpstate: ")
    assert "Build fingerprint: 'Amazon/full_tank/tank:5.1.1/LVY48F/" in flat.stdout


@pytest.mark.parametrize("model, report, warning", [
    ("AFTMM", True, "WARNING: flat bugreports are deprecated, use adb bugreport <zip_file> instead\n"),
    ("AFTKM", False, "WARNING: Flat (text file, non-zipped) bugreports are deprecated.\n"),
])
def test_flat_bugreport_is_deprecated_from_android_7(tmp_path, model, report, warning):
    result = shell(tmp_path, model)("bugreport")
    assert result.status == 0 and warning in result.stderr
    assert ("== dumpstate: " in result.stdout) is report
