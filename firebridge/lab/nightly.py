"""``firebridge nightly``: run the regression suite over a bench, keep the night, say what changed.

    firebridge nightly --bench lab.yaml [--history firebridge-history.sqlite] [--suite device_tests]
                       [--mode each|spread] [--reports DIR] [-- PYTEST ARGS...]

Runs ``pytest SUITE --bench FILE`` in a child process (longest tests first, by the previous night's
durations) (its whole output goes to ``DIR/pytest.log``)
while showing progress from the run's event file: tests done / total, per device, retries and lost
devices. Then it stores the night in the SQLite history (night id, device, test, outcome, class
infra/product, duration; and what each device was: platform, model, OS version) and prints, per device
(with its platform, model and OS version), what newly fails, newly passes and flips between nights
(firebridge/lab/history.py). A bench may mix Fire OS and Vega OS devices. Reports of the night: ``DIR/junit.xml``, ``DIR/summary.json``,
``DIR/report.html`` (with pytest-html: the screenshot and log excerpt of each failure) and the
failure artifacts under ``DIR/artifacts/<device>/``.

The default mode is ``each`` (every test on every device): a per-device comparison needs every
device's result every night. ``--mode spread`` runs each test once, on whichever device is free.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TextIO

from firebridge.errors import FirebridgeError
from firebridge.text import plain, plural
from firebridge.lab.history import DEFAULT_HISTORY, History, compare, render_changes
from firebridge.lab.identity import describe_identity, platform_value
from firebridge.lab.reports import TestResult, read_summary


@dataclass
class Progress:
    """Tests done / total and per device, from the bench run's events (pure state + one line)."""

    total: int = 0
    done: int = 0
    devices: dict[str, int] = field(default_factory=dict)
    per_device_total: int | None = None
    failed: int = 0
    retried: int = 0
    lost: dict[str, str] = field(default_factory=dict)
    started: float | None = None  # event time of "start"
    now: float | None = None  # event time of the latest event
    running: dict[str, tuple[str, float]] = field(default_factory=dict)  # device -> (test, since)
    results: list[dict[str, Any]] = field(default_factory=list)  # the "result" events, in order
    identities: dict[str, dict[str, Any]] = field(default_factory=dict)  # device -> identity (the "start" event)

    def update(self, event: dict[str, Any]) -> str | None:
        """Apply one event; return a line worth printing on its own (lost device, retry), if any."""
        kind = event.get("event")
        if isinstance(event.get("time"), (int, float)):
            self.now = float(event["time"])
        if kind == "start":
            self.started = self.now
            self.total = int(event.get("total", 0))
            self.devices = {name: 0 for name in event.get("devices", {})}
            self.identities = {name: dict(info) for name, info in (event.get("devices") or {}).items()
                               if isinstance(info, dict)}
            if event.get("mode") == "each" and self.devices:
                self.per_device_total = self.total // len(self.devices)
            known = {name: info for name, info in self.identities.items() if info.get("model")}
            if known:  # what each device is (a bench may mix platforms): once, before the progress lines
                return "\n".join(f"  {name}: {platform_value(info)} — {describe_identity(info)}"
                                  for name, info in known.items())
        elif kind == "begin":
            self.running[event.get("device", "-")] = (str(event.get("test", "")), self.now or 0.0)
        elif kind == "result":
            self.results.append(event)
            self.done = int(event.get("done", self.done + 1))
            device = event.get("device", "-")
            self.running.pop(device, None)
            self.devices[device] = self.devices.get(device, 0) + 1
            if event.get("outcome") in ("failed", "error"):
                self.failed += 1
        elif kind == "retry":
            self.retried += 1
            return f"  retry: {event.get('test')} hit {event.get('reason')} on {event.get('device')}; running it again"
        elif kind == "lost":
            self.lost[event.get("device", "-")] = event.get("reason", "")
            self.running.pop(event.get("device", "-"), None)
            then = ("its remaining tests are reported as not run (each device runs its own copy)"
                    if self.per_device_total else "its tests go to the other devices")
            return f"  lost: {event.get('device')} ({event.get('reason')}); {then}"
        return None

    def timing(self, now: float | None = None) -> str:
        """"3m05s elapsed, about 4m10s left" (left: the mean time per result so far times those to go)."""
        now = self.now if now is None else now
        if self.started is None or now is None:
            return ""
        elapsed = max(0.0, now - self.started)
        text = f"{_duration(elapsed)} elapsed"
        if self.done and self.total > self.done:
            text += f", about {_duration(elapsed / self.done * (self.total - self.done))} left"
        return text

    def line(self, now: float | None = None) -> str:
        """One status line: done/total, elapsed and left, failures, then each device's count and the test
        it is running now (with how long it has run)."""
        now = self.now if now is None else now
        head = f"[{self.done:>{len(str(self.total or 0))}}/{self.total}]"
        if timing := self.timing(now):
            head += f" {timing}"
        head += f"  failed {self.failed}" if self.failed else ""
        head += f"  retried {self.retried}" if self.retried else ""
        parts = []
        for name, count in self.devices.items():
            of = f"/{self.per_device_total}" if self.per_device_total else ""
            part = f"{name} {count}{of}" + (" LOST" if name in self.lost else "")
            if name in self.running:
                test, since = self.running[name]
                part += f" running {test.rsplit('::', 1)[-1]}" + (f" ({_duration(now - since)})" if now else "")
            parts.append(part)
        return head + ("  |  " + "  ".join(parts) if parts else "")


def _duration(seconds: float) -> str:
    seconds = int(round(max(0.0, seconds)))
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


class EventFollower:
    """Reads the JSON lines appended to a file since the last call."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0
        self.partial = ""

    def new(self) -> list[dict[str, Any]]:
        try:
            with self.path.open() as stream:
                stream.seek(self.offset)
                text = stream.read()
                self.offset = stream.tell()
        except FileNotFoundError:
            return []
        text = self.partial + text
        lines = text.split("\n")
        self.partial = lines.pop()  # an unfinished last line waits for the next read
        return [json.loads(line) for line in lines if line.strip()]


class SuiteNotFound(FirebridgeError):
    """``--suite`` names neither a path nor an installed package."""


def suite_arguments(suite: str) -> list[str]:
    """pytest's arguments for ``--suite``: a path (from the current folder) as given, else an installed
    package by name (``--pyargs``: the wheel ships ``device_tests``, so the default works from anywhere)."""
    if Path(suite.split("::", 1)[0]).exists():
        return [suite]
    try:
        spec = importlib.util.find_spec(suite)
    except (ImportError, ValueError):  # a dotted name whose parent is missing, or not a module name at all
        spec = None
    if spec is not None:
        return ["--pyargs", suite]
    raise SuiteNotFound(f"the suite {suite!r} is neither a path (looked in {Path.cwd()}) nor an installed package; "
                        "give --suite PATH (e.g. a checkout's device_tests/) or install firebridge, which ships "
                        "device_tests")


def pytest_command(suite: str, bench: str, mode: str, folder: Path, extra: list[str],
                   durations: Path | None = None) -> list[str]:
    command = [sys.executable, "-m", "pytest", *suite_arguments(suite), "--bench", bench, "--bench-mode", mode,
               "--bench-report", str(folder), "--bench-events", str(folder / "events.jsonl"),
               "--artifacts", str(folder / "artifacts"), "-p", "no:cacheprovider", "-rfE"]
    if durations is not None:
        command += ["--bench-durations", str(durations)]
    command += ["--html", str(folder / "report.html"), "--self-contained-html"]  # pytest-html
    return command + extra


class Interrupted(Exception):
    """``firebridge nightly`` was stopped (Ctrl-C or SIGTERM) while the suite ran."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: the kernel sends the child SIGTERM if ``firebridge nightly`` dies, even by SIGKILL, so no
    run outlives it holding the bench's device leases. Elsewhere the process group below still helps."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _stop_group(process: subprocess.Popen, grace: float = 30.0) -> None:
    """SIGTERM to the run's whole process group (pytest and its xdist workers), SIGKILL after ``grace``.
    The kernel drops the leases (flock) as the processes exit."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def run_suite(command: list[str], folder: Path, out: TextIO, poll: float = 0.25,
              progress: Progress | None = None, heartbeat: float = 30.0) -> int:
    """Run pytest in its own process group, following its events; returns its exit status.

    Raises :class:`Interrupted` on Ctrl-C or SIGTERM after stopping the whole group; ``progress`` then
    holds what had run. Off a terminal a progress line is written each tenth of the run and at least
    every ``heartbeat`` seconds, so a log shows what a long test is doing."""
    tty = out.isatty()
    progress = progress if progress is not None else Progress()
    follower = EventFollower(folder / "events.jsonl")
    last_shown = -1
    last_line = time.monotonic()

    def show(events: list[dict[str, Any]]) -> None:
        nonlocal last_shown, last_line
        for event in events:
            note = progress.update(event)
            if note:
                out.write(("\r\033[K" if tty else "") + note + "\n")
        if not progress.total:
            return
        if tty:
            out.write("\r\033[K" + progress.line(time.time()))
        elif ((tenth := progress.done * 10 // progress.total) > last_shown
              or time.monotonic() - last_line >= heartbeat):
            out.write(progress.line(time.time()) + "\n")
            last_shown = max(last_shown, tenth)
            last_line = time.monotonic()
        out.flush()

    def on_signal(signum: int, frame: object) -> None:
        raise Interrupted(signum)

    previous = signal.signal(signal.SIGTERM, on_signal)
    try:
        with (folder / "pytest.log").open("w") as log:
            process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       start_new_session=True,
                                       preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
            try:
                while process.poll() is None:
                    show(follower.new())
                    time.sleep(poll)  # following a file another process appends to: nothing to wait on
            except KeyboardInterrupt:
                _stop_group(process)
                show(follower.new())
                raise Interrupted(signal.SIGINT) from None
            except Interrupted:
                _stop_group(process)
                show(follower.new())
                raise
    finally:
        signal.signal(signal.SIGTERM, previous)
    show(follower.new())
    if tty:
        out.write("\n")
    return process.returncode


def aborted_results(progress: Progress) -> list[TestResult]:
    """What an interrupted run had finished, from its result events (the summary is never written)."""
    return [TestResult(str(e.get("test")), str(e.get("device", "-")), str(e.get("outcome", "error")),
                       e.get("failure_class"), message="(night aborted; this result was reported before the stop)")
            for e in progress.results if e.get("test")]


def _runner_alive(runner: str | None) -> bool:
    """Whether the nightly that started a night ("pid@host") still runs; another host's is assumed alive."""
    pid, _, host = (runner or "").partition("@")
    if host != socket.gethostname() or not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover_abandoned(history: History, out: TextIO) -> list[int]:
    """Nights whose ``firebridge nightly`` was killed (even by SIGKILL) before it could store them: stored
    now as aborted, with the results their event file had recorded. Returns their ids."""
    recovered = []
    for night in history.unfinished():
        if _runner_alive(night.runner):
            continue
        progress = Progress()
        events = Path(night.report_dir or "") / "events.jsonl"
        for event in EventFollower(events).new() if events.is_file() else []:
            progress.update(event)
        results = aborted_results(progress)
        history.finish_night(night.id, results, -1, aborted=True, devices=progress.identities)
        out.write(f"  night {night.id} ({night.bench}, started {night.started}) was never finished: its nightly "
                  f"was killed. Stored as aborted with the {len(results)} result(s) it had reported.\n")
        recovered.append(night.id)
    return recovered


def night_line(night_id: int, data: dict[str, Any]) -> str:
    """One line for the whole night, from its summary."""
    t = data["totals"]
    line = (f"Night {night_id}: {len(data['results'])} results in {data['wall_seconds']:.1f} s — {t['passed']} passed, "
            f"{t['failed'] + t['error']} failed ({t['product']} product, {t['infra']} infrastructure), "
            f"{t['skipped']} skipped")
    return line + (f"; {t['retried']} retried after an infrastructure failure" if t["retried"] else "")


def run_nightly(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """The ``firebridge nightly`` command."""
    from firebridge.lab.bench import load_bench

    out = out or sys.stdout

    bench = load_bench(args.bench)  # a broken bench file fails here, with its file and line
    suite_arguments(args.suite)  # a suite that is not there fails here, before any device is touched
    extra = list(args.pytest_args or [])
    if extra and extra[0] == "--":
        extra = extra[1:]
    stamp = time.strftime("%Y%m%d-%H%M%S")
    folder = Path(args.reports) if args.reports else Path("nightly-reports") / f"{bench.name}-{stamp}"
    folder.mkdir(parents=True, exist_ok=True)
    with History(args.history) as history:
        recover_abandoned(history, out)
        previous = history.nights(bench.name, args.suite, limit=1)
        night_id = history.start_night(bench.name, args.suite, args.mode, str(folder), started=time.time(),
                                       runner=f"{os.getpid()}@{socket.gethostname()}")
    durations = Path(previous[0].report_dir or "") / "summary.json" if previous else None
    durations = durations if durations is not None and durations.is_file() else None
    command = pytest_command(args.suite, str(args.bench), args.mode, folder, extra, durations)
    out.write(f"firebridge nightly: bench {bench.name} ({plural(len(bench.devices), 'device')}), suite {args.suite}, "
              f"mode {args.mode}\n  pytest output: {folder / 'pytest.log'}\n")
    if durations is not None:
        out.write(f"  longest tests first, by the durations of night {previous[0].id}\n")
    out.flush()
    progress = Progress()
    try:
        status = run_suite(command, folder, out, progress=progress)
    except Interrupted as stop:
        results = aborted_results(progress)
        with History(args.history) as history:
            history.finish_night(night_id, results, 128 + stop.signum, aborted=True, devices=progress.identities)
        out.write(f"\nStopped by {stop}: the run's processes were ended and its device leases released. "
                  f"Night {night_id} is stored as aborted with the {len(results)} result(s) reported before "
                  f"the stop ({progress.done}/{progress.total or '?'}); later nights are not compared with it.\n"
                  f"History: {args.history} (night {night_id}); pytest output: {folder / 'pytest.log'}\n")
        return 128 + stop.signum
    summary_path = folder / "summary.json"
    if not summary_path.exists():
        tail = (folder / "pytest.log").read_text(errors="replace").strip().splitlines()[-15:]
        with History(args.history) as history:
            history.discard_night(night_id)
        out.write(f"pytest exited with {status} before the bench ran; nothing was stored. Its last lines:\n")
        out.write("\n".join(f"  {line}" for line in tail) + "\n")
        return status or 2
    data = read_summary(summary_path)
    results = [TestResult.from_dict(r) for r in data["results"]]
    if not results:  # an empty night would read as "nothing changed" next time: it is an error, not a night
        tail = (folder / "pytest.log").read_text(errors="replace").strip().splitlines()[-15:]
        with History(args.history) as history:
            history.discard_night(night_id)
        out.write(f"pytest exited with {status} and ran no tests of {args.suite}; nothing was stored. "
                  "Its last lines:\n")
        out.write("\n".join(f"  {line}" for line in tail) + "\n")
        return status or 2
    with History(args.history) as history:
        history.finish_night(night_id, results, status, devices=data.get("devices"))
        changes = compare(history, night_id, window=args.flaky_window)
    out.write(night_line(night_id, data) + "\n")
    for name, why in data.get("not_used", {}).items():
        out.write(f"  not used: {name} — {why}\n")
    for name, why in data.get("lost", {}).items():
        out.write(f"  lost during the run: {name} — {why}\n")
    out.write("\n".join(render_changes(changes, data.get("devices"), data.get("lost"))) + "\n")
    reports = [p for p in ("junit.xml", "report.html", "summary.json") if (folder / p).exists()]
    out.write(f"Reports: {', '.join(str(folder / p) for p in reports)}\nHistory: {args.history} (night {night_id})\n")
    return 0 if status == 0 else 1


def add_parser(sub: Any, handler: Callable[[argparse.Namespace], int] | None = None) -> argparse.ArgumentParser:
    """The ``nightly`` subcommand."""
    nightly = sub.add_parser(
        "nightly", help="run the regression suite over a bench, store the night, print what changed",
        description=plain(__doc__.split("\n\n")[0]), formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Pytest arguments go after --, e.g. firebridge nightly --bench lab.yaml -- -k continue_watching")
    nightly.add_argument("--bench", required=True, metavar="FILE", help="the bench file (YAML)")
    nightly.add_argument("--history", default=DEFAULT_HISTORY, metavar="PATH",
                         help=f"the SQLite history (default ./{DEFAULT_HISTORY})")
    nightly.add_argument("--suite", default="device_tests", help="what pytest runs (default device_tests)")
    nightly.add_argument("--mode", choices=("each", "spread"), default="each",
                         help="each: every test on every device (default; per-device history); spread: each test once")
    nightly.add_argument("--reports", default=None, metavar="DIR",
                         help="this night's reports (default nightly-reports/BENCH-DATE-TIME)")
    nightly.add_argument("--flaky-window", type=int, default=5, metavar="N",
                         help="nights looked at for flips (default 5)")
    nightly.add_argument("pytest_args", nargs=argparse.REMAINDER, help="-- then arguments for pytest")
    nightly.set_defaults(handler=handler or run_nightly)
    return nightly
