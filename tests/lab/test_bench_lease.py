"""Device leases: one holder at a time, across processes, and nothing left behind when a holder dies."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from firebridge.lab.leases import holder_of, lease_all, lock_path, try_lease
from firebridge.waiting import wait_until

KEY = "127.0.0.1:5037/192.168.1.41:5555"


def test_one_holder_at_a_time(tmp_path: Path):
    first = try_lease(KEY, tmp_path, holder={"bench": "lab-a"})
    assert first is not None and first.held
    assert try_lease(KEY, tmp_path) is None  # even from the same process (another open file)
    assert "pid" in holder_of(KEY, tmp_path) and "since" in holder_of(KEY, tmp_path)
    first.release()
    again = try_lease(KEY, tmp_path)
    assert again is not None
    again.release()


def test_worker_leases_are_separate_from_run_leases(tmp_path: Path):
    with try_lease(KEY, tmp_path) as run, try_lease(KEY, tmp_path, level="worker") as worker:
        assert run is not None and worker is not None
        assert try_lease(KEY, tmp_path, level="worker") is None
        assert lock_path(tmp_path, KEY, "worker").name.endswith(".worker.lock")


HOLDER = """
import sys
from pathlib import Path
from firebridge.lab.leases import try_lease
lease = try_lease(sys.argv[1], Path(sys.argv[2]))
print("held" if lease else "busy", flush=True)
sys.stdin.readline()  # hold it until told
"""


def test_a_lease_holds_across_processes_and_dies_with_its_holder(tmp_path: Path):
    other = subprocess.Popen([sys.executable, "-c", HOLDER, KEY, str(tmp_path)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "held"
        leases, busy = lease_all([KEY, "127.0.0.1:5037/other"], tmp_path)
        assert list(leases) == ["127.0.0.1:5037/other"]
        assert f"pid {other.pid}" in busy[KEY]
        for lease in leases.values():
            lease.release()
    finally:
        other.kill()  # no clean release: the kernel drops the lock with the process
        other.wait()
    lease = wait_until(lambda: try_lease(KEY, tmp_path), 5, "the dead holder's lease to free")
    lease.release()


def test_waiting_for_a_busy_device_gives_up_after_the_timeout(tmp_path: Path):
    with try_lease(KEY, tmp_path):
        leases, busy = lease_all([KEY], tmp_path, timeout=0.3, poll=0.1)
    assert leases == {} and KEY in busy
