"""Reference TV (com.firebridge.reference) through adb: its screens, keys and the seed 000 triggers."""

from __future__ import annotations

import io
import re

from PIL import Image

from firebridge.waiting import wait_until

from ..cp_helpers import (PACKAGE, focused_activity, keys, nodes, play, playback_reports, received, reports, sh,
                         start_device, ui_tree, vega_lines, wait_reports, wait_started)

LAUNCH = f"monkey -p {PACKAGE} -c android.intent.category.LEANBACK_LAUNCHER 1"
ALEX_WATCHLIST = ["movie-glass-orchard", "series-tidewater-s1e1"]


def detail(session, cdf_id: str) -> None:
    sh(session, f"am start -a android.intent.action.VIEW -d reftv://detail/{cdf_id}")


def buttons(session) -> list[tuple[str, str, bool]]:
    """(resource name, text, focused) of the detail page's action buttons."""
    return [(n.get("resource-id").rsplit("/", 1)[1], n.get("text"), n.get("focused") == "true")
            for n in nodes(ui_tree(session), "detail_actions")[0]]


def test_catalog_grid_is_the_launch_screen(start_virtual_device):
    session = start_device(start_virtual_device, speed=20)
    sh(session, LAUNCH)
    tree = ui_tree(session)
    assert all(n.get("package") == PACKAGE for n in tree.iter("node"))
    tiles = nodes(tree, "tile")
    assert [t.get("content-desc") for t in tiles] == [
        "Night Harbor", "The Glass Orchard", "Paper Boats", "Cold Meridian",
        "The Long Road S1 E1", "The Long Road S1 E2", "The Long Road S1 E3",
        "Tidewater S1 E1", "Tidewater S1 E2", "Tidewater S1 E3", "Tidewater S1 E4", "RefTV News 24"]
    assert [t.get("text") for t in nodes(tree, "shelf_title")] == ["Movies", "The Long Road", "Tidewater", "Live"]
    assert [n.get("text") for n in nodes(tree, "profile_button") + nodes(tree, "account_button")] == [
        "Profile: Alex", "Account"]
    assert [n.get("content-desc") for n in tree.iter("node") if n.get("focused") == "true"] == ["Night Harbor"]
    assert focused_activity(session) == f"{PACKAGE}.ui.CatalogActivity"


def test_dpad_to_a_detail_page_reports_detail_view(start_virtual_device):
    session = start_device(start_virtual_device, speed=20)
    sh(session, LAUNCH)
    keys(session, "DPAD_RIGHT", "DPAD_CENTER")
    assert focused_activity(session) == f"{PACKAGE}.ui.DetailActivity"
    assert buttons(session) == [
        ("play_button", "Play", True), ("trailer_button", "Trailer", False),
        ("watchlist_button", "Remove from Watchlist", False), ("like_button", "Like", False),
        ("dislike_button", "Dislike", False), ("buy_button", "Buy $12.99", False), ("rent_button", "Rent $4.99", False)]
    (viewed,) = reports(session, "reportNewContentInteraction")
    assert (viewed["type"], viewed["cdf_id"]) == ("DETAIL_VIEW(1)", "movie-glass-orchard")
    (got,) = received(session, "reportNewContentInteraction")
    assert (got["content_id"], got["namespace"], got["interaction_type"]) == ("movie-glass-orchard", "cdf_id", "1")


def test_watchlist_add_and_remove(start_virtual_device):
    session = start_device(start_virtual_device, speed=20)
    detail(session, "movie-night-harbor")
    keys(session, "DPAD_RIGHT", "DPAD_RIGHT", "DPAD_CENTER")
    assert buttons(session)[2] == ("watchlist_button", "Remove from Watchlist", True)
    keys(session, "DPAD_CENTER")
    assert buttons(session)[2][1] == "Add to Watchlist"
    assert [(r.call, r["cdf_id"], r["list"]) for r in reports(session) if "CustomerListEntry" in r.call] == [
        ("reportNewCustomerListEntry", "movie-night-harbor", "WATCHLIST"),
        ("reportRemovedCustomerListEntry", "movie-night-harbor", "WATCHLIST")]
    got = [(r.call, r["list_type"], r["content_id"]) for r in received(session) if "CustomerListEntry" in r.call]
    assert got == [("reportNewCustomerListEntry", "0", "movie-night-harbor"),
                   ("reportRemovedCustomerListEntry", "0", "movie-night-harbor")]


def test_buy_rent_and_record_report_new_entitlements(start_virtual_device):
    session = start_device(start_virtual_device, speed=20)
    detail(session, "movie-night-harbor")
    keys(session, *["DPAD_RIGHT"] * 5, "DPAD_CENTER")  # Buy
    assert ("owned_button", "Owned", True) in buttons(session)
    detail(session, "movie-paper-boats")
    keys(session, *["DPAD_RIGHT"] * 6, "DPAD_CENTER")  # Rent
    detail(session, "live-reftv-news-24")
    keys(session, *["DPAD_RIGHT"] * 4, "DPAD_CENTER")  # Record
    assert buttons(session)[-1][:2] == ("record_button", "Recording")
    assert [(r["type"], r["cdf_id"]) for r in reports(session, "reportNewContentEntitlement")] == [
        ("PURCHASE(1)", "movie-night-harbor"), ("RENTAL(2)", "movie-paper-boats"), ("RECORDING(0)", "live-reftv-news-24")]
    new = received(session, "reportNewContentEntitlement")
    assert [(r["content_id"], r["entitlement_type"]) for r in new] == [
        ("movie-night-harbor", "1"), ("movie-paper-boats", "2"), ("live-reftv-news-24", "0")]


def test_cancelled_purchase_reports_the_removed_entitlement_and_can_be_bought_again(start_virtual_device):
    session = start_device(start_virtual_device, speed=20)
    detail(session, "movie-night-harbor")
    keys(session, *["DPAD_RIGHT"] * 5, "DPAD_CENTER")  # Buy
    assert buttons(session)[-1] == ("cancel_purchase_button", "Cancel purchase", False)
    keys(session, "DPAD_RIGHT", "DPAD_CENTER")  # Cancel purchase
    assert ("buy_button", "Buy $9.99", False) in buttons(session)
    assert [(r.call, r["type"]) for r in reports(session)
            if r.call in ("reportNewContentEntitlement", "reportRemovedContentEntitlement")] == [
        ("reportNewContentEntitlement", "PURCHASE(1)"), ("reportRemovedContentEntitlement", "PURCHASE(1)")]
    removed = received(session, "reportRemovedContentEntitlement")
    assert [(r["content_id"], r["entitlement_type"]) for r in removed] == [("movie-night-harbor", "1")]


def test_trailer_like_and_dislike_report_interactions(start_virtual_device):
    session = start_device(start_virtual_device, speed=20)
    detail(session, "series-long-road-s1e2")
    keys(session, "DPAD_RIGHT", "DPAD_CENTER", "DPAD_RIGHT", "DPAD_RIGHT", "DPAD_CENTER", "DPAD_RIGHT", "DPAD_CENTER")
    assert [r["type"] for r in reports(session, "reportNewContentInteraction")] == [
        "DETAIL_VIEW(1)", "TRAILER_VIEW(0)", "LIKE(3)", "DISLIKE(4)"]
    assert [r["interaction_type"] for r in received(session, "reportNewContentInteraction")] == ["1", "0", "3", "4"]
    assert playback_reports(session) == [] or all(r["type"] == "Off-Device" for r in playback_reports(session))


def test_sign_out_stops_sharing_and_sign_in_refreshes(start_virtual_device):
    session = start_device(start_virtual_device, speed=20)
    sh(session, LAUNCH)
    keys(session, "DPAD_UP", "DPAD_RIGHT", "DPAD_CENTER")  # header: Account
    assert focused_activity(session) == f"{PACKAGE}.ui.AccountActivity"
    keys(session, "DPAD_DOWN", "DPAD_CENTER")  # Sign out
    assert [n.get("text") for n in nodes(ui_tree(session), "account_status")] == ["Not signed in"]
    sh(session, "logcat -c")
    before = len(received(session))
    detail(session, "movie-night-harbor")
    play(session, "movie-night-harbor")
    keys(session, "MEDIA_FAST_FORWARD", "BACK", "BACK")
    assert reports(session) == [] and received(session)[before:] == []
    # Sign in again through the form (focus starts on the email field; SELECT = the IME's "next").
    sh(session, "am start -a android.intent.action.VIEW -d reftv://account")
    keys(session, "DPAD_CENTER")
    assert focused_activity(session) == f"{PACKAGE}.ui.SignInActivity"
    sh(session, "input text demo@reftv.example; input keyevent DPAD_DOWN; input text wrong; "
                "input keyevent DPAD_DOWN DPAD_CENTER")
    assert [n.get("text") for n in nodes(ui_tree(session), "sign_in_error")] == ["Wrong email or password"]
    sh(session, "input keyevent DPAD_UP " + "DEL " * 5 + "; input text firetv123; input keyevent DPAD_DOWN DPAD_CENTER")
    assert focused_activity(session) == f"{PACKAGE}.ui.AccountActivity"
    assert [(r.call, r["reason"]) for r in reports(session)] == [
        ("reportRefreshedContentEntitlements", "sign_in"), ("reportRefreshedCustomerList", "sign_in")]
    entitlements, watchlist = received(session)[before:]
    assert (entitlements.call, entitlements["content_ids"]) == ("reportRefreshedContentEntitlements",
                                                                 "movie-cold-meridian")
    assert (watchlist.call, watchlist["content_ids"]) == ("reportRefreshedCustomerList", ",".join(ALEX_WATCHLIST))
    assert vega_lines(session) == []  # Fire OS: the service writes no line of its own


def test_profile_switch_shares_that_profiles_watchlist_and_progress(start_virtual_device):
    session = start_device(start_virtual_device, speed=20)
    sh(session, "am start -a android.intent.action.VIEW -d reftv://profiles")
    tree = ui_tree(session)
    assert [(n.get("text"), n.get("selected")) for n in nodes(tree, "profile_button")] == [
        ("Alex", "true"), ("Sam", "false")]
    keys(session, "DPAD_RIGHT", "DPAD_CENTER")
    switched = [r for r in reports(session) if r.get("reason") == "profile_switch"]
    assert [(r.call, r.get("cdf_ids") or r.get("cdf_id")) for r in switched] == [
        ("reportRefreshedCustomerList", "movie-paper-boats"), ("reportNewPlaybackEvent", "movie-glass-orchard")]
    assert (switched[1]["type"], switched[1].state, switched[1].position) == ("Off-Device", "EXIT", 1_890_000)
    alex = {r["profile_id"] for r in reports(session) if r.get("reason") == "open" and r.get("profile_id")}
    sam = {r["profile_id"] for r in switched}
    assert len(alex) == 1 and len(sam) == 1 and alex != sam
    for profile_id in alex | sam:  # obfuscated: no account id, no profile name
        assert re.fullmatch(r"[0-9a-f]{24}", profile_id)
    assert received(session, "reportRefreshedCustomerList")[-1]["content_ids"] == "movie-paper-boats"


def test_player_screen_keys_and_idle_state(start_virtual_device):
    session = start_device(start_virtual_device, speed=50)
    play(session, "movie-night-harbor")
    busy = session.adb("shell", "uiautomator dump")
    assert busy.stderr == b"ERROR: could not get idle state.\n"  # video never lets the UI go idle
    wait_started(session, "movie-night-harbor")
    keys(session, "MEDIA_FAST_FORWARD", "MEDIA_FAST_FORWARD", "MEDIA_PLAY_PAUSE", "MEDIA_REWIND")
    tree = ui_tree(session)
    assert [n.get("text") for n in nodes(tree, "player_title") + nodes(tree, "player_state")] == [
        "Night Harbor", "Paused"]
    (progress,) = nodes(tree, "player_progress")
    assert re.fullmatch(r"0:(09|1\d):\d\d / 1:30:00", progress.get("content-desc"))
    active = [r for r in playback_reports(session) if r["type"] == "Active"]
    moves = [(r.state, r["reason"]) for r in active]
    assert moves == [("PLAYING", "start"), ("PLAYING", "seek"), ("PLAYING", "seek"), ("PAUSED", "pause"),
                     ("PAUSED", "seek")]
    positions = [r.position for r in active]
    assert positions[2] - positions[1] >= 540_000 and positions[4] == positions[3] - 540_000
    png = session.adb("exec-out", "screencap", "-p").stdout
    assert Image.open(io.BytesIO(png)).size == (1920, 1080)


def test_back_leaves_the_player_with_exit_and_the_detail_page_offers_resume(start_virtual_device):
    session = start_device(start_virtual_device, speed=20)
    detail(session, "movie-paper-boats")
    keys(session, "DPAD_CENTER")  # Play
    wait_started(session, "movie-paper-boats")
    keys(session, "MEDIA_FAST_FORWARD", "BACK")
    assert focused_activity(session) == f"{PACKAGE}.ui.DetailActivity"
    assert [(r.state, r["reason"]) for r in playback_reports(session)][-1] == ("EXIT", "leave")
    assert buttons(session)[0] == ("play_button", "Resume", True)


def test_reopening_the_app_syncs_again_and_the_player_restores_its_position(start_virtual_device):
    session = start_device(start_virtual_device, speed=20)
    play(session, "movie-night-harbor")
    wait_started(session, "movie-night-harbor")
    keys(session, "MEDIA_FAST_FORWARD", "HOME")
    left = playback_reports(session)[-1]
    assert (left.state, left["reason"]) == ("EXIT", "leave")
    play(session, "movie-night-harbor")  # the app's task comes back with the player on top
    reports_now = wait_started(session, "movie-night-harbor", 2)
    assert reports_now[-1].position == left.position
    opens = [r for r in reports(session) if r.get("reason") == "open"]
    # Each open: entitlements, watchlist, and the other device's progress, which has moved on since.
    assert [r.call for r in opens] == ["reportRefreshedContentEntitlements", "reportRefreshedCustomerList",
                                       "reportNewPlaybackEvent"] * 2
    first, second = [r for r in opens if r.call == "reportNewPlaybackEvent"]
    assert first["type"] == second["type"] == "Off-Device"
    assert second.position > first.position


def test_every_open_has_other_device_news_night_after_night_even_after_playing_the_title_here(start_virtual_device):
    """A lab opens the app hundreds of times on the same device: the other device's progress must never
    run out (it restarts the title after the credits) nor vanish when the title is played here."""
    session = start_device(start_virtual_device, speed=1000)
    play(session, "series-tidewater-s1e2")  # Alex's other-device title, now also played on this device
    wait_started(session, "series-tidewater-s1e2")
    keys(session, "HOME")
    before = sum(r.get("reason") == "open" for r in playback_reports(session))  # the play link opened it too
    for opened in range(1, 9):  # 8 opens >= 200 device s apart: 180 s steps from 15:00 pass 27:30 once
        opened_at = int(sh(session, "date +%s"))
        wait_until(lambda: int(sh(session, "date +%s")) >= opened_at + 200, 10, "200 device seconds to pass")
        sh(session, f"am force-stop {PACKAGE}; {LAUNCH}")
        wait_reports(session, lambda rs, n=before + opened: sum(r.get("reason") == "open" for r in rs) == n,
                     f"the Off-Device event of app open {opened}")
    positions = [r.position for r in playback_reports(session) if r.get("reason") == "open"]
    assert all(r["type"] == "Off-Device" for r in playback_reports(session) if r.get("reason") == "open")
    assert any(later < earlier for earlier, later in zip(positions, positions[1:])), positions  # started again


def test_unknown_content_shows_an_error_and_reports_no_playback(start_virtual_device):
    session = start_device(start_virtual_device, speed=20)
    play(session, "movie-does-not-exist")
    tree = ui_tree(session)  # no video: idle at once
    assert [n.get("text") for n in nodes(tree, "player_error")] == ["This title is not available"]
    keys(session, "BACK")
    assert [r for r in playback_reports(session) if r["type"] == "Active"] == []
    wait_reports(session, lambda rs: len(rs) >= 1, "the open sync", call="reportRefreshedCustomerList")


def test_dumpsys_media_session_follows_the_player(start_virtual_device):
    session = start_device(start_virtual_device, speed=20)
    assert "0 Sessions:" in sh(session, "dumpsys media_session")
    play(session, "movie-night-harbor")
    wait_started(session, "movie-night-harbor")
    keys(session, "MEDIA_PLAY_PAUSE")
    dump = sh(session, "dumpsys media_session")
    # The Fire OS 6 layout of the real Fire TV Stick capture: parsed as python-androidtv parses it.
    assert dump.startswith("MEDIA SESSION SERVICE (dumpsys media_session)\n\n1 sessions listeners.\n1 Sessions:\n"
                           "ReferenceTV com.firebridge.reference/ReferenceTV\n")
    assert re.search(r"^  state=PlaybackState \{state=(?P<state>[0-9]+), position=(?P<position>[0-9]+),", dump,
                     re.M).group("state") == "2"  # PAUSED
    assert "  active=true\n" in dump and "description=Night Harbor, null, null" in dump
    keys(session, "HOME")
    assert "  active=false\n" in sh(session, "dumpsys media_session")


def test_dumpsys_media_session_newer_layout_on_fire_os_8(start_virtual_device):
    session = start_virtual_device(speed=20, model="AFTKM")
    play(session, "movie-night-harbor")
    wait_started(session, "movie-night-harbor")
    dump = sh(session, "dumpsys media_session")
    assert "Global priority session is null\nUser Records:\nRecord for full_user=0\n" in dump
    assert "  Sessions Stack - have 1 sessions:\n    ReferenceTV com.firebridge.reference/ReferenceTV (userId=0)\n" in dump
    assert re.search(r"^      state=PlaybackState \{state=3, position=\d+, buffered position=0, speed=1\.0,", dump, re.M)
