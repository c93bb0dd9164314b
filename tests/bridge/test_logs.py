"""The log tail: pexpect on a real `adb logcat` stream from the virtual device."""

from __future__ import annotations

import re
import uuid

import pytest

from firebridge.device.logs import LogTail, LogTimeout, parse_threadtime
from firebridge.waiting import wait_until

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


def streaming(virtual_device, tail: LogTail) -> int:
    """Wait until the stream runs (logcat -T 1 starts at the newest line: lines logged before it started
    would be skipped); the offset after the line that showed it."""
    ready = uuid.uuid4().hex
    virtual_device.adb("shell", f"log -t FbReady {ready}")
    return tail.wait_for(ready + r".*\n").end()


def test_expect_offsets_are_offsets_in_the_log(virtual_device, tail):
    first, second = uuid.uuid4().hex, uuid.uuid4().hex
    streaming(virtual_device, tail)
    virtual_device.adb("shell", f"log -t FbOffsets {first}; log -t FbOffsets {second}")
    match = tail.expect(f"FbOffsets: ({first})")
    assert match.group(1) == first and tail.text()[match.start():match.end()] == match.group()
    assert first not in tail.text(match.end())
    # expect consumes: the first marker is not found again; the second is still ahead.
    assert tail.expect(f"FbOffsets: ({first}|{second})").group(1) == second


def test_a_long_log_keeps_memory_bounded_and_text_since_reads_the_file(virtual_device, tmp_path):
    """Far more log than the window: expect still finds the last line, older text comes from disk."""
    batch = uuid.uuid4().hex[:8]
    commands = "; ".join(f"log -t FbBulk {batch}-{n:04d}-" + "x" * 150 for n in range(300))
    with LogTail(virtual_device.serial, tmp_path / "device.log", adb=virtual_device.adb_server.adb,
                 adb_server=virtual_device.adb_server.address, window_chars=4096, max_match=1024) as tail:
        start = streaming(virtual_device, tail)
        virtual_device.adb("shell", commands + f"; log -t FbBulk {batch}-done")
        tail.expect(rf"FbBulk\s*: {batch}-done", timeout=20)
        assert tail.buffer.buffered_chars <= 4096 + 2 * 4096
        assert tail.buffer.window_start > start  # the first lines left memory...
        text = tail.text(start)
        ours = [line for line in text.splitlines() if f" {batch}-" in line]
        assert [line.split(f"{batch}-")[1][:4] for line in ours[:-1]] == [f"{n:04d}" for n in range(300)]
        assert text in tail.log_path.read_text()  # ...and were read back from the file, whole
        assert sum(1 for r in tail.records(start) if r.tag == "FbBulk") == 301
        assert tail.last_lines(1)[0].endswith(f"{batch}-done")


def test_the_stream_command_and_the_line_parser_are_pluggable(virtual_device, tmp_path):
    """As a Vega OS driver does (``shell loggingctl log -f -o short_precise`` and its parser): here a
    shell-run ``logcat -v brief`` and a brief-format parser."""
    def parse_brief(line: str):
        head, sep, message = line.partition("): ")
        if not sep or "/" not in head:
            return None
        level, _, tag = head.partition("/")
        return level, tag.split("(")[0].strip(), message

    marker = uuid.uuid4().hex
    with LogTail(virtual_device.serial, tmp_path / "device.log", adb=virtual_device.adb_server.adb,
                 adb_server=virtual_device.adb_server.address,
                 stream_args=["shell", "logcat", "-v", "brief", "-T", "1"], parser=parse_brief) as tail:
        since = streaming(virtual_device, tail)
        virtual_device.adb("shell", f"log -t FbBrief -p w {marker}")
        tail.wait_for(rf"^W/FbBrief\s*\(\s*\d+\): {marker}$", since=since)
        assert ("W", "FbBrief", marker) in list(tail.records(since))


def test_vega_log_lines_through_a_plugged_stream_and_parser(virtual_device, tmp_path):
    """Real loggingctl short_precise lines (a capture) streamed through adb with Vega's parser plugged in.
    (`shell cat` of the capture stands in for `shell loggingctl log -f`, which only a Vega device has.)"""
    from firebridge.platforms.vega.logs import parse_loggingctl_line

    sample = SAMPLES / "vega_vvd_loggingctl_short_precise.txt"
    remote = f"/data/local/tmp/vega-{uuid.uuid4().hex[:8]}.log"
    virtual_device.adb("push", str(sample), remote)
    expected = [r for r in map(parse_loggingctl_line, sample.read_text().splitlines()) if r is not None]
    assert expected
    with LogTail(virtual_device.serial, tmp_path / "device.log", adb=virtual_device.adb_server.adb,
                 adb_server=virtual_device.adb_server.address, stream_args=["shell", "cat", remote],
                 parser=parse_loggingctl_line) as tail:
        last = sample.read_text().splitlines()[-1]
        tail.wait_for(re.escape(last), timeout=20)
        assert list(tail.records()) == expected


def test_complete_lines_leave_out_a_line_still_being_received(virtual_device, tmp_path):
    """adb delivers a long line in pieces: ``lines(complete=True)`` leaves the unfinished last one out, so that
    a parser never reads its first half as a whole line (the Content Personalization evidence relies on it)."""
    with LogTail(virtual_device.serial, tmp_path / "device.log", adb=virtual_device.adb_server.adb,
                 adb_server=virtual_device.adb_server.address,
                 stream_args=["shell", "printf 'first line\\nsecond, unfinished'; sleep 30"]) as tail:
        wait_until(lambda: "unfinished" in tail.text(), 20, "the unfinished line")  # wait_for reads whole lines
        assert tail.lines() == ["first line", "second, unfinished"]
        assert tail.lines(complete=True) == ["first line"]
        assert tail.lines(tail.mark(), complete=True) == []
