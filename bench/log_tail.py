"""Log tail throughput, expect latency and CPU at a given log rate, against a plain reader of the same stream.

A writer process stands in for ``adb logcat``: LogTail spawns it exactly as it spawns adb (same arguments,
a pty, pexpect), and it writes threadtime lines at a fixed rate, every ``--marker-ms`` a marker line
carrying the CLOCK_MONOTONIC time it was written at. Each reader waits for every marker in turn; the
latency of a marker is the time from its write to the reader's call returning. CPU is this process's
user+system time while the reader runs (the writer is another process), as a percentage of wall time.

    python bench/log_tail.py [--rates 500,5000] [--seconds 10]
    python bench/log_tail.py --os vega [--timing hardware] [--processes auto]

``--os vega`` streams ``loggingctl log -f -o short_precise`` (the Vega driver's log command) from a virtual Vega
device (its own process, ``firebridge virtual --os vega``) through a private adb server and the real ``adb``, into
the same readers. The device writes the lines into its journal itself at the rate (markers carry
CLOCK_MONOTONIC, which the host shares), so the latency is journal -> loggingctl -> vdad -> adb -> reader. The
journal keeps journald's per-process rate limit (1,000 lines/s by default, Amazon's loggingctl page), so a
stream above that needs several writing processes: ``--processes auto`` spreads the filler over enough of them
to stay under the limit; ``--processes 1`` shows what one process gets through (the rest is dropped, as on a
device).

Readers, each on its own run of the same stream (same rate, same lines):

- reference: a plain loop over the same pexpect pty: ``read_nonblocking``, split into lines, a regex on
  each marker line. The floor for consuming this stream in Python.
- tail.expect: ``LogTail.expect(r"MARK (\\d+) (\\d+)")`` for each marker (consumes the stream).
- tail.wait_for: ``since = tail.mark()`` style: ``wait_for(f"MARK {n} ", since)`` then ``since += end()``,
  as device_tests' CpCalls.sync does.

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

VEGA_RATE_LIMIT = 1000  # journald's default lines per second per process (Amazon's loggingctl page, [D-LOG])

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


# -- Vega: a virtual Vega device in its own process writes the lines into its journal ------------------------
FILLER = "I ActivityManager: filler line {:08d} lorem ipsum dolor sit amet, consectetur adipiscing elit"
END = re.compile(r"Bench: END (\d+) (\d+)")
MARK_OR_END = re.compile(r"Bench: (?:MARK (\d+) (\d+)|END (\d+) (\d+))")


def vega_worker(timing: str) -> int:
    """The device process: a virtual Vega device; on ``RUN rate seconds marker_ms processes`` it writes that
    stream into its own journal (on the device's loop, as its processes would) and answers ``DONE``."""
    import asyncio

    from firebridge.virtual.server import VirtualFireTV
    from firebridge.virtual.vega.journal import USER

    tv = VirtualFireTV(auth="none", os="vega", timing=timing).start()
    device = tv.device

    async def write(rate: float, seconds: float, marker_every: float, processes: int) -> str:
        idents = [f"bench-filler-{i}" for i in range(processes)]
        dropped0 = device.log.dropped
        start = time.monotonic()
        written, seq, next_marker = 0, 0, start + marker_every
        while True:
            now = time.monotonic()
            if now - start >= seconds:
                break
            for _ in range(int((now - start) * rate) - written):
                device.log.write(idents[written % processes], FILLER.format(written), 4000 + written % processes)
                written += 1
            if now >= next_marker:
                seq += 1
                device.log.write("bench-mark", f"I Bench: MARK {seq} {time.monotonic_ns()}", 3999, 6, USER)
                written += 1
                next_marker += marker_every
            await asyncio.sleep(0.0005)
        device.log.write("bench-mark", f"I Bench: END {written} {seq}", 3999, 6, USER)
        return f"DONE {written} {seq} {device.log.dropped - dropped0}"

    print(f"ADDRESS {tv.address}", flush=True)
    try:
        for line in sys.stdin:
            words = line.split()
            if words[:1] == ["RUN"]:
                rate, seconds, marker_ms, processes = float(words[1]), float(words[2]), float(words[3]), int(words[4])
                future = asyncio.run_coroutine_threadsafe(write(rate, seconds, marker_ms / 1000, processes), tv._loop)
                print(future.result(timeout=seconds + 60), flush=True)
            elif words[:1] == ["QUIT"]:
                break
    finally:
        tv.stop()
    return 0


class VegaBench:
    """A private adb server and the device process; ``run_stream`` starts one stream once a reader is live."""

    def __init__(self, tmp: Path, timing: str) -> None:
        import subprocess

        from firebridge.adb.connect import connect_and_probe
        from firebridge.adb.server import AdbServer
        from firebridge.adb.wire import AdbServerClient

        self.server = AdbServer(home=tmp / "adb-home").start()
        self.worker_log = tmp / "vega-device.log"  # the device process's own messages (stderr)
        with open(self.worker_log, "wb") as errors:
            self.worker = subprocess.Popen([sys.executable, __file__, "--vega-worker", "--timing", timing],
                                           stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, text=True,
                                           bufsize=1)
        try:
            line = self.worker.stdout.readline().split()
            if line[:1] != ["ADDRESS"]:
                raise RuntimeError(f"the virtual Vega device did not start: {line}; "
                                   f"{self.worker_log.read_text()[-2000:]}")
            self.serial = line[1]
            connect_and_probe(AdbServerClient(self.server.host, self.server.port), self.serial)
        except BaseException:
            self.close()
            raise
        self.stream_args = ["shell", "loggingctl", "log", "-f", "-o", "short_precise"]  # VegaDriver.log_command()
        self.last_done = ""

    def mark(self, token: str) -> None:
        """Write ``token`` into the device's journal (``logger``, as VegaDriver.log_marker does)."""
        self.server.run("-s", self.serial, "shell", f"logger -t bench-ready -- {token}")

    def run_stream(self, rate: float, seconds: float, marker_ms: float, processes: int) -> None:
        self.worker.stdin.write(f"RUN {rate} {seconds} {marker_ms} {processes}\n")

    def done(self) -> str:
        """The device's answer once the stream was written: ``DONE written markers dropped``."""
        self.last_done = self.worker.stdout.readline().strip()
        return self.last_done

    def close(self) -> None:
        from firebridge.processes import stop_process

        if self.worker.poll() is None:
            try:
                self.worker.stdin.write("QUIT\n")
                self.worker.stdin.flush()
                self.worker.wait(timeout=10)
            except Exception:
                stop_process(self.worker, 5)
        self.server.stop()


def _bench_lines(text: str) -> int:
    return text.count("filler line") + text.count("Bench: MARK") + text.count("Bench: END")


def vega_reference(bench: VegaBench, stream: Callable[[], None]) -> tuple[int, list[float], float, float]:
    """The plain pexpect loop over ``adb shell loggingctl log -f``; (lines, latencies, wall, cpu)."""
    import uuid

    env = bench.server.env()
    child = pexpect.spawn(str(bench.server.adb), ["-H", bench.server.host, "-P", str(bench.server.port),
                                                  "-s", bench.serial, *bench.stream_args],
                          env=env, encoding="utf-8", codec_errors="replace", maxread=65536)
    token, seen, partial = f"live-{uuid.uuid4().hex[:10]}", "", ""
    try:
        while token not in seen:  # the stream starts at the newest line: wait until it is live
            bench.mark(token)
            try:
                child.expect_exact(token, timeout=1)
                seen = token
            except pexpect.TIMEOUT:
                pass
        latencies, lines = [], 0
        wall0, cpu0 = time.monotonic(), _cpu()
        stream()
        while True:
            data = child.read_nonblocking(65536, timeout=30)
            now = time.monotonic_ns()
            *complete, partial = (partial + data).split("\n")
            lines += sum(1 for line in complete if "filler line" in line or "Bench: " in line)
            finished = False
            for line in complete:
                if "Bench: " in line and (match := MARK_OR_END.search(line)):
                    if match.group(1):
                        latencies.append((now - int(match.group(2))) / 1e6)
                    else:
                        finished = True
            if finished:
                break
        return lines, latencies, time.monotonic() - wall0, _cpu() - cpu0
    finally:
        child.close(force=True)


def vega_tail(bench: VegaBench, stream: Callable[[], None], log: Path, mode: str) -> tuple[int, list[float], float, float]:
    """LogTail over the same command (``expect`` or ``wait_for`` style); (lines, latencies, wall, cpu)."""
    from firebridge.platforms.vega.logs import parse_loggingctl_line

    latencies: list[float] = []
    tail = LogTail(bench.serial, log, adb=bench.server.adb, adb_server=bench.server.address,
                   stream_args=bench.stream_args, parser=parse_loggingctl_line)
    tail.start(ready=bench.mark)  # the stream starts at the newest line: wait until it is live
    try:
        wall0, cpu0 = time.monotonic(), _cpu()
        since, seq = tail.mark(), 1
        stream()
        while True:
            if mode == "expect":
                match = tail.expect(MARK_OR_END, timeout=30)
                if not match.group(1):
                    break
                latencies.append((time.monotonic_ns() - int(match.group(2))) / 1e6)
            else:
                match = tail.wait_for(rf"Bench: (?:MARK {seq} (\d+)|END )", since=since, timeout=30)
                if not match.group(1):
                    break
                latencies.append((time.monotonic_ns() - int(match.group(1))) / 1e6)
                since += match.end()
                seq += 1
        wall, cpu = time.monotonic() - wall0, _cpu() - cpu0
        lines = _bench_lines(tail.text())
    finally:
        tail.stop()
    return lines, latencies, wall, cpu


def main_vega(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="firebridge-logbench-vega-") as tmp:
        bench = VegaBench(Path(tmp), args.timing)
        try:
            print(f"virtual Vega device {bench.serial} ({args.timing} timing), stream: adb {' '.join(bench.stream_args)}")
            print(f"{'reader':<15} {'lines/s':>9} {'markers':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'CPU %':>6}")
            for rate in [float(r) for r in args.rates.split(",")]:
                processes = (max(1, -(-int(rate) // int(0.8 * VEGA_RATE_LIMIT))) if args.processes == "auto"
                             else int(args.processes))
                print(f"-- {rate:.0f} lines/s for {args.seconds:g} s from {processes} writing process(es) "
                      f"(journald limit {VEGA_RATE_LIMIT}/s each)")
                results = {}
                for name in args.readers.split(","):
                    stream = lambda: bench.run_stream(rate, args.seconds, args.marker_ms, processes)
                    log = Path(tmp) / f"{name}-{rate:.0f}.log"
                    if name == "reference":
                        lines, latencies, wall, cpu = vega_reference(bench, stream)
                    else:
                        lines, latencies, wall, cpu = vega_tail(bench, stream, log, name.split(".", 1)[1])
                    done = bench.done().split()
                    results[name] = Result(name, lines / wall, latencies, 100 * cpu / wall)
                    print(results[name].row() + f"   (device wrote {done[1]}, journald dropped {done[3]})", flush=True)
                _ratios(results)
        finally:
            bench.close()
    return 0


def _ratios(results: dict[str, Result]) -> None:
    ref = results.get("reference")
    if ref is None:
        return
    for name, result in results.items():
        if name != "reference" and ref.cpu_percent > 0 and ref.latencies_ms and result.latencies_ms:
            p95 = lambda r: sorted(r.latencies_ms)[min(len(r.latencies_ms) - 1, int(len(r.latencies_ms) * 0.95))]
            print(f"   {name}/reference: CPU x{result.cpu_percent / ref.cpu_percent:.2f}, "
                  f"p50 x{statistics.median(result.latencies_ms) / statistics.median(ref.latencies_ms):.2f}, "
                  f"p95 x{p95(result) / p95(ref):.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rates", default="500,5000", help="lines per second, comma separated")
    parser.add_argument("--seconds", type=float, default=10.0, help="how long each stream runs")
    parser.add_argument("--marker-ms", type=float, default=50.0, help="time between marker lines")
    parser.add_argument("--readers", default="reference,tail.expect,tail.wait_for")
    parser.add_argument("--os", choices=["fireos", "vega"], default="fireos",
                        help="fireos: a writer process stands in for adb logcat (default); vega: loggingctl -f from "
                             "a virtual Vega device through a private adb server")
    parser.add_argument("--timing", choices=["fast", "hardware"], default="hardware",
                        help="--os vega: the virtual device's timing profile (default hardware)")
    parser.add_argument("--processes", default="auto",
                        help=f"--os vega: writing processes (auto: enough to stay under journald's "
                             f"{VEGA_RATE_LIMIT} lines/s per process; 1 shows the drops)")
    parser.add_argument("--vega-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.vega_worker:
        return vega_worker(args.timing)
    if args.os == "vega":
        return main_vega(args)
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
            _ratios(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
