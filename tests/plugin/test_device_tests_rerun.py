"""The regression suite can run again on the same device: a lab runs it every night on the same Fire
TVs, so every test that changes the account (watchlist, purchase, ratings, sign-out, profile) must
leave it as it found it. Runs the account-changing part of device_tests twice on one virtual device,
and the whole suite twice on one virtual Vega stick (the second run finds the Continue Watching row
the first one filled, and removes tiles from it with the launcher's tile menu, seed 002)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_triggers(session, artifacts: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "device_tests/test_triggers.py", "-q", "-p", "no:cacheprovider",
         "--device", session.serial, "--adb-server", session.adb_server.address, "--artifacts", str(artifacts)],
        cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_the_account_changing_checks_pass_twice_on_the_same_device(start_virtual_device, tmp_path: Path):
    session = start_virtual_device(speed=20)
    first = run_triggers(session, tmp_path / "first")
    assert first.returncode == 0, first.stdout[-3000:]
    second = run_triggers(session, tmp_path / "second")
    assert second.returncode == 0, f"the second run on the same device failed:\n{second.stdout[-3000:]}"


def run_suite(session, artifacts: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "device_tests", "-q", "-rs", "-p", "no:cacheprovider",
         "--device", session.serial, "--adb-server", session.adb_server.address, "--artifacts", str(artifacts)],
        cwd=ROOT, capture_output=True, text=True, timeout=1200)


@pytest.mark.slow
@pytest.mark.timeout(2700)
@pytest.mark.usefixtures("this_checkout")
def test_the_whole_suite_passes_twice_on_the_same_vega_stick(start_virtual_device, tmp_path: Path):
    """What a nightly does on a Vega bench: the same device every night. The first run starts from empty
    rows; the second finds the first one's titles in Continue Watching and must remove them (HOME, the
    tile, MENU, "Remove from Continue Watching") before its checks can see a title arrive."""
    session = start_virtual_device(os="vega", speed=20)  # `firebridge virtual --os vega` in its own process
    first = run_suite(session, tmp_path / "first")
    assert first.returncode == 0, first.stdout[-3000:]
    second = run_suite(session, tmp_path / "second")
    assert second.returncode == 0, f"the second run on the same Vega stick failed:\n{second.stdout[-5000:]}"
    # The same tests ran and passed both times (the PMR checks skip on Vega, each run alike).
    summaries = [run.stdout.strip().splitlines()[-1] for run in (first, second)]  # "N passed, M skipped in T"
    counts = [re.sub(r" in [\d.]+s.*$", "", line) for line in summaries]
    assert counts[0] == counts[1] and "passed" in counts[0] and "failed" not in counts[0], summaries
