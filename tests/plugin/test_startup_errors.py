"""Mistakes in what a run is given are found once, at startup, before any test (pytester subprocesses)."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

QUIET = ("-p", "no:cacheprovider")
PROFILE_TESTS = "\n".join(f"def test_{n}(app_profile):\n    pass\n" for n in range(5))
BAD_PROFILE = """\
package: com.example.demo
launch_activity: .MainActivity
deep_links:
  play: demo://play/{content_id}
  detail: demo://detail/{content_id}
catalog:
  - {id: m1, kind: movie, title: One, duration_ms: twelve}
"""


def test_a_bad_app_profile_is_one_usage_error_naming_file_line_field_value_and_fix(pytester):
    pytester.makepyfile(test_profile=PROFILE_TESTS)
    profile = pytester.path / "bad.yaml"
    profile.write_text(BAD_PROFILE)
    result = pytester.runpytest_subprocess("--app", str(profile), *QUIET)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = [line for line in result.stderr.lines if "duration_ms" in line]
    assert len(errors) == 1, result.stderr.str()  # once, not once per test
    assert f"--app: {profile}:7: duration_ms of catalog entry 'm1' must be a whole number, not 'twelve'" in errors[0]
    assert "720000" in errors[0] and "remove the quotes" not in errors[0]
    assert "passed" not in result.stdout.str() and "error" not in result.stdout.str().lower().replace("errors", "")


def test_a_profile_named_on_the_command_line_is_checked_even_when_listing(pytester):
    profiles = pytester.mkdir("profiles")
    (profiles / "broken.yaml").write_text(BAD_PROFILE)
    pytester.makepyfile(test_profile=PROFILE_TESTS)
    result = pytester.runpytest_subprocess("--app", str(profiles / "broken.yaml"), "--collect-only", *QUIET)
    assert result.ret == pytest.ExitCode.USAGE_ERROR  # named on the command line: checked even when listing


def test_a_misspelt_fault_name_is_a_clear_error_listing_the_valid_ones(pytester, adb_server):
    pytester.makepyfile(test_one="def test_one(firetv):\n    pass\n\ndef test_two(firetv):\n    pass\n")
    result = pytester.runpytest_subprocess("--device", "virtual", "--adb-server", adb_server.address,
                                           "--virtual-prop", "debug.firebridge.fault=wrong-cfd-id",
                                           "--artifacts", str(pytester.path / "art"), *QUIET)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    text = result.stderr.str()
    assert text.count("unknown fault 'wrong-cfd-id'") == 1, text
    assert "valid faults: " in text and "wrong-cdf-id" in text and "firebridge virtual --list-faults" in text


def test_listing_fixtures_boots_no_device(pytester, adb_server):
    pytester.makepyfile(test_one="def test_one(firetv):\n    pass\n")
    result = pytester.runpytest_subprocess("--fixtures", "--device", "virtual", "--adb-server", adb_server.address,
                                           "--artifacts", str(pytester.path / "art"), *QUIET)
    assert result.ret == 0
    assert "firebridge device:" not in result.stdout.str()
    assert not (pytester.path / "art" / "_selection").exists()
    result.stdout.fnmatch_lines(["firetv*", "*The run's Fire TV*"])
