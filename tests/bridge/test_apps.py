"""firebridge.capabilities.apps: app profiles (YAML with file-and-line errors), the shipped reference profile
(checked against the virtual app's own catalog), commands, and recipes run on the virtual Fire TV."""

from __future__ import annotations

import re
import shlex
import textwrap
from pathlib import Path

import pytest
import yaml

from firebridge.capabilities.apps import (FIXTURES_DIR, STANDARD_RECIPES, AppDriver, RecipeError, load_profile, profile_from_text,
                             screen_matches)
from firebridge.errors import ConfigError
from firebridge.capabilities.remote import Key
from firebridge.platforms.fireos.activity import force_stop_command, start_component_command, view_command
from firebridge.device.ui import parse_dump

VALID = """\
name: demo
package: com.example.demo
launch_activity: .MainActivity
deep_links:
  play: demo://play/{content_id}
  detail: demo://detail/{content_id}
recipes:
  like:
    - deep_link: detail
    - navigate_to: {resource_id: like_button}
    - keys: [SELECT]
    - wait_for: {text: Liked}
catalog:
  - {id: m1, kind: movie, title: One, duration_ms: 1000, credits_ms: 900}
  - {id: e1, kind: episode, title: Pilot, series: Show, season: 1, episode: 1, duration_ms: 2000, next: e2}
  - {id: e2, kind: episode, title: Second, series: Show, season: 1, episode: 2, duration_ms: 2000}
"""


def error_of(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        profile_from_text(textwrap.dedent(text), "demo.yaml")
    return info.value


def replaced(old: str, new: str) -> str:
    assert old in VALID
    return VALID.replace(old, new)


def test_a_valid_profile():
    profile = profile_from_text(VALID, "demo.yaml")
    assert profile.component == "com.example.demo/.MainActivity"
    assert profile.recipes["like"].keys == [Key.SELECT]
    assert profile.recipes["like"].steps[1].arg == {"resource_id": "like_button"}
    assert profile.entry("e1").display_title == "Show S1 E1" and profile.next_episode("e1").id == "e2"
    assert profile.entry("m1").finished_at_ms() == 900 and profile.entry("e2").finished_at_ms() == 1900
    assert [e.id for e in profile.episodes] == ["e1", "e2"] and profile.missing_recipes()[0] == "sign_in"


@pytest.mark.parametrize("old, new, line, words", [
    ("launch_activity:", "launch_activty:", 3, ["unknown key 'launch_activty'", "did you mean 'launch_activity'"]),
    ("duration_ms: 1000,", "duration_ms: '1000',", 14, ["duration_ms of catalog entry 'm1' must be a whole number",
                                                         "remove the quotes"]),
    ("    - keys: [SELECT]", "    - keys: [SELECT, SELCT]", 11, ["unknown key 'SELCT'", "did you mean SELECT"]),
    ("{id: e2,", "{id: m1,", 16, ["duplicate content id 'm1' (first at line 14)"]),
    ("next: e2}", "next: e3}", 15, ["next of 'e1' names 'e3', which is not in the catalog", "did you mean 'e2'"]),
    ("credits_ms: 900}", "credits_ms: 1000}", 14, ["credits_ms of catalog entry 'm1' (1000) must be before the end"]),
    ("kind: movie,", "kind: film,", 14, ["kind of catalog entry 'm1' must be one of movie, episode, live"]),
    ("series: Show, season: 1, episode: 1,", "series: Show, episode: 1,", 15, ["episode 'e1' needs season"]),
    ("  play: demo://play/{content_id}", "  play: demo://play/{id}", 5, ["uses {id}; the placeholders are {content_id} and {content_id_alnum}"]),
    ("  detail: demo://detail/{content_id}", "  detail: demo://detail/x", 6, ["'detail' must contain {content_id}"]),
    ("    - deep_link: detail", "    - deep_link: details", 9, ["deep link 'details', which deep_links does not"]),
    ("    - keys: [SELECT]", "    - {keys: [SELECT], launch: true}", 11, ["each step of recipe 'like' does one thing"]),
    ("    - wait_for: {text: Liked}", "    - wait_for: {txt: Liked}", 12, ["unknown key 'txt'", "did you mean 'text'"]),
    ("package: com.example.demo", "package: demo", 2, ["not an Android package name"]),
    ("{id: m1,", "{id: 1,", 14, ["catalog id 1 must be a string: quote it ('1')"]),
    # a word where a number goes: the fix is digits in milliseconds, not "remove the quotes"
    ("duration_ms: 1000,", "duration_ms: twelve,", 14, ["duration_ms of catalog entry 'm1' must be a whole number, "
                                                          "not 'twelve'", "milliseconds, in digits"]),
])
def test_errors_name_the_file_the_line_and_the_fix(old, new, line, words):
    error = error_of(replaced(old, new))
    assert error.path == "demo.yaml" and error.line == line, str(error)
    assert str(error).startswith(f"demo.yaml:{line}: ")
    for word in words:
        assert word in str(error)


def test_missing_required_fields():
    error = error_of(VALID.replace("package: com.example.demo\n", ""))
    assert "the profile needs 'package'" in str(error) and error.line == 1
    assert "needs duration_ms" in str(error_of(replaced("title: One, duration_ms: 1000, credits_ms: 900",
                                                        "title: One")))
    assert "the profile is empty" in str(error_of(""))
    assert "must be a mapping" in str(error_of("- a\n- b\n"))


def test_malformed_yaml_gives_the_parsers_line():
    error = error_of(replaced("  like:\n", "  like:\n   - [unclosed\n"))
    assert error.line is not None and 9 <= error.line <= 11
    assert "not valid YAML" in str(error)


def test_missing_profile_lists_the_available_ones(tmp_path: Path):
    (tmp_path / "one.yaml").write_text(VALID)
    with pytest.raises(ConfigError, match="available: one"):
        load_profile("two", directory=tmp_path)
    assert load_profile("one", directory=tmp_path).name == "demo"
    assert load_profile(tmp_path / "one.yaml").path == str(tmp_path / "one.yaml")


def test_commands_quote_and_encode_user_values():
    profile = profile_from_text(VALID, "demo.yaml")
    uri = profile.deep_link("play", "a b/c'd;rm")
    assert uri == "demo://play/a%20b%2Fc%27d%3Brm"
    # What the Fire OS driver runs for launch / open_link / stop.
    argv = view_command(uri, profile.package)
    assert argv == ["am", "start", "-a", "android.intent.action.VIEW", "-d", "demo://play/a%20b%2Fc%27d%3Brm",
                    "-p", "com.example.demo"]
    assert shlex.split(shlex.join(argv)) == argv
    assert start_component_command(profile.component) == ["am", "start", "-n", "com.example.demo/.MainActivity"]
    assert force_stop_command(profile.package) == ["am", "force-stop", "com.example.demo"]
    with pytest.raises(ValueError, match="needs a content_id"):
        profile.deep_link("play")
    with pytest.raises(KeyError, match="no deep link 'trailer'"):
        profile.deep_link("trailer", "m1")


def test_screen_conditions():
    tree = parse_dump('<hierarchy><node text="Add to Watchlist" resource-id="app:id/watchlist_button" focused="true" '
                      'bounds="[0,0][9,9]"/><node text="Status: ok" bounds="[0,0][9,9]"/></hierarchy>')
    assert screen_matches(tree, {"text": "Add to Watchlist", "focused": True})
    assert screen_matches(tree, {"resource_id": "watchlist_button"})
    assert screen_matches(tree, {"text_contains": "Status:"})
    assert not screen_matches(tree, {"text_contains": "Status:", "gone": True})
    assert screen_matches(tree, {"text": "Gone", "gone": True})
    assert not screen_matches(tree, {"text": "Status: ok", "focused": True})


# -- the shipped reference profile ------------------------------------------------------------------
def test_shipped_profiles_load():
    for path in FIXTURES_DIR.glob("*.yaml"):
        profile = load_profile(path)
        assert profile.missing_recipes() == [], f"{path.name} lacks recipes for seed 000's triggers"
    assert set(STANDARD_RECIPES) <= set(load_profile("reference").recipes)


def test_reference_profile_matches_the_virtual_app():
    from firebridge.virtual.fireos.apps.reference import app as reference_app
    from firebridge.virtual.reference.catalog import CATALOG_FILE

    profile = load_profile("reference")
    app = reference_app.ReferenceApp
    assert profile.package == app.package and profile.launch_activity == app.launch_activity
    scheme = next(iter(app.schemes))
    assert profile.deep_link("play", "x") == f"{scheme}://play/x"
    assert profile.deep_link("detail", "x") == f"{scheme}://detail/x"

    data = yaml.safe_load(CATALOG_FILE.read_text())
    expected: dict[str, tuple] = {}
    for m in data["movies"]:
        expected[m["cdf_id"]] = ("movie", m["title"], m["duration_ms"], m.get("credits_position_ms"), None)
    for s in data["series"]:
        for n, e in enumerate(s["episodes"]):
            following = s["episodes"][n + 1]["cdf_id"] if n + 1 < len(s["episodes"]) else None
            expected[e["cdf_id"]] = ("episode", f"{s['title']} S{e['season']} E{e['episode']}", e["duration_ms"],
                                     e.get("credits_position_ms"), following)
    for c in data["live"]:
        expected[c["cdf_id"]] = ("live", c["title"], c["program_duration_ms"], None, None)
    actual = {e.id: (e.kind, e.display_title, e.duration_ms, e.credits_ms, e.next) for e in profile.catalog.values()}
    assert actual == expected


def test_log_patterns_match_the_apps_debug_lines():
    profile = load_profile("reference")
    line = ("06-01 12:00:00.000  4242  4242 D ReferenceTV: reportNewPlaybackEvent type=Active "
            "cdf_id=movie-night-harbor state=PLAYING(0) position_ms=540000 duration_ms=5400000")
    match = profile.log_patterns["playback_report"].search(line)
    assert match and match.group("content_id") == "movie-night-harbor" and match.group("state_code") == "0"


# -- recipes on the virtual Fire TV, through the real adb server ---------------------------------------
def test_recipes_run_on_the_virtual_fire_tv(start_virtual_device):
    session = start_virtual_device(speed=20)
    firetv = session.firetv()
    profile = load_profile("reference")
    driver = AppDriver(firetv, profile)
    firetv.shell(["logcat", "-c"]).check()
    driver.run("watchlist_add", content_id="movie-night-harbor")
    driver.run("like", content_id="movie-night-harbor")
    log = firetv.shell(["logcat", "-d", "-v", "threadtime"]).check().stdout
    assert profile.log_patterns["watchlist_add"].search(log).group("content_id") == "movie-night-harbor"
    assert re.search(profile.log_patterns["interaction"], log)
    with pytest.raises(RecipeError, match="no recipe 'dance'"):
        driver.run("dance")
    with pytest.raises(RecipeError, match="pass content_id="):
        driver.run("detail_page")


def test_a_word_for_a_number_is_not_told_to_drop_quotes():
    error = str(error_of(replaced("duration_ms: 1000,", "duration_ms: twelve,")))
    assert "remove the quotes" not in error and "720000" in error
