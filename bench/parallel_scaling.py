"""Wall-time speed-up of a bench run on four devices against one, in the same run.

Stands up virtual labs (virtual Fire TVs behind adb servers on loopback, firebridge/lab/benchup.py), runs the
same suite with ``pytest --bench`` on one device and on four, and prints both wall times and their ratio:

    python bench/parallel_scaling.py [--devices 4] [--servers 2] [--speed 5] [--ordered]
                                     [--suite device_tests|synthetic|PATH]

- 1 device: a lab of one virtual Fire TV behind one adb server (one xdist worker);
- N devices: a lab of N behind M adb servers (N workers, tests spread over the devices), cold: the
  tests go out in collection order, as on a bench's first night;
- with ``--ordered``, N devices again, longest tests first by the 1-device run's durations (what
  ``firebridge nightly`` does with the previous night's).
Each run gets a freshly started lab, so all start from the same device state.

What it measures: the wall time of the whole pytest command (start-up, health checks, workers, tests,
reports), which is what a lab waits for. It is a ratio between runs on the same machine, moments apart
(other load on the machine moves it by some tenths).

Why it can scale past the number of cores: the suite is device-bound. Its tests wait on the device —
playback positions that advance with the device clock, the player's report every 60 device seconds,
UI that must settle — and the clock speed (``--speed``, default 5) is set so those waits dominate:
the host CPU is mostly idle, as it is in a lab with real Fire TVs. Four devices wait in parallel.
The table shows the evidence: "busy" is the sum of the tests' durations over the wall time, and the
CPU seconds used by pytest (controller and workers) and by the virtual devices, against the cores.
The ``synthetic`` suite is a stand-in with the same character (each test plays a title and waits
for 45 device seconds of playback).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# The virtual devices, pytest and its workers run this checkout's firebridge, from any working directory.
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))

from firebridge.lab.benchup import stand_up  # noqa: E402

SYNTHETIC = '''"""Device-bound stand-in suite: each test plays a title and waits for playback to advance."""
import re
import pytest
from firebridge.waiting import wait_until

TITLES = ["movie-glass-orchard", "movie-night-harbor", "movie-paper-boats", "movie-cold-meridian"]


def position_ms(firetv):
    match = re.search(r"state=PlaybackState \\{state=3, position=(\\d+)", firetv.run("dumpsys media_session"))
    return int(match.group(1)) if match else -1


@pytest.mark.parametrize("n", range(16))
def test_playback_advances(firetv, n):
    firetv.run(["am", "start", "-a", "android.intent.action.VIEW", "-d", f"reftv://play/{TITLES[n % 4]}",
                "-p", "com.firebridge.reference"])
    wait_until(lambda: position_ms(firetv) >= 0, 10, "playback to start")
    start = position_ms(firetv)
    wait_until(lambda: position_ms(firetv) >= start + 45_000, 30, "45 device seconds of playback", interval=0.2)
    firetv.driver.press(["HOME"])
'''


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of running processes (the virtual devices), from /proc."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
    return total / os.sysconf("SC_CLK_TCK")


def run(suite: str, bench: Path, devices: list[str], workdir: Path, device_pids: list[int],
        durations: Path | None = None) -> dict:
    report = workdir / f"report-{len(devices)}{'-ordered' if durations else ''}"
    command = [sys.executable, "-m", "pytest", suite, "--bench", str(bench), "-q", "-p", "no:cacheprovider",
               "-p", "no:benchmark", "--bench-report", str(report), "--artifacts", str(workdir / "artifacts"),
               "--rootdir", str(ROOT if suite == "device_tests" else Path(suite).parent)]
    for name in devices:
        command += ["--bench-device", name]
    if durations is not None:
        command += ["--bench-durations", str(durations)]
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    devices_before = cpu_seconds(device_pids)
    start = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    wall = time.monotonic() - start
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    summary = json.loads((report / "summary.json").read_text())
    if done.returncode not in (0, 1):
        raise SystemExit(f"pytest failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-2000:]}")
    totals = summary["totals"]
    return {"devices": len(devices), "ordered": durations is not None, "report": report, "wall": wall, "tests": len(summary["results"]),
            "passed": totals["passed"], "failed": totals["failed"] + totals["error"], "skipped": totals["skipped"],
            "test_time": sum(r["duration"] for r in summary["results"]),
            "pytest_cpu": (children_after.ru_utime + children_after.ru_stime)
            - (children_before.ru_utime + children_before.ru_stime),
            "device_cpu": cpu_seconds(device_pids) - devices_before}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", type=int, default=4)
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--speed", type=float, default=5.0, help="virtual device clock speed (default 5)")
    parser.add_argument("--ordered", action="store_true",
                        help="also run the N devices longest-first, with the 1-device run's durations "
                             "(--bench-durations, as firebridge nightly does with the previous night's)")
    parser.add_argument("--suite", default="device_tests", help="device_tests (default), synthetic, or a path")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="firebridge-scaling-"))
    suite = args.suite
    if suite == "synthetic":
        (workdir / "synthetic").mkdir()
        (workdir / "synthetic" / "test_synthetic.py").write_text(SYNTHETIC)
        suite = str(workdir / "synthetic")
    cores = os.cpu_count() or 1
    print(f"parallel_scaling: {args.suite} over virtual Fire TVs behind {args.servers} adb servers, clock "
          f"x{args.speed:g}, {cores} CPU cores", flush=True)
    rows: list[dict] = []
    plans = [(1, 1, False), (args.devices, args.servers, False)] + ([(args.devices, args.servers, True)]
                                                                    if args.ordered else [])
    for devices, servers, ordered in plans:
        # A fresh lab for each run, so that every run starts from the same device state.
        with stand_up(devices, servers, workdir / f"lab-{devices}-{ordered}", speed=args.speed) as lab:
            pids = [d.process.pid for d in lab.devices if d.process.pid]
            rows.append(run(suite, lab.bench_path, [d.name for d in lab.devices], workdir, pids,
                            durations=rows[0]["report"] if ordered else None))
    print(f"{'devices':>7} {'wall s':>7} {'tests':>5} {'passed':>6} {'failed':>6} {'skipped':>7} {'test-time s':>11} "
          f"{'busy':>5} {'pytest CPU s':>12} {'device CPU s':>12} {'CPU/core':>8}")
    for row in rows:
        busy = row["test_time"] / row["wall"]
        cpu_share = (row["pytest_cpu"] + row["device_cpu"]) / (row["wall"] * cores)
        label = f"{row['devices']}{'*' if row['ordered'] else ''}"
        print(f"{label:>7} {row['wall']:>7.1f} {row['tests']:>5} {row['passed']:>6} {row['failed']:>6} "
              f"{row['skipped']:>7} {row['test_time']:>11.1f} {busy:>5.2f} {row['pytest_cpu']:>12.1f} "
              f"{row['device_cpu']:>12.1f} {cpu_share:>7.0%}")
    print(f"speed-up, {rows[1]['devices']} devices against 1 (wall time, same run): "
          f"{rows[0]['wall'] / rows[1]['wall']:.2f}x")
    if args.ordered:
        print(f"speed-up, {rows[2]['devices']} devices longest-first (*) against 1: "
              f"{rows[0]['wall'] / rows[2]['wall']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
