"""Pure tests of the regression suite's data and rule helpers: the validation-scenario YAML loader
(device_tests/scenarios.py), the report parsing and rule messages (device_tests/rules.py), and the app
profile's ``ad_marks_ms`` (firebridge/capabilities/apps.py)."""

from __future__ import annotations

import re

import pytest

from device_tests import rules
from firebridge.platforms.fireos.logcat import parse_threadtime
from device_tests.rules import Report, parse_reports, plain_id_problem
from device_tests.scenarios import SCENARIO_DIR, load_scenarios, pick_title, scenarios_from_text
from firebridge.capabilities.apps import load_profile, profile_from_text
from firebridge.capabilities.cpevidence import AppLogEvidence, ServiceJournalEvidence, parse_calls
from firebridge.errors import ConfigError
from firebridge.capabilities.personalization import PlaybackState

VALID = """\
tolerance_s: 5
scenarios:
  - name: A
    title: movie
    given: {consent: on, continue_watching: absent}
    steps:
      - {do: play, report: PLAYING, position: start}
      - {do: fast_forward, times: 2, report: PLAYING, position: ">= 2%"}
      - {do: play_until, until: 3%}
      - {do: home, report: EXIT, position: same}
    then: first
"""


def test_the_shipped_table_has_seed_002s_seven_rows():
    scenarios = load_scenarios(SCENARIO_DIR / "continue_watching.yaml")
    assert [s.seed_row for s in scenarios] == [1, 2, 3, 4, 5, 6, 7]
    assert {s.then for s in scenarios} == {"absent", "first", "still_first", "removed", "next_episode_first"}
    removed = next(s for s in scenarios if s.then == "removed")  # docs/virtual-device.md section 1: play to the end, then Home
    assert [step.action for step in removed.steps] == ["play", "seek_to_end", "home"]
    profile = load_profile("reference")
    for scenario in scenarios:
        entry = pick_title(profile, scenario.title)
        assert entry.kind in ("movie", "episode")
        if scenario.then == "next_episode_first":
            assert profile.next_episode(entry.id) is not None


def test_a_valid_scenario():
    (scenario,) = scenarios_from_text(VALID)
    assert scenario.consent is True and scenario.given == "absent" and scenario.then == "first"
    play, forward, wait, home = scenario.steps
    assert forward.times == 2 and forward.position.op == ">=" and forward.position.percent == 2
    assert wait.until_percent == 3 and wait.report is None
    assert home.report is PlaybackState.EXIT and home.position.word == "same" and home.line == 10


@pytest.mark.parametrize("old, new, line, words", [
    ("continue_watching: absent", "continue_watching: gone", 5, "must be one of absent, in_progress, first"),
    ("{do: home,", "{do: hom,", 10, "must be one of play, pause"),
    ("report: EXIT", "report: EXITED", 10, "must be a playback state"),
    ("- {do: play, report: PLAYING, position: start}", "- home", 7, "must be 'play'"),
    ("times: 2", "times: 0", 8, "must be 1 to 30 presses"),
    ("then: first", "then: still_first", 11, "needs given.continue_watching: first"),
    ("{do: play_until, until: 3%}", "{do: play_until}", 9, "needs until:"),
    ("{do: play_until, until: 3%}", "{do: play_until, until: 3%, report: PLAYING}", 9, "causes no event of its own"),
    ("{do: play, report: PLAYING, position: start}", "{do: play, repot: PLAYING}", 7, "did you mean 'report'"),
    ('position: ">= 2%"', "position: soon", 8, "or a share of the duration"),
])
def test_errors_name_the_file_and_line(old, new, line, words):
    with pytest.raises(ConfigError) as info:
        scenarios_from_text(VALID.replace(old, new), "scenarios.yaml")
    assert str(info.value).startswith(f"scenarios.yaml:{line}: ") and words in str(info.value)


def test_duplicate_names_are_refused():
    text = VALID + VALID.split("scenarios:\n", 1)[1]
    with pytest.raises(ConfigError, match="two scenarios are named 'A'"):
        scenarios_from_text(text, "s.yaml")


def test_pick_title_by_kind_or_id():
    profile = load_profile("reference")
    assert pick_title(profile, "movie").kind == "movie"
    assert pick_title(profile, "episode_with_next").next
    assert pick_title(profile, "movie-paper-boats").id == "movie-paper-boats"
    with pytest.raises(ConfigError, match="neither movie, episode"):
        pick_title(profile, "documentary")


# -- reports and rules ---------------------------------------------------------------------------------
LINES = [
    "11-22 04:12:51.520  2048  2048 D ReferenceTV: reportNewPlaybackEvent type=Active cdf_id=movie-night-harbor "
    "state=PLAYING(0) position_ms=540000 duration_ms=5400000 credits_position_ms=5160000 "
    "profile_id=885d23afb8bed5a58e4c8b86 reason=start",
    "11-22 04:12:51.522  2049  2066 I VegaAlbertoBinderService: com.amazon.com_amazon_tv_developer_dataservice.vega."
    "vega_alberto_service:VegaAlbertoBinderService PlaybackEventsVegaMessage → "
    "message.sent_timestamp: 1795320771522, page_index : 0, total_page_count: 1, content_id id : movie-night-harbor, content_id namespace : cdf_id, "
    "event_timestamp_ms: 1795320771522, playback_state :0, duration_ms : 5400000, credits_position_ms :5160000",
    "11-22 04:13:51.600  2048  2048 D ReferenceTV: reportNewPlaybackEvent type=Off-Device cdf_id=series-tidewater-s1e2 "
    "state=EXIT(2) position_ms=720000 duration_ms=1800000 credits_position_ms=1710000 profile_id=abc "
    "event_timestamp_ms=1795248765433 reason=open",
]


def test_reports_from_the_profiles_pattern_and_each_platforms_evidence():
    pattern = load_profile("reference").log_patterns["playback_report"]
    first, second = parse_reports(LINES, pattern, parse_threadtime)
    assert (first.content_id, first.state, first.position_ms, first.off_device) == \
        ("movie-night-harbor", PlaybackState.PLAYING, 540000, False)
    assert first.profile_id == "885d23afb8bed5a58e4c8b86" and first.credits_ms == 5160000
    assert first.event_timestamp_ms is None and second.event_timestamp_ms == 1795248765433
    assert second.off_device is True and second.state is PlaybackState.EXIT
    assert second.at_s - first.at_s == pytest.approx(60.08)
    # Vega OS: the data service's line; Fire OS: the app's own lines (what Player.received reads).
    (service,) = [call.playback for call in parse_calls(ServiceJournalEvidence(), LINES)]
    assert service.content_id_namespace == "cdf_id" and service.duration_ms == 5400000
    app = [call.playback for call in parse_calls(AppLogEvidence(load_profile("reference").for_platform("fireos")),
                                                 LINES)]
    assert [(p.content_id, p.duration_ms, p.content_id_namespace) for p in app] == [
        ("movie-night-harbor", 5400000, None), ("series-tidewater-s1e2", 1800000, None)]


def test_received_fields_are_checked_as_far_as_the_evidence_shows_them():
    entry = load_profile("reference").entry("movie-night-harbor")
    app = AppLogEvidence(load_profile("reference").for_platform("fireos"))
    (report,) = [c.playback for c in parse_calls(app, LINES[:1])]
    rules.require_received_fields(report, entry, "the app's lines",
                                  lambda field: app.shows("reportNewPlaybackEvent", field))  # no namespace: not checked
    with pytest.raises(AssertionError, match="without content id namespace cdf_id .*seed 002 requires"):
        rules.require_received_fields(report, entry, "the service's lines")  # a service line that omits it


def test_a_minimal_pattern_needs_only_id_state_and_position():
    pattern = re.compile(r"play id=(?P<content_id>\S+) (?P<state>[A-Z]+) at (?P<position_ms>\d+)")
    (report,) = parse_reports(["01-01 00:00:00.000  1  1 D App: play id=x PAUSED at 5"], pattern, parse_threadtime)
    assert report.state is PlaybackState.PAUSED and report.off_device is None and report.profile_id is None


@pytest.mark.parametrize("profile_id, problem", [
    ("acct-83120577:alex", "contains the plain identifier 'acct-83120577'"),
    ("alex@example.com", "composed of readable parts"),
    ("alex", "only 4 characters"),
    ("885d23afb8bed5a58e4c8b86", None),
])
def test_plain_profile_ids_are_recognised(profile_id, problem):
    found = plain_id_problem(profile_id, ["acct-83120577", "demo@reftv.example"])
    assert (found is None) if problem is None else (problem in found)


def test_failures_name_the_broken_rule():
    entry = load_profile("reference").entry("movie-night-harbor")
    paused = Report(0.0, entry.id, PlaybackState.PAUSED, 60_000)
    with pytest.raises(AssertionError) as info:
        rules.require_exit(paused, "When playback completed", entry)
    assert str(info.value) == ("When playback completed, the app reported PAUSED (1) at 1:00 for 'Night Harbor', "
                               "not EXIT (2); seed 002 requires EXIT (2), not PAUSE, when playback completes or "
                               "the player is left")
    with pytest.raises(AssertionError, match="every 60 seconds"):
        rules.require_periodic([Report(30.0, entry.id, PlaybackState.PLAYING, 0)], (0.0, 100.0), "playing", 66, entry)
    rules.require_periodic([Report(t, entry.id, PlaybackState.PLAYING, 0) for t in (60.0,)], (0.0, 100.0),
                           "playing", 66, entry)


def test_ad_marks_in_an_app_profile():
    base = ("package: com.example.app\nlaunch_activity: .Main\ndeep_links: {play: 'x://p/{content_id}', "
            "detail: 'x://d/{content_id}'}\ncatalog:\n  - {id: m1, kind: movie, title: M, duration_ms: 1000, "
            "ad_marks_ms: MARKS}\n")
    assert profile_from_text(base.replace("MARKS", "[100, 500]")).entry("m1").ad_marks_ms == (100, 500)
    for bad in ("[500, 100]", "[1000]", "[x]"):
        with pytest.raises(ConfigError, match=r"<string>:5: .*ad_marks_ms of catalog entry 'm1'"):
            profile_from_text(base.replace("MARKS", bad))
    assert load_profile("reference").entry("series-tidewater-s1e1").ad_marks_ms == (120000,)
