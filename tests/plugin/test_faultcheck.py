"""firebridge.faultcheck: JUnit parsing, the "names the rule" check, verdicts and the exit status,
plus one end-to-end run on a tiny synthetic suite (no device: its tests only read the fault switch
that faultcheck passes with --virtual-prop)."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from firebridge import faultcheck
from firebridge.faultcheck import (CAUGHT, ERROR, FAIL, MISSED, PASS, UNCLEAR, Failure, JUnitResult, Run,
                                   exit_status, matrix, names_rule, parse_junit, pytest_command, rule_text, verdict)

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="1" failures="2" skipped="1" tests="5">
  <testcase classname="device_tests.test_triggers" name="test_x[sign_in]" time="0.5">
    <failure message="Failed: Signing in must share all of the customer's content entitlements (seed 000)">trace
    </failure>
  </testcase>
  <testcase classname="device_tests.test_pmr_row" name="test_order" time="0.1">
    <failure message="AssertionError: assert [1, 2] == [2, 1]&#10;  At index 0 diff: 1 != 2">trace</failure>
  </testcase>
  <testcase classname="device_tests.test_consent.TestConsent" name="test_off" time="0.1">
    <error message="failed on setup with &quot;WaitTimeout: timed out after 10 s waiting for x&quot;">trace</error>
  </testcase>
  <testcase classname="device_tests.test_consent" name="test_on" time="0.1"><skipped message="no"/></testcase>
  <testcase classname="device_tests.test_consent" name="test_ok" time="0.1"/>
</testsuite></testsuites>
"""


def test_parse_junit_reads_tests_failures_errors_and_skips() -> None:
    result = parse_junit(JUNIT)
    assert (result.tests, result.failed, result.skipped) == (5, 3, 1)
    assert [f.test for f in result.failures] == ["device_tests/test_triggers.py::test_x[sign_in]",
                                                 "device_tests/test_pmr_row.py::test_order",
                                                 "device_tests/test_consent.py::TestConsent::test_off"]
    assert [f.kind for f in result.failures] == ["failure", "failure", "error"]
    assert result.failures[0].summary.startswith("Signing in must share")
    assert [f.names_rule for f in result.failures] == [True, False, False]


def test_parse_junit_without_a_message_attribute_takes_the_first_report_line() -> None:
    xml = ('<testsuite><testcase classname="t.test_a" name="test_b"><failure>The app must do X when the customer '
           'does Y (seed 000)\nmore</failure></testcase></testsuite>')
    assert parse_junit(xml).failures[0].message == "The app must do X when the customer does Y (seed 000)"


@pytest.mark.parametrize("message, expected", [
    ("AssertionError: The app reported PAUSE (1) when playback completed; seed 002 requires EXIT (2) when playback "
     "completes or is left\nassert 1 == 2", True),
    ("Failed: After signing out the app must share nothing, but the service logged 2 calls", True),
    ("AssertionError: assert 1 == 2", False),
    ("assert [1, 2] == [2, 1]", False),
    ("Failed: timed out after 10 s waiting for the Manage Sharing from Apps screen", False),
    ("AssertionError: it must work", False),  # a rule word, but not a sentence a person can act on
    ("AssertionError: the row showed three titles in the wrong order after posting them", False),  # no rule stated
    ("", False),
])
def test_names_rule(message: str, expected: bool) -> None:
    assert names_rule(message) is expected


def test_rule_text_drops_the_exception_type_and_pytest_explanation() -> None:
    assert rule_text("AssertionError: A must hold (seed 001)\nassert [1] == [2]\n  At index 0") == "A must hold (seed 001)"
    assert rule_text("Failed: X must be Y") == "X must be Y"


def _run(fault: str | None, exit_code: int | None = 1, failures: tuple[Failure, ...] = (), tests: int = 3) -> Run:
    return Run(fault, exit_code, JUnitResult(tests, failures))


RULE = Failure("t.py::a", "AssertionError: The app must share the watchlist when the customer signs in (seed 000)")
BARE = Failure("t.py::b", "AssertionError: assert 0 == 1")


@pytest.mark.parametrize("run, expected", [
    (_run(None, 0), PASS),
    (_run(None, 1, (RULE,)), FAIL),
    (_run(None, 0, tests=0), FAIL),  # a clean run that ran nothing proves nothing
    (_run("f", 1, (BARE, RULE)), CAUGHT),
    (_run("f", 1, (BARE,)), UNCLEAR),
    (_run("f", 0), MISSED),
    (Run("f", 2, None, error="usage error"), ERROR),
    (Run("f", 4, JUnitResult(0, ())), ERROR),
])
def test_verdict(run: Run, expected: str) -> None:
    assert verdict(run) == expected


def test_exit_status_needs_a_green_clean_run_and_every_fault_caught() -> None:
    assert exit_status([_run(None, 0), _run("a", 1, (RULE,))]) == 0
    assert exit_status([_run(None, 1, (RULE,)), _run("a", 1, (RULE,))]) == 1
    assert exit_status([_run(None, 0), _run("a", 1, (BARE,))]) == 1
    assert exit_status([_run(None, 0), _run("a", 0)]) == 1
    assert exit_status([]) == 1


def test_first_failure_prefers_one_that_names_the_rule() -> None:
    assert _run("f", 1, (BARE, RULE)).first_failure() is RULE
    assert _run("f", 1, (BARE,)).first_failure() is BARE


def test_pytest_command_isolates_each_run(tmp_path: Path) -> None:
    argv = pytest_command("device_tests", "no-watchlist-add", tmp_path, ["-k", "x"], stop_at_first=True)
    assert argv[:4] == [sys.executable, "-m", "pytest", "device_tests"]
    assert ["--device", "virtual"] == argv[4:6]
    assert f"--junitxml={tmp_path / 'junit.xml'}" in argv and f"--artifacts={tmp_path / 'artifacts'}" in argv
    assert argv[argv.index("--virtual-prop") + 1] == "debug.firebridge.fault=no-watchlist-add"
    assert "-x" in argv and argv[-2:] == ["-k", "x"]
    clean = pytest_command("device_tests", None, tmp_path, stop_at_first=True)
    assert "--virtual-prop" not in clean and "-x" not in clean  # the clean run always runs whole


def test_matrix_lists_every_run_with_its_first_failure() -> None:
    text = matrix([_run(None, 0), _run("no-x", 1, (RULE,)), _run("no-y", 0)])
    lines = text.splitlines()
    assert lines[0].split()[:3] == ["fault", "verdict", "time"]
    assert any(line.startswith("no-x") and CAUGHT in line for line in lines)
    assert any("> The app must share the watchlist" in line for line in lines)
    assert any(line.startswith("no-y") and MISSED in line for line in lines)


# -- end to end on a synthetic suite ------------------------------------------------------------------
SUITE = textwrap.dedent('''
    FAULT_KEY = "debug.firebridge.fault"

    def fault(config):
        for item in config.getoption("virtual_prop"):
            key, _, value = item.partition("=")
            if key == FAULT_KEY:
                return value
        return None

    def test_named_rule(request):
        assert fault(request.config) != "caught", (
            "The app must share the watchlist when the customer signs in (seed 000), but it shared nothing")

    def test_bare_assert(request):
        assert fault(request.config) != "bare"

    def test_always_passes():
        pass
''')
FAULTS = {"caught": "breaks the named rule", "bare": "breaks a bare assert", "missed": "breaks nothing tested"}


# The options faultcheck passes, for runs without the firebridge plugin (its imports cost a second
# per pytest start; the synthetic suite needs none of it).
CONFTEST = textwrap.dedent('''
    def pytest_addoption(parser):
        parser.addoption("--device")
        parser.addoption("--artifacts")
        parser.addoption("--virtual-prop", action="append", default=[])
''')
LEAN = ["--", "-p", "no:firebridge", "-p", "no:hypothesispytest", "-p", "no:benchmark", "-p", "no:html",
        "-p", "no:xdist", "-p", "no:timeout"]


@pytest.fixture
def tiny_suite(tmp_path: Path) -> Path:
    (tmp_path / "tiny").mkdir()
    (tmp_path / "tiny" / "test_tiny.py").write_text(SUITE)
    (tmp_path / "tiny" / "conftest.py").write_text(CONFTEST)
    return tmp_path


def test_main_fails_when_a_fault_is_missed_or_unclear(tiny_suite: Path, capsys) -> None:
    status = faultcheck.main(["--suite", "tiny", "--rootdir", str(tiny_suite), "--jobs", "4",
                              "--workdir", str(tiny_suite / "work"), *LEAN], faults_table=FAULTS)
    out = capsys.readouterr().out
    assert status == 1
    rows = {line.split()[0]: line for line in out.splitlines() if line.split()[:1] and line.split()[0] in FAULTS}
    assert CAUGHT in rows["caught"] and UNCLEAR in rows["bare"] and MISSED in rows["missed"]
    assert "(no fault)" in out and "1/3 faults caught, clean run PASS" in out
    assert "> The app must share the watchlist" in out  # the caught fault's first failure message
    assert out.count("first failure:") == 2  # progress lines: caught and bare


def test_main_passes_when_every_fault_is_caught(tiny_suite: Path, capsys) -> None:
    status = faultcheck.main(["--suite", "tiny", "--rootdir", str(tiny_suite), "--faults", "caught",
                              "--workdir", str(tiny_suite / "work"), *LEAN, "-k", "named_rule or always"],
                             faults_table=FAULTS)
    assert status == 0
    assert "1/1 faults caught, clean run PASS" in capsys.readouterr().out


def test_main_refuses_unknown_faults(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        faultcheck.main(["--faults", "no-such-fault"], faults_table=FAULTS)
    assert exc.value.code == 2
    assert "unknown fault(s) no-such-fault" in capsys.readouterr().err


def test_vega_runs_only_the_faults_its_app_applies(tmp_path: Path) -> None:
    vega = faultcheck.known_faults("vega")
    # The Vega build has the player's faults and every trigger fault of the shared reporter; it leaves
    # out only the Fire OS player's loading and ad-break ones.
    assert set(faultcheck.known_faults()) - set(vega) == {"early-position", "ad-position-advances", "no-interstitial"}
    assert {"wrong-cdf-id", "no-periodic-events", "pause-instead-of-exit", "no-seek-events", "no-exit-on-leave",
            "no-watchlist-add", "share-after-sign-out", "no-detail-interaction"} <= set(vega)
    argv = pytest_command("device_tests", "wrong-cdf-id", tmp_path, target_os="vega")
    assert argv[argv.index("--virtual-os") + 1] == "vega"
    assert argv[argv.index("--virtual-fault") + 1] == "wrong-cdf-id" and "--virtual-prop" not in argv


def test_plan_puts_each_platforms_clean_run_before_its_faults() -> None:
    runs = faultcheck.plan({"fireos": ["a", "b"], "vega": ["a"]})
    assert [(run.target_os, run.fault) for run in runs] == [
        ("fireos", None), ("fireos", "a"), ("fireos", "b"), ("vega", None), ("vega", "a")]
    assert [run.name for run in runs[3:]] == ["(no fault) [vega]", "a [vega]"]
    assert [run.fault for run in faultcheck.plan({"vega": ["a"]}, clean=False)] == ["a"]


# On Vega the fault comes as --virtual-fault (the app's fault file), not as a system property: the
# synthetic suite reads it as the property it knows.
BOTH_CONFTEST = textwrap.dedent('''
    def pytest_addoption(parser):
        parser.addoption("--device")
        parser.addoption("--artifacts")
        parser.addoption("--virtual-prop", action="append", default=[])
        parser.addoption("--virtual-os", default="fireos")
        parser.addoption("--virtual-fault")

    def pytest_configure(config):
        if config.getoption("virtual_fault"):
            config.option.virtual_prop.append("debug.firebridge.fault=" + config.getoption("virtual_fault"))
''')


def test_both_platforms_in_one_pool_each_with_its_tally(tiny_suite: Path, capsys) -> None:
    (tiny_suite / "tiny" / "conftest.py").write_text(BOTH_CONFTEST)
    status = faultcheck.main(["--suite", "tiny", "--rootdir", str(tiny_suite), "--os", "fireos,vega", "--faults",
                              "caught", "--jobs", "4", "--workdir", str(tiny_suite / "work"), *LEAN,
                              "-k", "named_rule or always"], faults_table=FAULTS)
    out = capsys.readouterr().out
    assert status == 0, out
    assert "4 runs of `pytest tiny --device virtual` (fireos: clean + 1 faults; vega: clean + 1 faults)" in out
    assert "fireos 1/1 faults caught, clean run PASS; vega 1/1 faults caught, clean run PASS" in out
    rows = [line.split("  ")[0] for line in out.split("\n\n")[-2].splitlines()[2:] if not line.startswith(" ")]
    assert rows == ["(no fault)", "caught", "(no fault) [vega]", "caught [vega]"]  # the plan's order
    assert sorted(p.name for p in (tiny_suite / "work").iterdir()) == [
        "00-clean", "01-caught", "02-vega-clean", "03-vega-caught"]


def test_an_unknown_os_is_refused(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        faultcheck.main(["--os", "fireos,android"], faults_table=FAULTS)
    assert exc.value.code == 2 and "--os: android; choose from fireos, vega" in capsys.readouterr().err
