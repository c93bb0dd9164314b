"""A bench that mixes platforms: one virtual Fire OS and one virtual Vega OS device behind the real adb
server, a slice of device_tests on both at once (``firebridge nightly``, i.e. ``pytest --bench`` in
``each`` mode), and each device's platform and identity in every report: the bench summary at the end
of the pytest run, the JUnit XML, the HTML report and the history."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from firebridge.lab.benchup import stand_up
from firebridge.lab.history import History

REPO = Path(__file__).resolve().parents[2]
# Three tests of the suite: two that run on both platforms and one (PMR) that Vega OS skips with the
# driver's reason, so the platforms' outcomes differ where they must.
SLICE = ("test_required_fields_present or test_reports_carry_the_catalogs_cdf_id "
         "or test_live_item_shows_only_inside_its_window")
QUIET = ("-p", "no:benchmark", "-p", "no:hypothesispytest")


@pytest.mark.slow
@pytest.mark.usefixtures("this_checkout")
def test_a_mixed_bench_runs_the_suite_on_both_platforms_and_reports_each_devices_platform(
        tmp_path: Path, capsys, monkeypatch) -> None:
    from firebridge.cli import main

    monkeypatch.setenv("FIREBRIDGE_LEASE_DIR", str(tmp_path / "leases"))
    history, night = tmp_path / "history.sqlite", tmp_path / "night"
    with stand_up(2, 1, tmp_path / "lab", speed=20, os=["fireos", "vega"], bench_name="mixed") as lab:
        assert "tags: {platform: \"vega\"}" in lab.bench_path.read_text()  # the bench file says which is which
        status = main(["nightly", "--bench", str(lab.bench_path), "--suite", str(REPO / "device_tests"),
                       "--history", str(history), "--reports", str(night), "--", "-k", SLICE, "-rs", *QUIET])
    out = capsys.readouterr().out
    log = (night / "pytest.log").read_text()
    assert status == 0, out + log

    # Both devices took work at the same time: one xdist worker each.
    assert "mode each, 2 worker(s), one per device" in log
    summary = json.loads((night / "summary.json").read_text())
    results = summary["results"]
    assert sorted((r["device"], r["outcome"]) for r in results) == [
        ("tv-1", "passed"), ("tv-1", "passed"), ("tv-1", "passed"),
        ("tv-2", "passed"), ("tv-2", "passed"), ("tv-2", "skipped")]
    [skipped] = [r for r in results if r["outcome"] == "skipped"]
    assert skipped["test"].endswith("test_live_item_shows_only_inside_its_window")
    assert "PMR is a Fire OS feature" in skipped["message"]  # the Vega driver's reason
    devices = summary["devices"]
    assert (devices["tv-1"]["platform"], devices["tv-1"]["model"]) == ("fireos", "AFTMM")
    assert devices["tv-1"]["os_version"].startswith("6.")
    assert (devices["tv-2"]["platform"], devices["tv-2"]["os_version"]) == ("vega", "1.2")
    assert devices["tv-2"]["fire_os"] is None and devices["tv-2"]["sdk"] == 0
    vega_model = devices["tv-2"]["model"]

    # The bench summary printed at the end of the pytest run: platform, model and OS version per device.
    table = log[log.index("firebridge bench mixed (each)"):]
    assert re.search(r"^device +platform +passed +failed +error +skipped +infra +retried +model / OS$", table, re.M)
    assert re.search(r"^tv-1 +fireos +3 +0 +0 +0 +0 +0 +AFTMM Fire OS 6\.\S+ API 25$", table, re.M), table
    assert re.search(rf"^tv-2 +vega +2 +0 +0 +1 +0 +0 +{re.escape(vega_model)} Vega OS 1\.2$", table, re.M), table
    assert re.search(rf"^  tv-2: {re.escape(vega_model)} Vega OS 1\.2 127\.0\.0\.1:\d+ via .* — healthy$", log, re.M)

    # The JUnit XML: the device's platform and identity on its suite and on every testcase.
    junit = ET.parse(night / "junit.xml").getroot()
    suites = {suite.get("name"): suite for suite in junit.iter("testsuite")}
    assert set(suites) == {"tv-1", "tv-2"}
    for name, platform, version in (("tv-1", "fireos", devices["tv-1"]["os_version"]), ("tv-2", "vega", "1.2")):
        cases = list(suites[name].iter("testcase"))
        assert len(cases) == 3
        for element in [suites[name], *cases]:
            props = {p.get("name"): p.get("value") for p in element.find("properties")}
            assert (props["device"], props["platform"], props["os_version"]) == (name, platform, version)
            assert props["model"] == devices[name]["model"]

    # The nightly HTML report: the Platform column of each row and the devices in its Environment table.
    blob = re.search(r'data-jsonblob="([^"]*)"', (night / "report.html").read_text()).group(1)
    data = json.loads(html.unescape(blob))
    rows = {(row["device"], row["platform"].rsplit(" ", 1)[0]) for runs in data["tests"].values() for row in runs}
    assert rows == {("tv-1", "Fire OS"), ("tv-2", "Vega OS")}
    environment = data["environment"]["Fire TV devices"]
    assert environment["tv-1"].startswith("AFTMM, Fire OS 6.")
    assert environment["tv-2"].startswith(f"{vega_model}, Vega OS 1.2, serial 127.0.0.1:")

    # The morning report names each device's platform, and the history keeps what each device was.
    assert re.search(r"^  tv-1: fireos — AFTMM Fire OS 6\.\S+ API 25$", out, re.M), out
    assert re.search(rf"^  tv-2 \({re.escape(vega_model)} Vega OS 1\.2, 127\.0\.0\.1:\d+\): no change \(2/3 passed\)$",
                     out, re.M), out
    with History(history) as stored:
        [kept] = stored.nights("mixed")
        kept_devices = stored.devices(kept.id)
    assert {name: (info["platform"], info["os_version"]) for name, info in kept_devices.items()} == {
        "tv-1": ("fireos", devices["tv-1"]["os_version"]), "tv-2": ("vega", "1.2")}


def test_the_junit_xml_carries_each_devices_platform_on_suite_and_testcases() -> None:
    from firebridge.lab.reports import TestResult, junit_xml

    devices = {"tv-1": {"platform": "fireos", "model": "AFTMM", "os_version": "6.7.1.1", "fire_os": "6.7.1.1",
                        "sdk": 25, "serial": "127.0.0.1:5555"},
               "tv-2": {"platform": "vega", "model": "Vega device", "os_version": "1.2", "fire_os": None, "sdk": 0,
                        "serial": "127.0.0.1:5557", "build": "OS 1.2 (TV Ship/101520710)"}}
    results = [TestResult("d/test_a.py::test_x", "tv-1", "passed"), TestResult("d/test_a.py::test_x", "tv-2", "skipped",
                                                                             message="PMR is a Fire OS feature")]
    root = ET.fromstring(junit_xml("mixed", devices, results))
    for suite in root.iter("testsuite"):
        for element in (suite, *suite.iter("testcase")):
            props = {p.get("name"): p.get("value") for p in element.find("properties")}
            want = devices[suite.get("name")]
            assert (props["platform"], props["model"], props["os_version"]) == (
                want["platform"], want["model"], want["os_version"])
            assert props["fire_os"] == (want["fire_os"] or "")  # empty on Vega OS, never "None"


def test_a_lab_needs_a_known_os_for_each_device_before_anything_starts(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="1 OSes given for 2 devices"):
        stand_up(2, 1, tmp_path / "a", os=["fireos"])
    with pytest.raises(ValueError, match="unknown OS 'android' for a virtual device; choose from fireos, vega, vvd"):
        stand_up(2, 1, tmp_path / "b", os=["fireos", "android"])
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()  # nothing was started or written
