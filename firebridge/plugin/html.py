"""pytest-html (when it is installed and ``--html`` is given): a Device and a Platform column in the results
table, and the run's devices (name, model, platform, OS version, serial) in the Environment table.

Only pytest-html's and pytest-metadata's public hooks and stash key are used
(``pytest_html_results_table_header``/``_row``, ``config.stash[pytest_metadata.plugin.metadata_key]``).
Which device a report belongs to: ``report.firebridge["device"]`` (reports the bench controller makes),
else the report's ``device`` user property (bench workers set it; so does the plugin for a plain run).
"""

from __future__ import annotations

from html import escape
from typing import Any

import pytest

from firebridge.driver.protocol import Platform
from firebridge.plugin.api import RUN_DEVICES_KEY

ENVIRONMENT_KEY = "Fire TV devices"  # the Environment table's row


def os_text(info: dict[str, Any]) -> str:
    """``Fire OS 6.2.9.5`` / ``Vega OS 1.2`` from a device's ``platform`` (``fireos``/``vega``) and
    ``os_version``; "" when the device did not say."""
    platform = Platform.named(info.get("platform")) if info.get("platform") else None
    name = str(platform) if platform is not None else str(info.get("platform") or "")
    return " ".join(part for part in (name, str(info.get("os_version") or "")) if part)


def describe_device(info: dict[str, Any]) -> str:
    """``AFTMM, Fire OS 6.2.9.5, serial 127.0.0.1:5555``: one device of the run, for people."""
    parts = [str(info.get("model") or "?"), os_text(info) or "unknown OS", f"serial {info.get('serial') or '?'}"]
    return ", ".join(parts)


def record_devices(config: pytest.Config, devices: dict[str, dict[str, Any]]) -> None:
    """Note the run's devices by the name reports use (a bench device's name; a plain run's serial), for the
    columns and the Environment table (pytest-metadata's dict, which pytest-html renders at the end)."""
    known = config.stash.setdefault(RUN_DEVICES_KEY, {})
    known.update(devices)
    try:
        from pytest_metadata.plugin import metadata_key
    except ImportError:  # no pytest-metadata: no Environment table either
        return
    metadata = config.stash.get(metadata_key, None)
    if metadata is not None:
        metadata[ENVIRONMENT_KEY] = {name: describe_device(info) for name, info in known.items()}


def report_device(report: pytest.TestReport) -> str:
    """The name of the device a report comes from ("" for a test that used none)."""
    name = (getattr(report, "firebridge", None) or {}).get("device")
    if name and name != "-":
        return str(name)
    for key, value in getattr(report, "user_properties", ()):
        if key == "device":
            return str(value)
    return ""


class DeviceColumns:
    """The Device and Platform columns (registered when pytest-html is loaded)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    @pytest.hookimpl(optionalhook=True)
    def pytest_html_results_table_header(self, cells: list[str]) -> None:
        cells.insert(2, '<th class="sortable" data-column-type="device">Device</th>')
        cells.insert(3, '<th class="sortable" data-column-type="platform">Platform</th>')

    @pytest.hookimpl(optionalhook=True)
    def pytest_html_results_table_row(self, report: pytest.TestReport, cells: list[str]) -> None:
        if not cells:  # another plugin dropped the row
            return
        name = report_device(report)
        info = self.config.stash.get(RUN_DEVICES_KEY, {}).get(name, {})
        platform = os_text(info)
        cells.insert(2, f'<td class="col-device">{escape(name)}</td>')
        cells.insert(3, f'<td class="col-platform">{escape(platform)}</td>')


def pytest_configure(config: pytest.Config) -> None:
    if config.pluginmanager.hasplugin("html") and not hasattr(config, "workerinput"):
        config.pluginmanager.register(DeviceColumns(config), "firebridge-html-columns")
