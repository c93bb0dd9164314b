"""Proof that the regression suite catches real integration bugs: ``python -m firebridge.faultcheck``.

Runs ``pytest device_tests --device virtual`` once with no fault and once per fault switch of the
virtual Fire TV's reference app (``--virtual-prop debug.firebridge.fault=NAME``; the list is
``firebridge virtual --list-faults``), each in its own pytest process with its own virtual device,
artifacts folder and JUnit XML, up to ``--jobs`` at once. It prints one line per run as runs finish,
then the matrix (fault, verdict, failing tests, time, first failure message), and exits non-zero
unless the clean run passes and every fault is caught.

Verdicts:

- clean run: ``PASS`` when pytest exits 0 with at least one test and no failure, else ``FAIL``;
- fault run: ``CAUGHT`` when at least one test fails with a message that names the broken rule;
  ``UNCLEAR`` when tests fail but no failure message names a rule; ``MISSED`` when nothing fails;
- ``ERROR`` when pytest could not run (no JUnit XML, a usage error, a timeout).

"Names the broken rule" (:func:`names_rule`), decided here so that a checker can verify it: after
the exception's type (``AssertionError:``, ``Failed:``), the message's first part - up to pytest's
own ``assert ...`` explanation - must be a sentence of at least :data:`MIN_WORDS` words that states a
rule: it contains one of :data:`RULE_WORDS` (``must``, ``should``, ``never``, ``only``, ``requires``,
``required``, ``not allowed``) or cites a seed (``seed 002``). A bare ``assert x == y`` (message
``assert 1 == 2``) fails the check, and so does a plain timeout ("timed out after 10 s waiting for
...": it says what did not happen, not which rule broke). Example that passes: "The app reported
PAUSE (1) when playback completed; seed 002 requires EXIT (2) when playback completes or is left".

Time: the runs are independent and mostly wait on the device clock, so they overlap well; CI runs
this after the test suite (.ci/run), on both platforms in one pool (``--os fireos,vega``: the runs of
both proofs share ``--jobs``, so neither waits for the other's last runs; the matrix marks Vega runs
``[vega]`` and the last line gives each platform's tally). ``--faults a,b`` runs a subset (plus the clean run unless
``--no-clean``); ``--jobs N`` (default: the CPU count); ``-x`` stops each fault run at its first
failure (faster, but the matrix then lists one failing test per fault); anything after ``--`` goes
to every pytest run.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

from firebridge.text import plain

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SUITE = "device_tests"
OSES = ("fireos", "vega")  # the virtual devices a proof runs on (--os)
CLEAN = "(no fault)"
MIN_WORDS = 8
RULE_WORDS = ("must", "should", "never", "only", "requires", "required", "not allowed")
_RULE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in RULE_WORDS) + r")\b|\bseed \d{3}\b", re.I)
_EXC_PREFIX = re.compile(r"^\s*(?:[A-Za-z_][\w.]*(?:Error|Exception|Failed|Timeout|Failure)|Failed)\s*:\s*")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


# -- JUnit XML and messages (pure) ------------------------------------------------------------------
@dataclass(frozen=True)
class Failure:
    """One failing (or erroring) test of a run."""

    test: str  # e.g. device_tests/test_triggers.py::test_x[sign_in]
    message: str  # the failure's message attribute (pytest: the exception's first lines)
    kind: str = "failure"  # "failure" or "error"

    @property
    def names_rule(self) -> bool:
        return names_rule(self.message)

    @property
    def summary(self) -> str:
        """The message without the exception type and pytest's assert explanation, on one line."""
        return " ".join(rule_text(self.message).split())


@dataclass(frozen=True)
class JUnitResult:
    tests: int
    failures: tuple[Failure, ...]
    skipped: int = 0

    @property
    def failed(self) -> int:
        return len(self.failures)


def _test_id(case: ET.Element) -> str:
    classname = case.get("classname", "")
    name = case.get("name", "")
    # pytest writes classname "device_tests.test_x" (or "...test_x.TestClass"); show a node id.
    parts = classname.split(".")
    module = next((i for i, part in enumerate(parts) if part.startswith("test_")), len(parts) - 1)
    path = "/".join(parts[:module + 1]) + ".py" if parts and parts[0] else ""
    inner = "::".join(parts[module + 1:] + [name])
    return f"{path}::{inner}" if path else name


def parse_junit(text: str) -> JUnitResult:
    """Tests, failures (with messages) and skips from pytest's ``--junitxml`` output."""
    root = ET.fromstring(text)
    tests = skipped = 0
    failures: list[Failure] = []
    for case in root.iter("testcase"):
        tests += 1
        for child in case:
            if child.tag in ("failure", "error"):
                message = child.get("message")
                if not message:  # no message attribute: the first line of the report instead
                    lines = (child.text or "").strip().splitlines()
                    message = lines[0] if lines else ""
                failures.append(Failure(_test_id(case), message, child.tag))
                break
            if child.tag == "skipped":
                skipped += 1
                break
    return JUnitResult(tests, tuple(failures), skipped)


def rule_text(message: str) -> str:
    """The part of a failure message a person wrote: no exception type, no ``assert`` explanation."""
    text = _EXC_PREFIX.sub("", message.strip(), count=1)
    cut = re.search(r"(?m)^\s*assert\b", text)
    if cut:
        text = text[:cut.start()]
    return text.strip()


def names_rule(message: str) -> bool:
    """Whether a failure message names the broken rule in a person's words (see the module doc)."""
    text = rule_text(message)
    if not text or text.lower().startswith("assert "):
        return False
    return len(_WORD.findall(text)) >= MIN_WORDS and bool(_RULE.search(text))


# -- verdicts (pure) -----------------------------------------------------------------------------------
PASS, FAIL, CAUGHT, UNCLEAR, MISSED, ERROR = "PASS", "FAIL", "CAUGHT", "UNCLEAR", "MISSED", "ERROR"


@dataclass
class Run:
    """One pytest run of the suite: with ``fault`` switched on, or clean (None), on a virtual device of
    ``target_os`` (fireos or vega)."""

    fault: str | None
    exit_code: int | None = None
    result: JUnitResult | None = None
    seconds: float = 0.0
    error: str = ""
    log: Path | None = None
    target_os: str = "fireos"

    @property
    def name(self) -> str:
        """The fault (or "(no fault)"), with ``[vega]`` after it on a Vega device."""
        return (self.fault or CLEAN) + ("" if self.target_os == "fireos" else f" [{self.target_os}]")

    @property
    def verdict(self) -> str:
        return verdict(self)

    def first_failure(self) -> Failure | None:
        """The first failure that names a rule, else the first failure."""
        failures = self.result.failures if self.result else ()
        return next((f for f in failures if f.names_rule), failures[0] if failures else None)


def verdict(run: Run) -> str:
    """PASS/FAIL for the clean run; CAUGHT/UNCLEAR/MISSED for a fault run; ERROR if pytest did not run."""
    if run.result is None or run.exit_code not in (0, 1):
        return ERROR
    if run.fault is None:
        return PASS if run.exit_code == 0 and run.result.tests > 0 and not run.result.failures else FAIL
    if not run.result.failures:
        return MISSED
    return CAUGHT if any(f.names_rule for f in run.result.failures) else UNCLEAR


def good(run: Run) -> bool:
    return run.verdict == (PASS if run.fault is None else CAUGHT)


def exit_status(runs: Iterable[Run]) -> int:
    """0 when the clean run passed and every fault was caught; 1 otherwise."""
    runs = list(runs)
    return 0 if runs and all(good(run) for run in runs) else 1


# -- formatting (pure) -----------------------------------------------------------------------------
def _short(test: str) -> str:
    return test.split("/")[-1]


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def failing_tests(run: Run, shown: int = 4) -> str:
    """``N/M: test, test, ... (+K more)`` (the first ``shown`` failing tests)."""
    if run.result is None:
        return run.error or "no result"
    if not run.result.failures:
        return f"none of {run.result.tests} failed"
    names = [_short(f.test) for f in run.result.failures]
    more = f" (+{len(names) - shown} more)" if len(names) > shown else ""
    return f"{run.result.failed}/{run.result.tests}: " + ", ".join(names[:shown]) + more


def progress_line(done: int, total: int, run: Run, width: int) -> str:
    """The line printed as a run finishes."""
    first = run.first_failure()
    line = (f"[{done:>{len(str(total))}}/{total}] {run.name:<{width}}  {run.verdict:<7} {run.seconds:6.1f} s  "
            f"{failing_tests(run)}")
    if first is not None:
        line += f"\n{'':>{len(str(total)) * 2 + 4}}first failure: {_clip(first.summary, 300)}"
    elif run.error:
        line += f"\n{'':>{len(str(total)) * 2 + 4}}{run.error}"
    return line


def matrix(runs: Sequence[Run]) -> str:
    """The final table: fault, verdict, time, failing tests, and each fault's first failure message."""
    width = max([len("fault")] + [len(run.name) for run in runs])
    lines = [f"{'fault':<{width}}  {'verdict':<7}  {'time':>7}  failing tests"]
    lines.append("-" * (width + 2 + 7 + 2 + 7 + 2 + 40))
    for run in runs:
        lines.append(f"{run.name:<{width}}  {run.verdict:<7}  {run.seconds:6.1f}s  {failing_tests(run)}")
        first = run.first_failure()
        if first is not None and run.fault is not None:
            lines.append(f"{'':<{width}}  {'':<7}  {'':>7}  > {_clip(first.summary, 240)}")
        elif run.fault is None and first is not None:
            lines.append(f"{'':<{width}}  {'':<7}  {'':>7}  > {_short(first.test)}: {_clip(first.summary, 200)}")
    return "\n".join(lines)


def tally(runs: Sequence[Run]) -> str:
    """``23/23 faults caught, clean run PASS`` for the runs of one OS."""
    caught = sum(1 for run in runs if run.fault is not None and run.verdict == CAUGHT)
    faults_run = sum(1 for run in runs if run.fault is not None)
    clean_run = next((run for run in runs if run.fault is None), None)
    clean_text = "clean run not run" if clean_run is None else f"clean run {clean_run.verdict}"
    return f"{caught}/{faults_run} faults caught, {clean_text}"


# -- running (I/O) -----------------------------------------------------------------------------------
def known_faults(target_os: str = "fireos") -> dict[str, str]:
    """The reference app's fault switches (name -> what it breaks) that apply on ``target_os`` (the Vega
    build leaves out a few of its Fire OS player's: ``firebridge virtual --list-faults --os vega``)."""
    from firebridge.adb.virtual_process import list_faults  # asks ``firebridge virtual --list-faults``
    return list_faults(os=target_os)


def pytest_command(suite: str, fault: str | None, workdir: Path, extra: Sequence[str] = (),
                   stop_at_first: bool = False, target_os: str = "fireos") -> list[str]:
    """The pytest command of one run (each run its own virtual device, artifacts and JUnit XML)."""
    argv = [sys.executable, "-m", "pytest", suite, "--device", "virtual", "-q", "-p", "no:cacheprovider",
            f"--junitxml={workdir / 'junit.xml'}", f"--artifacts={workdir / 'artifacts'}"]
    if target_os != "fireos":
        argv += ["--virtual-os", target_os]
    if fault is not None and target_os == "fireos":
        from firebridge.adb.virtual_process import FAULT_PROPERTY
        argv += ["--virtual-prop", f"{FAULT_PROPERTY}={fault}"]
    elif fault is not None:  # Vega has no system properties: the app reads its fault file
        argv += ["--virtual-fault", fault]
    if fault is not None and stop_at_first:
        argv.append("-x")
    return argv + list(extra)


def run_suite(run: Run, suite: str, workdir: Path, cwd: Path, extra: Sequence[str], timeout: float,
              stop_at_first: bool = False, target_os: str = "fireos") -> Run:
    """Run pytest for ``run`` (blocking) and fill in its exit code, result and time."""
    workdir.mkdir(parents=True, exist_ok=True)
    run.log = workdir / "pytest.log"
    argv = pytest_command(suite, run.fault, workdir, extra, stop_at_first, target_os)
    started = time.monotonic()
    with run.log.open("w") as out:
        # A session of its own, so that a timeout can stop pytest and the devices it started.
        process = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            run.exit_code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            run.error = f"timed out after {timeout:g} s (log: {run.log})"
    run.seconds = time.monotonic() - started
    junit = workdir / "junit.xml"
    if junit.exists() and not run.error:
        try:
            run.result = parse_junit(junit.read_text())
        except ET.ParseError as exc:
            run.error = f"unreadable JUnit XML {junit}: {exc}"
    elif not run.error:
        run.error = f"pytest exited {run.exit_code} without a JUnit report (log: {run.log})"
    if run.exit_code not in (0, 1, None) and not run.error:
        run.error = f"pytest exited {run.exit_code} (log: {run.log})"
    return run


def plan(faults_by_os: dict[str, Sequence[str]], clean: bool = True) -> list[Run]:
    """The runs, OS by OS in the given order: the clean run (unless ``clean`` is False), then one per fault."""
    return [Run(fault, target_os=target_os) for target_os, faults in faults_by_os.items()
            for fault in ([None] if clean else []) + list(faults)]


def check(faults: Sequence[str], jobs: int, suite: str = DEFAULT_SUITE, cwd: Path = ROOT, workdir: Path | None = None,
          extra: Sequence[str] = (), timeout: float = 900.0, clean: bool = True, stop_at_first: bool = False,
          say: Callable[[str], None] = print, target_os: str = "fireos", runs: list[Run] | None = None) -> list[Run]:
    """Run the clean suite and one suite per fault, ``jobs`` at a time; report each as it finishes.
    ``runs`` (from :func:`plan`) replaces ``faults``/``clean``/``target_os``: several OSes share one pool."""
    base = workdir or Path(tempfile.mkdtemp(prefix="faultcheck-"))
    runs = runs if runs is not None else plan({target_os: faults}, clean)
    width = max(len(run.name) for run in runs)
    lock = threading.Lock()
    done = 0

    def one(index: int, run: Run) -> Run:
        prefix = "" if run.target_os == "fireos" else f"{run.target_os}-"
        folder = base / f"{index:02d}-{prefix}{(run.fault or 'clean')}"
        return run_suite(run, suite, folder, cwd, extra, timeout, stop_at_first, run.target_os)

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [pool.submit(one, i, run) for i, run in enumerate(runs)]
        for future in as_completed(futures):
            run = future.result()
            with lock:
                done += 1
                say(progress_line(done, len(runs), run, width))
    return runs


def main(argv: Sequence[str] | None = None, faults_table: dict[str, str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in args:
        split = args.index("--")
        args, extra = args[:split], args[split + 1:]
    parser = argparse.ArgumentParser(prog="python -m firebridge.faultcheck", description=plain(__doc__.split("\n\n")[0]),
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="Anything after -- is passed to every pytest run.")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                        help="runs at once (default: the CPU count, %(default)s here)")
    parser.add_argument("--faults", default=None, metavar="A,B", help="only these faults (default: all)")
    parser.add_argument("--os", dest="target_os", default="fireos", metavar="OS[,OS]",
                        help="the virtual device's OS: fireos (default), vega (the faults that apply to Vega), or "
                             "fireos,vega (both proofs in one pool of --jobs)")
    parser.add_argument("--no-clean", action="store_true", help="skip the run without a fault")
    parser.add_argument("--suite", default=DEFAULT_SUITE, help="the test path pytest runs (default %(default)s)")
    parser.add_argument("--rootdir", default=str(ROOT), help="where pytest runs (default: the project root)")
    parser.add_argument("--workdir", default=None, help="where each run's log, JUnit XML and artifacts go "
                                                        "(default: ROOTDIR/artifacts/faultcheck-TIMESTAMP)")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per run (default %(default)g)")
    parser.add_argument("-x", "--stop-at-first", action="store_true",
                        help="stop each fault's run at its first failing test (faster; lists one failure per fault)")
    opts = parser.parse_args(args)
    oses = list(dict.fromkeys(name.strip() for name in opts.target_os.split(",") if name.strip()))
    bad = [name for name in oses if name not in OSES]
    if bad or not oses:
        parser.error(f"--os: {', '.join(bad) or 'nothing given'}; choose from {', '.join(OSES)} (comma-separated)")
    tables = {name: known_faults(name) if faults_table is None else faults_table for name in oses}
    if opts.faults:
        wanted = [name.strip() for name in opts.faults.split(",") if name.strip()]
        unknown = [name for name in wanted if not any(name in table for table in tables.values())]
        if unknown:
            known = list(dict.fromkeys(name for table in tables.values() for name in table))
            parser.error(f"unknown fault(s) {', '.join(unknown)}; known: {', '.join(known)}")
        chosen = {name: [fault for fault in wanted if fault in table] for name, table in tables.items()}
    else:
        chosen = {name: list(table) for name, table in tables.items()}
    if opts.jobs < 1:
        parser.error("--jobs must be at least 1")
    workdir = (Path(opts.workdir) if opts.workdir else
               Path(opts.rootdir) / "artifacts" / time.strftime("faultcheck-%Y%m%d-%H%M%S"))
    runs = plan(chosen, clean=not opts.no_clean)
    what = "; ".join((f"{name}: " if len(oses) > 1 else "") + ("clean + " if not opts.no_clean else "")
                     + f"{len(faults)} faults" for name, faults in chosen.items())
    print(f"faultcheck: {len(runs)} runs of `pytest {opts.suite} --device virtual` ({what}), "
          f"{min(opts.jobs, len(runs))} at a time; logs in {workdir}", flush=True)
    started = time.monotonic()
    order = {(run.target_os, run.fault): index for index, run in enumerate(runs)}
    runs = check([], opts.jobs, opts.suite, Path(opts.rootdir), workdir, extra, opts.timeout,
                 stop_at_first=opts.stop_at_first, say=lambda line: print(line, flush=True), runs=runs)
    wall = time.monotonic() - started
    runs.sort(key=lambda run: order[(run.target_os, run.fault)])
    print()
    print(matrix(runs))
    print()
    status = exit_status(runs)
    tallies = "; ".join((f"{name} " if len(oses) > 1 else "") + tally([r for r in runs if r.target_os == name])
                        for name in oses)
    print(f"faultcheck: {tallies}; wall time {wall:.1f} s "
          f"({opts.jobs} jobs, {os.cpu_count()} CPUs) -> {'OK' if status == 0 else 'FAILED'}")
    for run in runs:
        if not good(run):
            print(f"  {run.name}: {run.verdict}; log {run.log}")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
