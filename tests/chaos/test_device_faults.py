"""Issue 15's reliability points, one fault at a time, against the virtual Fire TV through the real adb
server: failure classes, the lost-device memory, reboot and key revocation on the virtual device, the
known state each device test starts from, and the JUnit file of a bench run."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from firebridge.capabilities.apps import AppDriver, load_profile, profile_from_text
from firebridge.capabilities.remote import NavigationError
from firebridge.driver.ui import UiDumpError
from firebridge.errors import (DeviceLost, DeviceUnavailable, HelperAppMissing, StateRestoreFailed)
from firebridge.lab.classify import INFRA, PRODUCT, classify
from firebridge.lab.reports import TestResult, junit_xml
from firebridge.waiting import WaitTimeout, wait_until

from device_tests.conftest import restore_known_state

pytest_plugins = ["pytester"]


# -- classes (pure) ------------------------------------------------------------------------------------
@pytest.mark.parametrize("error", [HelperAppMissing("install the helper"), NavigationError("no focus"),
                                   UiDumpError("no dump"), WaitTimeout("the tile"),
                                   StateRestoreFailed("signed out")], ids=lambda e: type(e).__name__)
def test_setup_that_cannot_prepare_the_device_is_infrastructure(error):
    assert classify(error, when="setup")[0] == INFRA
    assert classify(error, when="teardown")[0] == INFRA  # a restore after the test
    assert classify(error, when="call")[0] == PRODUCT  # in the test body it is the app's


def test_a_restart_during_the_test_is_infrastructure_whatever_was_raised():
    assert classify(AssertionError("no playback event"), restarted=True) == (INFRA, "device restarted during the test")
    assert classify(DeviceLost("gone"), when="setup")[0] == INFRA


def test_junit_lists_every_result_even_on_a_device_the_table_does_not_know():
    results = [TestResult("t.py::a", "tv-1", "passed"), TestResult("t.py::b", "-", "error", INFRA),
               TestResult("t.py::c", "tv-9", "failed", INFRA)]
    xml = junit_xml("lab", {"tv-1": {"name": "tv-1"}}, results)
    assert 'tests="3"' in xml and xml.count("<testcase ") == 3


# -- the virtual device: reboot and revoked keys ----------------------------------------------------------
def test_adb_reboot_takes_the_device_away_and_brings_it_back_with_a_new_boot_id(start_virtual_device):
    session = start_virtual_device(speed=20)
    tv = session.firetv()
    before = tv.boot_id()
    assert session.adb("reboot", timeout=10).returncode == 0
    wait_until(lambda: tv.state() != "device", 10, "the device to go away", interval=0.05)
    assert tv.recover(30)
    assert tv.boot_id() != before
    # The shell user may reboot too; adb exits 255 when the transport drops before the exit status comes.
    assert session.adb("shell", "reboot", timeout=10).returncode in (0, 255)
    wait_until(lambda: tv.state() != "device", 10, "the device to go away", interval=0.05)
    assert tv.recover(30)


def test_revoked_keys_leave_the_host_unauthorized(start_virtual_device):
    session = start_virtual_device()
    tv = session.firetv()
    os.kill(session.process.pid, signal.SIGUSR1)  # Developer Options: Revoke USB debugging authorizations
    wait_until(lambda: tv.state() == "unauthorized", 15, "the device to be unauthorized", interval=0.1)
    assert not tv.recover(1.0)


# -- the lost-device memory -------------------------------------------------------------------------------
def test_a_lost_device_fails_calls_at_once_and_is_found_again(start_virtual_device):
    session = start_virtual_device()
    tv = session.firetv()
    tv.mark_lost("killed")
    started = time.monotonic()
    with pytest.raises(DeviceUnavailable):
        tv.shell("echo hi")
    assert time.monotonic() - started < 1  # no reconnect wait once the device is known gone
    assert tv.recover(5) and tv.lost is None
    assert tv.shell("echo hi").stdout.strip() == "hi"


def test_time_boxed_calls_do_not_wait_for_a_dead_device(start_virtual_device):
    session = start_virtual_device()
    tv = session.firetv()
    os.kill(session.process.pid, signal.SIGKILL)
    started = time.monotonic()
    with tv.time_boxed(3.0), pytest.raises(DeviceUnavailable):
        tv.shell("echo hi", timeout=60)
    assert time.monotonic() - started < 10  # 3 s cap, one reconnect attempt: not 60 s + 30 s


# -- the known state ---------------------------------------------------------------------------------------
def test_the_known_state_signs_the_app_back_in(start_virtual_device):
    session = start_virtual_device(speed=20)
    tv = session.firetv()
    profile = load_profile("reference")
    app = AppDriver(tv, profile)
    app.run("sign_out")  # what a failed sign-in test leaves behind
    with pytest.raises(WaitTimeout):
        app.run("check_signed_in")
    restore_known_state(tv, profile, "the previous test failed")
    assert tv.driver.foreground_app() != profile.package  # app stopped, home shown
    app.run("check_signed_in")  # signed in again


@pytest.mark.slow  # the failing sign-in waits out its recipe's timeouts (~20 s)
def test_a_restore_that_fails_is_infrastructure(start_virtual_device):
    session = start_virtual_device(speed=20)
    tv = session.firetv()
    good = load_profile("reference")
    AppDriver(tv, good).run("sign_out")
    text = Path(good.path).read_text().replace("password: firetv123", "password: wrong-password")
    bad = profile_from_text(text, str(good.path))
    with pytest.raises(StateRestoreFailed) as caught:
        restore_known_state(tv, bad, "the previous test failed")
    assert classify(caught.value, when="setup")[0] == INFRA
    assert "sign_in" in str(caught.value)


# -- plain runs: the retry -------------------------------------------------------------------------------
RETRIED = '''
import pytest
from firebridge.errors import DeviceOffline

def test_transport_hiccup(firetv, request):
    """Fails on infrastructure the first time only (the device answers throughout)."""
    marker = request.config.rootpath / "attempted"
    if not marker.exists():
        marker.write_text("1")
        raise DeviceOffline(firetv.serial, detail="silent for a moment")

def test_app_bug(firetv):
    assert firetv.shell("echo hi").stdout.strip() == "hello"
'''


def test_a_plain_run_retries_an_infrastructure_failure_once_the_device_answers(pytester, virtual_device,
                                                                                   this_checkout):
    pytester.makepyfile(test_retry=RETRIED)
    result = pytester.runpytest_subprocess("--device", virtual_device.serial, "--adb-server",
                                           virtual_device.adb_server.address, "--junitxml", "j.xml", "-rA",
                                           "-p", "no:cacheprovider")
    outcomes = result.parseoutcomes()
    assert (outcomes.get("passed"), outcomes.get("failed"), outcomes.get("rerun")) == (1, 1, 1), outcomes
    junit = (pytester.path / "j.xml").read_text()
    assert junit.count("<testcase ") == 2 and 'tests="2"' in junit
    result.stdout.fnmatch_lines(["*product *call*test_app_bug*", "*1 infrastructure, 1 product*"])
