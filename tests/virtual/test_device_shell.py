"""The virtual device's shell and commands, run directly (no adb): syntax, streams, formats."""

from __future__ import annotations

import re

import pytest

from firebridge.virtual.shell.syntax import ShellSyntaxError, parse, quote

from ..conftest import SAMPLES


@pytest.mark.parametrize("script, stdout, status", [
    ("echo hi", "hi\n", 0),
    ("true; echo $?", "0\n", 0),
    ("false; echo $?", "1\n", 0),
    ("false && echo no || echo yes", "yes\n", 0),
    ("true && echo a && echo b", "a\nb\n", 0),
    ("echo 'single $HOME' \"double $USER\"", "single $HOME double shell\n", 0),
    ("export A=1; echo $A ${A}x", "1 1x\n", 0),
    ("A=2 sh -c 'echo $A'", "2\n", 0),
    ("echo $(echo nested) after", "nested after\n", 0),
    ("echo a\\ b", "a b\n", 0),
    ("exit 3; echo unreachable", "", 3),
    ("exit 300", "", 44),
    ("exec echo via-exec; echo unreachable", "via-exec\n", 0),
    ("! false; echo $?", "0\n", 0),
    ("echo one # a comment", "one\n", 0),
    ("false; echo X4EXIT:$?", "X4EXIT:1\n", 0),  # what adbutils.shell2 appends
    ("export ANDROID_LOG_TAGS=''; echo \"[$ANDROID_LOG_TAGS]\"", "[]\n", 0),  # what adb logcat sends
])
def test_shell_syntax_and_status(sh, script, stdout, status):
    result = sh(script)
    assert (result.stdout, result.status) == (stdout, status), result.stderr


def test_stderr_redirections_keep_streams_apart(sh):
    result = sh("echo out; echo err >&2; echo gone 2>/dev/null >&2; echo both 2>&1")
    assert result.stdout == "out\nboth\n"
    assert result.stderr == "err\n"


def test_pipes_into_grep(sh):
    assert sh("getprop | grep -i manufacturer").stdout == "[ro.product.manufacturer]: [Amazon]\n"
    assert sh("echo abc | grep -v x | grep -c b").stdout == "1\n"
    result = sh("echo abc | grep zzz")
    assert (result.stdout, result.status) == ("", 1)
    assert sh(r"getprop | grep 'model\|sdk' | grep -c .").stdout.strip() != "0"


def test_unknown_command_answers_like_android(sh):
    result = sh("sed -n p")
    assert result.status == 127
    assert result.stderr == "/system/bin/sh: sed: not found\n"


def test_syntax_errors_are_reported_not_raised(sh):
    result = sh("echo 'unterminated")
    assert result.status == 2 and "syntax error" in result.stderr
    with pytest.raises(ShellSyntaxError):
        parse("echo a |")


def test_quote_round_trips_through_the_parser(sh):
    for text in ["plain", "with space", "it's", "$HOME", "a;b&&c", "", "\"q\""]:
        assert sh(f"echo {quote(text)}").stdout == text + "\n"


def test_file_commands_over_the_device_filesystem(sh):
    assert sh("mkdir /sdcard/t && echo data > /sdcard/t/f.txt && cat /sdcard/t/f.txt").stdout == "data\n"
    assert sh("echo more >> /sdcard/t/f.txt; cat /storage/emulated/0/t/f.txt").stdout == "data\nmore\n"
    assert sh("ls /sdcard/t").stdout == "f.txt\n"
    assert sh("cat < /sdcard/t/f.txt | grep more").stdout == "more\n"
    missing = sh("cat /sdcard/nope")
    assert (missing.status, missing.stderr) == (1, "cat: /sdcard/nope: No such file or directory\n")
    assert sh("rm /sdcard/t").status == 1  # a directory without -r
    assert sh("rm -r /sdcard/t && ls /sdcard/t").status == 1
    denied = sh("echo x > /system/evil")
    assert denied.status == 1 and "Permission denied" in denied.stderr
    assert sh("mkdir -p /data/local/tmp/a/b && ls /data/local/tmp/a").stdout == "b\n"


def test_getprop_prints_every_property_in_the_real_format(sh, device):
    lines = sh("getprop").stdout.splitlines()
    assert len(lines) == len(device.properties) >= 100
    assert all(re.fullmatch(r"\[[^\]]+\]: \[.*\]", line) for line in lines)
    sample = (SAMPLES / "getprop_firetv_stick_aftt_partial.txt").read_text().splitlines()[1:]
    assert all(re.fullmatch(r"\[[^\]]+\]: \[.*\]", line) for line in sample)  # same shape as a real one
    assert sh("getprop ro.product.model").stdout == "AFTMM\n"
    assert sh("getprop no.such.prop fallback").stdout == "fallback\n"


def test_setprop_sets_but_read_only_properties_stay(sh):
    assert sh("setprop debug.firebridge.fault x; getprop debug.firebridge.fault").stdout == "x\n"
    result = sh("setprop ro.product.model HACKED")
    assert result.status == 1 and "failed to set property" in result.stderr
    assert sh("getprop ro.product.model").stdout == "AFTMM\n"


def test_settings_get_put_delete_list(sh):
    assert sh("settings get secure no_such_key").stdout == "null\n"
    assert sh("settings put secure fb_test 1 && settings get secure fb_test").stdout == "1\n"
    listing = sh("settings list secure").stdout.splitlines()
    assert "fb_test=1" in listing and "long_press_timeout=400" in listing
    assert listing == sorted(listing)
    assert sh("settings delete secure fb_test").stdout == "Deleted 1 rows\n"
    assert sh("settings delete secure fb_test").stdout == "Deleted 0 rows\n"
    bad = sh("settings get bogus x")
    assert bad.status == 1 and "Invalid namespace 'bogus'" in bad.stderr
    assert sh("settings put global fb_g 2; settings get global fb_g").stdout == "2\n"
    assert sh("settings put system fb_s 3; settings get system fb_s").stdout == "3\n"


def test_pm_lists_packages_features_and_paths(sh):
    packages = sh("pm list packages").stdout.splitlines()
    assert "package:com.amazon.tv.launcher" in packages
    assert all(line.startswith("package:") for line in packages)
    features = sh("pm list features").stdout.splitlines()
    assert features[0].startswith("feature:reqGlEsVersion=0x")
    assert "feature:amazon.hardware.fire_tv" in features
    assert sh("pm path com.amazon.tv.launcher").stdout.startswith("package:/system/")
    assert sh("pm path no.such.app").status == 1
    assert sh("pm list packages -f launcher").stdout.startswith("package:/system/priv-app/")


def test_wm_size_and_id(sh):
    assert sh("wm size").stdout == "Physical size: 1920x1080\n"
    assert sh("id").stdout.startswith("uid=2000(shell) gid=2000(shell)")


def test_input_keyevent_logs_each_key_like_android(sh, device):
    pressed: list[tuple[int, bool]] = []
    device.key_listeners.append(lambda code, longpress: pressed.append((code, longpress)))
    assert sh("input keyevent HOME KEYCODE_DPAD_DOWN 23").status == 0
    assert sh("input keyevent --longpress MENU").status == 0
    assert pressed == [(3, False), (20, False), (23, False), (82, True)]
    input_lines = [e.message for e in device.log.entries() if e.tag == "Input"]
    assert len(input_lines) == 2 * 3 + 3  # DOWN/UP per key, plus the long-press repeat
    assert input_lines[0].startswith("injectKeyEvent: KeyEvent { action=ACTION_DOWN, keyCode=KEYCODE_HOME,")
    assert "flags=0x88, repeatCount=1" in input_lines[-2]


def test_input_text_and_usage(sh, device):
    typed: list[str] = []
    device.text_listeners.append(typed.append)
    assert sh("input text 'hi%sthere'").status == 0
    assert "".join(typed) == "hi there"
    usage = sh("input")
    assert usage.status == 1 and usage.stderr.startswith("Usage: input")


def test_screencap_writes_a_png(sh, device):
    assert sh("screencap -p /sdcard/s.png").status == 0
    data = device.fs.read_bytes("/sdcard/s.png")
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
