"""The example of docs/writing-tests.md runs, as a user runs it, against the virtual Fire TV."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
pytestmark = pytest.mark.usefixtures("this_checkout")


def test_the_acme_example_runs_against_the_virtual_device(pytester: pytest.Pytester, adb_server):
    acme = EXAMPLES / "acme"
    result = pytester.runpytest_subprocess(str(acme), "--app", str(acme / "acme.yaml"), "--device", "virtual",
                                           "--adb-server", adb_server.address, "--artifacts",
                                           str(pytester.path / "art"), "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


def test_every_fixture_says_what_it_is(pytester: pytest.Pytester):
    pytester.makepyfile(test_one="def test_one():\n    pass\n")
    text = pytester.runpytest_subprocess("--fixtures", "-p", "no:cacheprovider").stdout.str()
    for name in ("firetv", "remote", "home", "privacy", "pmr", "app_profile", "app", "logs"):
        block = text.split(f"\n{name} ", 1)[1] if f"\n{name} " in text else text.split(f"\n{name}\n", 1)[1]
        doc = block.split("\n", 2)[1].strip()
        assert doc and "no docstring available" not in doc, name
