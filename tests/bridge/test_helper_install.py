"""Installing the PMR helper on a device that lacks it: ``firebridge pmr install-helper``, the ``pmr``
fixture's install hint, and pytest's ``--install-helper`` with the helper's version in the header."""

from __future__ import annotations

import subprocess
import sys

import pytest

from firebridge.capabilities.helper_app import installed_version
from firebridge.capabilities.pmr import PMR, Recommendation
from firebridge.errors import HelperAppMissing

pytest_plugins = ["pytester"]
HELPER = "com.firebridge.helper"


def firebridge(session, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "firebridge", *args, "--adb-server", session.adb_server.address,
                           "--device", session.serial], capture_output=True, text=True, timeout=120)


def test_install_helper_then_post_then_uninstall_gives_the_hint(start_virtual_device, this_checkout):
    session = start_virtual_device(extra_args=("--no-helper",))
    firetv = session.firetv()
    assert installed_version(firetv) is None
    with pytest.raises(HelperAppMissing, match="firebridge pmr install-helper"):
        PMR(firetv).require_helper()

    result = firebridge(session, "pmr", "install-helper")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{session.serial}: installed {HELPER} 1.0 (versionCode 1)\n"
    dump = firetv.run(["dumpsys", "package", HELPER])
    assert "stopped=false" in dump  # .Main was opened once
    posted = PMR(firetv).post(Recommendation(title="Night Drive", id=3, display_name="My App", rank=1,
                                             tags=("UHD",)))
    assert posted.data == ("posted id=3 amazon_extras=[com.amazon.extra.DISPLAY_NAME, com.amazon.extra.RANK, "
                           "com.amazon.extra.TAGS]")

    assert firetv.run(["pm", "uninstall", HELPER]) == "Success\n"
    with pytest.raises(HelperAppMissing, match="not installed on this device"):
        PMR(firetv).require_helper()


def test_install_helper_with_a_missing_apk_says_how_to_build_it(start_virtual_device, tmp_path, this_checkout):
    session = start_virtual_device(extra_args=("--no-helper",))
    result = firebridge(session, "pmr", "install-helper", "--apk", str(tmp_path / "none.apk"))
    assert result.returncode == 1
    assert "firebridge helper build -o DIR" in result.stderr


PMR_TEST = '''
def test_posts(pmr):
    from firebridge.capabilities.pmr import Recommendation
    assert pmr.post(Recommendation(title="T", id=1)).ok
'''


def test_plugin_installs_the_helper_when_asked_and_names_its_version(pytester, start_virtual_device, this_checkout):
    session = start_virtual_device(extra_args=("--no-helper",))
    pytester.makepyfile(test_pmr_here=PMR_TEST)
    common = ("--device", session.serial, "--adb-server", session.adb_server.address, "-p", "no:cacheprovider")
    without = pytester.runpytest_subprocess(*common)
    without.assert_outcomes(errors=1)
    without.stdout.fnmatch_lines([
        "firebridge helper: com.firebridge.helper not installed (pytest --install-helper or "
        "`firebridge pmr install-helper` installs it)",
        "*HelperAppMissing*firebridge pmr install-helper*",
    ])
    with_option = pytester.runpytest_subprocess(*common, "--install-helper")
    with_option.assert_outcomes(passed=1)
    with_option.stdout.fnmatch_lines(["firebridge helper: com.firebridge.helper 1.0 (versionCode 1) installed now "
                                      "(--install-helper)"])
    again = pytester.runpytest_subprocess(*common, "--install-helper")
    again.assert_outcomes(passed=1)
    again.stdout.fnmatch_lines(["firebridge helper: com.firebridge.helper 1.0 (versionCode 1) installed"])


def test_install_helper_on_a_vega_device_says_it_does_not_apply(start_virtual_device, this_checkout):
    session = start_virtual_device(extra_args=("--os", "vega"))
    result = firebridge(session, "pmr", "install-helper")
    assert result.returncode == 1
    assert "the PMR helper is an Android app" in result.stderr
