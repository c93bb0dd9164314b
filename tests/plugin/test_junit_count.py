"""The JUnit file's header counts its testcases, also when a passed test fails in teardown (the way a
device lost at the end of a test shows)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

pytest_plugins = ["pytester"]

TESTS = """
import pytest

@pytest.fixture
def lost_in_teardown():
    yield
    raise ConnectionError("device gone")

@pytest.fixture
def lost_in_setup():
    raise ConnectionError("device gone in setup")

def test_setup_and_teardown_errors(lost_in_teardown, lost_in_setup):
    pass

def test_skipped_then_lost(lost_in_teardown):
    pytest.skip("no device")

def test_passes_then_lost(lost_in_teardown):
    pass

def test_plain():
    pass
"""


def test_junit_tests_count_equals_its_testcases_with_teardown_errors(pytester) -> None:
    pytester.makepyfile(test_teardown=TESTS)
    junit = pytester.path / "j.xml"
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--junitxml", str(junit))
    result.assert_outcomes(passed=2, skipped=1, errors=4)
    root = ET.parse(junit).getroot()
    suite = root if root.tag == "testsuite" else root.find("testsuite")
    names = [c.get("name") for c in suite.findall("testcase")]
    assert sorted(names) == ["test_passes_then_lost", "test_plain", "test_setup_and_teardown_errors",
                             "test_skipped_then_lost"]
    assert suite.get("tests") == "4"  # pytest alone writes 7: each teardown error counted as a test
