"""The virtual Fire TV through the real adb server and the real `adb` command line (adb 36)."""

from __future__ import annotations

import os
import re
import uuid

import pexpect

from firebridge.waiting import wait_until

THREADTIME = re.compile(r"^\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} +\d+ +\d+ [VDIWEF] .+?: .*$")


def test_devices_lists_it_as_a_fire_tv(virtual_device):
    out = virtual_device.adb_server.run("devices", "-l").stdout.decode()
    line = next(line for line in out.splitlines() if line.startswith(virtual_device.serial))
    assert re.search(r"\sdevice\s+product:mantis model:AFTMM device:mantis transport_id:\d+$", line), line


def test_getprop_manufacturer(virtual_device):
    result = virtual_device.adb("shell", "getprop", "ro.product.manufacturer")
    assert (result.returncode, result.stdout) == (0, b"Amazon\n")


def test_exit_code_and_separate_streams(virtual_device):
    assert virtual_device.adb("shell", "exit 3").returncode == 3
    result = virtual_device.adb("shell", "echo out; echo err >&2")
    assert (result.stdout, result.stderr, result.returncode) == (b"out\n", b"err\n", 0)
    missing = virtual_device.adb("shell", "no_such_tool")
    assert missing.returncode == 127
    # Real mksh (the sandboxed shell) says "inaccessible or not found", as Fire OS 6-8's mksh does
    # (reference notes, section 5); the built-in fallback shell keeps the short form.
    from firebridge.virtual.shell.sandbox import enabled
    wording = b"inaccessible or not found" if enabled() else b"not found"
    assert missing.stderr == b"/system/bin/sh: no_such_tool: " + wording + b"\n"


def test_stdin_reaches_the_command(virtual_device):
    result = virtual_device.adb("shell", "cat; exit 9", input=b"piped\n")
    assert (result.stdout, result.returncode) == (b"piped\n", 9)


def test_exec_out_is_binary_clean(virtual_device):
    result = virtual_device.adb("exec-out", "screencap", "-p")
    assert result.returncode == 0
    assert result.stdout.startswith(b"\x89PNG\r\n\x1a\n") and b"\r\n\r\n" not in result.stdout[:8]
    from io import BytesIO

    from PIL import Image
    image = Image.open(BytesIO(result.stdout))
    assert image.size == (1920, 1080)


def test_push_and_pull_10_mb_round_trip(virtual_device, tmp_path):
    payload = os.urandom(10 * 1024 * 1024)
    source, back = tmp_path / "big.bin", tmp_path / "back.bin"
    source.write_bytes(payload)
    remote = f"/sdcard/{uuid.uuid4().hex}.bin"
    push = virtual_device.adb("push", str(source), remote, timeout=60)
    assert push.returncode == 0, push.stderr
    pull = virtual_device.adb("pull", remote, str(back), timeout=60)
    assert pull.returncode == 0, pull.stderr
    assert back.read_bytes() == payload
    assert virtual_device.adb("shell", f"ls -l {remote}").stdout.split()[4] == str(len(payload)).encode()


def test_push_small_file_and_list_directory(virtual_device, tmp_path):
    (tmp_path / "small.txt").write_text("hello\n")
    folder = f"/data/local/tmp/{uuid.uuid4().hex}"
    assert virtual_device.adb("push", str(tmp_path / "small.txt"), f"{folder}/small.txt").returncode == 0
    listing = virtual_device.adb("ls", folder).stdout.decode()
    assert re.search(r"^000081[0-9a-f]{2} 00000006 [0-9a-f]{8} small.txt$", listing, re.M), listing
    assert virtual_device.adb("shell", f"cat {folder}/small.txt").stdout == b"hello\n"


def test_pull_of_a_missing_file_fails_like_adb(virtual_device, tmp_path):
    result = virtual_device.adb("pull", "/sdcard/missing.bin", str(tmp_path / "x"))
    assert result.returncode == 1
    # AFTMM (Fire OS 6, Android 7.1) has no stat_v2, so adb asks with the old STAT, whose answer cannot carry
    # an errno: adb says the object does not exist. Devices with stat_v2 (Fire OS 7+) report ENOENT.
    assert b"remote object '/sdcard/missing.bin' does not exist" in result.stderr


def test_pull_of_a_missing_file_on_fire_os_7_reports_enoent(start_virtual_device, tmp_path):
    result = start_virtual_device(model="AFTKA").adb("pull", "/sdcard/missing.bin", str(tmp_path / "x"))
    assert result.returncode == 1
    assert b"No such file or directory" in result.stderr


def test_push_to_a_read_only_place_is_refused(virtual_device, tmp_path):
    (tmp_path / "f").write_text("x")
    result = virtual_device.adb("push", str(tmp_path / "f"), "/system/f")
    assert result.returncode == 1 and b"Permission denied" in result.stderr


def test_keyevents_show_in_logcat_dump(virtual_device):
    assert virtual_device.adb("shell", "input keyevent HOME DPAD_DOWN").returncode == 0
    dump = virtual_device.adb("logcat", "-d", "-s", "Input").stdout.decode().splitlines()
    keys = [line for line in dump if "injectKeyEvent" in line]
    assert any("action=ACTION_DOWN, keyCode=KEYCODE_HOME" in line for line in keys)
    assert any("action=ACTION_UP, keyCode=KEYCODE_DPAD_DOWN" in line for line in keys)
    assert all(THREADTIME.match(line) for line in keys)


def test_logcat_streams_and_stops_when_the_client_goes_away(virtual_device):
    marker = uuid.uuid4().hex
    env = virtual_device.adb_server.env()
    child = pexpect.spawn(str(virtual_device.adb_server.adb),
                          ["-P", str(virtual_device.adb_server.port), "-s", virtual_device.serial, "logcat",
                           "-v", "threadtime", "-T", "1"], env=env, timeout=15)
    try:
        child.expect(r"--------- beginning of \w+")
        # A key pressed after the stream started arrives on it: the stream is live, not a dump.
        virtual_device.adb("shell", f"log -t Marker {marker}")
        child.expect(f"Marker  : {marker}")
    finally:
        child.terminate(force=True)
    assert not child.isalive()
    # The device must have cancelled that logcat: adb still answers, and no stream is left busy.
    assert virtual_device.adb("shell", "echo alive").stdout == b"alive\n"


def test_interactive_shell_with_a_pty(virtual_device):
    child = pexpect.spawn(str(virtual_device.adb_server.adb),
                          ["-P", str(virtual_device.adb_server.port), "-s", virtual_device.serial, "shell"],
                          env=virtual_device.adb_server.env(), timeout=15)
    try:
        child.expect(r"mantis:/ \$ ")
        child.sendline("echo interactive")
        child.expect("interactive\r\n")
        child.expect(r"mantis:/ \$ ")
        child.sendline("exit 4")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 4


def test_a_burst_mode_server_works_too(tmp_path):
    """adb servers started with ADB_BURST_MODE=1 negotiate delayed-ACK windows."""
    from firebridge.adb.server import AdbServer
    from firebridge.lab.benchup import start_trusted_virtual_device

    server = AdbServer(home=tmp_path / "home", burst_mode=True).start()
    try:
        session = start_trusted_virtual_device(server, tmp_path)
        try:
            result = session.adb("shell", "echo burst; exit 5")
            assert (result.stdout, result.returncode) == (b"burst\n", 5)
            payload = os.urandom(3 * 1024 * 1024 + 17)
            (tmp_path / "p.bin").write_bytes(payload)
            assert session.adb("push", str(tmp_path / "p.bin"), "/sdcard/p.bin").returncode == 0
            assert session.adb("pull", "/sdcard/p.bin", str(tmp_path / "q.bin")).returncode == 0
            assert (tmp_path / "q.bin").read_bytes() == payload
        finally:
            session.process.stop()
    finally:
        server.stop()


def test_the_device_ends_logcat_when_adb_logcat_is_killed(tmp_path):
    """Seen from the device: the logcat service is cancelled once the client goes away."""
    from firebridge.adb.server import AdbServer
    from firebridge.adb.connect import connect_device
    from firebridge.virtual import VirtualFireTV

    with VirtualFireTV(auth="none") as tv, AdbServer(home=tmp_path) as server:
        connect_device(server.client(), tv.address)
        child = pexpect.spawn(str(server.adb), ["-P", str(server.port), "-s", tv.address, "logcat"],
                              env=server.env(), timeout=15)
        try:
            child.expect(r"--------- beginning of \w+")
            assert any("logcat" in name for name in tv.open_streams())
        finally:
            child.terminate(force=True)
        wait_until(lambda: not any("logcat" in name for name in tv.open_streams()), 10,
                   "the device to close the logcat stream", describe=lambda: str(tv.open_streams()))
