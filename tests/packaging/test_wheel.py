"""firebridge as a user gets it: the wheel, installed into a fresh virtual environment, used from an empty
folder (no checkout, no root conftest.py, no pyproject ini options, no PYTHONPATH).

The venv is a plain one (no system site-packages): pip installs the wheel's dependencies from whatever
index this machine's pip is configured with, as it would for a user.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from firebridge.adb.server import AdbServer

REPO = Path(__file__).resolve().parents[2]
# What the build needs; copied so that a build/ folder left in the checkout cannot leak into the wheel.
BUILD_INPUTS = ("firebridge", "device_tests", "fixtures", "pyproject.toml", "setup.py", "MANIFEST.in", "README.md")


def _copy_sources(target: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in BUILD_INPUTS:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)


def _user_env() -> dict[str, str]:
    """The environment without anything pointing at this checkout."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTEST_ADDOPTS", "VIRTUAL_ENV")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _run(command: list[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess:
    done = subprocess.run(command, cwd=cwd, env=_user_env(), capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, f"{' '.join(command)} exited with {done.returncode}:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel built from this checkout installed; returns its bin folder."""
    root = tmp_path_factory.mktemp("wheel")
    _copy_sources(root / "src")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(root / "dist"), "."], root / "src", 300)
    wheels = list((root / "dist").glob("firebridge-*.whl"))
    assert len(wheels) == 1, wheels
    venv.EnvBuilder(with_pip=True, clear=True).create(root / "venv")
    bin_dir = root / "venv" / "bin"
    _run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheels[0])], root, 600)
    return bin_dir


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    folder = tmp_path / "empty"
    folder.mkdir()
    return folder


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_the_wheel_runs_the_regression_suite_from_an_empty_folder(installed: Path, empty: Path,
                                                                  adb_server: AdbServer) -> None:
    done = _run([str(installed / "python"), "-m", "pytest", "--pyargs", "device_tests", "--device", "virtual",
                 "--adb-server", adb_server.address, "--app", "reference", "-p", "no:cacheprovider", "-rfE"],
                empty, 600)
    assert re.search(r"\b37 passed\b", done.stdout), done.stdout[-3000:]
    # The installed default is the documented one, and the header says so.
    assert "firebridge: virtual Fire TV clock 20x (firebridge's default)" in done.stdout
    assert "timeout 120 s per device test" in done.stdout
    # The packaged fixtures are the ones the installed code reads.
    where = _run([str(installed / "python"), "-c", "from firebridge.resources import fixtures_dir; "
                  "print(fixtures_dir('apps', 'reference.yaml'))"], empty, 60).stdout.strip()
    assert Path(where).is_file() and "site-packages" in where, where


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_the_wheels_nightly_finds_the_packaged_suite_from_another_folder(installed: Path, empty: Path) -> None:
    from firebridge.lab.benchup import stand_up

    with stand_up(1, 1, empty.parent / "lab", speed=20, bench_name="wheel-lab") as lab:
        done = _run([str(installed / "firebridge"), "nightly", "--bench", str(lab.bench_path), "--history",
                     str(empty / "history.sqlite"), "--", "-k", "test_triggers"], empty, 600)
    night = re.search(r"Night 1: (\d+) results .* (\d+) passed", done.stdout)
    assert night and int(night.group(1)) > 0 and night.group(1) == night.group(2), done.stdout[-3000:]


@pytest.mark.slow
def test_nightly_with_a_suite_that_is_nowhere_says_so_and_stores_nothing(installed: Path, empty: Path) -> None:
    bench = empty / "bench.yaml"
    bench.write_text("devices:\n  - name: tv\n    address: 127.0.0.1:9\n    adb_server: 127.0.0.1:9\n")
    done = subprocess.run([str(installed / "firebridge"), "nightly", "--bench", str(bench), "--suite", "no_such_suite",
                           "--history", str(empty / "history.sqlite")], cwd=empty, env=_user_env(),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "the suite 'no_such_suite' is neither a path" in done.stderr, done.stderr
    assert not (empty / "history.sqlite").exists()
