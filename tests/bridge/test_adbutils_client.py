"""Stock adbutils against the virtual Fire TV (through the private adb server)."""

from __future__ import annotations

import io
import os
import uuid

from firebridge.waiting import wait_until


def test_connect_shell_and_props(virtual_device):
    device = virtual_device.adbutils_device()
    assert device.shell("echo hi") == "hi"
    assert device.prop.model == "AFTMM"
    assert device.getprop("ro.product.manufacturer") == "Amazon"
    assert device.shell(["echo", "a b"]) == "a b"


def test_shell2_exit_codes(virtual_device):
    device = virtual_device.adbutils_device()
    # adbutils v1 appends '; echo X4EXIT:$?', so the exit must happen in a child shell.
    assert device.shell2("sh -c 'exit 7'").returncode == 7
    result = device.shell2("echo out; echo err >&2; exit 3", v2=True)
    assert (result.returncode, result.stdout, result.stderr) == (3, "out\n", "err\n")
    assert device.shell2("false", v2=True).returncode == 1


def test_logcat_stream(virtual_device):
    device = virtual_device.adbutils_device()
    marker = uuid.uuid4().hex
    stream = device.shell("logcat -v threadtime -T 1", stream=True)
    try:
        device.shell(f"log -t FbTest {marker}")
        received = b""

        def seen() -> bool:
            nonlocal received
            received += stream.conn.recv(65536)
            return marker.encode() in received

        wait_until(seen, 10, f"the marker {marker} on the logcat stream")
    finally:
        stream.close()
    assert device.shell("echo still-fine") == "still-fine"


def test_sync_push_pull_stat_list(virtual_device, tmp_path):
    device = virtual_device.adbutils_device()
    payload = os.urandom(300_000)
    remote = f"/data/local/tmp/{uuid.uuid4().hex}.bin"
    device.sync.push(io.BytesIO(payload), remote)
    assert device.sync.read_bytes(remote) == payload
    stat = device.sync.stat(remote)
    assert stat.size == len(payload)
    names = [entry.path for entry in device.sync.list("/data/local/tmp")]
    assert os.path.basename(remote) in names
    device.sync.pull(remote, tmp_path / "back.bin")
    assert (tmp_path / "back.bin").read_bytes() == payload
    assert device.sync.stat("/sdcard/definitely-missing").size == 0


def test_keyevent_is_injected(virtual_device):
    device = virtual_device.adbutils_device()
    device.shell("logcat -c")
    device.keyevent("DPAD_CENTER")
    dump = device.shell("logcat -d -s Input")
    assert "keyCode=KEYCODE_DPAD_CENTER" in dump
