"""App profiles' ``platforms:`` sections: each platform's build of the app, and its own log evidence."""

from __future__ import annotations

import pytest

from firebridge.capabilities.apps import load_profile, profile_from_text
from firebridge.errors import ConfigError

BASE = """
package: com.example.tv
launch_activity: .Main
deep_links:
  play: example://play/{content_id}
  detail: example://detail/{content_id}
log_patterns:
  playback_report: 'ExampleTV\\s*: play (?P<content_id>\\S+) (?P<state_code>\\d) (?P<position_ms>\\d+)'
recipes:
  detail_page:
    - deep_link: detail
  pause:
    - keys: [MEDIA_PLAY_PAUSE]
catalog:
  - {id: movie-one, kind: movie, title: One, duration_ms: 60000}
"""


def test_the_reference_profile_names_the_vega_build_and_its_journal_line() -> None:
    profile = load_profile("reference")
    vega = profile.for_platform("vega")
    assert vega.component == "com.firebridge.reference.main"
    assert vega.deep_link("play", "movie-night-harbor") == "pkg://com.firebridge.reference.main?play=movienightharbor"
    line = ("Dec 03 04:48:13.830599 firestick-e89d4192a38ddf10 user.info com.firebridge.reference[2009]: INFO "
            "com.amazon.keplerscript: [KeplerScript-JavaScript] ReferenceTV reportNewPlaybackEvent type=Off-Device "
            "contentId=movie-night-harbor state=2 positionMs=720000 durationMs=5400000 creditsPositionMs=5160000 "
            "profileId=5d0c1e6b2a9f4c3e8d7b6a51 eventTimestampMs=1718000000000 reason=open")
    match = vega.log_patterns["playback_report"].search(line)
    assert match and match["content_id"] == "movie-night-harbor" and match["state_code"] == "2"
    assert (match["type"], match["position_ms"], match["credits_position_ms"], match["profile_id"]) == (
        "Off-Device", "720000", "5160000", "5d0c1e6b2a9f4c3e8d7b6a51")
    # Every trigger's recipe is the Vega build's own: its pkg:// links and its camelCase testIDs.
    assert vega.missing_recipes() == [] and vega.recipes["sign_in"] != profile.recipes["sign_in"]
    assert vega.deep_link("signin") == "pkg://com.firebridge.reference.main?screen=signin"
    assert vega.deep_link("detail", "movie-night-harbor") == "pkg://com.firebridge.reference.main?detail=movienightharbor"
    assert {"resource_id": "watchlistButton"} in [step.arg for step in vega.recipes["watchlist_add"].steps]
    fireos = profile.for_platform("fireos")
    assert fireos.component == "com.firebridge.reference/.ui.CatalogActivity" and "sign_in" in fireos.recipes
    assert not fireos.log_patterns["playback_report"].search(line)  # Fire OS evidence is a logcat line


def test_a_platform_without_a_section_keeps_the_app_but_not_the_logcat_patterns() -> None:
    profile = profile_from_text(BASE)
    vega = profile.for_platform("vega")
    assert vega.component == profile.component and vega.recipes == profile.recipes
    assert vega.log_patterns == {}
    assert "no log pattern playback_report on vega" in vega.missing_reason("log pattern playback_report")
    assert profile.for_platform("fireos").log_patterns.keys() == {"playback_report"}


def test_a_vega_section_replaces_links_and_patterns_and_drops_recipes_without_their_link() -> None:
    profile = profile_from_text(BASE + """
platforms:
  vega:
    component: com.example.tv.main
    deep_links:
      play: pkg://com.example.tv.main?play={content_id_alnum}
    log_patterns:
      playback_report: 'ExampleTV play (?P<content_id>\\S+) (?P<state_code>\\d) (?P<position_ms>\\d+)'
""")
    vega = profile.for_platform("vega")
    assert vega.deep_link("play", "movie-one") == "pkg://com.example.tv.main?play=movieone"
    assert set(vega.recipes) == {"pause"}
    assert vega.log_patterns["playback_report"].pattern.startswith("ExampleTV play")


@pytest.mark.parametrize("section, message", [
    ("  android:\n    component: x.main\n", "android"),
    ("  vega:\n    launch_activity: .Main\n", "launch_activity"),
    ("  vega:\n    deep_links:\n      play: pkg://x.main?id={id}\n", "placeholders"),
])
def test_platform_section_mistakes_are_config_errors(section: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        profile_from_text(BASE + "platforms:\n" + section)
