"""Failure artifacts in the HTML report: links relative to the report, UI dump and log excerpt attached."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_html import extras

from firebridge.plugin.pytest_plugin import html_extras, relative_link



def saved_artifacts(folder: Path) -> dict[str, object]:
    folder.mkdir(parents=True)
    (folder / "screen.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "window_dump.xml").write_text("<hierarchy rotation='0'/>")
    (folder / "logcat-excerpt.txt").write_text("I/Reference: hello\n")
    (folder / "device.log").write_text("whole log\n")
    return {"screenshot": folder / "screen.png", "ui dump": folder / "window_dump.xml",
            "logcat excerpt": folder / "logcat-excerpt.txt", "log": folder / "device.log"}


def test_links_are_relative_to_the_report_and_everything_is_attached(tmp_path: Path):
    saved = saved_artifacts(tmp_path / "artifacts" / "tv-1" / "test_x")
    out = {extra["name"]: extra for extra in html_extras(extras, saved, tmp_path / "reports")}
    assert out["screenshot"]["format_type"] == "image" and out["screenshot"]["mime_type"] == "image/png"
    assert out["UI dump"]["content"] == "<hierarchy rotation='0'/>" and out["UI dump"]["format_type"] == "text"
    assert out["log excerpt"]["content"] == "I/Reference: hello\n"
    assert out["full device log"]["content"] == "../artifacts/tv-1/test_x/device.log"
    assert out["artifacts folder"]["content"] == "../artifacts/tv-1/test_x/"
    assert not any(str(extra["content"]).startswith("file:") for extra in out.values())


def test_without_a_report_a_link_is_a_file_uri(tmp_path: Path):
    assert relative_link(tmp_path / "device.log", None) == (tmp_path / "device.log").as_uri()


def test_a_report_with_failure_extras_moves_with_its_artifacts(pytester: pytest.Pytester, adb_server, tmp_path):
    pytester.makepyfile(test_fail="def test_fails(firetv, logs):\n    assert firetv.model == 'NOT-THIS'\n")
    result = pytester.runpytest_subprocess("--device", "virtual", "--adb-server", adb_server.address,
                                           "--artifacts", "out/artifacts", "--html", "out/report.html",
                                           "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    moved = tmp_path / "moved"
    (pytester.path / "out").rename(moved)
    text = (moved / "report.html").read_text()
    assert "file://" not in text and str(pytester.path) not in text
    assert "artifacts/test_fail.py_test_fails/device.log" in text
    assert (moved / "artifacts" / "test_fail.py_test_fails" / "device.log").exists()


pytest_plugins = ["pytester"]
