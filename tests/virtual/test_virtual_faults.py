"""Reference TV's fault switches: each one changes what the app reports the way its FAULTS line says.

Each test switches faults on with ``setprop debug.firebridge.fault ...`` on a fresh device (the app's
process has not started yet, so the switch applies to its first start), drives the app through adb
and reads back the app's debug lines and what the data service received (the virtual-only dumpsys).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from firebridge.virtual.fireos.apps.reference import FAULTS

from ..cp_helpers import (PACKAGE, continue_watching, keys, log_lines, play, playback_reports, received,
                         received_events, refused_calls, reports, sh, sign_in, sign_out, start_device, vega_lines,
                         wait_reports, wait_started)

LAUNCH = f"monkey -p {PACKAGE} -c android.intent.category.LEANBACK_LAUNCHER 1"
TESTED: set[str] = set()


def fault(name: str):
    """Mark a test as the one that demonstrates fault ``name``."""
    assert name in FAULTS, name
    TESTED.add(name)
    return pytest.mark.parametrize("faulty", [name])


def active(session, cdf_id: str | None = None):
    return [r for r in playback_reports(session) if r["type"] == "Active" and (cdf_id is None or r["cdf_id"] == cdf_id)]


def left(cdf_id: str):
    return lambda rs: any(r["cdf_id"] == cdf_id and r.get("reason") in ("leave", "complete") for r in rs)


# -- seed 002: the Do / Do-Not table and troubleshooting ----------------------------------------------

@fault("early-position")
def test_early_position(start_virtual_device, faulty):
    session = start_device(start_virtual_device, speed=20, faults=faulty)
    play(session, "series-tidewater-s1e2")  # 12:00 saved (from another device)
    wait_reports(session, lambda rs: sum(r.get("reason") == "start" for r in rs) == 2, "both start events")
    first, restored = active(session)[:2]
    assert (first.state, first.position) == ("PLAYING", 0)  # sent before the restore
    assert restored.position == 720_000
    assert received_events(session)[1].content_id == "series-tidewater-s1e2"  # the service got the early one too


@fault("ad-position-advances")
def test_ad_position_advances(start_virtual_device, faulty):
    session = start_device(start_virtual_device, speed=400, faults=faulty)
    play(session, "series-tidewater-s1e1")  # a 30 s break at 2:00
    wait_reports(session, lambda rs: any(r.get("reason") == "ad_end" for r in rs), "the end of the ad break")
    keys(session, "HOME")
    events = active(session)
    reasons = [r.get("reason") for r in events]
    start, end = events[reasons.index("ad_start")], events[reasons.index("ad_end")]
    assert start.position == 120_000 and start.state == "INTERSTITIAL"
    assert 150_000 <= end.position < 160_000  # mark + the ad's 30 s counted as content


@fault("no-periodic-events")
def test_no_periodic_events(start_virtual_device, faulty):
    session = start_device(start_virtual_device, speed=400, faults=faulty)
    play(session, "series-tidewater-s1e1")  # the ad break ends 151.5 device s into the player
    wait_reports(session, lambda rs: any(r.get("reason") == "ad_end" for r in rs), "the end of the ad break")
    assert [r.get("reason") for r in active(session)] == ["start", "ad_start", "ad_end"]


@fault("pause-instead-of-exit")
def test_pause_instead_of_exit(start_virtual_device, faulty):
    session = start_device(start_virtual_device, speed=20, faults=faulty)
    play(session, "movie-paper-boats")
    wait_started(session, "movie-paper-boats")
    keys(session, "HOME")
    play(session, "movie-paper-boats")
    wait_started(session, "movie-paper-boats", 2)
    keys(session, *["MEDIA_FAST_FORWARD"] * 10)
    wait_reports(session, lambda rs: any(r.get("reason") == "complete" for r in rs), "completion")
    ends = [(r.state, r.get("reason")) for r in active(session) if r.get("reason") in ("leave", "complete")]
    assert ends == [("PAUSED", "leave"), ("PAUSED", "complete")]
    assert 2 not in [e.state for e in received_events(session) if e.content_id == "movie-paper-boats"]


@fault("wrong-cdf-id")
def test_wrong_cdf_id(start_virtual_device, faulty):
    session = start_device(start_virtual_device, speed=20, faults=faulty)
    play(session, "movie-night-harbor")
    wait_started(session, "NH-2291")
    keys(session, "MEDIA_FAST_FORWARD", "HOME")
    wait_reports(session, left("NH-2291"), "the EXIT event")
    assert {e.content_id for e in received_events(session) if e.content_id != "TW-102"} == {"NH-2291"}
    assert continue_watching(session) == []  # not in the catalog: no tile, though well past 2%


@fault("no-interstitial")
def test_no_interstitial(start_virtual_device, faulty):
    session = start_device(start_virtual_device, speed=400, faults=faulty)
    play(session, "series-tidewater-s1e1")
    # The break runs 121.5-151.5 s in; wait for the periodic event after it (181.5 s).
    wait_reports(session, lambda rs: sum(r.get("reason") == "periodic" for r in rs) >= 3, "three periodic events")
    events = active(session)
    assert all(r.state == "PLAYING" for r in events)
    assert not {"ad_start", "ad_end"} & {r.get("reason") for r in events}
    assert 3 not in [e.state for e in received_events(session)]


@fault("no-seek-events")
def test_no_seek_events(start_virtual_device, faulty):
    session = start_device(start_virtual_device, speed=20, faults=faulty)
    play(session, "movie-night-harbor")
    wait_started(session, "movie-night-harbor")
    keys(session, "MEDIA_FAST_FORWARD", "MEDIA_FAST_FORWARD", "HOME")
    events = wait_reports(session, left("movie-night-harbor"), "the EXIT event")
    assert [r.get("reason") for r in events if r["type"] == "Active"] == ["start", "leave"]
    assert events[-1].position >= 1_080_000


@fault("no-exit-on-leave")
def test_no_exit_on_leave(start_virtual_device, faulty):
    session = start_device(start_virtual_device, speed=20, faults=faulty)
    play(session, "movie-night-harbor")
    wait_started(session, "movie-night-harbor")
    keys(session, "MEDIA_FAST_FORWARD", "HOME")
    assert "HomeActivity" in sh(session, "dumpsys window | grep mCurrentFocus")
    assert [r.get("reason") for r in active(session)] == ["start", "seek"]
    assert [e.state for e in received_events(session) if e.content_id == "movie-night-harbor"] == [0, 0]


@fault("off-device-as-active")
def test_off_device_as_active(start_virtual_device, faulty):
    session = start_device(start_virtual_device, speed=20, faults=faulty)
    sh(session, LAUNCH)
    events = wait_reports(session, lambda rs: any(r["cdf_id"] == "series-tidewater-s1e2" for r in rs),
                          "the other-device progress")
    (remote,) = [r for r in events if r["cdf_id"] == "series-tidewater-s1e2"]
    assert (remote["type"], remote["reason"]) == ("Active", "open")
    # Marked Active, the other device's progress now (wrongly) drives Continue Watching.
    assert continue_watching(session) == [("series-tidewater-s1e2", "Tidewater S1 E2", 720_000)]


@fault("no-off-device-timestamp")
def test_no_off_device_timestamp(start_virtual_device, faulty):
    session = start_device(start_virtual_device, speed=20, faults=faulty)
    sh(session, LAUNCH)
    events = wait_reports(session, lambda rs: len(rs) >= 1, "the Off-Device event")
    assert events[0]["type"] == "Off-Device" and events[0].get("event_timestamp_ms") is None
    (error,) = refused_calls(session)
    assert (error.call, error.package, error.refused) == ("reportNewPlaybackEvent", PACKAGE,
                                                           "event_timestamp_ms is required")
    assert received_events(session) == []
    # The app logs the failed call (what the app profile's call_failed pattern reads); the Fire OS service
    # logs nothing of its own.
    failed = [(line.level, line.message) for line in log_lines(session) if line.tag == "ReferenceTV"
              and "failed" in line.message]
    assert failed == [("W", "reportNewPlaybackEvent failed: event_timestamp_ms is required")]
    assert vega_lines(session) == []


@fault("plain-profile-id")
def test_plain_profile_id(start_virtual_device, faulty):
    session = start_device(start_virtual_device, speed=20, faults=faulty)
    sh(session, LAUNCH)
    events = wait_reports(session, lambda rs: len(rs) >= 1, "the Off-Device event")
    assert {r["profile_id"] for r in events} == {"acct-83120577:alex"}


# -- seed 000: the trigger table -------------------------------------------------------------------

def signed_out_then_in(session) -> tuple[list[str], list[str]]:
    """Sign out, then in: (the app's debug lines' calls, the calls the service received) of the sign-in."""
    sign_out(session)
    sh(session, "logcat -c")
    before = len(received(session))
    sign_in(session)
    assert any(line.message == "signed in" for line in log_lines(session) if line.tag == "ReferenceTV")
    return [r.call for r in reports(session)], [r.call for r in received(session)[before:]]


@fault("no-entitlements-on-sign-in")
def test_no_entitlements_on_sign_in(start_virtual_device, faulty):
    session = start_device(start_virtual_device, speed=20, faults=faulty)
    assert signed_out_then_in(session) == (["reportRefreshedCustomerList"], ["reportRefreshedCustomerList"])


@fault("no-watchlist-on-sign-in")
def test_no_watchlist_on_sign_in(start_virtual_device, faulty):
    session = start_device(start_virtual_device, speed=20, faults=faulty)
    assert signed_out_then_in(session) == (["reportRefreshedContentEntitlements"], ["reportRefreshedContentEntitlements"])


@fault("share-after-sign-out")
def test_share_after_sign_out(start_virtual_device, faulty):
    session = start_device(start_virtual_device, speed=20, faults=faulty)
    sign_out(session)
    sh(session, "logcat -c")
    sh(session, "am start -a android.intent.action.VIEW -d reftv://detail/movie-night-harbor")
    play(session, "movie-night-harbor")
    wait_started(session, "movie-night-harbor")
    keys(session, "BACK")
    assert [r.call for r in reports(session)][:2] == ["reportNewContentInteraction", "reportNewPlaybackEvent"]
    assert [e.state for e in received_events(session) if e.content_id == "movie-night-harbor"] == [0, 2]


@fault("no-sync-on-open")
def test_no_sync_on_open(start_virtual_device, faulty):
    session = start_device(start_virtual_device, speed=20, faults=faulty)
    sh(session, LAUNCH)
    keys(session, "DPAD_CENTER")  # something that does report, to know the app is up
    wait_reports(session, lambda rs: len(rs) >= 1, "the detail view", call="reportNewContentInteraction")
    assert [r.call for r in reports(session)] == ["reportNewContentInteraction"]
    assert [r.call for r in received(session)] == ["reportNewContentInteraction"]


def switch_to_sam(session) -> list:
    sh(session, "am start -a android.intent.action.VIEW -d reftv://profiles; input keyevent DPAD_RIGHT DPAD_CENTER")
    assert any(line.message == "profile switched to Sam" for line in log_lines(session))
    return [r for r in reports(session) if r.get("reason") == "profile_switch"]


@fault("no-watchlist-on-profile-switch")
def test_no_watchlist_on_profile_switch(start_virtual_device, faulty):
    session = start_device(start_virtual_device, speed=20, faults=faulty)
    assert [(r.call, r.get("cdf_id")) for r in switch_to_sam(session)] == [
        ("reportNewPlaybackEvent", "movie-glass-orchard")]


@fault("no-playback-on-profile-switch")
def test_no_playback_on_profile_switch(start_virtual_device, faulty):
    session = start_device(start_virtual_device, speed=20, faults=faulty)
    assert [r.call for r in switch_to_sam(session)] == ["reportRefreshedCustomerList"]
    assert "movie-glass-orchard" not in [e.content_id for e in received_events(session)]


def detail_actions(session, cdf_id: str, *key_names: str) -> None:
    sh(session, f"am start -a android.intent.action.VIEW -d reftv://detail/{cdf_id}; "
                f"input keyevent {' '.join(key_names)}")


@fault("no-watchlist-add")
def test_no_watchlist_add(start_virtual_device, faulty):
    session = start_device(start_virtual_device, speed=20, faults=faulty)
    detail_actions(session, "movie-night-harbor", "DPAD_RIGHT", "DPAD_RIGHT", "DPAD_CENTER", "DPAD_CENTER")
    assert [r.call for r in reports(session) if "CustomerListEntry" in r.call] == ["reportRemovedCustomerListEntry"]
    assert received(session, "reportNewCustomerListEntry") == []


@fault("no-watchlist-remove")
def test_no_watchlist_remove(start_virtual_device, faulty):
    session = start_device(start_virtual_device, speed=20, faults=faulty)
    detail_actions(session, "movie-glass-orchard", "DPAD_RIGHT", "DPAD_RIGHT", "DPAD_CENTER", "DPAD_CENTER")
    assert [r.call for r in reports(session) if "CustomerListEntry" in r.call] == ["reportNewCustomerListEntry"]
    assert received(session, "reportRemovedCustomerListEntry") == []


@fault("no-entitlement-on-purchase")
def test_no_entitlement_on_purchase(start_virtual_device, faulty):
    session = start_device(start_virtual_device, speed=20, faults=faulty)
    detail_actions(session, "movie-night-harbor", *["DPAD_RIGHT"] * 5, "DPAD_CENTER")
    assert "Owned" in sh(session, "uiautomator dump /dev/tty")
    assert reports(session, "reportNewContentEntitlement") == []
    assert received(session, "reportNewContentEntitlement") == []


@fault("no-detail-interaction")
def test_no_detail_interaction(start_virtual_device, faulty):
    session = start_device(start_virtual_device, speed=20, faults=faulty)
    detail_actions(session, "movie-night-harbor", "DPAD_RIGHT", "DPAD_CENTER")  # the trailer still reports
    assert [r["type"] for r in reports(session, "reportNewContentInteraction")] == ["TRAILER_VIEW(0)"]


@fault("no-trailer-interaction")
def test_no_trailer_interaction(start_virtual_device, faulty):
    session = start_device(start_virtual_device, speed=20, faults=faulty)
    detail_actions(session, "movie-night-harbor", "DPAD_RIGHT", "DPAD_CENTER")
    assert [r["type"] for r in reports(session, "reportNewContentInteraction")] == ["DETAIL_VIEW(1)"]


@fault("no-rating-interaction")
def test_no_rating_interaction(start_virtual_device, faulty):
    session = start_device(start_virtual_device, speed=20, faults=faulty)
    detail_actions(session, "movie-night-harbor", "DPAD_RIGHT", "DPAD_RIGHT", "DPAD_RIGHT", "DPAD_CENTER",
                   "DPAD_RIGHT", "DPAD_CENTER")
    assert [r["type"] for r in reports(session, "reportNewContentInteraction")] == ["DETAIL_VIEW(1)"]
    assert "You disliked this" in sh(session, "uiautomator dump /dev/tty")


# -- the switch itself ------------------------------------------------------------------------------

def test_faults_apply_from_the_next_app_start_and_unknown_names_are_reported(start_virtual_device):
    session = start_device(start_virtual_device, speed=20)
    play(session, "movie-night-harbor")
    wait_started(session, "movie-night-harbor")
    sh(session, "setprop debug.firebridge.fault wrong-cdf-id,no-such-fault")
    keys(session, "HOME")
    play(session, "movie-night-harbor")  # same process: still the right CDF ID
    wait_started(session, "movie-night-harbor", 2)
    sh(session, f"am force-stop {PACKAGE}")
    play(session, "movie-night-harbor")  # a new process reads the switch
    wait_started(session, "NH-2291")
    app_lines = [(line.level, line.message) for line in log_lines(session) if line.tag == "ReferenceTV"
                 and not line.message.startswith("report")]
    assert ("W", "unknown fault switch 'no-such-fault' ignored (see firebridge virtual --list-faults)") in app_lines
    assert ("I", "fault switches on: wrong-cdf-id") in app_lines


def test_list_faults_prints_every_switch_with_what_breaks():
    out = subprocess.run([sys.executable, "-m", "firebridge", "virtual", "--list-faults"], capture_output=True,
                         text=True, timeout=30, check=True).stdout.splitlines()
    assert [line.split()[0] for line in out] == list(FAULTS)
    assert all(len(line.split(None, 1)) == 2 for line in out)


def test_every_fault_has_a_test():
    assert TESTED == set(FAULTS)
