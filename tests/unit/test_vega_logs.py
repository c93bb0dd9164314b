"""loggingctl short_precise lines (Vega) on every captured line, and the doubled console.info collapse."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import pytest

from firebridge.platforms.vega.logs import (LOG_COMMAND, ConsoleCopyFilter, collapse_doubled, marker_command,
                                            parse_loggingctl_line)

from ..conftest import SAMPLES

CAPTURES = sorted(SAMPLES.glob("vega*loggingctl*.txt"))
CAPTURES = [path for path in CAPTURES if not path.name.endswith(".source.txt")]


def capture_lines() -> list[tuple[str, str]]:
    return [(path.name, line) for path in CAPTURES for line in path.read_text().splitlines()]


def test_the_captures_are_there():
    assert {p.name for p in CAPTURES} >= {"vega_vvd_loggingctl_short_precise.txt",
                                          "vega_loggingctl_short_precise_daemon8.txt"}
    assert all(path.with_suffix(".source.txt").exists() for path in CAPTURES)


@pytest.mark.parametrize("name,line", capture_lines())
def test_every_captured_line_parses(name, line):
    record = parse_loggingctl_line(line)
    if line.startswith("#") or not line.strip():
        assert record is None
        return
    assert record is not None, line
    assert record.message and record.text and record.raw == line
    assert record.timestamp[:3] in ("Mar", "Oct") and "." in record.timestamp
    assert record.host.startswith(("amazon-", "firestick-"))
    assert record.process and record.pid is not None and f"{record.process}[{record.pid}]:" in line
    # The message is the tail of the line: nothing invented, nothing from the header.
    assert line.endswith(record.message) or record.message in line


def test_physical_stick_line_with_facility_severity_and_inline_pid_level():
    record = parse_loggingctl_line(
        "Mar 24 18:14:48.429744 firestick-d5c035c0b6c510f5 local0.err lcm_service[900]: 900 E lcm-server:"
        "[Lcm.cpp:4872] Deregistering application with clientPid 14225 and package id com.rcn.rtntv_vega after crash")
    assert (record.host, record.facility, record.severity, record.level) == ("firestick-d5c035c0b6c510f5", "local0",
                                                                             "err", "E")
    assert (record.process, record.pid, record.component, record.tag) == ("lcm_service", 900, "lcm-server", "lcm-server")
    assert record.message.startswith("[Lcm.cpp:4872] Deregistering application")


def test_facility_without_inline_level_keeps_the_whole_message():
    record = parse_loggingctl_line("Mar 24 18:14:47.927259 firestick-d5c035c0b6c510f5 local1.err acr_core_dump[14271]:"
                                   "  Cannot find library name for process com.rcn.rtntv_vega")
    assert (record.facility, record.severity, record.component) == ("local1", "err", None)
    assert record.message == "Cannot find library name for process com.rcn.rtntv_vega"


def test_vvd_javascript_console_lines():
    lines = {line for _, line in capture_lines()}
    error = next(l for l in lines if "[onError]" in l)
    info = next(l for l in lines if "SEMA_PROBE" in l)
    e, i = parse_loggingctl_line(error), parse_loggingctl_line(info)
    assert (e.javascript, e.severity, e.component, e.process) == (True, "err", "com.amazon.keplerscript", "com.sema.viewer")
    assert e.message.startswith("[onError]: (-29: http://127.0.0.1:8765/probe)")
    assert (i.javascript, i.severity) == (True, "info")
    assert i.message.startswith('[WebViewMessage] SEMA_PROBE {"run"')


@pytest.mark.parametrize("needle,severity,component,message_start", [
    ("chromium:[2:52", "warning", "chromium", "[2:52:1001/211742.676988:WARNING"),          # letter W
    ("JsonMediaCapabilitiesParser", "info", "JsonMediaCapabilitiesParser", "codec capabilities"),
    ("servicergrd[898]", "err", "com.amazon.appfwk.servicergrd", "error issuing launch request"),  # word ERROR
    ("ucc[1779]", None, None, "The specified key: voiceview_ready_no_tutorial"),          # no level at all
    ("systemd-journald[321]", None, None, "Journal header limits reached"),
    ("lcm_service[980]", "warning", "com.amazon.lcm.app_control_ops.service.ipcf4.skeleton", ".endp_hdl.dth_ctx"),
])
def test_inline_level_variants(needle, severity, component, message_start):
    line = next(l for _, l in capture_lines() if needle in l)
    record = parse_loggingctl_line(line)
    assert (record.severity, record.component, record.facility) == (severity, component, None)
    assert record.message.startswith(message_start)


@pytest.mark.parametrize("line", ["", "   ", "-- Boot 5f0c2a3b1e9d4c7a --", "-- No entries --",
                                  "not a log line at all", "# comment"])
def test_non_records(line):
    assert parse_loggingctl_line(line) is None


def test_doubled_console_info_is_collapsed_but_other_repeats_stay():
    info = next(l for _, l in capture_lines() if "SEMA_PROBE" in l)
    again = info.replace("21:21:07.599445", "21:21:07.599612")  # the second copy (later timestamp)
    native = next(l for _, l in capture_lines() if "inject_key" in l)
    error = next(l for _, l in capture_lines() if "[onError]" in l)
    records = [parse_loggingctl_line(l) for l in (info, again, native, native, error, error, info, again, info)]
    kept = list(collapse_doubled(records))
    assert [r.raw for r in kept] == [info, native, native, error, error, info, info]


def test_copies_that_come_after_other_lines_are_collapsed():
    lines = [l for _, l in capture_lines()]
    first = next(l for l in lines if "SEMA_PROBE" in l)
    second = first.replace('"section":"f"', '"section":"g"')
    other_process = first.replace("com.sema.viewer[8911]", "com.other.app[77]")
    # original A, original B, copy A, another app's identical text, copy B
    order = [first, second, first, other_process, second]
    kept = [r.raw for r in collapse_doubled(parse_loggingctl_line(l) for l in order)]
    assert kept == [first, second, other_process]


def test_the_filter_works_line_by_line_for_a_live_stream():
    info = next(l for _, l in capture_lines() if "SEMA_PROBE" in l)
    copies = ConsoleCopyFilter(window=2)
    record = parse_loggingctl_line(info)
    assert [copies.accept(record), copies.accept(record), copies.accept(record)] == [True, False, True]


def test_log_command_and_marker_words():
    assert LOG_COMMAND == ["shell", "loggingctl", "log", "-f", "-o", "short_precise"]
    words = marker_command("fb-mark", "it's a `mark`; $HOME")
    assert words[:5] == ["logger", "-t", "fb-mark", "-p", "user.info"] and words[-1] == "it's a `mark`; $HOME"


def test_marker_command_reaches_logger_with_its_words_intact(tmp_path: Path):
    """Through a real POSIX shell: the quoted command gives `logger` exactly the tag and the message."""
    fake = tmp_path / "logger"
    fake.write_text('#!/bin/sh\nfor a in "$@"; do printf "<%s>\\n" "$a"; done\n')
    fake.chmod(0o755)
    message = "it's a `mark`; $HOME $(id) \"q\""
    out = subprocess.run(["/bin/sh", "-c", shlex.join(marker_command("tag x", message))], capture_output=True, text=True,
                         env={"PATH": f"{tmp_path}:/usr/bin:/bin"}, check=True).stdout
    assert out.splitlines() == ["<-t>", "<tag x>", "<-p>", "<user.info>", "<-->", f"<{message}>"]


def test_a_mark_as_journald_prints_it_parses_back():
    record = parse_loggingctl_line("Oct 01 21:40:00.000001 amazon-761010f39a2ef58a fb-mark[4242]: step 3 done")
    assert (record.process, record.pid, record.message, record.severity) == ("fb-mark", 4242, "step 3 done", None)
