"""The regression suite can run again on the same device: a lab runs it every night on the same Fire
TVs, so every test that changes the account (watchlist, purchase, ratings, sign-out, profile) must
leave it as it found it. Runs the account-changing part of device_tests twice on one virtual device."""

from __future__ import annotations

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
