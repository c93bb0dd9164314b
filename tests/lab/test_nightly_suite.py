"""``firebridge nightly --suite``: a path or an installed package, never an empty night."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from firebridge.lab.history import History
from firebridge.lab.nightly import SuiteNotFound, suite_arguments


def test_a_suite_path_that_exists_is_passed_as_given(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my_suite").mkdir()
    assert suite_arguments("my_suite") == ["my_suite"]
    assert suite_arguments("my_suite::test_x") == ["my_suite::test_x"]


def test_the_default_suite_is_found_as_a_package_from_any_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # no device_tests/ here: the installed (or PYTHONPATH) package is used
    assert suite_arguments("device_tests") == ["--pyargs", "device_tests"]


@pytest.mark.parametrize("suite", ["no_such_suite", "no_such.package", "not a/name"])
def test_a_suite_that_is_nowhere_is_an_error_naming_it(tmp_path: Path, monkeypatch, suite: str) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SuiteNotFound, match=f"the suite {suite!r} is neither a path"):
        suite_arguments(suite)


def test_nightly_with_a_missing_suite_fails_before_storing_anything(tmp_path: Path, capsys, monkeypatch) -> None:
    from firebridge.cli import main

    monkeypatch.chdir(tmp_path)
    bench = tmp_path / "bench.yaml"
    bench.write_text("devices:\n  - name: tv\n    address: 127.0.0.1:9\n    adb_server: 127.0.0.1:9\n")
    status = main(["nightly", "--bench", str(bench), "--suite", "no_such_suite", "--history", "h.sqlite"])
    assert status != 0 and "the suite 'no_such_suite' is neither a path" in capsys.readouterr().err
    assert not (tmp_path / "h.sqlite").exists() and not (tmp_path / "nightly-reports").exists()


@pytest.mark.slow
def test_a_night_that_runs_no_tests_is_an_error_and_not_stored(tmp_path: Path, capsys, monkeypatch) -> None:
    from firebridge.cli import main
    from firebridge.lab.benchup import stand_up

    repo = str(Path(__file__).resolve().parents[2])  # the nightly's pytest imports this checkout's firebridge
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [repo, os.environ.get("PYTHONPATH")])))
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "test_one.py").write_text("def test_one(firetv):\n    assert firetv.serial\n")
    with stand_up(1, 1, tmp_path / "lab", speed=20, bench_name="lab") as lab:
        status = main(["nightly", "--bench", str(lab.bench_path), "--suite", str(suite), "--history",
                       str(tmp_path / "h.sqlite"), "--reports", str(tmp_path / "night"), "--", "-k", "nothing_matches"])
    out = capsys.readouterr().out
    assert status != 0 and "ran no tests" in out and "nothing was stored" in out, out
    with History(tmp_path / "h.sqlite") as history:
        assert history.nights("lab") == [] and history.unfinished() == []  # not even an unfinished night
