"""``pytest --bench`` as a lab runs it: two adb servers on their own loopback ports, virtual Fire TVs
behind each, a small suite spread over them or run on each (pytester subprocesses, pytest-xdist)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from firebridge.lab.benchup import VirtualLab, stand_up
from firebridge.lab.leases import try_lease

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.usefixtures("this_checkout")

SUITE = '''
import os
from pathlib import Path
import pytest

@pytest.fixture(scope="module")
def module_setup(firetv):
    with Path(os.environ.get("FB_SETUPS", os.devnull)).open("a") as log:  # one line per module setup
        log.write(firetv.serial + "\\n")

@pytest.mark.parametrize("n", range(6))
def test_shell(firetv, n, module_setup):
    assert firetv.run(["echo", str(n)]).strip() == str(n)

@pytest.mark.firetv(model="AFTKA")
def test_only_on_a_4k_stick(firetv):
    assert firetv.model == "AFTKA"

def test_product_bug(firetv):
    assert firetv.run("getprop ro.product.model").strip() == "NOT-THIS-MODEL"
'''
# Plugins the inner runs do not need cost each xdist worker start-up time.
QUIET = ("-p", "no:cacheprovider", "-p", "no:benchmark", "-p", "no:hypothesispytest")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory):
    """Four virtual Fire TVs behind two adb servers (tv-1, tv-3 on the first; tv-2, tv-4 on the second)."""
    with stand_up(4, 2, tmp_path_factory.mktemp("lab"), speed=20,
                  model=["AFTMM", "AFTKA", "AFTMM", "AFTMM"]) as running:
        yield running


def run_bench(pytester: pytest.Pytester, lab: VirtualLab, *args: str):
    lease_dir = pytester.path / "leases"
    result = pytester.runpytest_subprocess("--bench", str(lab.bench_path), "--bench-lease-dir", str(lease_dir),
                                           "--artifacts", str(pytester.path / "art"), *QUIET, *args)
    summary_path = pytester.path / "art" / "bench-report" / "summary.json"
    summary = json.loads(summary_path.read_text()) if summary_path.exists() else None
    return result, summary


def test_the_lab_has_two_servers_on_their_own_ports(lab: VirtualLab):
    servers = {d.server.address for d in lab.devices}
    assert len(servers) == 2 and len({a.rsplit(":", 1)[1] for a in servers}) == 2
    assert {d.adb_server for d in lab.bench.devices} == servers


@pytest.mark.slow
def test_spread_over_the_free_devices_with_routing_reports_and_leases(pytester: pytest.Pytester, lab: VirtualLab):
    pytester.makepyfile(test_lab=SUITE)
    tv4 = lab.device("tv-4")
    # Another run holds tv-4: this run must leave it alone.
    held = try_lease(f"{tv4.server.address}/{tv4.address}", pytester.path / "leases", holder={"bench": "other"})
    html = ("--html", str(pytester.path / "report.html"))  # pytest-html is a core dependency
    try:
        result, summary = run_bench(pytester, lab, *html)
    finally:
        held.release()
    result.assert_outcomes(passed=7, failed=1)
    result.stdout.fnmatch_lines(["firebridge bench: virtual-lab (*), mode spread, 3 worker(s), one per device",
                                 "  tv-1: AFTMM Fire OS 6.* API 25 127.0.0.1:* via 127.0.0.1:* — healthy",
                                 "  not used: tv-4 — leased by another run: pid *"])
    results = summary["results"]
    assert len(results) == 8 and {r["device"] for r in results} <= {"tv-1", "tv-2", "tv-3"}
    assert len({r["device"] for r in results}) == 3  # spread: every free device took work
    only_4k = next(r for r in results if r["test"].endswith("test_only_on_a_4k_stick"))
    assert only_4k["device"] == "tv-2" and only_4k["outcome"] == "passed"  # routed by its firetv marker
    bug = next(r for r in results if r["test"].endswith("test_product_bug"))
    assert (bug["outcome"], bug["failure_class"], bug["attempts"]) == ("failed", "product", [])  # never retried
    assert Path(bug["artifacts"], "screen.png").exists()
    assert summary["devices"]["tv-4"]["used"] is False

    junit = ET.parse(pytester.path / "art" / "bench-report" / "junit.xml").getroot()
    for case in junit.iter("testcase"):
        props = {p.get("name"): p.get("value") for p in case.iter("property")}
        assert {"device", "serial", "model", "fire_os", "sdk", "bench"} <= set(props)
        assert props["bench"] == "virtual-lab" and props["serial"].startswith("127.0.0.1:")
    failed = [c for c in junit.iter("testcase") if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == ["test_product_bug"]
    assert failed[0].find("failure").get("type") == "product"

    text = (pytester.path / "report.html").read_text()
    assert "screenshot" in text and "log excerpt" in text  # the failure's extras


@pytest.mark.slow
def test_each_runs_every_test_on_every_device(pytester: pytest.Pytester, lab: VirtualLab, monkeypatch):
    pytester.makepyfile(test_lab=SUITE)
    setups = pytester.path / "setups.txt"
    monkeypatch.setenv("FB_SETUPS", str(setups))
    html = ("--html", str(pytester.path / "report.html"))
    result, summary = run_bench(pytester, lab, "--bench-mode", "each", "-rs", *html)
    result.assert_outcomes(passed=6 * 4 + 1, failed=4, skipped=3)
    if html:  # one row per test run on each device (no phantom "Passed" rows), with its device
        data = html_data(pytester.path / "report.html")
        rows = [row for runs in data["tests"].values() for row in runs if row["result"] != "Rerun"]
        assert len(rows) == len(summary["results"]) == 32
        got = sorted((nodeid.rsplit("::", 1)[-1], row["device"], row["result"])
                     for nodeid, runs in data["tests"].items() for row in runs)
        want = sorted((r["test"].rsplit("::", 1)[-1], r["device"], r["outcome"].capitalize()) for r in summary["results"])
        assert got == want
        assert {row["platform"].rsplit(".", 3)[0] for row in rows} == {"Fire OS 6", "Fire OS 7"}  # AFTMM, AFTKA
        devices = data["environment"]["Fire TV devices"]
        assert set(devices) == {"tv-1", "tv-2", "tv-3", "tv-4"}
        assert devices["tv-2"].startswith("AFTKA, Fire OS 7.") and "serial 127.0.0.1:" in devices["tv-2"]
    counts = {name: info["counts"] for name, info in summary["devices"].items()}
    assert all(c["passed"] + c["failed"] + c["skipped"] == 8 for c in counts.values())
    skipped = [r for r in summary["results"] if r["outcome"] == "skipped"]
    assert {r["device"] for r in skipped} == {"tv-1", "tv-3", "tv-4"}
    assert all(r["message"] == "needs model AFTKA, device is AFTMM" for r in skipped)
    # module fixtures live across a device's tests of the module (the drain items keep them up)
    assert sorted(setups.read_text().split()) == sorted(d.address for d in lab.devices)


def test_a_bench_file_mistake_is_a_usage_error_with_file_and_line(pytester: pytest.Pytester):
    pytester.makepyfile(test_lab=SUITE)
    bad = pytester.path / "bad.yaml"
    bad.write_text("devices:\n  - name: tv\n    adress: 127.0.0.1:5555\n    adb_server: 127.0.0.1:5037\n")
    result = pytester.runpytest_subprocess("--bench", str(bad), *QUIET)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*--bench: {bad}:3: unknown key 'adress' in device 1; did you mean 'address'?*"])


def test_no_healthy_device_is_a_clear_error(pytester: pytest.Pytester, tmp_path: Path):
    pytester.makepyfile(test_lab=SUITE)
    from firebridge.adb.server import AdbServer

    with AdbServer(home=tmp_path / "home") as server:
        bench = pytester.path / "gone.yaml"
        bench.write_text(f"devices:\n  - name: gone\n    address: 127.0.0.1:9\n    adb_server: {server.address}\n")
        result = pytester.runpytest_subprocess("--bench", str(bench), *QUIET)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*no device of bench 'gone' can take work:*", "*gone: unhealthy: state: *"])


def html_data(path: Path) -> dict:
    """The data pytest-html 4 renders its report from (the JSON in ``data-jsonblob``)."""
    import html
    import re
    blob = re.search(r'data-jsonblob="([^"]*)"', path.read_text()).group(1)
    return json.loads(html.unescape(blob))

