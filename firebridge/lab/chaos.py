"""The fault matrix: what a run does when the lab breaks under it (issue 15).

Each cell runs a small suite of device tests (:func:`write_suite`) against virtual Fire TVs, injects one
fault once the third test has started, and checks what the run left behind:

- it ended (no INTERNALERROR) within ``BOUND_S`` seconds of the fault;
- every collected test is in the terminal summary (``-rA``), the JUnit file (its header's count equals
  its testcases) and the HTML report (pytest-html);
- every failure is classed infrastructure — except the suite's one deliberate product bug
  (``test_02_app_bug``), which must stay product — and, under ``--bench``, infrastructure failures are
  retried on the healthy device.

Faults (each on the first device, ``tv-1``, and its adb server):

=================  ===========================================================================
device-killed      the device's process gets SIGKILL (power cut)
adb-server-killed  its adb server gets SIGKILL
transport-dropped  ``adb disconnect`` of the device (Wi-Fi drop seen from the host)
device-rebooted    ``adb reboot``: it goes away and comes back with a new boot id
unauthorized       the device revokes every adb key (Developer Options; virtual: SIGUSR1)
slow-device        the device's process is stopped for ``SLOW_S`` s (SIGSTOP/SIGCONT): every call stalls
disk-full          ``--artifacts`` is a path under a regular file: every artifact write fails (ENOTDIR;
                   a tiny tmpfs needs root mounts, and a read-only folder does not stop root)
nightly-killed     ``firebridge nightly`` gets SIGKILL; its night must be stored as aborted
=================  ===========================================================================

Modes: ``plain`` (``pytest SUITE --device SERIAL``), ``bench`` (``pytest --bench``, two devices on
two adb servers) and ``nightly`` (``firebridge nightly --mode spread``). ``bench/fault_matrix.py``
prints the table.
"""

from __future__ import annotations

import html
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from firebridge.lab.benchup import VirtualLab, stand_up
from firebridge.waiting import WaitTimeout, wait_until

FAULTS = ("device-killed", "adb-server-killed", "transport-dropped", "device-rebooted", "unauthorized",
          "slow-device", "disk-full", "nightly-killed")
MODES = ("plain", "bench", "nightly")
BOUND_S = 180.0  # a run ends within this after the fault (issue 15: 3 minutes after a device dies)
SLOW_S = 8.0
TESTS = 8
PRODUCT_BUG = "test_02_app_bug"
VERDICT_OK = "all results reported, classed infrastructure"

_SUITE_CONFTEST = '''
import os
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _started(request):
    """Tell the fault matrix which test started (a file per test in $FIREBRIDGE_CHAOS_MARKS)."""
    marks = os.environ.get("FIREBRIDGE_CHAOS_MARKS")
    if marks:
        Path(marks, request.node.name.split("[")[0]).write_text(str(os.getpid()))
'''

_SUITE_TESTS = '''
"""The fault matrix's suite: device tests that each ask the device questions for a second or so."""
import time

import pytest


def _busy(firetv, seconds=1.5):
    """Ask the device real questions for ``seconds``: a fault mid-test meets a call in flight."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        assert firetv.shell("getprop ro.product.model").check().stdout.strip()

{tests}
'''

_PRODUCT_BUG_TEST = '''def test_02_app_bug(firetv, logs):
    """A deliberate product failure (it runs before the fault): it must stay product whatever the lab does."""
    _busy(firetv, 0.2)
    assert False, "the app under test showed the wrong title (a deliberate product bug)"
'''


def write_suite(folder: Path, tests: int = TESTS) -> Path:
    """The suite the matrix runs (``tests`` device tests, one of them a deliberate product bug)."""
    folder.mkdir(parents=True, exist_ok=True)
    bodies = []
    for n in range(1, tests + 1):
        if n == 2:
            bodies.append(_PRODUCT_BUG_TEST)
            continue
        bodies.append(f"def test_{n:02d}_device_answers(firetv, logs):\n    _busy(firetv)\n")
    (folder / "conftest.py").write_text(_SUITE_CONFTEST)
    (folder / "test_chaos_suite.py").write_text(_SUITE_TESTS.replace("{tests}", "\n\n".join(bodies)))
    return folder


@dataclass
class Cell:
    """One fault in one mode: what the run left behind and the verdict."""

    fault: str
    mode: str
    collected: int = 0
    reported: dict[str, int] = field(default_factory=dict)  # where: count of tests found there
    junit_header: int | None = None
    classes: dict[str, str] = field(default_factory=dict)  # failed test -> infra | product
    retried: int = 0
    seconds_after_fault: float | None = None
    internal_error: bool = False
    problems: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.problems:
            return "; ".join(self.problems)
        return self.note or VERDICT_OK


# -- injecting faults ----------------------------------------------------------------------------------
@dataclass
class Target:
    """The device the fault hits and what it runs on."""

    lab: VirtualLab
    name: str = "tv-1"

    @property
    def device(self):
        return self.lab.device(self.name)


def inject(fault: str, target: Target) -> None:
    """Break ``target`` as ``fault`` says (disk-full and nightly-killed are injected by the runner)."""
    device = target.device
    if fault == "device-killed":
        os.kill(device.process.pid, signal.SIGKILL)
    elif fault == "adb-server-killed":
        os.kill(device.server.pid, signal.SIGKILL)
    elif fault == "transport-dropped":
        device.server.run("disconnect", device.address, timeout=10)
    elif fault == "device-rebooted":
        device.server.run("-s", device.address, "reboot", timeout=10)
    elif fault == "unauthorized":
        os.kill(device.process.pid, signal.SIGUSR1)
    elif fault == "slow-device":
        os.kill(device.process.pid, signal.SIGSTOP)
        try:
            time.sleep(SLOW_S)  # the fault itself: the device stalls this long (not a synchronisation)
        finally:
            os.kill(device.process.pid, signal.SIGCONT)


# -- running a cell ------------------------------------------------------------------------------------
def _env(marks: Path) -> dict[str, str]:
    repo = str(Path(__file__).resolve().parents[2])
    path = os.pathsep.join(filter(None, [repo, os.environ.get("PYTHONPATH")]))
    return dict(os.environ, FIREBRIDGE_CHAOS_MARKS=str(marks), PYTHONPATH=path, PYTHONUNBUFFERED="1")


def _wait_started(marks: Path, process: subprocess.Popen, name: str = "test_03_device_answers",
                  timeout: float = 120.0) -> bool:
    try:
        wait_until(lambda: (marks / name).exists() or process.poll() is not None, timeout,
                   f"{name} to start", interval=0.05)
    except WaitTimeout:
        return False
    return (marks / name).exists()


def run_cell(fault: str, mode: str, workdir: Path, speed: float = 20.0,
             log: Callable[[str], None] = lambda line: None) -> Cell:
    """Stand up a virtual lab, run the suite in ``mode``, inject ``fault`` once test 3 started, check."""
    cell = Cell(fault, mode, collected=TESTS)
    if fault == "nightly-killed" and mode != "nightly":
        cell.note = "n/a (no nightly in this mode)"
        return cell
    workdir.mkdir(parents=True, exist_ok=True)
    suite = write_suite(workdir / "suite")
    marks = workdir / "marks"
    marks.mkdir(exist_ok=True)
    devices = 1 if mode == "plain" else 2
    artifacts = workdir / "artifacts"
    if fault == "disk-full":
        blocker = workdir / "full"
        blocker.write_text("a file where the artifacts folder should be\n")
        artifacts = blocker / "artifacts"  # every mkdir/write under it fails with ENOTDIR
    with stand_up(devices, devices, workdir / "lab", speed=speed, reconnect_timeout=30.0) as lab:
        target = Target(lab)
        reports = workdir / "reports"
        reports.mkdir(exist_ok=True)
        output = workdir / "output.txt"
        common = ["-p", "no:cacheprovider", "-rA", "--artifacts", str(artifacts), "-o", "addopts=",
                  "--rootdir", str(suite), "-c", os.devnull]
        if mode == "plain":
            command = [sys.executable, "-m", "pytest", str(suite), "--device", target.device.address,
                       "--adb-server", target.device.server.address, "--junitxml", str(reports / "junit.xml"),
                       "--html", str(reports / "report.html"), "--self-contained-html", *common]
        elif mode == "bench":
            command = [sys.executable, "-m", "pytest", str(suite), "--bench", str(lab.bench_path),
                       "--bench-mode", "spread", "--bench-report", str(reports),
                       "--bench-lease-dir", str(workdir / "leases"),
                       "--html", str(reports / "report.html"), "--self-contained-html", *common]
        else:
            command = [sys.executable, "-m", "firebridge", "nightly", "--bench", str(lab.bench_path), "--suite",
                       str(suite), "--mode", "spread", "--reports", str(reports), "--history",
                       str(workdir / "history.sqlite"), "--", "--bench-lease-dir", str(workdir / "leases"), *common]
        log(f"{fault} / {mode}: {' '.join(command[:6])} ...")
        with output.open("w") as stream:
            process = subprocess.Popen(command, stdout=stream, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       env=_env(marks), cwd=str(workdir), start_new_session=True)
        try:
            fault_at = None
            if _wait_started(marks, process):
                fault_at = time.monotonic()
                if fault == "nightly-killed":
                    os.kill(process.pid, signal.SIGKILL)
                elif fault != "disk-full":
                    inject(fault, target)
            else:
                cell.problems.append("the suite never reached its third test")
            try:
                process.wait(timeout=BOUND_S + (SLOW_S if fault == "slow-device" else 0) + 30)
            except subprocess.TimeoutExpired:
                cell.problems.append(f"still running {BOUND_S:g} s after the fault")
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            if fault_at is not None:
                cell.seconds_after_fault = round(time.monotonic() - fault_at, 1)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        text = output.read_text(errors="replace")
        if mode == "nightly" and (reports / "pytest.log").exists():
            text += (reports / "pytest.log").read_text(errors="replace")
        if fault == "nightly-killed":
            _check_killed_nightly(cell, workdir, lab, fault_at)
        else:
            _check(cell, text, reports, mode)
    if cell.seconds_after_fault is not None and cell.seconds_after_fault > BOUND_S:
        cell.problems.append(f"ended {cell.seconds_after_fault:g} s after the fault (bound {BOUND_S:g} s)")
    return cell


def suite_test_names(suite_tests: int = TESTS) -> list[str]:
    """The suite's test names (what every report must list)."""
    return [PRODUCT_BUG if n == 2 else f"test_{n:02d}_device_answers" for n in range(1, suite_tests + 1)]


def _check(cell: Cell, text: str, reports: Path, mode: str) -> None:
    names = suite_test_names()
    cell.internal_error = "INTERNALERROR" in text
    if cell.internal_error:
        cell.problems.append("INTERNALERROR")
    summary_lines = [line for line in text.splitlines() if re.match(r"(PASSED|FAILED|ERROR|SKIPPED)\b", line)]
    cell.reported["terminal"] = sum(any(name in line for line in summary_lines) for name in names)
    junit = reports / "junit.xml"
    if junit.exists():
        root = ET.parse(junit).getroot()
        header = int(root.get("tests") or sum(int(s.get("tests", 0)) for s in root.iter("testsuite")))
        cases = list(root.iter("testcase"))
        cell.junit_header = header
        cell.reported["junit"] = len({c.get("name") for c in cases} & set(names))
        if header != len(cases):
            cell.problems.append(f"JUnit header says {header}, it holds {len(cases)} testcases")
        for case in cases:
            bad = case.find("failure") if case.find("failure") is not None else case.find("error")
            if bad is None:
                continue
            props = {p.get("name"): p.get("value") for p in case.iter("property")}
            cell.classes[case.get("name", "?")] = props.get("failure_class") or bad.get("type") or "?"
            cell.retried += int(props.get("attempts", "1")) > 1
        if mode != "plain":
            cell.retried = sum(int({p.get("name"): p.get("value") for p in c.iter("property")}.get("attempts", "1")) > 1
                               for c in cases)
    else:
        cell.reported["junit"] = 0
    page = reports / "report.html"
    cell.reported["html"] = sum(name in html.unescape(page.read_text(errors="replace")) for name in names) \
        if page.exists() else 0
    for where in ("terminal", "junit", "html"):
        if cell.reported.get(where, 0) != len(names):
            cell.problems.append(f"{where}: {cell.reported.get(where, 0)}/{len(names)} tests")
    for name, failure_class in cell.classes.items():
        expected = "product" if name == PRODUCT_BUG else "infra"
        if failure_class != expected:
            cell.problems.append(f"{name} classed {failure_class}, expected {expected}")
    if PRODUCT_BUG not in cell.classes:
        cell.problems.append(f"{PRODUCT_BUG} not reported as a failure")


def _leases_free(lab: VirtualLab, lease_dir: Path) -> bool:
    """Whether every bench device's leases (the run's and its workers') can be taken: the run is gone."""
    from firebridge.lab.leases import try_lease

    assert lab.bench is not None
    taken = [try_lease(device.key, lease_dir, level=level) for device in lab.bench.devices for level in ("", "worker")]
    for lease in taken:
        if lease is not None:
            lease.release()
    return all(lease is not None for lease in taken)


def _check_killed_nightly(cell: Cell, workdir: Path, lab: VirtualLab, fault_at: float | None) -> None:
    """After SIGKILL of ``firebridge nightly``: its pytest and workers end too (they hold the device leases
    until then), and the next nightly stores the night as aborted with the results it had reported."""
    from firebridge.lab.history import History
    from firebridge.lab.nightly import recover_abandoned
    import io

    try:
        wait_until(lambda: _leases_free(lab, workdir / "leases"), BOUND_S, "the killed nightly's run to end",
                   interval=0.2)
        if fault_at is not None:
            cell.seconds_after_fault = round(time.monotonic() - fault_at, 1)
    except WaitTimeout:
        cell.problems.append(f"the killed nightly's pytest still holds the bench {BOUND_S:g} s later")

    history = workdir / "history.sqlite"
    out = io.StringIO()
    with History(str(history)) as store:
        recovered = recover_abandoned(store, out)
    if not recovered:
        cell.problems.append("the killed night was not stored as aborted")
    else:
        reported = out.getvalue().split("aborted with the ")[-1].split(" result")[0]
        cell.note = (f"night stored as aborted with the {reported} result(s) it had reported; its pytest and "
                     f"workers ended and released the bench")
    cell.reported = {"terminal": 0, "junit": 0, "html": 0}


def render(cells: list[Cell]) -> str:
    """The matrix as a table (Markdown): one row per fault, one column per mode."""
    by = {(c.fault, c.mode): c for c in cells}
    faults = list(dict.fromkeys(c.fault for c in cells))
    modes = [m for m in MODES if any(c.mode == m for c in cells)]
    lines = ["| fault | " + " | ".join(modes) + " |", "|---|" + "---|" * len(modes)]
    for fault in faults:
        row = []
        for mode in modes:
            cell = by.get((fault, mode))
            if cell is None:
                row.append("")
                continue
            detail = []
            if cell.seconds_after_fault is not None:
                detail.append(f"ended {cell.seconds_after_fault:g} s after the fault")
            failures = len(cell.classes)
            if failures:
                infra = sum(v == "infra" for v in cell.classes.values())
                detail.append(f"{infra} infra + {failures - infra} deliberate product failure(s)")
            if cell.retried:
                detail.append(f"{cell.retried} retried")
            row.append(cell.verdict + (f" ({', '.join(detail)})" if detail else ""))
        lines.append(f"| {fault} | " + " | ".join(row) + " |")
    return "\n".join(lines)


def run_matrix(faults: list[str], modes: list[str], workdir: Path | None = None, speed: float = 20.0,
               log: Callable[[str], None] = print) -> list[Cell]:
    """Every fault in every mode (sequentially: each stands up its own virtual lab)."""
    root = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="firebridge-chaos-"))
    cells = []
    for fault in faults:
        for mode in modes:
            cell = run_cell(fault, mode, root / f"{fault}-{mode}", speed=speed, log=log)
            log(f"  {fault} / {mode}: {cell.verdict}")
            cells.append(cell)
    return cells


def cell_json(cell: Cell) -> str:
    return json.dumps({**cell.__dict__, "verdict": cell.verdict})
