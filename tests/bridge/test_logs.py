"""The log tail: pexpect on a real `adb logcat` stream from the virtual device."""

from __future__ import annotations

import uuid

import pytest

from firebridge.device.logs import LogTail, LogTimeout, parse_threadtime

from ..conftest import SAMPLES


def test_parse_threadtime_on_real_captures():
    lines = (SAMPLES / "logcat_threadtime_firetv_zapp.txt").read_text().splitlines()
    records = [parse_threadtime(line) for line in lines]
    assert all(records)
    key = next(r for r in records if r.tag == "AmzPhoneWindowManager")
    assert (key.pid, key.tid, key.level, key.message) == (525, 620, "D", "is 23 in key list = false")
    looper = parse_threadtime((SAMPLES / "logcat_threadtime_firetv_cube3_nuvio.txt").read_text().splitlines()[-1])
    assert looper.tag == "Looper" and looper.message.startswith("Slow dispatch")
    assert parse_threadtime("--------- beginning of main") is None


@pytest.fixture
def tail(virtual_device, tmp_path):
    with LogTail(virtual_device.serial, tmp_path / "device.log", adb=virtual_device.adb_server.adb,
                 adb_server=virtual_device.adb_server.address) as log:
        yield log


def test_expect_and_wait_for_with_marks(virtual_device, tail):
    first, second = uuid.uuid4().hex, uuid.uuid4().hex
    virtual_device.adb("shell", f"log -t FbLogTest {first}")
    tail.expect(f"FbLogTest: {first}")
    mark = tail.mark()
    virtual_device.adb("shell", f"log -t FbLogTest -p w {second}; input keyevent HOME")
    match = tail.wait_for(rf"^.* W FbLogTest: ({second})$", since=mark)
    assert match.group(1) == second
    tail.wait_for(r"keyCode=KEYCODE_HOME", since=mark)
    # A line logged before the mark is not seen after it.
    with pytest.raises(LogTimeout):
        tail.wait_for(first, since=mark, timeout=0.5)
    records = [r for r in tail.records(mark) if r.tag == "FbLogTest"]
    assert [(r.level, r.message) for r in records] == [("W", second)]


def test_the_whole_stream_is_on_disk_and_timeouts_say_where(virtual_device, tail):
    marker = uuid.uuid4().hex
    virtual_device.adb("shell", f"log -t FbDisk {marker}")
    tail.wait_for(marker)
    assert marker in tail.log_path.read_text()
    with pytest.raises(LogTimeout) as failure:
        tail.expect("never-logged-pattern", timeout=0.5)
    message = str(failure.value)
    assert "never-logged-pattern" in message and str(tail.log_path) in message and marker in message
