"""The device's logcat: formats matching real captures, filters, -t/-T/-c, buffer markers."""

from __future__ import annotations

import re

from ..conftest import SAMPLES

# The line shapes of the real captures (tests/samples/logcat_*).
THREADTIME = re.compile(r"^\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} {1,}\d+ {1,}\d+ [VDIWEF] .{8,}?: .*$")
TIME = re.compile(r"^\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} [VDIWEF]/.+?\( *\d+\): .*$")
BRIEF = re.compile(r"^[VDIWEF]/.+?\( *\d+\): .*$")


def _sample_lines(name: str) -> list[str]:
    return [line for line in (SAMPLES / name).read_text().splitlines() if line.strip()]


def test_sample_captures_have_the_shapes_we_print():
    assert all(THREADTIME.match(line) for line in _sample_lines("logcat_threadtime_firetv_zapp.txt"))
    assert all(THREADTIME.match(line) for line in _sample_lines("logcat_threadtime_firetv_cube3_nuvio.txt"))
    assert all(BRIEF.match(line) for line in _sample_lines("logcat_brief_firetv_gen1.txt"))


def test_formats(sh):
    sh("logcat -c; log -t Looper -p w Slow dispatch took 333ms; log -t AmzPhoneWindowManager -p d is 23 in key list")
    threadtime = sh("logcat -d").stdout.splitlines()
    assert threadtime[0] == "--------- beginning of main"
    assert all(THREADTIME.match(line) for line in threadtime[1:])
    assert re.search(r" W Looper  : Slow dispatch took 333ms$", threadtime[1])  # tag padded to 8
    assert all(TIME.match(line) for line in sh("logcat -d -v time").stdout.splitlines()[1:])
    brief = sh("logcat -d -v brief").stdout.splitlines()[1:]
    assert all(BRIEF.match(line) for line in brief)
    assert brief[1].startswith("D/AmzPhoneWindowManager(")
    assert "--------- beginning" not in sh("logcat -d -b main").stdout  # one buffer: no divider


def test_tag_level_filters(sh):
    sh("logcat -c; log -t A -p d debug-a; log -t A -p e error-a; log -t B -p i info-b")
    assert _messages(sh("logcat -d A:E *:S").stdout) == ["error-a"]
    assert _messages(sh("logcat -d -s B").stdout) == ["info-b"]
    assert _messages(sh("logcat -d *:W").stdout) == ["error-a"]
    assert _messages(sh("export ANDROID_LOG_TAGS='A:D *:S'; logcat -d").stdout) == ["debug-a", "error-a"]
    assert _messages(sh("export ANDROID_LOG_TAGS=''; logcat -d -s A").stdout) == ["debug-a", "error-a"]
    assert _messages(sh("logcat -d -e err").stdout) == ["error-a"]


def test_tail_and_clear(sh):
    sh("logcat -c; log one; log two; log three")
    assert _messages(sh("logcat -t 2").stdout) == ["two", "three"]
    assert _messages(sh("logcat -d -m 1").stdout) == ["one"]
    sh("logcat -c")
    assert sh("logcat -d").stdout == ""


def test_bad_options_are_reported(sh):
    result = sh("logcat -v nonsense")
    assert result.status == 1 and "Invalid parameter" in result.stderr
    assert sh("logcat -Z").status == 1


def _messages(output: str) -> list[str]:
    return [line.split(": ", 1)[1] for line in output.splitlines() if not line.startswith("---------")]
