"""pytest-html 4 in a bench run: one row per run of a test on a device, and no phantom rows.

pytest-html 4.2 gathers a test's phase reports in a dict keyed by node id, then by (phase, outcome), and
writes that test's rows when a finished teardown arrives (``pytest_html/basereport.py``,
``BaseReport.pytest_runtest_logreport``). In a bench run one node id runs on several devices (``--bench-mode
each``), is retried, handed back, or reported as not run by the controller: phases of different runs then
meet under one node id (a passed call beside another device's skipped setup), and each finished run writes
them all again - "Passed" rows for runs that were not a pass, more rows than runs.

:class:`HtmlRunBuckets` wraps that hook: pytest-html sees, for each report, only the phases of the same run
(one bucket per run key: the node id, and the device in ``each`` mode), and a bucket is dropped once its
run's rows are written. It relies on that one documented-by-source layout (``_reports``); with a
pytest-html that lacks it, it does nothing.
"""

from __future__ import annotations

from typing import Any, Callable, Hashable, Iterator

import pytest


def html_report_of(config: pytest.Config) -> Any | None:
    """pytest-html's report object (registered without a name), or None without ``--html``."""
    for plugin in config.pluginmanager.get_plugins():
        reports = getattr(plugin, "_reports", None)
        if type(plugin).__module__.startswith("pytest_html.") and isinstance(reports, dict):
            return plugin
    return None


def finished(report: pytest.TestReport) -> bool:
    """Whether pytest-html writes the test's rows on this report (its own rule)."""
    return report.when == "teardown" and report.outcome != "rerun"


class HtmlRunBuckets:
    """Keeps each run's phase reports apart for pytest-html (see the module docstring)."""

    def __init__(self, config: pytest.Config, run_key: Callable[[pytest.TestReport], Hashable]) -> None:
        self.config = config
        self.run_key = run_key
        self.pending: dict[Hashable, dict] = {}
        self._html: Any | None = None

    def html(self) -> Any | None:
        if self._html is None:
            self._html = html_report_of(self.config)
        return self._html

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> Iterator[None]:
        html = self.html()
        if html is None:
            yield
            return
        reports: dict = html._reports
        key = self.run_key(report)
        outer = reports.pop(report.nodeid, None)  # a report being logged around this one (a nested hook call)
        reports[report.nodeid] = self.pending.pop(key, {})
        try:
            yield
        finally:
            bucket = reports.pop(report.nodeid, {})
            if not finished(report):  # the outcome as pytest-html saw it (the controller may set "rerun")
                self.pending[key] = bucket
            if outer is not None:
                reports[report.nodeid] = outer
