"""The plugin's defaults are the same wherever it runs (no repository ini here: pytester's folder has
none) and the header says which are in force."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

TESTS = '''
def test_uses_a_device(firetv):
    pass

def test_no_device():
    pass
'''

SHOW_TIMEOUTS = '''
import pytest

@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    for item in items:
        marker = item.get_closest_marker("timeout")
        print(f"TIMEOUT {item.name} {marker.args if marker else None}")
'''


def _collect(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    pytester.makepyfile(test_defaults=TESTS)
    pytester.makeconftest(SHOW_TIMEOUTS)
    return pytester.runpytest_subprocess("--co", "-s", "-p", "no:cacheprovider", *args)


def test_the_default_virtual_clock_and_timeout_are_printed_and_applied(pytester: pytest.Pytester) -> None:
    result = _collect(pytester)
    result.stdout.fnmatch_lines([
        "firebridge: virtual Fire TV clock 20x (firebridge's default); timeout 120 s per device test "
        "(firebridge's default; --timeout to change)"])
    result.stdout.fnmatch_lines(["TIMEOUT test_uses_a_device (120.0,)", "TIMEOUT test_no_device None"])


def test_the_ini_option_and_the_command_line_change_the_clock(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nfirebridge_virtual_speed = 5\n")
    _collect(pytester).stdout.fnmatch_lines(["firebridge: virtual Fire TV clock 5x (ini firebridge_virtual_speed);*"])
    _collect(pytester, "--virtual-speed", "60").stdout.fnmatch_lines(
        ["firebridge: virtual Fire TV clock 60x (--virtual-speed);*"])


def test_a_configured_timeout_is_left_alone(pytester: pytest.Pytester) -> None:
    result = _collect(pytester, "--timeout", "7")
    result.stdout.fnmatch_lines(["*; timeout as configured (pytest-timeout)"])
    result.stdout.fnmatch_lines(["TIMEOUT test_uses_a_device None"])


def test_a_speed_that_is_not_a_number_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nfirebridge_virtual_speed = fast\n")
    result = _collect(pytester)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*firebridge_virtual_speed must be a number, got 'fast'*"])
