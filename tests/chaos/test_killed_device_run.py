"""Issue 15's must-show: the device process killed 15 s into a plain ``pytest device_tests`` run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import REPO

KILL_AFTER_S = 15.0
BOUND_S = 180.0  # the run ends within this after the device died
DEVICE_TESTS = 37


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_device_killed_15_s_into_a_plain_run(start_virtual_device, adb_server, tmp_path: Path, this_checkout):
    session = start_virtual_device(speed=20)
    junit = tmp_path / "j.xml"
    command = [sys.executable, "-m", "pytest", "device_tests", "-p", "no:cacheprovider", "-rA",
               "--device", session.serial, "--adb-server", adb_server.address, "--junitxml", str(junit),
               "--artifacts", str(tmp_path / "artifacts")]
    with (tmp_path / "output.txt").open("w") as out:
        run = subprocess.Popen(command, cwd=REPO, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        try:
            run.wait(KILL_AFTER_S)
            pytest.fail("device_tests ended before the device was killed")
        except subprocess.TimeoutExpired:
            os.kill(session.process.pid, signal.SIGKILL)
            killed = time.monotonic()
        run.wait(BOUND_S + 60)
        after = time.monotonic() - killed
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    output = (tmp_path / "output.txt").read_text(errors="replace")
    assert "INTERNALERROR" not in output, output[-3000:]
    assert after <= BOUND_S, f"the run ended {after:.0f} s after the device died"
    suite = ET.parse(junit).getroot()
    suite = suite.find("testsuite") if suite.tag == "testsuites" else suite
    cases = list(suite.iter("testcase"))
    # A call failure + teardown error is two testcases of one name in junitxml's schema.
    assert int(suite.get("tests")) == len(cases)
    assert len({(case.get("classname"), case.get("name")) for case in cases}) == DEVICE_TESTS
    # The device died mid-run: what failed after that is infrastructure, and the summary lists every test.
    classes = {c.get("name"): {p.get("name"): p.get("value") for p in c.iter("property")}.get("failure_class")
               for c in cases if c.find("failure") is not None or c.find("error") is not None}
    assert classes and set(classes.values()) == {"infra"}, classes
    summary = output.split("Fire TV validation summary", 1)[1].split("\n", 1)[1].split("\n=", 1)[0].splitlines()
    assert len(summary) == DEVICE_TESTS, summary  # setup errors too
    assert "firebridge failure classes" in output
