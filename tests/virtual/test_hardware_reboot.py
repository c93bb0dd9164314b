"""A rebooted virtual Fire TV in hardware timing behaves as a booting device: its screensaver timer, log
chatter and HOME transition start afresh, and nothing of the system before the reboot keeps running."""

from __future__ import annotations

from firebridge.virtual.server import VirtualFireTV
from firebridge.waiting import wait_until


def _shell(session, script: str) -> str:
    return session.adb("shell", script).stdout.decode()


def test_after_adb_reboot_the_screensaver_and_log_chatter_start_again(start_virtual_device) -> None:
    session = start_virtual_device(model="AFTKA", speed=600, timing="hardware")  # 300 device s = 0.5 s
    tv = session.firetv()

    def focus() -> str:
        return _shell(session, "dumpsys window windows | grep mCurrentFocus")

    wait_until(lambda: ":dream}" in focus(), 10, "the screensaver before the reboot")
    before = tv.boot_id()
    assert session.adb("reboot", timeout=10).returncode == 0
    wait_until(lambda: tv.state() != "device", 10, "the device to go away", interval=0.05)
    assert tv.recover(30)
    assert tv.boot_id() != before
    # Booted: the launcher has focus (a dream does not survive a reboot), the chatter of the running system is
    # back in the new log, and after the idle time the screensaver starts again.
    wait_until(lambda: "Event is not filtered" in _shell(session, "logcat -d -s AmazonProfileService"), 10,
               "background log chatter after the reboot")
    wait_until(lambda: ":dream}" in focus(), 10, "the screensaver after the reboot")


def test_reboot_stops_the_old_systems_behaviour_and_starts_a_fresh_one(tmp_path) -> None:
    with VirtualFireTV(auth="none", model="AFTMM", speed=400, timing="hardware", workdir=tmp_path) as tv:
        old = tv.device
        old_hw = old.hardware

        def home_pressed_in_an_app() -> None:  # a HOME transition and a held start going on at the reboot
            old_hw._home_at, old_hw._transition = old.clock.now(), True
            old_hw.hold_start(lambda: None, 2000)

        tv.call(home_pressed_in_an_app)
        assert tv.call(lambda: old_hw._chatter is not None and old_hw._release_handle is not None)
        tv.reboot()
        wait_until(lambda: tv.device is not old and tv.port and tv.boots == 2, 10, "the reboot", interval=0.02)
        new_hw = tv.device.hardware
        wait_until(lambda: tv.call(lambda: new_hw._chatter is not None and new_hw._idle_handle is not None), 5,
                   "the new system's chatter and screensaver timer")
        assert tv.call(lambda: old_hw._chatter is None and old_hw._idle_handle is None
                       and old_hw._release_handle is None and not old_hw._pending_starts)
        assert tv.call(lambda: not new_hw.in_home_transition() and new_hw.app_switch_hold() == 0.0
                       and new_hw._input_calls == 0)  # the first `input` after boot is the slow one again
