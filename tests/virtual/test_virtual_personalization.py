"""The virtual Fire TV's Content Personalization service and Continue Watching rules.

Pure unit tests of the rules and the service model first (with the data service's journal line, which
the Vega OS personality turns on: seed 002's format); then the behaviour through adb on the virtual Fire
TV, driving Reference TV with shell commands a Fire TV accepts and reading back the app's logcat lines and
the virtual-only ``dumpsys content_personalization`` (what the service received, and its row; the
launcher's row is another module's). On Fire OS the service writes no log line: no public source shows one.
"""

from __future__ import annotations

import pytest

from firebridge.virtual.personalization import consent
from firebridge.virtual.fireos.personalization import (CatalogTitle, ChunkProvider, ContentId, ContentPersonalizationService,
                                                ContinueWatchingRow, CustomerListEntry, CustomerListType, EventType,
                                                Outcome, PlaybackEvent, PlaybackState, ProfileId, messages)
from firebridge.virtual.personalization.continue_watching import is_finished, reached_add_threshold
from firebridge.virtual.fireos.personality import create_device

from ..cp_helpers import (SEED_LINE, consent_on, continue_watching, keys, play, playback_reports, received_events, sh,
                         start_device, vega_lines, wait_reports, wait_started)

# -- pure: the rules ---------------------------------------------------------------------------------

MOVIE = CatalogTitle("m1", "Movie One", 100_000, "x://play/m1", credits_position_ms=90_000)
SHORT = CatalogTitle("s1", "Short", 100_000, "x://play/s1")  # no credits: 95% rule
EP1 = CatalogTitle("e1", "Show S1 E1", 100_000, "x://play/e1", 96_000, next_content_id="e2")
EP2 = CatalogTitle("e2", "Show S1 E2", 120_000, "x://play/e2", 110_000)
LIVE = CatalogTitle("live", "News", 1_800_000, "x://play/live", live=True)
CATALOG = {t.content_id: t for t in (MOVIE, SHORT, EP1, EP2, LIVE)}


def lookup(package: str, content_id: str):
    return CATALOG.get(content_id) if package == "pkg" else None


def ids(row: ContinueWatchingRow) -> list[str]:
    return [entry.content_id for entry in row.entries()]


def test_thresholds():
    assert not reached_add_threshold(1_999, 100_000) and reached_add_threshold(2_000, 100_000)
    assert not is_finished(89_999, 100_000, 90_000) and is_finished(90_000, 100_000, 90_000)
    assert not is_finished(94_999, 100_000, None) and is_finished(95_000, 100_000, None)
    assert not reached_add_threshold(0, 0) and not is_finished(0, 0, None)


def test_row_adds_at_two_percent_and_orders_most_recent_first():
    row = ContinueWatchingRow()
    assert row.apply("pkg", "m1", 1_999, 100_000, 90_000, 1.0, lookup) is Outcome.BELOW_THRESHOLD
    assert ids(row) == []
    assert row.apply("pkg", "m1", 2_000, 100_000, 90_000, 2.0, lookup) is Outcome.ADDED
    assert row.apply("pkg", "s1", 50_000, 100_000, None, 3.0, lookup) is Outcome.ADDED
    assert ids(row) == ["s1", "m1"]
    # Any later event of a title in the row (even below 2%) updates it and moves it first.
    assert row.apply("pkg", "m1", 1_000, 100_000, 90_000, 3.0, lookup) is Outcome.UPDATED
    assert ids(row) == ["m1", "s1"] and row.entries()[0].position_ms == 1_000


def test_row_removes_finished_titles_and_brings_the_next_episode():
    row = ContinueWatchingRow()
    for content_id in ("s1", "m1", "e1"):
        row.apply("pkg", content_id, 10_000, 100_000, CATALOG[content_id].credits_position_ms, 1.0, lookup)
    assert row.apply("pkg", "m1", 90_000, 100_000, 90_000, 2.0, lookup) is Outcome.FINISHED  # at the credits
    assert row.apply("pkg", "s1", 95_000, 100_000, None, 2.0, lookup) is Outcome.FINISHED  # 95%, no credits
    assert ids(row) == ["e1"]
    assert row.apply("pkg", "e1", 96_000, 100_000, 96_000, 3.0, lookup) is Outcome.NEXT_EPISODE
    assert [(e.content_id, e.position_ms, e.duration_ms) for e in row.entries()] == [("e2", 0, 120_000)]
    assert row.apply("pkg", "e2", 119_000, 120_000, 110_000, 4.0, lookup) is Outcome.FINISHED  # last episode
    assert ids(row) == []


def test_row_ignores_unknown_ids_and_live_and_supports_removal():
    row = ContinueWatchingRow()
    assert row.apply("pkg", "NOT-A-CDF-ID", 50_000, 100_000, None, 1.0, lookup) is Outcome.UNKNOWN_CONTENT
    assert row.apply("other.pkg", "m1", 50_000, 100_000, None, 1.0, lookup) is Outcome.UNKNOWN_CONTENT
    assert row.apply("pkg", "live", 900_000, 1_800_000, None, 1.0, lookup) is Outcome.LIVE
    row.apply("pkg", "m1", 50_000, 100_000, 90_000, 1.0, lookup)
    assert row.remove("m1") and not row.remove("m1") and ids(row) == []


# -- pure: the service model -------------------------------------------------------------------------

@pytest.fixture
def service(tmp_path) -> ContentPersonalizationService:
    device = create_device(tmp_path)
    device.settings["secure"][consent.SHARE_APP_VIEWING_KEY] = "1"
    device.settings["secure"][consent.SYNC_ACROSS_DEVICES_KEY] = "1"
    svc = ContentPersonalizationService(device, log_calls=True)  # Vega OS's journal line (seed 002)
    svc.register_catalog("pkg", CATALOG.values())
    return svc


def event(cid="m1", position=50_000, state=PlaybackState.PLAYING, kind=EventType.ACTIVE, **changes):
    fields = dict(content_id=ContentId(cid), profile_id=ProfileId("p"), duration_ms=100_000,
                  position_ms=position, playback_state=state, credits_position_ms=90_000)
    fields.update(changes)
    return PlaybackEvent(kind, **fields)


def service_lines(service, level=None):
    return [e.message for e in service.device.log.entries()
            if e.tag == messages.TAG and (level is None or e.level == level)]


def test_service_logs_the_seed_line_and_keeps_the_row(service):
    assert service.report_playback_event("pkg", event())
    (line,) = service_lines(service, "I")
    match = SEED_LINE.match(line)
    assert match and match["content_id"] == "m1" and match["state"] == "0" and match["credits"] == "90000"
    assert match["sent"] == match["event_ts"]  # Active: the system stamps the event itself
    assert [(i.content_id, i.title, i.deep_link) for i in service.continue_watching()] == [
        ("m1", "Movie One", "x://play/m1")]
    service.remove_from_continue_watching("m1")
    assert service.continue_watching() == []


def test_a_live_event_without_credits_has_the_seed_format_too(service):
    live = event("live", credits_position_ms=None)
    assert service.report_playback_event("pkg", live)
    match = SEED_LINE.match(service_lines(service, "I")[0])
    assert match and match["content_id"] == "live" and match["credits"] == "0"


def test_the_fire_os_service_logs_nothing_but_keeps_what_it_received(tmp_path):
    """No public source shows a Fire OS log line for these calls: the Fire OS personality's service writes
    none, for accepted or refused calls, and keeps them for dumpsys and the app (``last_rejection``)."""
    device = create_device(tmp_path)
    quiet = device.personalization
    assert quiet.log_calls is False
    quiet.register_catalog("pkg", CATALOG.values())
    assert quiet.report_playback_event("pkg", event())
    assert not quiet.report_playback_event("pkg", event(kind=EventType.OFF_DEVICE))
    assert [e for e in device.log.entries() if e.tag == messages.TAG or "VegaMessage" in e.message] == []
    accepted, refused = quiet.received
    assert (accepted.call, dict(accepted.fields)["content_id"], accepted.refused) == ("reportNewPlaybackEvent", "m1", None)
    assert refused.refused == quiet.last_rejection == "event_timestamp_ms is required"


def test_off_device_events_are_logged_with_their_timestamp_but_never_change_the_row(service):
    assert service.report_playback_event("pkg", event(kind=EventType.OFF_DEVICE, state=PlaybackState.EXIT,
                                                      event_timestamp_ms=1_600_000_000_000))
    match = SEED_LINE.match(service_lines(service, "I")[0])
    assert match and match["event_ts"] == "1600000000000" and match["state"] == "2"
    assert service.continue_watching() == []


def test_consent_gates_the_row_not_the_log(service):
    service.device.settings["secure"][consent.SYNC_ACROSS_DEVICES_KEY] = "0"
    assert service.report_playback_event("pkg", event())
    assert len(service_lines(service, "I")) == 1 and service.continue_watching() == []


@pytest.mark.parametrize("bad, reason", [
    (dict(kind=EventType.OFF_DEVICE), "event_timestamp_ms is required"),
    (dict(profile_id=None), "profile_id is required"),
    (dict(content_id=ContentId("m1", "imdb")), "namespace 'imdb'"),
    (dict(position=-1), "playback_position_ms must be a non-negative integer"),
    (dict(duration_ms=None), "duration_ms is required"),
    (dict(state=None), "playback_state is required"),
    (dict(profile_id=ProfileId("p", "email")), "is not app_internal"),
])
def test_service_rejects_what_the_sdk_would_refuse(service, bad, reason):
    assert not service.report_playback_event("pkg", event(**bad))
    (error,) = service_lines(service, "E")
    assert "PlaybackEventsVegaMessage rejected → reason: " in error and reason in error and "package : pkg" in error
    assert service_lines(service, "I") == [] and service.continue_watching() == []


def test_rows_are_per_fire_tv_profile(service):
    service.report_playback_event("pkg", event("m1"))
    service.device.fire_tv_profile = "second"  # the device's active Fire TV profile
    service.report_playback_event("pkg", event("s1"))
    assert [i.content_id for i in service.continue_watching()] == ["s1"]
    assert [i.content_id for i in service.continue_watching("default")] == ["m1"]


def test_in_app_profiles_share_the_fire_tv_profiles_row(service):
    # Seed 002 troubleshooting: events of several in-app profiles land in one Fire TV profile's row.
    service.report_playback_event("pkg", event("m1", profile_id=ProfileId("app-profile-a")))
    service.report_playback_event("pkg", event("s1", profile_id=ProfileId("app-profile-b")))
    assert [i.content_id for i in service.continue_watching()] == ["s1", "m1"]


def test_refreshes_pull_pages_from_the_app_handlers(service):
    assert not service.report_refreshed_customer_list("pkg", CustomerListType.WATCHLIST)  # no handler yet

    def watchlist(list_type, provider: ChunkProvider):
        provider.add_chunk([CustomerListEntry(ContentId("m1"), ProfileId("p"))])
        provider.add_chunk([CustomerListEntry(ContentId("e1"), ProfileId("p"))])
        provider.commit()

    def playback(since_ms, provider: ChunkProvider):
        provider.add_chunk([event("e1", kind=EventType.OFF_DEVICE, state=PlaybackState.EXIT, event_timestamp_ms=5)]
                           if since_ms == 0 else [])
        provider.commit()

    service.set_customer_list_entries_handler("pkg", watchlist)
    service.set_playback_events_handler("pkg", playback)
    assert service.report_refreshed_customer_list("pkg", CustomerListType.WATCHLIST)
    assert service.report_refreshed_playback_events("pkg") and service.report_refreshed_playback_events("pkg")
    lines = service_lines(service, "I")
    assert "operation : REFRESH, list_type :0, page_index : 0, total_page_count: 2, entry_count : 1, " \
           "content_ids : [m1]" in lines[0]
    assert "page_index : 1, total_page_count: 2" in lines[1] and "content_ids : [e1]" in lines[1]
    assert len([line for line in lines if "PlaybackEventsVegaMessage" in line]) == 1  # the second pull was empty
    assert service.watchlists["pkg"]["p"] == ["m1", "e1"] and service.continue_watching() == []


# -- through adb: Reference TV reporting to the service ----------------------------------------------

MOVIE_ID = "movie-night-harbor"  # 90 min, credits at 86 min, ads at 30 and 60 min
MOVIE_2 = "movie-glass-orchard"


def exit_reported(cdf_id: str):
    return lambda rs: any(r["cdf_id"] == cdf_id and r.state in ("EXIT", "PAUSED") and r.get("reason") in
                          ("leave", "complete") for r in rs)


def watch_past_two_percent(session, cdf_id: str, presses: int = 1) -> None:
    """Start a title, wait for the restore, fast-forward one 10% step, then go Home."""
    before = len([r for r in playback_reports(session) if r.get("reason") == "start" and r["cdf_id"] == cdf_id])
    play(session, cdf_id)
    wait_started(session, cdf_id, before + 1)
    keys(session, *["MEDIA_FAST_FORWARD"] * presses)
    keys(session, "HOME")


def test_play_and_exit_reach_the_service_and_add_the_tile(start_virtual_device):
    session = start_device(start_virtual_device, speed=20)
    watch_past_two_percent(session, MOVIE_ID)
    events = [e for e in received_events(session) if e.content_id == MOVIE_ID]
    assert [e.state for e in events] == [0, 0, 2]  # start, seek, exit (HOME)
    assert all(e.duration == 5_400_000 and e.credits == 5_160_000 for e in events)
    # Fire OS: no Vega journal line in logcat (seed 002's line is checked on Vega, tests/virtual/test_vega_adb.py).
    assert vega_lines(session) == []
    # The app's debug lines carry the CDF ID, position, profile and the event type.
    debug = [r for r in playback_reports(session) if r["cdf_id"] == MOVIE_ID]
    assert [(r.state, r["type"], r["reason"]) for r in debug] == [
        ("PLAYING", "Active", "start"), ("PLAYING", "Active", "seek"), ("EXIT", "Active", "leave")]
    assert debug[0].position == 0 and debug[1].position >= 540_000 and debug[2].position >= debug[1].position
    assert continue_watching(session)[0][:2] == (MOVIE_ID, "Night Harbor")


def test_title_below_two_percent_is_not_added(start_virtual_device):
    session = start_device(start_virtual_device, speed=20)
    play(session, MOVIE_ID)
    wait_started(session, MOVIE_ID)
    keys(session, "MEDIA_PLAY_PAUSE", "HOME")  # pause immediately, go Home
    reports = wait_reports(session, exit_reported(MOVIE_ID), "the EXIT event")
    assert [r.state for r in reports if r["cdf_id"] == MOVIE_ID] == ["PLAYING", "PAUSED", "EXIT"]
    assert reports[-1].position < 0.02 * 5_400_000
    assert continue_watching(session) == []


def test_finished_movie_leaves_the_row(start_virtual_device):
    session = start_device(start_virtual_device, speed=20)
    watch_past_two_percent(session, MOVIE_ID)
    assert [c for c, _, _ in continue_watching(session)] == [MOVIE_ID]
    play(session, MOVIE_ID)
    wait_started(session, MOVIE_ID, 2)
    keys(session, *["MEDIA_FAST_FORWARD"] * 10)  # seek to the end: the player completes and closes
    reports = wait_reports(session, lambda rs: any(r.get("reason") == "complete" for r in rs), "completion")
    done = [r for r in reports if r.get("reason") == "complete"]
    assert [(r.state, r.position) for r in done] == [("EXIT", 5_400_000)]
    assert received_events(session)[-1].state == 2
    assert continue_watching(session) == []


def test_finished_episode_brings_the_next_episode_first(start_virtual_device):
    session = start_device(start_virtual_device, speed=20)
    watch_past_two_percent(session, "series-long-road-s1e1")
    watch_past_two_percent(session, MOVIE_ID)
    assert [c for c, _, _ in continue_watching(session)] == [MOVIE_ID, "series-long-road-s1e1"]
    play(session, "series-long-road-s1e1")
    wait_started(session, "series-long-road-s1e1", 2)
    keys(session, *["MEDIA_FAST_FORWARD"] * 9)  # 10% + 9 x 10%: the end of the episode
    wait_reports(session, lambda rs: any(r.get("reason") == "complete" for r in rs), "completion")
    keys(session, "HOME")
    row = continue_watching(session)
    assert [c for c, _, _ in row] == ["series-long-road-s1e2", MOVIE_ID]
    assert row[0] == ("series-long-road-s1e2", "The Long Road S1 E2", 0)


def test_most_recently_watched_first_and_resume_keeps_it_first(start_virtual_device):
    session = start_device(start_virtual_device, speed=20)
    watch_past_two_percent(session, MOVIE_ID)
    watch_past_two_percent(session, MOVIE_2)
    assert [c for c, _, _ in continue_watching(session)] == [MOVIE_2, MOVIE_ID]
    # "Resume playback of a title in progress, immediately navigate Home": it becomes (and stays) first.
    play(session, MOVIE_ID)
    wait_started(session, MOVIE_ID, 2)
    keys(session, "HOME")
    wait_reports(session, lambda rs: sum(r["cdf_id"] == MOVIE_ID and r.state == "EXIT" for r in rs) == 2, "EXIT")
    row = continue_watching(session)
    assert [c for c, _, _ in row] == [MOVIE_ID, MOVIE_2]
    resumed = [r for r in playback_reports(session) if r["cdf_id"] == MOVIE_ID and r.get("reason") == "start"][-1]
    assert resumed.position >= 540_000  # restored where it was left, not 0


def test_consent_off_means_no_change(start_virtual_device):
    session = start_device(start_virtual_device, speed=20, consent=False)
    for (share, sync), cdf_id in zip([(False, False), (True, False), (False, True)],
                                     [MOVIE_ID, MOVIE_2, "movie-cold-meridian"]):
        consent_on(session, share, sync)
        watch_past_two_percent(session, cdf_id)
        wait_reports(session, exit_reported(cdf_id), "the EXIT event")
        assert [e.state for e in received_events(session) if e.content_id == cdf_id] == [0, 0, 2]  # still reported
        assert continue_watching(session) == [], (share, sync)
    consent_on(session)  # both on: the same steps now add the title
    watch_past_two_percent(session, "movie-paper-boats")
    wait_reports(session, exit_reported("movie-paper-boats"), "the EXIT event")
    assert [c for c, _, _ in continue_watching(session)] == ["movie-paper-boats"]


def test_off_device_progress_is_received_but_ignored(start_virtual_device):
    session = start_device(start_virtual_device, speed=20)
    sh(session, "monkey -p com.firebridge.reference -c android.intent.category.LAUNCHER 1")
    reports = wait_reports(session, lambda rs: any(r["type"] == "Off-Device" for r in rs), "Off-Device sync on open")
    (remote,) = [r for r in reports if r["type"] == "Off-Device"]
    assert (remote["cdf_id"], remote.state, remote.position, remote["reason"]) == (
        "series-tidewater-s1e2", "EXIT", 720_000, "open")
    (line,) = [e for e in received_events(session) if e.content_id == "series-tidewater-s1e2"]
    assert line.state == 2 and line.event_ts == int(remote["event_timestamp_ms"]) and line.event_ts < line.sent - 3_600_000
    assert continue_watching(session) == []


def test_periodic_events_every_60_device_seconds_in_any_state(start_virtual_device):
    session = start_device(start_virtual_device, speed=200)
    play(session, MOVIE_ID)
    wait_started(session, MOVIE_ID)
    keys(session, "MEDIA_PLAY_PAUSE")
    reports = wait_reports(session, lambda rs: sum(r.get("reason") == "periodic" for r in rs) >= 2,
                           "two periodic events")
    periodic = [r for r in reports if r.get("reason") == "periodic"]
    assert [r.state for r in periodic[:2]] == ["PAUSED", "PAUSED"]  # regardless of playback state
    keys(session, "HOME")
    stamps = [e.sent for e in received_events(session) if e.content_id == MOVIE_ID]
    start, pause = stamps[0], stamps[1]
    ticks = stamps[2:4]
    # 60 device seconds apart (10 s of slack = 50 ms of real-time scheduling jitter at speed 200).
    assert abs(ticks[0] - start - 60_000) < 10_000 and abs(ticks[1] - ticks[0] - 60_000) < 10_000, stamps
    assert pause < ticks[0]


def test_interstitial_keeps_the_content_position_frozen(start_virtual_device):
    session = start_device(start_virtual_device, speed=400)
    play(session, "series-tidewater-s1e1")  # an ad break at 2:00 of content, 30 s long
    reports = wait_reports(session, lambda rs: any(r.get("reason") == "ad_end" for r in rs), "the end of the ad break")
    keys(session, "HOME")
    reasons = [r.get("reason") for r in reports]
    during = reports[reasons.index("ad_start"):reasons.index("ad_end") + 1]
    assert (during[0].state, during[-1].state) == ("INTERSTITIAL", "PLAYING")
    assert all(r.position == 120_000 for r in during)  # frozen at the mark, and resumed from it
    assert all(r.state == "INTERSTITIAL" for r in during[:-1])  # a periodic event inside the break included
    assert 3 in [e.state for e in received_events(session) if e.content_id == "series-tidewater-s1e1"]


def test_no_event_before_the_player_restores_the_saved_position(start_virtual_device):
    session = start_device(start_virtual_device, speed=10)
    play(session, "series-tidewater-s1e2")  # 12:00 watched on another device
    reports = wait_started(session, "series-tidewater-s1e2")
    active = [r for r in reports if r["type"] == "Active"]
    assert active[0].position == 720_000 and active[0]["reason"] == "start"
    opened = [e for e in received_events(session) if e.content_id == "series-tidewater-s1e2"]
    # The Off-Device sync went out when the app opened; the first Active event only after the 1.5 s load.
    assert len(opened) == 2 and opened[1].sent - opened[0].sent >= 1_400
    keys(session, "HOME")


def test_live_playback_reaches_the_service_without_a_tile(start_virtual_device):
    session = start_device(start_virtual_device, speed=50)
    play(session, "live-reftv-news-24")
    wait_started(session, "live-reftv-news-24")
    keys(session, "MEDIA_FAST_FORWARD", "BACK")  # live: no seeking
    reports = wait_reports(session, exit_reported("live-reftv-news-24"), "the EXIT event")
    live = [r for r in reports if r["cdf_id"] == "live-reftv-news-24"]
    assert [r.state for r in live] == ["PLAYING", "EXIT"] and live[0]["channel"] == "reftv-news-24(7.1)"
    got = [e for e in received_events(session) if e.content_id == "live-reftv-news-24"]
    assert [(e.state, e.duration, e.credits) for e in got] == [(0, 1_800_000, 0), (2, 1_800_000, 0)]
    assert vega_lines(session) == []  # the seed's format is the Vega journal's (test_a_live_event_without_credits_...)
    assert continue_watching(session) == []  # live channels never get a tile


def test_the_launcher_shows_the_row_the_service_keeps(start_virtual_device):
    """Issue 3's by-hand check: deep-link a movie, let over 5% play, HOME: Continue Watching shows it first."""
    from firebridge.capabilities.home import parse_home
    from firebridge.device.ui import parse_dump

    session = start_device(start_virtual_device, speed=20)
    watch_past_two_percent(session, "series-long-road-s1e1")
    watch_past_two_percent(session, MOVIE_ID)  # 10% > 5%
    home = parse_home(parse_dump(sh(session, "uiautomator dump /dev/tty")))
    assert home.on_home and home.continue_watching == ["Night Harbor", "The Long Road S1 E1"]
    assert [c for c, _, _ in continue_watching(session)] == [MOVIE_ID, "series-long-road-s1e1"]
