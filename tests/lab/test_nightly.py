"""The nightly history and its comparison (pure), the progress display, and ``firebridge nightly`` over two
nights on a virtual lab, the second with a fault switch on for one device."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from firebridge.lab.history import History, compare, render_changes
from firebridge.lab.nightly import EventFollower, Progress
from firebridge.lab.reports import TestResult


def night(history: History, results: list[tuple[str, str, str, str | None]], mode: str = "each") -> int:
    night_id = history.start_night("lab", "suite", mode)
    history.finish_night(night_id, [TestResult(test, device, outcome, cls, 0.5, f"{outcome} {test}")
                                    for device, test, outcome, cls in results], 0)
    return night_id


ALL_PASS = [(d, t, "passed", None) for d in ("tv-1", "tv-2") for t in ("t_a", "t_b", "t_c")]


def with_outcome(base, device: str, test: str, outcome: str, cls: str | None):
    return [(d, t, outcome, cls) if (d, t) == (device, test) else (d, t, o, c) for d, t, o, c in base]


def test_newly_failing_on_one_device_and_nothing_else(tmp_path: Path):
    with History(tmp_path / "h.sqlite") as history:
        night(history, ALL_PASS)
        second = night(history, with_outcome(ALL_PASS, "tv-2", "t_b", "failed", "product"))
        changes = compare(history, second)
    assert changes.previous == 1
    assert changes.devices["tv-2"].newly_failing == ["t_b"]
    assert not changes.devices["tv-1"].changed
    text = "\n".join(render_changes(changes))
    assert text.count("t_b") == 1 and "tv-1: no change (3/3 passed)" in text


def test_newly_passing_still_failing_and_infra_looked_through(tmp_path: Path):
    with History(tmp_path / "h.sqlite") as history:
        night(history, with_outcome(ALL_PASS, "tv-1", "t_a", "failed", "product"))
        # night 2: the failing test hit an infrastructure failure: says nothing about the product
        night(history, with_outcome(with_outcome(ALL_PASS, "tv-1", "t_a", "error", "infra"),
                                    "tv-1", "t_c", "failed", "product"))
        third = night(history, with_outcome(ALL_PASS, "tv-1", "t_c", "failed", "product"))
        changes = compare(history, third)
    tv1 = changes.devices["tv-1"]
    assert tv1.newly_passing == ["t_a"]  # last said: failed (night 1), through night 2's infra failure
    assert tv1.still_failing == ["t_c"] and tv1.newly_failing == []


def test_infrastructure_failures_are_listed_apart(tmp_path: Path):
    with History(tmp_path / "h.sqlite") as history:
        night(history, ALL_PASS)
        second = night(history, with_outcome(ALL_PASS, "tv-2", "t_a", "error", "infra"))
        changes = compare(history, second)
    assert changes.devices["tv-2"].infra == [("t_a", "error t_a")]
    assert changes.devices["tv-2"].newly_failing == []
    assert "infrastructure failures (1; the device, not the app)" in "\n".join(render_changes(changes))


def test_a_lost_device_and_its_retried_failures_are_named(tmp_path: Path):
    with History(tmp_path / "h.sqlite") as history:
        night_id = history.start_night("lab", "suite", "spread")
        retried = TestResult("t_a", "tv-1", "passed", None, 1.0,
                             attempts=[{"device": "tv-2", "class": "infra", "reason": "device lost"}])
        history.finish_night(night_id, [retried, TestResult("t_b", "tv-2", "passed", None, 1.0)], 0)
        changes = compare(history, night_id)
    assert changes.devices["tv-2"].retried == [("t_a", "device lost")]
    text = render_changes(changes, lost={"tv-2": "device lost"})
    assert "  tv-2 — LOST during the run (device lost):" in text
    assert "    infrastructure failures retried on another attempt (1):" in text and "      t_a — device lost" in text
    assert "  tv-1: no change (1/1 passed)" in text


def test_flips_between_nights_are_flaky(tmp_path: Path):
    with History(tmp_path / "h.sqlite") as history:
        night(history, ALL_PASS)
        night(history, with_outcome(ALL_PASS, "tv-1", "t_a", "failed", "product"))
        third = night(history, ALL_PASS)
        fourth = night(history, with_outcome(ALL_PASS, "tv-1", "t_a", "failed", "product"))
        assert compare(history, third).devices["tv-1"].flaky == ["t_a"]
        changes = compare(history, fourth)
    assert changes.devices["tv-1"].flaky == ["t_a"] and changes.devices["tv-1"].newly_failing == []


def test_spread_nights_compare_by_test(tmp_path: Path):
    with History(tmp_path / "h.sqlite") as history:
        night(history, [("tv-1", "t_a", "passed", None), ("tv-2", "t_b", "passed", None)], mode="spread")
        second = night(history, [("tv-2", "t_a", "failed", "product"), ("tv-1", "t_b", "passed", None)],
                       mode="spread")
        changes = compare(history, second)
    assert changes.devices["tv-2"].newly_failing == ["t_a"]  # it passed on tv-1 the night before
    assert not changes.devices["tv-1"].changed


def test_the_first_night_has_nothing_to_compare_with(tmp_path: Path):
    with History(tmp_path / "h.sqlite") as history:
        first = night(history, ALL_PASS)
        changes = compare(history, first)
    assert changes.previous is None
    assert render_changes(changes)[0].startswith("First night")


def test_progress_from_events():
    progress = Progress()
    progress.update({"event": "start", "mode": "each", "total": 4, "devices": {"tv-1": {}, "tv-2": {}}})
    progress.update({"event": "result", "device": "tv-1", "outcome": "passed", "done": 1})
    note = progress.update({"event": "lost", "device": "tv-2", "reason": "device lost"})
    progress.update({"event": "result", "device": "tv-1", "outcome": "failed", "done": 2})
    assert "tv-2 (device lost)" in note and "reported as not run" in note  # each mode: not moved
    assert progress.line() == "[2/4]  failed 1  |  tv-1 2/2  tv-2 0/2 LOST"
    spread = Progress()
    spread.update({"event": "start", "mode": "spread", "total": 4, "devices": {"tv-1": {}, "tv-2": {}}})
    assert "go to the other devices" in spread.update({"event": "lost", "device": "tv-2", "reason": "x"})


def test_progress_names_each_devices_platform_once_at_the_start():
    progress = Progress()
    note = progress.update({"event": "start", "mode": "each", "total": 2, "devices": {
        "tv-1": {"platform": "fireos", "model": "AFTMM", "fire_os": "6.7.1.1", "sdk": 25},
        "tv-2": {"platform": "vega", "model": "Vega device", "os_version": "1.2", "fire_os": None, "sdk": 0}}})
    assert note == "  tv-1: fireos — AFTMM Fire OS 6.7.1.1 API 25\n  tv-2: vega — Vega device Vega OS 1.2"
    assert progress.identities["tv-2"]["platform"] == "vega"  # kept for an aborted night's history


def test_the_history_keeps_what_each_device_was_and_names_a_changed_one(tmp_path: Path):
    fire = {"name": "tv-1", "platform": "fireos", "model": "AFTMM", "os_version": "6.7.1.1", "fire_os": "6.7.1.1",
            "sdk": 25, "serial": "127.0.0.1:5555", "health": ["ok state: device"], "counts": {"passed": 1}}
    vega = {"name": "tv-2", "platform": "vega", "model": "Vega device", "os_version": "1.2", "fire_os": None,
            "sdk": 0, "serial": "127.0.0.1:5557"}
    results = [TestResult("t_a", "tv-1", "passed", None, 1.0), TestResult("t_a", "tv-2", "passed", None, 1.0)]
    with History(tmp_path / "h.sqlite") as history:
        first = history.start_night("lab", "suite", "each")
        history.finish_night(first, results, 0, devices={"tv-1": fire, "tv-2": vega})
        second = history.start_night("lab", "suite", "each")
        history.finish_night(second, results, 0, devices={"tv-1": {**vega, "name": "tv-1"}, "tv-2": vega})
        kept = history.devices(first)
        changes = compare(history, second)
    assert kept["tv-2"]["platform"] == "vega" and kept["tv-1"]["os_version"] == "6.7.1.1"
    assert "health" not in kept["tv-1"] and "counts" not in kept["tv-1"]  # the identity, not the run's data
    assert set(changes.was) == {"tv-1"}
    lines = render_changes(changes)
    assert lines[1] == ("  tv-1 (Vega device Vega OS 1.2, 127.0.0.1:5557) — on night 1 it was AFTMM Fire OS 6.7.1.1 "
                        "API 25: no change (1/1 passed)")
    assert lines[2] == "  tv-2 (Vega device Vega OS 1.2, 127.0.0.1:5557): no change (1/1 passed)"


def test_progress_names_the_running_test_per_device_with_elapsed_and_left():
    progress = Progress()
    progress.update({"event": "start", "time": 1000.0, "mode": "spread", "total": 4,
                     "devices": {"tv-1": {}, "tv-2": {}}})
    progress.update({"event": "begin", "time": 1001.0, "test": "d/test_a.py::test_one", "device": "tv-1"})
    progress.update({"event": "begin", "time": 1002.0, "test": "d/test_a.py::test_two", "device": "tv-2"})
    progress.update({"event": "result", "time": 1060.0, "test": "d/test_a.py::test_one", "device": "tv-1",
                     "outcome": "passed", "done": 1})
    line = progress.line(now=1090.0)
    # 90 s for 1 of 4: about 4m30s left; tv-1 idle now, tv-2 on test_two since 1002
    assert line == "[1/4] 1m30s elapsed, about 4m30s left  |  tv-1 1  tv-2 0 running test_two (1m28s)"
    assert [e["test"] for e in progress.results] == ["d/test_a.py::test_one"]


def test_an_aborted_night_is_kept_but_never_compared(tmp_path: Path):
    with History(tmp_path / "h.sqlite") as history:
        night(history, ALL_PASS)
        aborted = history.start_night("lab", "suite", "each")
        history.finish_night(aborted, [TestResult("t_a", "tv-1", "failed", "product", 1.0, "x")], 143, aborted=True)
        third = night(history, with_outcome(ALL_PASS, "tv-1", "t_a", "failed", "product"))
        changes = compare(history, third)
        assert [n.id for n in history.nights("lab", aborted=True)] == [third, aborted, 1]
        assert history.night(aborted).aborted and [r.test for r in history.results(aborted)] == ["t_a"]
    assert changes.previous == 1  # the aborted night is looked through
    assert changes.devices["tv-1"].newly_failing == ["t_a"]


def test_events_are_read_as_they_are_appended(tmp_path: Path):
    path = tmp_path / "events.jsonl"
    follower = EventFollower(path)
    assert follower.new() == []
    path.write_text('{"event": "start"}\n{"event": "res')
    assert follower.new() == [{"event": "start"}]
    with path.open("a") as stream:
        stream.write('ult"}\n')
    assert follower.new() == [{"event": "result"}]


SUITE = '''
"""Two checks of what the reference app reports, and the shell."""
import pytest
from firebridge.waiting import wait_until

APP = "com.firebridge.reference"


def open_link(firetv, uri):
    firetv.run(["am", "start", "-a", "android.intent.action.VIEW", "-d", uri, "-p", APP])


def wait_logged(firetv, needle):
    wait_until(lambda: needle in firetv.run("logcat -d"), 3, f"{needle!r} in the device log", interval=0.1)


def test_detail_page_reports_detail_view(firetv):
    firetv.run("logcat -c")
    open_link(firetv, "reftv://detail/movie-glass-orchard")
    wait_logged(firetv, "reportNewContentInteraction type=DETAIL_VIEW(1) cdf_id=movie-glass-orchard")


def test_playback_reports_catalog_id(firetv):
    firetv.run("logcat -c")
    open_link(firetv, "reftv://play/movie-glass-orchard")
    wait_logged(firetv, "reportNewPlaybackEvent type=Active cdf_id=movie-glass-orchard state=PLAYING(0)")


@pytest.mark.parametrize("n", range(2))
def test_shell_answers(firetv, n):
    assert firetv.run(["echo", str(n)]).strip() == str(n)
'''


@pytest.mark.slow
def test_two_nights_the_second_with_a_fault_on_one_device(tmp_path: Path, capsys, monkeypatch):
    from firebridge.lab.benchup import stand_up
    from firebridge.cli import main

    repo = str(Path(__file__).resolve().parents[2])  # the subprocesses import this checkout's firebridge
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [repo, os.environ.get("PYTHONPATH")])))
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "test_reports.py").write_text(SUITE)
    history = tmp_path / "history.sqlite"
    outputs = []
    for night_no, faults in ((1, {}), (2, {"tv-2": ["debug.firebridge.fault=wrong-cdf-id"]})):
        with stand_up(2, 2, tmp_path / f"lab-{night_no}", speed=20, props=faults, bench_name="lab") as lab:
            status = main(["nightly", "--bench", str(lab.bench_path), "--suite", str(suite), "--history",
                           str(history), "--reports", str(tmp_path / f"night-{night_no}"), "--",
                           "-p", "no:benchmark", "-p", "no:hypothesispytest"])
        outputs.append(capsys.readouterr().out)
        assert status == (0 if night_no == 1 else 1), outputs[-1]
    first, second = outputs
    assert "Night 1: 8 results" in first and "8 passed" in first
    assert re.search(r"\[8/8\] \S+ elapsed  \|  tv-1 4/4  tv-2 4/4", first)
    assert "longest tests first, by the durations of night 1" in second
    assert "Night 2: 8 results" in second and "2 failed (2 product, 0 infrastructure)" in second
    report = second[second.index("Compared with night 1:"):second.index("Reports:")]
    report = re.sub(r"      \S*test_reports\.py", "      test_reports.py", report)  # ids are relative to the rootdir
    assert report.splitlines() == [
        "Compared with night 1:",
        f"  tv-1 ({_what(tmp_path / 'night-2', 'tv-1')}): no change (4/4 passed)",
        f"  tv-2 ({_what(tmp_path / 'night-2', 'tv-2')}):",
        "    newly failing (2):",
        "      test_reports.py::test_detail_page_reports_detail_view",
        "      test_reports.py::test_playback_reports_catalog_id",
    ]
    with History(history) as stored:
        rows = stored.results(2)
    assert {(r.device, r.test.split("::")[1], r.outcome, r.failure_class) for r in rows if r.outcome != "passed"} == {
        ("tv-2", "test_detail_page_reports_detail_view", "failed", "product"),
        ("tv-2", "test_playback_reports_catalog_id", "failed", "product")}
    assert (tmp_path / "night-2" / "junit.xml").exists() and (tmp_path / "night-2" / "summary.json").exists()


def _what(folder: Path, device: str) -> str:
    """``AFTMM Fire OS 6.7.1.1 API 25, 127.0.0.1:PORT``: the device as the morning report names it."""
    info = json.loads((folder / "summary.json").read_text())["devices"][device]
    assert info["platform"] == "fireos" and info["model"] == "AFTMM"
    return f"AFTMM Fire OS {info['fire_os']} API 25, {info['serial']}"


def test_a_usage_error_stores_nothing(tmp_path: Path, capsys):
    from firebridge.cli import main

    bench = tmp_path / "bench.yaml"
    bench.write_text("devices:\n  - name: gone\n    address: 127.0.0.1:9\n    adb_server: 127.0.0.1:9\n")
    status = main(["nightly", "--bench", str(bench), "--suite", str(tmp_path), "--history",
                   str(tmp_path / "h.sqlite"), "--reports", str(tmp_path / "r")])
    out = capsys.readouterr().out
    assert status != 0 and "nothing was stored" in out and "can take work" in out
    with History(tmp_path / "h.sqlite") as history:
        assert history.nights("bench") == []


SLOW_SUITE = '''
"""Tests that take a while, so that a nightly can be stopped in the middle of the run."""
import time
import pytest


@pytest.mark.parametrize("n", range(12))
def test_takes_a_while(firetv, n):
    assert firetv.run(["echo", str(n)]).strip() == str(n)
    time.sleep(1.0)  # the workload: a long test (not synchronization)
'''


def _children(pid: int) -> list[int]:
    kids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                kids.append(int(entry.name))
    return kids


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.slow
@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL"])
def test_a_stopped_nightly_ends_its_run_releases_the_devices_and_keeps_the_night(tmp_path: Path, how: str):
    """SIGTERM: nightly stops its run's process group and stores the night as aborted. SIGKILL: the kernel
    ends the run (parent-death signal) and the next nightly stores the killed night as aborted."""
    import signal
    import subprocess
    import sys

    from firebridge.lab.benchup import stand_up
    from firebridge.waiting import wait_until

    repo = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [repo, os.environ.get("PYTHONPATH")])),
               FIREBRIDGE_LEASE_DIR=str(tmp_path / "leases"))
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "test_slow.py").write_text(SLOW_SUITE)
    history, reports = tmp_path / "history.sqlite", tmp_path / "night"
    with stand_up(1, 1, tmp_path / "lab", speed=20, bench_name="lab") as lab:
        command = [sys.executable, "-m", "firebridge", "nightly", "--bench", str(lab.bench_path), "--suite",
                   str(suite), "--history", str(history), "--reports", str(reports), "--",
                   "-p", "no:benchmark", "-p", "no:hypothesispytest"]
        nightly = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            events = reports / "events.jsonl"
            wait_until(lambda: events.is_file() and '"event": "result"' in events.read_text(), 90,
                       "the first result of the nightly's run")
            [child] = _children(nightly.pid)  # pytest, leader of its own process group
            os.kill(nightly.pid, getattr(signal, how))
            output, _ = nightly.communicate(timeout=60)
            wait_until(lambda: not _group_alive(child), 30, "the run's processes to end")
        finally:
            if nightly.poll() is None:
                nightly.kill()
                nightly.wait()
        if how == "SIGTERM":
            assert nightly.returncode == 128 + signal.SIGTERM, output
            assert "stored as aborted" in output and "leases released" in output, output
        else:  # the next nightly finds the night its killed predecessor left unfinished
            from firebridge.lab.nightly import recover_abandoned
            import io
            note = io.StringIO()
            with History(history) as stored:
                assert recover_abandoned(stored, note) == [1]
            assert "its nightly was killed" in note.getvalue()
        # the device is free again: every lease file the run held can be locked at once
        import fcntl
        locks = list((tmp_path / "leases").glob("*.lock"))
        assert locks
        for lock in locks:
            with lock.open("a") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    with History(history) as stored:
        [kept] = stored.nights("lab", aborted=True)
        results = stored.results(kept.id)
    assert kept.aborted and 1 <= len(results) < 12
    assert all(r.outcome == "passed" for r in results)
