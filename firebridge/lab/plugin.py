"""``pytest --bench FILE``: run a suite over a lab bench's Fire TVs in parallel (pytest-xdist).

One xdist worker per device; the controller (the pytest process you start):

1. loads the bench file (firebridge/lab/bench.py), leases every device it can (firebridge/lab/leases.py: lock
   files, so a concurrent run cannot take them) and health-checks them in parallel (firebridge/lab/health.py);
   unhealthy or busy devices take no work and the header says why;
2. starts one worker per healthy device (it sets ``-n`` and the scheduler itself) and tells each
   worker its device (xdist ``workerinput``); the worker leases the device again at worker level;
3. schedules tests (firebridge/lab/sched.py): ``--bench-mode spread`` (default) spreads the tests over
   the devices, routing ``@pytest.mark.firetv(...)`` tests to matching devices; ``each`` runs every test
   on every device;
4. classes each failure as infrastructure or product (firebridge/lab/classify.py) and retries an
   infrastructure failure once, on another device when one is usable (``each``: on the same device);
   a device that is lost hands back its tests, which run elsewhere (``each``: they are reported as
   infrastructure failures, not run, since every other device runs its own copy); nothing is lost;
5. writes a JUnit XML (device properties, platform included, on every testcase) and a JSON summary
   (firebridge/lab/reports.py) to ``--bench-report DIR``, and progress events to ``--bench-events FILE``
   (``firebridge nightly``); the terminal summary gives each device's platform, model and OS version.

A bench may mix Fire OS and Vega OS devices: each worker's driver is probed from its own device, so the
same suite runs on both (what a platform lacks skips with the driver's reason).

On a worker, the ``firetv`` fixture is the leased device, ``--app`` becomes the device's app profile,
and failure artifacts go to ``ARTIFACTS/<device name>/<test>``.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

from firebridge.plugin.options import marker_criteria, marker_mismatch
from firebridge.plugin.pytest_plugin import artifacts_dir
from firebridge.plugin.api import use_selection
from firebridge.plugin.html import record_devices
from firebridge.lab.htmlrows import HtmlRunBuckets
from firebridge.plugin.recovery import assess_failure
from firebridge.selection import Selection
from firebridge.lab.bench import Bench, BenchDevice, load_bench
from firebridge.lab.classify import INFRA, PRODUCT, classify
from firebridge.adb.connect import connect_and_probe
from firebridge.device.firetv import FireTV
from firebridge.errors import ConfigError, FirebridgeError
from firebridge.lab.health import Health, check_devices
from firebridge.lab.identity import describe_identity, platform_value
from firebridge.lab.sched import DRAIN_NAME, BenchScheduling, Work
from firebridge.lab.leases import Lease, default_lease_dir, holder_of, lease_all, try_lease
from firebridge.lab.reports import TestResult, counts, junit_xml, summary, write_summary

WORKER_KEY = "firebridge_bench"
MODES = ("spread", "each")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("firebridge-bench", "Fire TV lab benches (firebridge)")
    group.addoption("--bench", default=None, metavar="FILE",
                    help="run over the devices of a bench file (YAML; see fixtures/benches/), one pytest-xdist "
                         "worker per device (-n and the scheduler are set for you)")
    group.addoption("--bench-mode", default="spread", choices=MODES,
                    help="spread: spread the tests over the devices (default); each: run every test on every device")
    group.addoption("--bench-device", action="append", default=[], metavar="NAME",
                    help="use only this bench device (repeatable)")
    group.addoption("--bench-report", default=None, metavar="DIR",
                    help="where junit.xml and summary.json go (default ARTIFACTS/bench-report)")
    group.addoption("--bench-events", default=None, metavar="FILE", help="write progress events (JSON lines) here")
    group.addoption("--bench-durations", default=None, metavar="SUMMARY",
                    help="an earlier run's summary.json (or its folder): start the longest tests first")
    group.addoption("--bench-lease-timeout", default=0.0, type=float, metavar="SECONDS",
                    help="when another run holds every device, wait this long for one (default 0: fail at once)")
    group.addoption("--bench-lease-dir", default=None, metavar="DIR",
                    help="lease lock files (default $FIREBRIDGE_LEASE_DIR or a per-user temp folder)")


def pytest_configure(config: pytest.Config) -> None:
    path = config.getoption("bench")
    if not path:
        return
    if hasattr(config, "workerinput"):
        info = config.workerinput.get(WORKER_KEY)  # type: ignore[attr-defined]
        if info is not None:
            config.pluginmanager.register(BenchWorker(config, info), "firebridge-bench-worker")
        return
    try:
        bench = load_bench(path)
        if config.getoption("bench_device"):
            bench = bench.only(config.getoption("bench_device"))
    except ConfigError as exc:
        raise pytest.UsageError(f"--bench: {exc}") from None
    if config.option.collectonly:
        return
    if not config.pluginmanager.hasplugin("xdist"):
        raise pytest.UsageError("--bench runs one pytest-xdist worker per device: pip install pytest-xdist "
                                "(and do not disable it with -p no:xdist)")
    if config.getoption("numprocesses", None) or config.getoption("dist", "no") != "no":
        raise pytest.UsageError("--bench starts one worker per device and schedules the tests itself; "
                                "drop -n/--dist (use --bench-mode spread|each)")
    controller = BenchController(config, bench)
    controller.prepare()
    workers = len(controller.devices)
    config.option.dist = "load"  # any distributed mode: the bench scheduler replaces xdist's
    config.option.tx = ["popen"] * workers
    config.option.numprocesses = workers
    if config.option.maxworkerrestart is None:
        config.option.maxworkerrestart = str(workers)
    config.pluginmanager.register(controller, "firebridge-bench-controller")
    if config.getoption("htmlpath", None):  # pytest-html: the bench's devices, one row per run
        record_devices(config, {name: controller.identity[name] for name in controller.devices})
        config.pluginmanager.register(HtmlRunBuckets(config, controller.run_key), "firebridge-bench-html-rows")


# -- the controller ----------------------------------------------------------------------------------
class EventLog:
    """Progress events as JSON lines (read by ``firebridge nightly`` while the run goes on)."""

    def __init__(self, path: str | None) -> None:
        self.path = Path(path) if path else None
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text("")

    def write(self, event: str, **fields: Any) -> None:
        if self.path is None:
            return
        with self.path.open("a") as stream:
            stream.write(json.dumps({"event": event, "time": round(time.time(), 3), **fields}) + "\n")


class BenchController:
    """The controller side of a bench run (a pytest plugin object, and the scheduler's Plan)."""

    def __init__(self, config: pytest.Config, bench: Bench) -> None:
        self.config = config
        self.bench = bench
        self.mode: str = config.getoption("bench_mode")
        self.lease_dir = Path(config.getoption("bench_lease_dir") or default_lease_dir())
        self.leases: dict[str, Lease] = {}
        self.devices: dict[str, BenchDevice] = {}  # healthy and leased: these take work
        self.firetvs: dict[str, FireTV] = {}
        self.identity: dict[str, dict[str, Any]] = {}
        self.health: dict[str, Health] = {}
        self.not_used: dict[str, str] = {}
        self.lost: dict[str, str] = {}
        self.node_device: dict[str, str] = {}
        self.sched: BenchScheduling | None = None
        self.sent_work: dict[tuple[str, int], Work] = {}
        self.rerun_open: set[tuple[str, int]] = set()
        self.phases: dict[tuple[str, int], list[dict[str, Any]]] = {}
        self.earlier: dict[tuple[str, str | None], list[dict[str, Any]]] = {}
        self.results: list[TestResult] = []
        self.total = 0
        self._markers: dict[str, dict[str, Any]] | None = None
        self.run_dir = Path(tempfile.mkdtemp(prefix="firebridge-bench-"))
        self.events = EventLog(config.getoption("bench_events"))
        self.durations = load_durations(config.getoption("bench_durations"))
        self.started = time.time()
        self.session: pytest.Session | None = None

    # -- before the workers start -------------------------------------------------------------------
    def prepare(self) -> None:
        """Lease the devices and health-check them (in parallel); keep the healthy ones."""
        keys = [device.key for device in self.bench.devices]
        leases, busy = lease_all(keys, self.lease_dir, self.config.getoption("bench_lease_timeout"),
                                 holder={"bench": self.bench.name})
        candidates = []
        for device in self.bench.devices:
            if device.key in busy:
                self.not_used[device.name] = f"leased by another run: {busy[device.key]}"
            else:
                candidates.append(device)
        checked = check_devices(candidates, self.bench.min_free_mb, self.bench.reconnect_timeout)
        for device, (firetv, health) in zip(candidates, checked):
            self.health[device.name] = health
            if health.ok:
                self.devices[device.name] = device
                self.firetvs[device.name] = firetv
                self.identity[device.name] = health.identity
                self.leases[device.name] = leases[device.key]
            else:
                self.not_used[device.name] = f"unhealthy: {health.problem}"
                leases[device.key].release()
        if not self.devices:
            lines = "\n".join(f"  {name}: {why}" for name, why in self.not_used.items())
            self.release()
            shutil.rmtree(self.run_dir, ignore_errors=True)
            raise pytest.UsageError(f"no device of bench {self.bench.name!r} can take work:\n{lines}")

    def release(self) -> None:
        for lease in self.leases.values():
            lease.release()
        self.leases.clear()

    def pytest_report_header(self, config: pytest.Config) -> list[str]:
        lines = [f"firebridge bench: {self.bench.name} ({self.bench.path}), mode {self.mode}, "
                 f"{len(self.devices)} worker(s), one per device"]
        for name in self.devices:
            lines.append(f"  {name}: {describe_identity(self.identity[name])} {self.devices[name].serial} "
                         f"via {self.devices[name].adb_server} — healthy")
        lines += [f"  not used: {name} — {why}" for name, why in self.not_used.items()]
        return lines

    # -- xdist hooks ------------------------------------------------------------------------------
    @pytest.hookimpl
    def pytest_configure_node(self, node: Any) -> None:
        taken = set(self.node_device.values())
        free = [name for name in self.devices if name not in taken and name not in self.lost]
        info: dict[str, Any] = {"bench": self.bench.name, "mode": self.mode, "run_dir": str(self.run_dir),
                                "lease_dir": str(self.lease_dir), "reconnect_timeout": self.bench.reconnect_timeout}
        if free:
            name = free[0]
            self.node_device[node.gateway.id] = name
            info.update(device=self.devices[name].to_dict(), identity=self.identity[name])
        else:
            info.update(device=None, why="no free bench device for this worker")
        node.workerinput[WORKER_KEY] = info

    @pytest.hookimpl
    def pytest_testnodedown(self, node: Any, error: object) -> None:
        if error:  # the worker crashed: its device goes to the replacement worker
            self.node_device.pop(node.gateway.id, None)

    @pytest.hookimpl
    def pytest_xdist_make_scheduler(self, config: pytest.Config, log: Any) -> BenchScheduling:
        self.sched = BenchScheduling(len(config.option.tx), self, log)
        return self.sched

    # -- the scheduler's Plan -----------------------------------------------------------------------
    def device_of(self, node: Any) -> str | None:
        return self.node_device.get(node.gateway.id)

    def usable_devices(self) -> list[str]:
        return [name for name in self.devices if name not in self.lost]

    def marker_ok(self, nodeid: str, device: str) -> bool:
        kwargs = self.markers().get(nodeid)
        if not kwargs:
            return True
        try:
            return marker_mismatch(self.firetvs[device], **kwargs) is None
        except (TypeError, FirebridgeError):
            return True  # a marker the worker will judge (and skip with its reason)

    def markers(self) -> dict[str, dict[str, Any]]:
        if self._markers is None:
            path = self.run_dir / "markers.json"
            self._markers = json.loads(path.read_text()) if path.exists() else {}
        return self._markers

    def expected_duration(self, nodeid: str) -> float:
        return self.durations.get(nodeid, self._typical)

    @property
    def _typical(self) -> float:
        """A test with no known duration counts as a typical one (the median of those known)."""
        known = sorted(self.durations.values())
        return known[len(known) // 2] if known else 0.0

    def sent(self, work: Work, node: Any) -> None:
        self.sent_work[(node.gateway.id, work.index)] = work
        self.events.write("begin", test=work.nodeid, device=self.device_of(node))  # nightly's progress line

    @pytest.hookimpl
    def pytest_sessionstart(self, session: pytest.Session) -> None:
        self.session = session

    def on_scheduled(self, collection: list[str], total: int) -> None:
        self.total = total
        if self.session is not None:  # the terminal's progress counts tests, not the drain item
            self.session.testscollected = sum(1 for nodeid in collection if not nodeid.endswith(DRAIN_NAME))
        self.events.write("start", bench=self.bench.name, mode=self.mode, total=total,
                          devices={name: self.identity[name] for name in self.devices},
                          not_used=self.not_used)

    def not_run(self, work: Work, reason: str) -> None:
        """A test no usable device can run: report it as an infrastructure failure (nothing vanishes)."""
        device = work.device or "-"
        earlier = self.earlier.get(self._attempt_key(work.nodeid, work.device), [])
        message = f"not run: {reason}" + (f" (after {earlier[-1]['reason']} on {earlier[-1]['device']})"
                                          if earlier else "")
        location = (work.nodeid.split("::")[0], None, work.nodeid)
        for when, outcome in (("setup", "failed"), ("teardown", "passed")):
            report = pytest.TestReport(work.nodeid, location, {}, outcome,
                                       f"firebridge: {message}" if outcome == "failed" else None, when)
            report.firebridge = {"device": device, "class": INFRA, "reason": reason}  # type: ignore[attr-defined]
            self.config.hook.pytest_runtest_logreport(report=report)
        self._record(TestResult(work.nodeid, device, "error", INFRA, 0.0, message, message, list(earlier)))

    # -- reports from the workers -----------------------------------------------------------------
    def _attempt_key(self, nodeid: str, device: str | None) -> tuple[str, str | None]:
        return (nodeid, device if self.mode == "each" else None)

    def run_key(self, report: pytest.TestReport) -> tuple[str, str | None]:
        """Which run of a test a report belongs to (its node id; ``each``: and its device)."""
        node = getattr(report, "node", None)
        device = self.node_device.get(node.gateway.id) if node is not None else None
        return self._attempt_key(report.nodeid, device or getattr(report, "firebridge", {}).get("device", "-"))

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        node = getattr(report, "node", None)
        if node is None or self.sched is None or self.sched.collection is None:
            return  # the controller's own synthesized reports: already recorded
        node_id = node.gateway.id
        index = getattr(report, "item_index", None)
        if index is None:  # xdist's report for a crashed worker
            index = self.sched.collection.index(report.nodeid)
        key = (node_id, index)
        device = self.node_device.get(node_id) or getattr(report, "firebridge", {}).get("device", "-")
        work = self.sent_work.get(key) or Work(index, report.nodeid, device if self.mode == "each" else None)
        info: dict[str, Any] = getattr(report, "firebridge", None) or {}
        if key in self.rerun_open:  # the rest of an attempt already being retried
            report.outcome = "rerun"  # type: ignore[assignment]
            if report.when == "teardown":
                self.rerun_open.discard(key)
            return
        if info.get("handback"):
            self._device_lost(device, info["handback"])
            self._hand_back(work, device, info["handback"])
            return
        if info.get("lost"):
            self._device_lost(device, info.get("reason") or "device lost")
        failure_class = info.get("class") or (INFRA if report.when == "???" else None)
        reason = info.get("reason") or ("worker crashed" if report.when == "???" else "")
        # A device lost in teardown is retried too: the test's result on it is unknown (issue 15).
        if (report.failed and failure_class == INFRA and report.when in ("setup", "call", "teardown", "???")
                and work.attempt == 1):
            if self._retry(work, device, reason, report):
                report.outcome = "rerun"  # type: ignore[assignment]
                if report.when not in ("teardown", "???"):
                    self.rerun_open.add(key)
                self.phases.pop(key, None)
                return
        self.phases.setdefault(key, []).append(self._phase(report, info, failure_class, reason))
        if report.when in ("teardown", "???"):
            self._finish(key, work, device)

    def _retry_target(self, device: str) -> bool:
        usable = self.usable_devices()
        if self.mode == "each":
            return device in usable
        return bool(usable)

    def _retry(self, work: Work, device: str, reason: str, report: pytest.TestReport) -> bool:
        """Queue attempt 2 of ``work`` when some usable device can run it."""
        if self.sched is None or not self._retry_target(device):
            return False
        attempt_key = self._attempt_key(work.nodeid, work.device)
        self.earlier.setdefault(attempt_key, []).append({"device": device, "class": INFRA, "reason": reason,
                                                          "message": _first_line(report)})
        where = "the same device" if self.mode == "each" else "another device when one is usable"
        report.sections.append(("firebridge", f"infrastructure failure on {device} ({reason}); retried once on "
                                              f"{where}"))
        self.events.write("retry", test=work.nodeid, device=device, reason=reason)
        self.sched.requeue(Work(work.index, work.nodeid, work.device, 2, work.exclude | {device}))
        return True

    def _hand_back(self, work: Work, device: str, reason: str) -> None:
        assert self.sched is not None
        self.events.write("handback", test=work.nodeid, device=device, reason=reason)
        if self.mode == "each" or not self.usable_devices():
            attempt_key = self._attempt_key(work.nodeid, work.device)
            self.earlier.setdefault(attempt_key, [])
            self.not_run(work, f"{device} is lost ({reason})" if self.mode == "each"
                         else "no usable device left on the bench")
            return
        self.sched.requeue(Work(work.index, work.nodeid, work.device, work.attempt, work.exclude | {device}))

    def _device_lost(self, device: str, reason: str) -> None:
        if device in self.devices and device not in self.lost:
            self.lost[device] = reason
            self.events.write("lost", device=device, reason=reason)
            if self.sched is not None:
                self.sched.fill()

    def _phase(self, report: pytest.TestReport, info: dict[str, Any], failure_class: str | None,
               reason: str) -> dict[str, Any]:
        return {"when": report.when, "outcome": report.outcome, "class": failure_class, "reason": reason,
                "message": _first_line(report), "details": report.longreprtext if report.failed else "",
                "duration": report.duration, "artifacts": info.get("artifacts")}

    def _finish(self, key: tuple[str, int], work: Work, device: str) -> None:
        phases = self.phases.pop(key, [])
        failed = [p for p in phases if p["outcome"] == "failed"]
        skipped = [p for p in phases if p["outcome"] == "skipped"]
        if failed:
            first = failed[0]
            outcome = "failed" if first["when"] == "call" else "error"
            failure_class = first["class"] or PRODUCT
            message, details, artifacts = first["message"], "\n".join(p["details"] for p in failed), first["artifacts"]
        elif skipped:
            outcome, failure_class, message, details, artifacts = "skipped", None, skipped[0]["message"], "", None
        else:
            outcome, failure_class, message, details, artifacts = "passed", None, "", "", None
        earlier = self.earlier.get(self._attempt_key(work.nodeid, work.device), [])
        duration = round(sum(p["duration"] for p in phases), 3)
        self._record(TestResult(work.nodeid, device, outcome, failure_class, duration, message, details,
                                list(earlier), artifacts))

    def _record(self, result: TestResult) -> None:
        self.results.append(result)
        self.events.write("result", test=result.test, device=result.device, outcome=result.outcome,
                          failure_class=result.failure_class, done=len(self.results), total=self.total,
                          retried=bool(result.attempts))

    @pytest.hookimpl
    def pytest_report_teststatus(self, report: pytest.TestReport, config: pytest.Config):
        if report.outcome != "rerun":
            return None
        if getattr(report, "firebridge", {}).get("handback"):
            return "handed back", "h", ("HANDED BACK", {"yellow": True})
        if report.when == "teardown":
            return "", "", ""
        return "rerun", "R", ("RETRY", {"yellow": True})

    # -- the end ------------------------------------------------------------------------------------
    def device_table(self) -> dict[str, dict[str, Any]]:
        table: dict[str, dict[str, Any]] = {}
        for device in self.bench.devices:
            info: dict[str, Any] = dict(self.identity.get(device.name) or {"name": device.name,
                                                                             "serial": device.serial,
                                                                             "adb_server": device.adb_server})
            health = self.health.get(device.name)
            info["health"] = [c.render() for c in health.checks] if health else []
            info["used"] = device.name in self.devices
            if device.name in self.not_used:
                info["not_used"] = self.not_used[device.name]
            if device.name in self.lost:
                info["lost"] = self.lost[device.name]
            table[device.name] = info
        return table

    def report_dir(self) -> Path:
        configured = self.config.getoption("bench_report")
        return Path(configured) if configured else Path(self.config.getoption("artifacts")) / "bench-report"

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        finished = time.time()
        devices = self.device_table()
        folder = self.report_dir()
        folder.mkdir(parents=True, exist_ok=True)
        data = summary(self.bench.name, self.mode, devices, self.results, self.started, finished,
                       bench_file=str(self.bench.path), exit_status=int(exitstatus), lost=self.lost,
                       not_used=self.not_used)
        write_summary(folder / "summary.json", data)
        (folder / "junit.xml").write_text(junit_xml(self.bench.name, devices, self.results))
        self.events.write("finish", exit_status=int(exitstatus), summary=str(folder / "summary.json"),
                          done=len(self.results), total=self.total)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        tr = terminalreporter
        tr.section(f"firebridge bench {self.bench.name} ({self.mode})")
        tr.write_line(f"{'device':<18} {'platform':<8} {'passed':>6} {'failed':>6} {'error':>5} {'skipped':>7} "
                      f"{'infra':>5} {'retried':>7}  model / OS")
        for name in self.devices:
            n = counts([r for r in self.results if r.device == name])
            ident = self.identity[name]
            tr.write_line(f"{name:<18} {platform_value(ident):<8} {n['passed']:>6} {n['failed']:>6} {n['error']:>5} "
                          f"{n['skipped']:>7} {n['infra']:>5} {n['retried']:>7}  {describe_identity(ident)}"
                          + (f"   LOST: {self.lost[name]}" if name in self.lost else ""))
        for name, why in self.not_used.items():
            tr.write_line(f"{name:<18} not used — {why}")
        tr.write_line(f"reports: {self.report_dir() / 'junit.xml'}, {self.report_dir() / 'summary.json'}")

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        self.release()
        shutil.rmtree(self.run_dir, ignore_errors=True)


def load_durations(path: str | None) -> dict[str, float]:
    """Test durations (the longest seen per test) from an earlier run's summary.json; {} when absent."""
    if not path:
        return {}
    file = Path(path) / "summary.json" if Path(path).is_dir() else Path(path)
    try:
        results = json.loads(file.read_text())["results"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise pytest.UsageError(f"--bench-durations: cannot read test durations from {file} ({exc})") from None
    durations: dict[str, float] = {}
    for result in results:
        durations[result["test"]] = max(durations.get(result["test"], 0.0), float(result.get("duration", 0.0)))
    return durations


def _first_line(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if longrepr is None:
        return ""
    if isinstance(longrepr, tuple) and len(longrepr) == 3:  # a skip: (path, line, reason)
        return str(longrepr[2]).removeprefix("Skipped: ")
    crash = getattr(longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(longrepr)
    return text.strip().splitlines()[0][:300] if text.strip() else ""


# -- the worker ----------------------------------------------------------------------------------------
class HandedBack(Exception):
    """Raised in a handed-back test's setup so that none of its fixtures is set up (the device is gone)."""


def _run_phase(item: pytest.Item, when: str, nextitem: pytest.Item | None = None) -> pytest.TestReport:
    """One phase of pytest's run protocol through public hooks, without logging its report (what pytest's
    runner does for each phase, which has no public entry point)."""
    hooks = {"setup": lambda: item.ihook.pytest_runtest_setup(item=item),
             "call": lambda: item.ihook.pytest_runtest_call(item=item),
             "teardown": lambda: item.ihook.pytest_runtest_teardown(item=item, nextitem=nextitem)}
    call = pytest.CallInfo.from_call(hooks[when], when=when,  # type: ignore[arg-type]
                                     reraise=(pytest.exit.Exception, KeyboardInterrupt))
    return item.ihook.pytest_runtest_makereport(item=item, call=call)


class DrainItem(pytest.Item):
    """A no-op item bench workers add as the last child of each test module/class (firebridge/lab/sched.py).
    It is run without reports, only so that pytest sets up and tears down around it as around a sibling."""

    def runtest(self) -> None:
        pass

    def reportinfo(self):
        return self.path, None, DRAIN_NAME


class BenchWorker:
    """The worker side: one leased device, handing tests back once the device is gone."""

    def __init__(self, config: pytest.Config, info: dict[str, Any]) -> None:
        self.config = config
        self.info = info
        self.device = BenchDevice.from_dict(info["device"]) if info.get("device") else None
        self.identity: dict[str, Any] = info.get("identity") or {}
        self.lost: str | None = None if self.device else info.get("why", "no device assigned")
        self.lease: Lease | None = None
        self._handing_back: pytest.Item | None = None
        self.name = self.device.name if self.device else "-"
        if self.device is None:
            return
        lease_dir = Path(info["lease_dir"])
        self.lease = try_lease(self.device.key, lease_dir, level="worker",
                               holder={"worker": config.workerinput.get("workerid")})  # type: ignore[attr-defined]
        if self.lease is None:
            self.lost = f"another worker holds {self.name} ({holder_of(self.device.key, lease_dir, 'worker')})"
        self.firetv = FireTV(self.device.serial, adb_server=self.device.adb_server,
                             reconnect_timeout=float(info["reconnect_timeout"]))
        use_selection(config, Selection(
            self.firetv, "bench", f"{self.name} of bench {info['bench']} (leased by this worker)",
            _cleanups=[self.release]))
        config.option.artifacts = str(Path(config.getoption("artifacts")) / self.name)
        if self.device.app:
            config.option.app = self.device.app
        self.props = [("device", self.name), ("bench", info["bench"])] + [
            (key, str(self.identity.get(key, "")))
            for key in ("serial", "model", "fire_os", "sdk", "platform", "os_version")]

    def release(self) -> None:
        if self.lease is not None:
            self.lease.release()
            self.lease = None

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, session: pytest.Session, config: pytest.Config,
                                      items: list[pytest.Item]) -> None:
        markers: dict[str, dict[str, Any]] = {}
        for item in items:
            marker = item.get_closest_marker("firetv")
            if marker is None:
                continue
            try:
                criteria = marker_criteria(marker)
            except TypeError:
                criteria = {}  # written wrongly: any device; the firetv fixture fails the test with the reason
            markers[item.nodeid] = {k: v for k, v in criteria.items() if isinstance(v, (str, int, list, tuple))}
        parents = list(dict.fromkeys(item.parent for item in items if item.parent is not None))
        items.extend(DrainItem.from_parent(parent, name=DRAIN_NAME) for parent in parents)
        run_dir = Path(self.info["run_dir"])
        temporary = run_dir / f"markers.{os.getpid()}.tmp"
        temporary.write_text(json.dumps(markers))
        os.replace(temporary, run_dir / "markers.json")  # every worker writes the same; the last rename wins

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None) -> bool | None:
        if isinstance(item, DrainItem):
            self._run_drain(item, nextitem)
            return True
        if self.lost is None and not self._ready():
            self.lost = f"{self.name} is not attached any more (adb state {self._state()!r})"
        if self.lost is not None:
            self._hand_back(item, nextitem)
            return True
        names = {name for name, _ in item.user_properties}
        item.user_properties.extend(prop for prop in self.props if prop[0] not in names)
        return None

    @staticmethod
    def _run_drain(item: DrainItem, nextitem: pytest.Item | None) -> None:
        """Set up / tear down around the drain as around a sibling test, without reports; only a failing
        teardown (a module fixture of the tests before it) is reported, so that it is not lost."""
        setup = _run_phase(item, "setup")
        reports = [setup] + ([_run_phase(item, "call")] if setup.passed else [])
        reports.append(_run_phase(item, "teardown", nextitem))
        for report in reports:
            if report.failed:
                item.ihook.pytest_runtest_logreport(report=report)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        if item is self._handing_back:
            raise HandedBack(self.lost or "")  # before pytest's runner sets up any of its fixtures

    def _hand_back(self, item: pytest.Item, nextitem: pytest.Item | None) -> None:
        # Tear down what the skipped protocol would have (fixtures of the tests before, not needed next):
        # a setup the hook above refuses, then pytest's own teardown towards ``nextitem``.
        self._handing_back = item
        try:
            for phase in (lambda: item.ihook.pytest_runtest_setup(item=item),
                          lambda: item.ihook.pytest_runtest_teardown(item=item, nextitem=nextitem)):
                try:
                    phase()
                except (Exception, pytest.skip.Exception, pytest.fail.Exception):  # noqa: BLE001
                    pass  # HandedBack, or fixtures that needed the lost device and cannot finish: known
        finally:
            self._handing_back = None
        item.ihook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
        report = pytest.TestReport(item.nodeid, item.location, {}, "rerun",  # type: ignore[arg-type]
                                   f"firebridge: not run on {self.name}: {self.lost}; handed back to the bench",
                                   "setup", [], 0.0, user_properties=list(self.props))
        report.firebridge = {"device": self.name, "handback": self.lost, "lost": True}  # type: ignore[attr-defined]
        item.ihook.pytest_runtest_logreport(report=report)
        item.ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)

    @pytest.hookimpl(hookwrapper=True, trylast=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
        outcome = yield
        report: pytest.TestReport = outcome.get_result()
        if isinstance(item, DrainItem):
            return
        info: dict[str, Any] = {"device": self.name}
        if report.failed:
            # Whether the device still answers, restarted, and whose fault it is (firebridge/plugin/recovery.py,
            # shared with plain runs; a device found gone is remembered, so nothing waits for it twice).
            try:
                assessment = assess_failure(item, call, report.when)
            except (Exception, pytest.fail.Exception):  # noqa: BLE001 (a timeout firing here: no INTERNALERROR)
                assessment = None
            if assessment is not None:
                failure_class, why, usable = assessment.failure_class, assessment.reason, assessment.usable
            else:  # a test without the device
                exc = call.excinfo.value if call.excinfo is not None else None
                failure_class, why = classify(exc, True, report.when)
                usable = True
            info.update({"class": failure_class, "reason": why,
                         "artifacts": str(artifacts_dir(item.config, item.nodeid))})
            if not usable:
                self.lost = info["reason"]
                info["lost"] = True
        report.firebridge = info  # type: ignore[attr-defined]

    # -- device state ----------------------------------------------------------------------------
    def _state(self) -> str | None:
        try:
            return self.firetv.state()
        except (FirebridgeError, OSError):
            return None

    def _ready(self) -> bool:
        """Before each test: attached? (one cheap adb server query); if not, try to get it back."""
        return self._state() == "device" or self._recover(self.firetv.reconnect_timeout)

    def _recover(self, timeout: float) -> bool:
        """firebridge.adb.connect's recovery path (``adb connect`` for a network device, waiting for a USB
        one to be listed again, then a shell probe), as a yes/no."""
        try:
            connect_and_probe(self.firetv.server, self.firetv.serial, timeout, patient=True)
            return True
        except (FirebridgeError, OSError):
            return False

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        self.release()

