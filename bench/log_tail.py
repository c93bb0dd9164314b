"""Log tail throughput, expect latency and CPU at a given log rate, against a plain reader of the same stream.

A writer process stands in for ``adb logcat``: LogTail spawns it exactly as it spawns adb (same arguments,
a pty, pexpect), and it writes threadtime lines at a fixed rate, every ``--marker-ms`` a marker line
carrying the CLOCK_MONOTONIC time it was written at. Each reader waits for every marker in turn; the
latency of a marker is the time from its write to the reader's call returning. CPU is this process's
user+system time while the reader runs (the writer is another process), as a percentage of wall time.

    python bench/log_tail.py [--rates 500,5000] [--seconds 10]

Readers, each on its own run of the same stream (same rate, same lines):

- reference: a plain loop over the same pexpect pty: ``read_nonblocking``, split into lines, a regex on
  each marker line. The floor for consuming this stream in Python.
- tail.expect: ``LogTail.expect(r"MARK (\\d+) (\\d+)")`` for each marker (consumes the stream).
- tail.wait_for: ``since = tail.mark()`` style: ``wait_for(f"MARK {n} ", since)`` then ``since += end()``,
  as device_tests' ServiceLog.sync does.

Goal (issue 13): at 5,000 lines/s, expect latency p95 <= 5 ms and CPU <= 10 % of wall time.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import stat
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pexpect

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from firebridge.device.logs import LogTail, LogTimeout  # noqa: E402

WRITER = r'''
import os, sys, time
rate = float(os.environ["BENCH_RATE"]); seconds = float(os.environ["BENCH_SECONDS"])
marker_every = float(os.environ["BENCH_MARKER_MS"]) / 1000
filler = "I ActivityManager: filler line {:08d} lorem ipsum dolor sit amet, consectetur adipiscing elit\n"
start = time.monotonic(); written = 0; next_marker = start + marker_every; seq = 0
while True:
    now = time.monotonic()
    if now - start >= seconds:
        break
    due = int((now - start) * rate) - written
    parts = []
    for _ in range(due):
        parts.append(time.strftime("%m-%d %H:%M:%S.000  1234  1250 ") + filler.format(written))
        written += 1
    if now >= next_marker:
        seq += 1
        parts.append(f"12-03 00:00:00.000  1234  1250 I Bench: MARK {seq} {time.monotonic_ns()}\n")
        written += 1
        next_marker += marker_every
    if parts:
        os.write(1, "".join(parts).encode())
    time.sleep(0.0005)
print(f"12-03 00:00:00.000  1234  1250 I Bench: END {written} {seq}", flush=True)
'''

MARK = re.compile(r"MARK (\d+) (\d+)")


@dataclass
class Result:
    name: str
    lines_per_s: float
    latencies_ms: list[float]
    cpu_percent: float

    def row(self) -> str:
        lat = sorted(self.latencies_ms)
        p50 = statistics.median(lat) if lat else float("nan")
        p95 = lat[min(len(lat) - 1, int(len(lat) * 0.95))] if lat else float("nan")
        return (f"{self.name:<15} {self.lines_per_s:>9.0f} {len(lat):>7} {p50:>8.2f} {p95:>8.2f} "
                f"{max(lat) if lat else float('nan'):>8.2f} {self.cpu_percent:>6.1f}")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _measure(name: str, run: Callable[[], tuple[int, list[float]]]) -> Result:
    wall0, cpu0 = time.monotonic(), _cpu()
    lines, latencies = run()
    wall, cpu = time.monotonic() - wall0, _cpu() - cpu0
    return Result(name, lines / wall, latencies, 100 * cpu / wall)


def reference(writer: Path, env: dict[str, str]) -> tuple[int, list[float]]:
    child = pexpect.spawn(str(writer), ["-s", "bench", "logcat"], env=env, encoding="utf-8",
                          codec_errors="replace", maxread=65536)
    latencies, lines, partial = [], 0, ""
    try:
        while True:
            try:
                data = child.read_nonblocking(65536, timeout=5)
            except pexpect.EOF:
                break
            now = time.monotonic_ns()
            *complete, partial = (partial + data).split("\n")
            lines += len(complete)
            for line in complete:
                if "MARK" in line and (match := MARK.search(line)):
                    latencies.append((now - int(match.group(2))) / 1e6)
    finally:
        child.close(force=True)
    return lines, latencies


def tail_expect(writer: Path, log: Path) -> tuple[int, list[float]]:
    latencies = []
    with LogTail("bench", log, adb=writer) as tail:
        while True:
            try:
                match = tail.expect(MARK, timeout=5)
            except LogTimeout:
                break
            latencies.append((time.monotonic_ns() - int(match.group(2))) / 1e6)
        lines = tail.text().count("\n")
    return lines, latencies


def tail_wait_for(writer: Path, log: Path) -> tuple[int, list[float]]:
    latencies = []
    with LogTail("bench", log, adb=writer) as tail:
        since, seq = tail.mark(), 1
        while True:
            try:
                match = tail.wait_for(rf"MARK {seq} (\d+)", since=since, timeout=5)
            except LogTimeout:
                break
            latencies.append((time.monotonic_ns() - int(match.group(1))) / 1e6)
            since += match.end()
            seq += 1
        lines = tail.text().count("\n")
    return lines, latencies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rates", default="500,5000", help="lines per second, comma separated")
    parser.add_argument("--seconds", type=float, default=10.0, help="how long each stream runs")
    parser.add_argument("--marker-ms", type=float, default=50.0, help="time between marker lines")
    parser.add_argument("--readers", default="reference,tail.expect,tail.wait_for")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="firebridge-logbench-") as tmp:
        writer = Path(tmp) / "adb"
        writer.write_text(f"#!{sys.executable}\n{WRITER}")
        writer.chmod(writer.stat().st_mode | stat.S_IXUSR)
        print(f"{'reader':<15} {'lines/s':>9} {'markers':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'CPU %':>6}")
        for rate in [float(r) for r in args.rates.split(",")]:
            os.environ.update(BENCH_RATE=str(rate), BENCH_SECONDS=str(args.seconds),
                              BENCH_MARKER_MS=str(args.marker_ms))
            print(f"-- {rate:.0f} lines/s for {args.seconds:g} s")
            results = {}
            for name in args.readers.split(","):
                log = Path(tmp) / f"{name}-{rate:.0f}.log"
                run = {"reference": lambda: reference(writer, dict(os.environ)),
                       "tail.expect": lambda: tail_expect(writer, log),
                       "tail.wait_for": lambda: tail_wait_for(writer, log)}[name]
                results[name] = _measure(name, run)
                print(results[name].row(), flush=True)
            ref = results.get("reference")
            if ref is not None:
                for name, result in results.items():
                    if name != "reference" and ref.cpu_percent > 0 and ref.latencies_ms and result.latencies_ms:
                        p95 = lambda r: sorted(r.latencies_ms)[min(len(r.latencies_ms) - 1, int(len(r.latencies_ms) * 0.95))]
                        print(f"   {name}/reference: CPU x{result.cpu_percent / ref.cpu_percent:.2f}, "
                              f"p50 x{statistics.median(result.latencies_ms) / statistics.median(ref.latencies_ms):.2f}, "
                              f"p95 x{p95(result) / p95(ref):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
