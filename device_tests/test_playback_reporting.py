"""Seed 002's reporting rules ("When to send", "What to send", the Do / Do-Not table, "Incorrect CDF IDs"),
one test each, checked on the playback events the app reports while a title plays.

Positions and profile ids come from the app's debug line (the app profile's ``log_patterns.playback_report``);
content ids, namespaces, durations and credits also from what the platform's evidence shows was received
(``Player.received``: Fire TV's data service line on Vega OS, the app's own line on Fire OS). Waits are in device
time (``device_clock``), so the 60-second and ad-break rules take seconds on the 20x virtual Fire TV and
about two and a half minutes each on hardware.
"""

from __future__ import annotations

import pytest

from firebridge.capabilities.apps import AppProfile, CatalogEntry
from firebridge.capabilities.personalization import PlaybackState

from . import rules
from .playback import Player, hardware_timeout
from .rules import Report, broken, clock

pytestmark = hardware_timeout()
TOLERANCE_MS = 5000  # how far a reported position may be from the expected one
PERIOD_S = 60.0  # seed 002: "Once every 60 seconds while in the player"
PERIOD_TOLERANCE_S = 6.0
SPAN_S = 72.0  # device seconds spent playing, then paused: longer than a period and its tolerance
AD_WAIT_S = 180.0  # device seconds an ad break may last before PLAYING must resume


# -- choosing titles from the app profile ---------------------------------------------------------
def _movie(profile: AppProfile, credits: bool | None = None) -> CatalogEntry:
    movies = [e for e in profile.movies if credits is None or (e.credits_ms is not None) == credits]
    if not movies:
        pytest.skip(f"the app profile {profile.name} has no movie{' with' if credits else ' without'} "
                    f"credits_ms in its catalog")
    return movies[0]


def _without_ads(profile: AppProfile) -> CatalogEntry:
    """A title long enough for the periodic test, with no ad break known (pausing is refused during ads)."""
    long_enough = [e for e in profile.movies + profile.episodes if (e.duration_ms or 0) >= 600_000]
    quiet = [e for e in long_enough if not e.ad_marks_ms]
    if not (quiet or long_enough):
        pytest.skip(f"the app profile {profile.name} has no title of 10 minutes or more")
    return (quiet or long_enough)[0]


def _open(player: Player, entry: CatalogEntry) -> tuple[int, Report]:
    since, first = player.open(entry)
    return since, rules.require_report(first, "state_change", f"When '{entry.display_title}' was opened", entry)


def _open_with_room(player: Player, entry: CatalogEntry, room_ms: int) -> tuple[int, Report]:
    """Open ``entry`` with at least ``room_ms`` of content ahead before the end (rewinding if needed)."""
    since, first = _open(player, entry)
    finished = entry.finished_at_ms() or entry.duration_ms or 0
    if first.position_ms + room_ms >= finished:
        first = player.rewind_to_start(TOLERANCE_MS) or first
    return since, first


# -- When to send ---------------------------------------------------------------------------------------
def test_event_on_each_state_change_and_seek(scenario, app_profile: AppProfile, player: Player) -> None:
    scenario("An event on each playback state change and each seek")
    entry = _movie(app_profile)
    _, report = _open_with_room(player, entry, entry.position_at(0.3))
    rules.require_state(report, PlaybackState.PLAYING, f"When '{entry.display_title}' started playing", entry)

    report = rules.require_state(player.act("pause")[1], PlaybackState.PAUSED, "After PAUSE (PLAY_PAUSE)", entry)
    report = rules.require_state(player.act("resume")[1], PlaybackState.PLAYING, "After PLAY (PLAY_PAUSE)", entry)
    before = report.position_ms
    report = rules.require_report(player.act("fast_forward")[1], "seek", "After FAST_FORWARD (a seek)", entry)
    if report.position_ms <= before + TOLERANCE_MS:
        raise broken("seek", f"after FAST_FORWARD the app reported {report.describe()}, not a new position past "
                             f"{clock(before)}")
    before = report.position_ms
    report = rules.require_report(player.act("rewind")[1], "seek", "After REWIND (a seek)", entry)
    if report.position_ms >= before - TOLERANCE_MS:
        raise broken("seek", f"after REWIND the app reported {report.describe()}, not a new position before "
                             f"{clock(before)}")
    player.act("back")


def test_event_every_60_seconds_in_the_player(scenario, app_profile: AppProfile, player: Player) -> None:
    scenario("An event every 60 s in the player, playing or paused")
    entry = _without_ads(app_profile)
    since, start = _open_with_room(player, entry, int(2 * SPAN_S * 1000))
    start = player.reports(since)[-1]  # after a rewind, the report at the start
    rules.require_state(start, PlaybackState.PLAYING, f"When '{entry.display_title}' started playing", entry)
    player.wait_device_seconds(SPAN_S)
    paused = rules.require_state(player.act("pause")[1], PlaybackState.PAUSED, "After PAUSE (PLAY_PAUSE)", entry)
    paused_at_ms = player.clock.now_ms()
    player.wait_device_seconds(SPAN_S)
    end_s = paused.at_s + (player.clock.now_ms() - paused_at_ms) / 1000
    player.sync()  # every line logged until end_s read, however far behind the tail is
    reports = player.reports(since)
    max_gap = PERIOD_S + PERIOD_TOLERANCE_S
    rules.require_periodic(reports, (start.at_s, paused.at_s), "playing", max_gap, entry)
    rules.require_periodic(reports, (paused.at_s, end_s), "paused", max_gap, entry)
    player.act("back")


# -- Do: EXIT, not PAUSE ------------------------------------------------------------------------------------
@pytest.mark.parametrize("how", ["completed", "back", "home while paused"])
def test_exit_not_pause_when_playback_completes_or_is_left(how: str, scenario, app_profile: AppProfile,
                                                          player: Player) -> None:
    scenario({"completed": "EXIT, not PAUSE, when playback completes",
              "back": "EXIT, not PAUSE, when BACK leaves the player",
              "home while paused": "EXIT, not PAUSE, when HOME leaves the paused player"}[how])
    entry = _movie(app_profile)
    since, _ = _open_with_room(player, entry, entry.position_at(0.1))
    if how == "completed":
        last = player.seek_to_end(entry)
        report = rules.require_exit(last, "When playback was fast-forwarded to the end and completed", entry)
        finished = entry.finished_at_ms() or entry.duration_ms or 0
        if report.position_ms < finished - TOLERANCE_MS:
            raise broken("exit", f"when playback completed the app reported {report.describe()}, before the end "
                                 f"({clock(finished)})")
    elif how == "back":
        rules.require_exit(player.act("back")[1], "After BACK left the player", entry)
    else:
        rules.require_state(player.act("pause")[1], PlaybackState.PAUSED, "After PAUSE (PLAY_PAUSE)", entry)
        rules.require_exit(player.act("home")[1], "After HOME left the paused player", entry)
    if not any(s.playback_state == PlaybackState.EXIT for s in player.received(since)):
        raise broken("exit", f"{player.received_source} show no EXIT (2) playback event for "
                             f"'{entry.display_title}'")


# -- Do not: report before the player restores the position --------------------------------------------------
def test_no_position_before_the_player_restores_it(scenario, app_profile: AppProfile, player: Player) -> None:
    scenario("The first event after opening carries the saved position")
    entry = _movie(app_profile)
    _, first = _open(player, entry)
    last = first
    if not entry.position_at(0.05) <= first.position_ms <= entry.position_at(0.8):
        last = player.rewind_to_start(TOLERANCE_MS) or last
        for _ in range(3):
            last = player.act("fast_forward")[1] or last
            if last.position_ms >= entry.position_at(0.05):
                break
    last = player.act("back")[1] or player.reports()[-1]
    saved = last.position_ms
    if saved < entry.position_at(0.02):
        pytest.fail(f"setting up: '{entry.display_title}' could not be left in progress (the app reported "
                    f"{last.describe()}) {rules.RULES['seek']}")

    _, reopened = player.open(entry)
    reopened = rules.require_report(reopened, "state_change", f"When '{entry.display_title}' was opened again", entry)
    if abs(reopened.position_ms - saved) > TOLERANCE_MS:
        raise broken("restored_position", f"when '{entry.display_title}' was opened again, the app's first playback "
                                          f"event was {reopened.describe()}, but it was left at {clock(saved)} "
                                          f"(the position the player restores)")
    player.act("back")


# -- Do: INTERSTITIAL during ads, content position frozen ---------------------------------------------------
def test_interstitial_with_the_content_position_frozen_during_ads(scenario, app_profile: AppProfile,
                                                                  player: Player) -> None:
    scenario("INTERSTITIAL during an ad break, the content position frozen")
    with_ads = [e for e in app_profile.movies + app_profile.episodes if e.ad_marks_ms]
    if not with_ads:
        pytest.skip(f"no title of the app profile {app_profile.name} lists ad_marks_ms (where its ad breaks are)")
    entry = min(with_ads, key=lambda e: e.ad_marks_ms[0])
    mark = entry.ad_marks_ms[0]
    since, first = _open(player, entry)
    if first.position_ms > mark - TOLERANCE_MS:
        # A player skips ad breaks before where it resumes: start the title over.
        player.rewind_to_start(TOLERANCE_MS, pause_first=True)
        player.act("back")
        since, first = _open(player, entry)
        if first.position_ms > mark - TOLERANCE_MS:
            pytest.fail(f"setting up: '{entry.display_title}' resumes at {clock(first.position_ms)}, past its ad "
                        f"break at {clock(mark)}, even after rewinding to the start")

    wait_s = (mark - first.position_ms) / 1000 + 20
    ad = player.wait_report(since, wait_s, lambda r: r.state == PlaybackState.INTERSTITIAL)
    if ad is None:
        raise broken("interstitial", f"'{entry.display_title}' played through its ad break at {clock(mark)} "
                                     f"(waited until {clock(mark + 20_000)} of content) and the app sent no "
                                     f"INTERSTITIAL (3) event")
    if abs(ad.position_ms - mark) > TOLERANCE_MS:
        raise broken("interstitial", f"when the ad break at {clock(mark)} of '{entry.display_title}' started the "
                                     f"app reported {ad.describe()}, not the content position {clock(mark)}")
    resumed = player.wait_report(since, AD_WAIT_S,
                                 lambda r: r.at_s > ad.at_s and r.state != PlaybackState.INTERSTITIAL)
    if resumed is None:
        raise broken("state_change", f"after the ad break at {clock(mark)} of '{entry.display_title}' the app sent "
                                     f"no event leaving INTERSTITIAL within {AD_WAIT_S:.0f} s")
    for report in player.reports(since):
        if ad.at_s <= report.at_s <= resumed.at_s and abs(report.position_ms - ad.position_ms) > TOLERANCE_MS:
            raise broken("frozen_position", f"the content stood at {clock(ad.position_ms)} when the ad break began, "
                                            f"but the app then reported {report.describe()} for "
                                            f"'{entry.display_title}' (the ad's time counted as content)")
    rules.require_state(resumed, PlaybackState.PLAYING, "When the ad break ended", entry)
    # Leave the title at its start, so that the next run reaches the ad break without starting it over.
    player.rewind_to_start(TOLERANCE_MS, pause_first=True)
    player.act("back")


# -- What to send ---------------------------------------------------------------------------------------------
def _play_briefly(player: Player, entry: CatalogEntry) -> int:
    """Open, seek once, leave: a handful of events to inspect; returns the log mark."""
    since, _ = _open_with_room(player, entry, entry.position_at(0.2))
    player.act("fast_forward")
    player.act("back")
    return since


def test_required_fields_present(scenario, app_profile: AppProfile, player: Player) -> None:
    scenario("Required fields in every playback event (credits when known)")
    entry = _movie(app_profile, credits=True)
    since = _play_briefly(player, entry)
    reports, received = player.reports(since), player.received(since)
    if not received:
        raise broken("fields", f"{player.received_source} show no playback event while "
                               f"'{entry.display_title}' played: the events were not sent")
    for service in received:
        rules.require_received_fields(service, entry, player.received_source, player.received_shows)
    for report in reports:
        rules.require_app_fields(report, entry, "profile_id" in player.pattern.groupindex)


def test_profile_id_is_obfuscated(scenario, app_profile: AppProfile, player: Player) -> None:
    scenario("The profile id is obfuscated, not the account's plain id")
    if "profile_id" not in player.pattern.groupindex:
        pytest.skip("the app profile's log_patterns.playback_report has no (?P<profile_id>...) group")
    entry = _movie(app_profile)
    since = _play_briefly(player, entry)
    params = app_profile.params
    email = params.get("email", "")
    plain = [params.get("account_id", ""), email, email.split("@")[0], params.get("profile", "")]
    for report in player.reports(since):
        rules.require_obfuscated(report, [p for p in plain if p], entry)


def test_reports_carry_the_catalogs_cdf_id(scenario, app_profile: AppProfile, player: Player) -> None:
    scenario("Reports carry the catalog's CDF ID")
    entry = _movie(app_profile)
    since = _play_briefly(player, entry)
    reports = player.reports(since)
    rules.require_report(reports[0] if reports else None, "state_change", f"When '{entry.display_title}' played",
                         entry)
    rules.require_catalog_id(reports, player.received(since), entry, player.received_source)
