"""The run's device health (plain runs and bench workers alike): is the device still there, did it
restart, whose fault is a failure — and once it is known gone, stop waiting for it.

- Before each test that uses the device: one real question (its boot id, a shell command). No answer:
  one recovery attempt (:meth:`FireTV.recover`, ``firebridge.adb.connect``); still nothing: the device is
  *lost* for the session (:meth:`FireTV.mark_lost`) and the test is an error in setup
  (:class:`~firebridge.errors.DeviceLost`, infrastructure). Once lost, each later test gets one quick
  recovery attempt (``QUICK_RECOVER_S``) instead of the full reconnect wait in every call, so a run whose
  device died ends in about ``reconnect_timeout + tests * QUICK_RECOVER_S`` seconds, every test reported.
- After a failure: the same question classes it (firebridge/plugin/classify.py): the device stopped
  answering, or its boot id changed during the test (it restarted), or setup could not prepare it:
  infrastructure; otherwise product. The class goes on the report (``failure_class`` and
  ``failure_reason`` properties, hence JUnit; a "firebridge" section) and in the terminal summary.
- A plain run retries a test once when it failed on infrastructure and the device answers again (it
  rebooted, its transport came back): the first attempt is reported as ``rerun``, the second counts.
  Bench runs retry on the controller instead (firebridge/lab/plugin.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

import pytest

from firebridge.errors import AdbTimeout, DeviceLost, DeviceUnauthorized, DeviceUnavailable
from firebridge.plugin.classify import INFRA, classify, infra_reason
from firebridge.plugin.api import current_selection, uses_device

QUICK_RECOVER_S = 0.5  # a known-lost device's chance to be back, before each later test (one attempt)
PROBE_S = 5.0  # the per-test question (boot id) and the after-failure check

_BOOT_AT_START = pytest.StashKey[str]()  # item.stash: the boot id seen in the test's setup
_ASSESSED = pytest.StashKey[dict]()  # item.stash: {when: Assessment}
_WATCH = pytest.StashKey["RunHealth"]()  # config.stash


@dataclass(frozen=True)
class Assessment:
    """What a failure says about the device, and whose fault it is."""

    failure_class: str  # infra | product
    reason: str
    usable: bool  # the device answered after the failure
    restarted: bool  # its boot id changed during the test


@dataclass
class RunHealth:
    """What the run learnt about its device: the last boot id and the failures by class."""

    boot: str | None = None
    lost_at: str | None = None  # the test during which the device was lost
    failures: list[tuple[str, str, str, str]] = field(default_factory=list)  # (nodeid, when, class, reason)


def run_health(config: pytest.Config) -> RunHealth:
    health = config.stash.get(_WATCH, None)
    if health is None:
        health = config.stash[_WATCH] = RunHealth()
    return health


_TRANSPORT = (DeviceUnavailable, DeviceUnauthorized, AdbTimeout, OSError)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before a device test's fixtures: the device answers (or the test is an infrastructure error at once)."""
    selection = current_selection(item.config)
    if selection is None or not uses_device(item):
        return
    firetv = selection.firetv
    health = run_health(item.config)
    if firetv.lost is not None and not firetv.recover(QUICK_RECOVER_S):
        raise DeviceLost(f"not run: {firetv.serial} was lost earlier in this run"
                         f"{f' (during {health.lost_at})' if health.lost_at else ''} and is not back: {firetv.lost}")
    try:
        boot = firetv.boot_id(PROBE_S)
    except _TRANSPORT as exc:
        if not firetv.recover(firetv.reconnect_timeout):
            firetv.mark_lost(str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__)
            health.lost_at = health.lost_at or item.nodeid
            raise DeviceLost(f"not run: {firetv.serial} does not answer and did not come back within "
                             f"{firetv.reconnect_timeout:g} s ({exc})") from exc
        boot = firetv.boot_id(PROBE_S)
    if health.boot is not None and boot != health.boot:
        _forget_boot_caches(firetv)
    health.boot = boot
    item.stash[_BOOT_AT_START] = boot


def _plain_run(config: pytest.Config) -> bool:
    return not hasattr(config, "workerinput") and not config.getoption("bench", None)


def _retry_worthy(item: pytest.Item, reports: list[pytest.TestReport]) -> bool:
    """An infrastructure failure in setup or call, after which the device answers again."""
    assessed = item.stash.get(_ASSESSED, {})
    failed = [r for r in reports if r.failed and r.when in ("setup", "call")]
    return bool(failed) and all(isinstance(a := assessed.get(r.when), Assessment) and a.failure_class == INFRA
                                and a.usable for r in failed)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> bool | None:
    """Plain runs: a device test that failed on infrastructure while the device came back runs once more."""
    if not _plain_run(item.config) or not uses_device(item) or current_selection(item.config) is None:
        return None
    # pytest's own protocol for one item (setup, call, teardown; fresh fixture request), without logging,
    # as pytest-rerunfailures runs it: there is no public entry point for it.
    from _pytest.runner import runtestprotocol

    item.ihook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
    reports = runtestprotocol(item, nextitem=nextitem, log=False)
    if _retry_worthy(item, reports):
        for report in reports:
            if report.failed and report.when != "teardown":  # the attempt's teardown is not reported
                report.outcome = "rerun"  # type: ignore[assignment]
                report.sections.append(("firebridge", "infrastructure failure and the device answers again: "
                                                      "retried once"))
                item.ihook.pytest_runtest_logreport(report=report)
        item.stash[_ASSESSED] = {}
        reports = runtestprotocol(item, nextitem=nextitem, log=False)
    for report in reports:
        item.ihook.pytest_runtest_logreport(report=report)
    item.ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)
    return True


def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config):
    if report.outcome == "rerun" and _plain_run(config):
        return "rerun", "R", ("RETRY", {"yellow": True})
    return None


def _forget_boot_caches(firetv) -> None:
    """The device restarted since the last test: cached properties belong to the old boot."""
    forget = getattr(firetv._driver, "forget", None)  # noqa: SLF001 (the device's own driver)
    if forget is not None:
        forget()


def restarted_since_setup(item: pytest.Item) -> bool:
    """Whether the device's boot id is not the one its setup saw (False when unknown)."""
    return item.stash.get(_ASSESSED, {}).get("restarted", False)


def assess_failure(item: pytest.Item, call: pytest.CallInfo, when: str) -> Assessment | None:
    """Class a failed phase of a device test (computed once per phase; None for other tests)."""
    done = item.stash.setdefault(_ASSESSED, {})
    if when in done:
        return done[when]
    selection = current_selection(item.config)
    if selection is None or not uses_device(item):
        return None
    firetv = selection.firetv
    exc = call.excinfo.value if call.excinfo is not None else None
    usable, restarted = True, False
    if isinstance(exc, DeviceLost) or firetv.lost is not None:
        usable = False
    else:
        started = item.stash.get(_BOOT_AT_START, None)
        try:
            boot = firetv.boot_id(PROBE_S)
        except _TRANSPORT:
            # A network device FireTV already failed to reconnect is not waited for twice.
            reason = infra_reason(exc) if exc is not None else None
            waited = reason == "device lost"
            usable = firetv.recover(0.0 if waited else firetv.reconnect_timeout)
            boot = None
            if usable:
                try:
                    boot = firetv.boot_id(PROBE_S)
                except _TRANSPORT:
                    usable = False
            if not usable:
                firetv.mark_lost(str(exc).splitlines()[0][:200] if exc is not None and str(exc) else "no answer")
                health = run_health(item.config)
                health.lost_at = health.lost_at or item.nodeid
        if boot is not None and started is not None and boot != started:
            restarted = True
            run_health(item.config).boot = boot
            _forget_boot_caches(firetv)
    failure_class, reason = classify(exc, usable, when, restarted)
    done[when] = Assessment(failure_class, reason, usable, restarted)
    done["restarted"] = done.get("restarted", False) or restarted
    return done[when]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if not report.failed:
        return
    try:
        assessment = assess_failure(item, call, report.when)
    except (Exception, pytest.fail.Exception) as exc:  # noqa: BLE001 (a timeout firing here must not be an INTERNALERROR)
        assessment = Assessment(INFRA, f"could not check the device ({type(exc).__name__})", False, False)
    if assessment is None:
        return
    earlier = item.stash.get(_ASSESSED, {}).get("call")
    if (report.when == "teardown" and not assessment.usable and earlier is not None
            and earlier.failure_class == INFRA and not earlier.usable):
        # The test already failed because the device went away; its fixtures could not be torn down on a
        # device that is gone. One result per test (JUnit would list the test twice): noted, not an error.
        report.sections.append(("firebridge", f"teardown skipped on the lost device: {report.longreprtext[-500:]}"))
        report.outcome = "passed"  # type: ignore[assignment]
        report.longrepr = None
        return
    props = [("failure_class", assessment.failure_class), ("failure_reason", assessment.reason)]
    report.user_properties.extend(props)
    # JUnit takes a test's properties from its last (teardown) report, which copies the item's.
    item.user_properties[:] = [p for p in item.user_properties if p[0] not in dict(props)] + props
    report.sections.append(("firebridge", f"{assessment.failure_class} failure: {assessment.reason}"))
    report.firebridge_class = (assessment.failure_class, assessment.reason)  # type: ignore[attr-defined]
    run_health(item.config).failures.append((item.nodeid, report.when, assessment.failure_class, assessment.reason))


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    health = config.stash.get(_WATCH, None)
    if health is None or not health.failures:
        return
    infra = [f for f in health.failures if f[2] == INFRA]
    terminalreporter.section("firebridge failure classes")
    for nodeid, when, failure_class, reason in health.failures:
        terminalreporter.write_line(f"{failure_class:<7} {when:<8} {nodeid} — {reason}")
    terminalreporter.write_line(f"{len(infra)} infrastructure, {len(health.failures) - len(infra)} product"
                                + (f"; device lost during {health.lost_at}" if health.lost_at else ""))
