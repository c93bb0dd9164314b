"""Recovery on a bench: a device stopped mid-test, infrastructure failures retried once elsewhere,
product failures never; no result is lost (pytester subprocess, pytest-xdist, virtual Fire TVs)."""

from __future__ import annotations

import json

import pytest

from firebridge.lab.benchup import stand_up

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.usefixtures("this_checkout")

SUITE = '''
import json, os, signal
from pathlib import Path
import pytest
from firebridge.errors import AdbTimeout
from firebridge.waiting import wait_until

LAB = json.loads(Path(os.environ["FB_LAB_JSON"]).read_text())
PIDS = {d["address"]: d["pid"] for d in LAB["devices"]}
FLAGS = Path(os.environ["FB_FLAGS"])


def alive(pid):
    try:  # a zombie (exited, not yet reaped by the lab) counts as stopped
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def first_time(name):
    flag = FLAGS / name
    if flag.exists():
        return False
    flag.write_text("")
    return True


def test_device_stops_mid_test(firetv):
    firetv.run("echo before")
    if first_time("stop"):
        (FLAGS / "stopped").write_text(firetv.serial)
        os.kill(PIDS[firetv.serial], signal.SIGTERM)  # the TV loses power in the middle of the test
        wait_until(lambda: not alive(PIDS[firetv.serial]), 10, "the device process to end")
    assert firetv.run("echo after").strip() == "after"


@pytest.mark.parametrize("n", range(8))
def test_shell(firetv, n):
    assert firetv.run(["echo", str(n)]).strip() == str(n)


def test_adb_timeout_once(firetv):
    if first_time("timeout-once"):
        raise AdbTimeout("shell:dumpsys did not finish within 30 s")


def test_adb_timeout_always(firetv):
    raise AdbTimeout("shell:dumpsys did not finish within 30 s")


def test_product_bug(firetv):
    assert firetv.run("echo 1").strip() == "2"
'''


@pytest.mark.slow
def test_a_device_stopped_mid_run_loses_nothing(pytester: pytest.Pytester, tmp_path_factory, monkeypatch):
    flags = tmp_path_factory.mktemp("flags")
    with stand_up(3, 2, tmp_path_factory.mktemp("lab"), speed=20, reconnect_timeout=2) as lab:
        monkeypatch.setenv("FB_LAB_JSON", str(lab.workdir / "lab.json"))
        monkeypatch.setenv("FB_FLAGS", str(flags))
        pytester.makepyfile(test_recovery=SUITE)
        result = pytester.runpytest_subprocess(
            "--bench", str(lab.bench_path), "--bench-lease-dir", str(pytester.path / "leases"),
            "--artifacts", str(pytester.path / "art"), "--bench-events", str(pytester.path / "events.jsonl"),
            "-p", "no:cacheprovider", "-p", "no:benchmark", "-p", "no:hypothesispytest")
        stopped_serial = (flags / "stopped").read_text()
        stopped = next(d.name for d in lab.devices if d.address == stopped_serial)
    summary = json.loads((pytester.path / "art" / "bench-report" / "summary.json").read_text())
    results = {r["test"].split("::")[-1]: r for r in summary["results"]}

    # every test has exactly one final result
    assert len(summary["results"]) == 12 and len(results) == 12
    assert summary["lost"] == {stopped: "device lost"}
    assert not [r for r in summary["results"] if r["device"] == stopped]  # its work went elsewhere

    stop = results["test_device_stops_mid_test"]
    assert stop["outcome"] == "passed" and stop["device"] != stopped
    assert [(a["device"], a["class"], a["reason"]) for a in stop["attempts"]] == [(stopped, "infra", "device lost")]

    once = results["test_adb_timeout_once"]
    assert once["outcome"] == "passed" and once["attempts"][0]["reason"] == "adb timeout"
    assert once["device"] != once["attempts"][0]["device"]  # retried on another device

    always = results["test_adb_timeout_always"]
    assert (always["outcome"], always["failure_class"], len(always["attempts"])) == ("failed", "infra", 1)

    bug = results["test_product_bug"]
    assert (bug["outcome"], bug["failure_class"], bug["attempts"]) == ("failed", "product", [])
    assert all(results[f"test_shell[{n}]"]["outcome"] == "passed" for n in range(8))

    events = [json.loads(line) for line in (pytester.path / "events.jsonl").read_text().splitlines()]
    assert {"event": "lost", "device": stopped} .items() <= next(e for e in events if e["event"] == "lost").items()
    assert events[-1]["event"] == "finish" and events[-1]["done"] == events[-1]["total"] == 12
    result.assert_outcomes(passed=10, failed=2)
    result.stdout.fnmatch_lines([f"{stopped:<18}*LOST: device lost"])


HAND_BACK_SUITE = '''
import json, os, signal
from pathlib import Path
import pytest
from firebridge.waiting import wait_until

LAB = json.loads(Path(os.environ["FB_LAB_JSON"]).read_text())
FLAGS = Path(os.environ["FB_FLAGS"])


@pytest.fixture(scope="module")
def module_resource(firetv):
    (FLAGS / "module-setup").write_text("x" * (len((FLAGS / "module-setup").read_text()) + 1)
                                        if (FLAGS / "module-setup").exists() else "x")
    yield
    (FLAGS / "module-teardown").write_text("done")


@pytest.fixture
def per_test(firetv):
    (FLAGS / "per-test-setup").write_text("set up")


def test_the_device_loses_power(firetv, module_resource):
    pid = LAB["devices"][0]["pid"]
    os.kill(pid, signal.SIGTERM)
    wait_until(lambda: not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2],
               10, "the device process to end")  # after its last command: this test passes, the next finds it gone


def test_handed_back(firetv, module_resource, per_test):
    pass
'''


@pytest.mark.slow
def test_a_lost_devices_next_test_sets_up_nothing_and_earlier_fixtures_are_torn_down(
        pytester: pytest.Pytester, tmp_path_factory, monkeypatch):
    flags = tmp_path_factory.mktemp("flags")
    with stand_up(1, 1, tmp_path_factory.mktemp("lab"), speed=20, reconnect_timeout=1) as lab:
        monkeypatch.setenv("FB_LAB_JSON", str(lab.workdir / "lab.json"))
        monkeypatch.setenv("FB_FLAGS", str(flags))
        pytester.makepyfile(test_hand_back=HAND_BACK_SUITE)
        pytester.runpytest_subprocess(
            "--bench", str(lab.bench_path), "--bench-lease-dir", str(pytester.path / "leases"),
            "--artifacts", str(pytester.path / "art"), "--bench-events", str(pytester.path / "events.jsonl"),
            "-p", "no:cacheprovider")
    events = [json.loads(line) for line in (pytester.path / "events.jsonl").read_text().splitlines()]
    assert [e["test"].split("::")[-1] for e in events if e["event"] == "handback"] == ["test_handed_back"]
    summary = json.loads((pytester.path / "art" / "bench-report" / "summary.json").read_text())
    results = {r["test"].split("::")[-1]: r for r in summary["results"]}
    assert results["test_the_device_loses_power"]["outcome"] == "passed"
    assert results["test_handed_back"]["failure_class"] == "infra"
    assert results["test_handed_back"]["message"].startswith("not run")  # no other device to take it
    assert not (flags / "per-test-setup").exists()  # the handed-back test set up none of its fixtures
    assert (flags / "module-setup").read_text() == "x"
    assert (flags / "module-teardown").read_text() == "done"  # what the tests before it used was torn down
