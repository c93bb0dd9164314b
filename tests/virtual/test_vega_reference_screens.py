"""Reference TV's Vega screens (detail page, account, sign-in, profiles) on the virtual Vega, through the
real adb server: deep links with ``vmsgr send``, keys and text with ``inputd-cli``, the screen through the
automation toolkit (``adb forward`` to 8383), and for each Content Personalization call both journal
lines a Vega app with the SDK leaves: the app's JS console line and the data service's
``VegaAlbertoBinderService <Kind>VegaMessage`` line (seed 002's shape, docs/vega-os.md section 3)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from firebridge.capabilities.apps import AppDriver, load_profile
from firebridge.waiting import WaitTimeout

from .test_vega_adb import REFERENCE, forward, launch_with_toolkit, rpc, sh

MAIN = f"{REFERENCE}.main"
SERVICE = re.compile(r"\]: INFO com\.amazon\.com_amazon_tv_developer_dataservice\.vega\.vega_alberto_service:"
                     r"VegaAlbertoBinderService (?P<kind>\w+VegaMessage) → (?P<body>.*)$")
CONSOLE = re.compile(r" com\.firebridge\.reference\[\d+\]: INFO com\.amazon\.keplerscript: "
                     r"\[KeplerScript-JavaScript\] ReferenceTV (?P<text>.*)$")
PROFILE_ID = r"profileId=[0-9a-f]{24}"  # obfuscated (seed 002), never acct-83120577


@pytest.fixture
def stick(start_virtual_device):
    """A fresh virtual Vega stick (Content Personalization on), Reference TV's toolkit flag set."""
    session = start_virtual_device(os="vega")
    assert sh(session, "touch /tmp/automation-toolkit.enable")[0] == 0
    session.toolkit_port = forward(session)
    return session


class Journal:
    """The journal read with ``loggingctl``; ``mark()`` then ``service()`` / ``console()`` see only what
    came after."""

    def __init__(self, session) -> None:
        self.session = session
        self.since = 0

    def lines(self) -> list[str]:
        return sh(self.session, "loggingctl log -o short_precise")[1].splitlines()[self.since:]

    def mark(self) -> None:
        self.since += len(self.lines())

    def service(self, kind: str | None = None) -> list[str]:
        """The bodies of the service's lines (``message.sent_timestamp: ..., operation : NEW, ...``)."""
        return [m["body"] for m in map(SERVICE.search, self.lines()) if m and (kind is None or m["kind"] == kind)]

    def console(self) -> list[str]:
        return [m["text"] for m in map(CONSOLE.search, self.lines()) if m]


def send(session, query: str) -> None:
    status, out, _ = sh(session, f"vmsgr send 'pkg://{MAIN}?{query}'")
    assert status == 0, out


def press(session, *keys: str) -> None:
    for key in keys:
        status, out, _ = sh(session, f"inputd-cli button_press {key}")
        assert status == 0 and out.startswith("Injecting Button Press As Driver:"), out


def screen(session) -> dict[str, object]:
    """Reference TV's elements by testID: ``{id: text}``, plus ``"focused"`` (the highlighted testID: as in
    the captured page sources, the one ``selected="true"`` element, every element ``focused="false"``)
    and ``"buttons"`` (the button testIDs in order)."""
    source = json.loads(rpc(session.toolkit_port, "getPageSource"))["result"]
    root = ET.fromstring(source.split("\n", 1)[1])
    app = next(app for app in root.findall("app") if app.get("appName") == REFERENCE)
    shown: dict[str, object] = {}
    buttons = []
    for child in app.iter("child"):
        test_id = child.get("test_id", "")
        assert child.get("focused") in (None, "false"), f"{test_id} reports focused={child.get('focused')!r}"
        if test_id.isdigit():
            continue
        shown[test_id] = " ".join(t.text or "" for t in child.iter("text")).strip()
        if child.get("role") == "button":
            buttons.append(test_id)
        if child.get("selected") == "true":
            assert "focused" not in shown, f"both {shown['focused']} and {test_id} are selected"
            shown["focused"] = test_id
    shown["buttons"] = buttons
    return shown


def one(lines: list[str], pattern: str) -> str:
    found = [line for line in lines if re.search(pattern, line)]
    assert len(found) == 1, (pattern, lines)
    return found[0]


def test_the_detail_page_shows_the_titles_actions_and_reports_detail_view(stick):
    journal = Journal(stick)
    launch_with_toolkit(stick, MAIN, "?detail=movieglassorchard")
    shown = screen(stick)
    assert shown["detailTitle"] == "The Glass Orchard" and shown["detailSubtitle"] == "Movie (2019)"
    assert shown["buttons"] == ["playButton", "trailerButton", "watchlistButton", "likeButton", "dislikeButton",
                                "buyButton", "rentButton"]
    assert shown["watchlistButton"] == "Remove from Watchlist"  # on the demo profile's watchlist
    assert shown["buyButton"] == "Buy $12.99" and shown["focused"] == "playButton"
    one(journal.console(), rf"^reportNewContentInteraction type=1 contentId=movie-glass-orchard {PROFILE_ID}$")
    one(journal.service("ContentInteractionVegaMessage"),
        r"content_id id : movie-glass-orchard, content_id namespace : cdf_id, interaction_type :1, ")


def test_trailer_watchlist_ratings_and_purchase_each_make_their_call(stick):
    launch_with_toolkit(stick, MAIN, "?detail=movienightharbor")
    journal = Journal(stick)
    journal.mark()
    press(stick, "KEY_RIGHT", "KEY_ENTER")  # Trailer
    assert screen(stick)["detailStatus"] == "Playing the trailer of Night Harbor"
    press(stick, "KEY_RIGHT", "KEY_ENTER")  # Add to Watchlist
    shown = screen(stick)
    assert (shown["detailStatus"], shown["watchlistButton"]) == ("Added to your watchlist", "Remove from Watchlist")
    press(stick, "KEY_ENTER")
    assert screen(stick)["detailStatus"] == "Removed from your watchlist"
    press(stick, "KEY_RIGHT", "KEY_ENTER")  # Like
    assert screen(stick)["detailStatus"] == "You liked this"
    press(stick, "KEY_RIGHT", "KEY_ENTER")  # Dislike
    assert screen(stick)["detailStatus"] == "You disliked this"
    press(stick, "KEY_RIGHT", "KEY_ENTER")  # Buy $9.99
    shown = screen(stick)
    assert shown["detailStatus"] == "Purchased" and shown["buttons"][-2:] == ["ownedButton", "cancelPurchaseButton"]
    press(stick, "KEY_RIGHT", "KEY_ENTER")  # Cancel purchase
    assert screen(stick)["detailStatus"] == "Purchase cancelled" and "buyButton" in screen(stick)["buttons"]

    nh = "contentId=movie-night-harbor"
    assert [re.sub(r" profileId=\S+$", "", line) for line in journal.console()] == [
        f"reportNewContentInteraction type=0 {nh}",
        f"reportNewCustomerListEntry listType=WATCHLIST {nh}",
        f"reportRemovedCustomerListEntry listType=WATCHLIST {nh}",
        f"reportNewContentInteraction type=3 {nh}",
        f"reportNewContentInteraction type=4 {nh}",
        f"reportNewContentEntitlement type=1 {nh}",
        f"reportRemovedContentEntitlement type=1 {nh}",
    ]
    content = "content_id id : movie-night-harbor, content_id namespace : cdf_id"
    interactions = journal.service("ContentInteractionVegaMessage")
    assert [re.search(r"interaction_type :(\d)", body)[1] for body in interactions] == ["0", "3", "4"]
    assert all(content in body for body in interactions)
    lists = journal.service("CustomerListVegaMessage")
    assert [re.search(r"operation : (\w+), list_type :0, ", body)[1] for body in lists] == ["NEW", "REMOVED"]
    entitlements = journal.service("EntitlementsVegaMessage")
    assert [re.search(r"operation : (\w+), .*entitlement_type :1$", body)[1] for body in entitlements] == [
        "NEW", "REMOVED"]
    assert all(content in body for body in lists + entitlements)


def test_signed_out_nothing_is_shared_and_signing_in_shares_entitlements_and_watchlist(stick):
    launch_with_toolkit(stick, MAIN, "?screen=account")
    shown = screen(stick)
    assert shown["accountStatus"] == "Signed in as demo@reftv.example" and shown["accountProfile"] == "Profile: Alex"
    assert shown["buttons"] == ["switchProfileButton", "signOutButton"]
    journal = Journal(stick)
    journal.mark()
    press(stick, "KEY_DOWN", "KEY_ENTER")
    shown = screen(stick)
    assert (shown["accountMessage"], shown["accountStatus"], shown["buttons"]) == (
        "You are signed out", "Not signed in", ["signInButton"])
    assert journal.console() == ["signed out: nothing is shared from now on"]

    # Signed out: a detail page, its trailer, the watchlist and playback share nothing (seed 000).
    send(stick, "detail=movieglassorchard")
    press(stick, "KEY_RIGHT", "KEY_ENTER", "KEY_RIGHT", "KEY_ENTER")
    assert screen(stick)["detailStatus"] == "Sign in to use this"
    send(stick, "play=movieglassorchard")
    press(stick, "KEY_FASTFORWARD", "KEY_BACK", "KEY_HOMEPAGE")
    send(stick, "screen=account")  # opening the app signed out shares nothing either
    assert journal.service() == [] and journal.console() == ["signed out: nothing is shared from now on"]

    send(stick, "screen=signin")
    assert screen(stick)["focused"] == "emailInput"
    assert sh(stick, "inputd-cli send_text demo@reftv.example")[0] == 0
    press(stick, "KEY_DOWN")
    assert sh(stick, "inputd-cli send_text wrong")[0] == 0
    press(stick, "KEY_DOWN", "KEY_ENTER")
    shown = screen(stick)
    assert (shown["signInError"], shown["emailInput"], shown["passwordInput"]) == (
        "Wrong email or password", "demo@reftv.example", "•••••")
    press(stick, "KEY_UP")
    press(stick, *["KEY_BACKSPACE"] * 5)
    assert sh(stick, "inputd-cli send_text firetv123")[0] == 0
    press(stick, "KEY_DOWN", "KEY_ENTER")
    shown = screen(stick)
    assert "signInScreen" not in shown and shown["accountStatus"] == "Signed in as demo@reftv.example"
    console = journal.console()
    assert console[1:3] == ["signed in", "reportRefreshedContentEntitlements contentIds=movie-cold-meridian "
                                         "reason=sign_in"] and len(console) == 4, console
    assert re.fullmatch(rf"reportRefreshedCustomerList listType=WATCHLIST {PROFILE_ID} "
                        r"contentIds=movie-glass-orchard,series-tidewater-s1e1 reason=sign_in", console[3]), console
    one(journal.service("EntitlementsVegaMessage"),
        r"operation : REFRESH, page_index : 0, total_page_count: 1, entry_count : 1, "
        r"content_ids : \[movie-cold-meridian\], entitlement_types : \[1\]$")
    one(journal.service("CustomerListVegaMessage"),
        r"operation : REFRESH, list_type :0, .*content_ids : \[movie-glass-orchard, series-tidewater-s1e1\]$")


def test_switching_profile_shares_its_watchlist_and_its_playback_not_shared_before(stick):
    launch_with_toolkit(stick, MAIN, "?screen=profiles")
    shown = screen(stick)
    assert shown["profilesTitle"] == "Who's watching?" and shown["focused"] == "profileButton"
    journal = Journal(stick)
    journal.mark()
    press(stick, "KEY_RIGHT", "KEY_ENTER")  # Alex -> Sam
    assert "profilesScreen" not in screen(stick)
    assert journal.console()[0] == "profile switched to Sam"
    one(journal.service("CustomerListVegaMessage"), r"operation : REFRESH, list_type :0, .*content_ids : "
                                                    r"\[movie-paper-boats\]$")
    # Sam's progress on another device, shared as an Off-Device EXIT (seed 002) with its own timestamp.
    one(journal.console(), rf"^reportNewPlaybackEvent type=Off-Device contentId=movie-glass-orchard state=2 "
                           rf"positionMs=1890000 durationMs=6300000 creditsPositionMs=6000000 {PROFILE_ID} "
                           r"eventTimestampMs=\d+ reason=profile_switch$")
    one(journal.service("PlaybackEventsVegaMessage"), r"content_id id : movie-glass-orchard, .*playback_state :2, ")
    send(stick, "screen=account")
    assert screen(stick)["accountProfile"] == "Profile: Sam"


def test_the_vvd_draws_the_screens_but_shares_nothing(start_virtual_device):
    """The VVD has no Content Personalization [VVS]: the app's buttons work and no call is made."""
    vvd = start_virtual_device(os="vega", vvd=True)
    assert sh(vvd, "vsm developer-mode enable")[0] == 0
    vvd.toolkit_port = forward(vvd)
    launch_with_toolkit(vvd, MAIN, "?detail=movieglassorchard")
    press(vvd, "KEY_RIGHT", "KEY_RIGHT", "KEY_RIGHT", "KEY_ENTER")
    assert screen(vvd)["detailStatus"] == "You liked this"
    journal = Journal(vvd)
    assert journal.service() == [] and [line for line in journal.console() if line.startswith("report")] == []


def test_the_profiles_vega_recipes_drive_the_vega_build_through_the_bridge(stick):
    """The reference profile's platforms.vega recipes and log patterns, run by firebridge's AppDriver
    through the Vega driver (toolkit tree, inputd-cli keys and text, vmsgr links)."""
    profile = load_profile("reference").for_platform("vega")
    firetv = stick.firetv()
    app = AppDriver(firetv, profile)
    app.run("watchlist_add", content_id="movie-night-harbor")
    app.run("watchlist_remove", content_id="movie-night-harbor")
    app.run("like", content_id="movie-night-harbor")
    app.run("purchase", content_id="movie-paper-boats")
    app.run("cancel_purchase", content_id="movie-paper-boats")
    app.run("sign_out")
    with pytest.raises(WaitTimeout, match="signOutButton"):
        app.run("check_signed_in", timeout=1)
    app.run("sign_in")
    app.run("check_signed_in")
    app.run("switch_profile", profile="Sam")
    log = sh(stick, "loggingctl log -o short_precise")[1]
    patterns = profile.log_patterns
    assert [m["content_id"] for m in patterns["watchlist_add"].finditer(log)] == ["movie-night-harbor"]
    assert [m["content_id"] for m in patterns["watchlist_remove"].finditer(log)] == ["movie-night-harbor"]
    assert [m["content_id"] for m in patterns["entitlement"].finditer(log)] == ["movie-paper-boats"]
    interactions = [(m["type"], m["content_id"]) for m in patterns["interaction"].finditer(log)]
    assert ("3", "movie-night-harbor") in interactions and ("1", "movie-paper-boats") in interactions  # LIKE, DETAIL_VIEW
    for name in ("signed_in", "signed_out"):
        assert any(patterns[name].search(line) for line in log.splitlines()), name
    played = [m for m in patterns["playback_report"].finditer(log) if m["profile_id"]]
    assert played and all(m["type"] == "Off-Device" for m in played)  # shared on open / profile switch
