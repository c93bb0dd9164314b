"""Failure classes: infrastructure (the bench) or product (the app) — pure."""

from __future__ import annotations

import adbutils

from firebridge.adb.wire import classify_failure
from firebridge.lab.classify import INFRA, PRODUCT, classify, infra_reason
from firebridge.errors import AdbTimeout, CommandFailed, DeviceUnauthorized, DeviceUnavailable
from firebridge.waiting import WaitTimeout


def _raised_from(cause: BaseException) -> BaseException:
    try:
        try:
            raise cause
        except BaseException as inner:
            raise RuntimeError("while reading the home screen") from inner
    except RuntimeError as outer:
        return outer


def test_infrastructure_failures():
    assert classify(DeviceUnavailable("127.0.0.1:5555 dropped")) == (INFRA, "device lost")
    assert classify(AdbTimeout("shell did not finish")) == (INFRA, "adb timeout")
    assert classify(DeviceUnauthorized("G070")) == (INFRA, "device unauthorized")
    assert classify(ConnectionResetError("reset"))[0] == INFRA
    assert classify(_raised_from(DeviceUnavailable("gone"))) == (INFRA, "device lost")  # through its causes
    assert infra_reason(adbutils.AdbError("device offline")) == "device lost (device offline)"


def test_product_failures():
    assert classify(AssertionError("CW row is empty")) == (PRODUCT, "AssertionError")
    assert classify(WaitTimeout("timed out after 10 s waiting for the tile"))[0] == PRODUCT
    assert classify(CommandFailed("am start", 1, stderr="Error: Activity not started"))[0] == PRODUCT
    assert infra_reason(adbutils.AdbError("unknown command")) is None


def test_a_failure_after_which_the_device_does_not_answer_is_infrastructure():
    assert classify(AssertionError("no playback event"), device_usable=False) == (INFRA, "device lost")


def test_the_adb_servers_closed_answer_means_the_device_dropped():
    assert isinstance(classify_failure("127.0.0.1:5555", "closed"), DeviceUnavailable)


def test_every_recovery_outcome_but_ready_is_infrastructure():
    """What firebridge.adb.connect raises is the bench's fault, not the app's (retried, not reported as a bug)."""
    from firebridge.adb import connect
    from firebridge.errors import AdbServerUnreachable, ConnectFailed, DeviceNotFound, DeviceOffline

    assert connect.DeviceUnauthorized is DeviceUnauthorized  # one class, wherever it is imported from
    assert classify(DeviceUnauthorized("127.0.0.1:5555")) == (INFRA, "device unauthorized")
    for error in (DeviceOffline("127.0.0.1:5555"), DeviceOffline("127.0.0.1:5555", "device", "silent"),
                  DeviceNotFound("G070"), ConnectFailed("127.0.0.1:1", "failed to connect"),
                  AdbServerUnreachable("no adb server at 127.0.0.1:5037")):
        assert classify(error) == (INFRA, "device lost"), error
        assert classify(_raised_from(error)) == (INFRA, "device lost"), error
    assert classify(AdbTimeout("probe")) == (INFRA, "adb timeout")
