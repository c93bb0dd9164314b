"""firebridge.capabilities.personalization: the SDK's enums, seed 000's trigger table, and the lenient parsers of the
Content Personalization service's log lines (seed 002's own text, and the variants firmware may print)."""

from __future__ import annotations

import pytest

from firebridge.capabilities.personalization import (EXPECTED_CALLS, PLAYBACK_KIND, ContentIdNamespace, ContentInteractionType,
                                        CustomerListType, EntitlementType, PlaybackState, ProfileIdNamespace, Trigger,
                                        as_dict, normalize_key, parse_cp_line, parse_cp_lines, parse_fields,
                                        parse_playback_line)

# Seed 002, "Verify content updates" and "Verify content is removed", verbatim.
SEED_PLAYING = ("INFO com.amazon.com_amazon_tv_developer_dataservice.vega.vega_alberto_service:VegaAlbertoBinderService "
                "PlaybackEventsVegaMessage → message.sent_timestamp: <your_time_stamp>, page_index : 0, "
                "total_page_count: 1, content_id id : <your_content_id>, content_id namespace : cdf_id, "
                "event_timestamp_ms: <your_time_stamp>, playback_state :0, duration_ms : <your_content_duration>, "
                "credits_position_ms :<your_content_credit_position>")
SEED_EXIT = ("INFO com.amazon.com_amazon_tv_developer_dataservice.vega.vega_alberto_service:VegaAlbertoBinderService "
             "PlaybackEventsVegaMessage → message.sent_timestamp: <your_time_stamp> , page_index : 0, "
             "total_page_count: 1, content_id id : <your_content_id>, content_id namespace : cdf_id, "
             "event_timestamp_ms: <your_time_stamp>, playback_state :2, duration_ms : <your_content_duration>, "
             "credits_position_ms : <your_content_credit_position>")


def test_enums_match_the_sdk():
    assert [(s.name, s.value) for s in PlaybackState] == [("PLAYING", 0), ("PAUSED", 1), ("EXIT", 2), ("INTERSTITIAL", 3)]
    assert [(t.name, t.value) for t in ContentInteractionType] == [
        ("TRAILER_VIEW", 0), ("DETAIL_VIEW", 1), ("INGRESS", 2), ("LIKE", 3), ("DISLIKE", 4), ("REMOVE", 5)]
    assert [(e.name, e.value) for e in EntitlementType] == [("RECORDING", 0), ("PURCHASE", 1), ("RENTAL", 2)]
    assert CustomerListType.WATCHLIST == 0
    assert ContentIdNamespace.CDF_ID == "cdf_id" and ProfileIdNamespace.APP_INTERNAL == "app_internal"


def test_trigger_table_of_seed_000():
    assert set(EXPECTED_CALLS) == set(Trigger)
    assert EXPECTED_CALLS[Trigger.SIGN_OUT] == ()
    assert EXPECTED_CALLS[Trigger.SIGN_IN] == ("reportRefreshedContentEntitlements", "reportRefreshedCustomerList")
    assert "reportNewPlaybackEvent" in EXPECTED_CALLS[Trigger.OPEN_APP]
    assert EXPECTED_CALLS[Trigger.INTERACTION] == ("reportNewContentInteraction",)


def test_the_seeds_playing_line():
    report = parse_playback_line(SEED_PLAYING)
    assert report.playback_state is PlaybackState.PLAYING and report.state_name == "PLAYING"
    assert report.content_id == "<your_content_id>" and report.content_id_namespace == "cdf_id"
    assert (report.page_index, report.total_page_count) == (0, 1)
    assert report.sent_timestamp == "<your_time_stamp>"
    # Placeholders are not numbers: the typed fields say None, the text stays in `fields`.
    assert report.duration_ms is None and report.fields["duration_ms"] == "<your_content_duration>"
    assert report.fields["credits_position_ms"] == "<your_content_credit_position>"
    assert report.position_ms is None  # the seed's line carries no position


def test_the_seeds_exit_line():
    report = parse_playback_line(SEED_EXIT)
    assert report.playback_state is PlaybackState.EXIT
    assert report.sent_timestamp == "<your_time_stamp>"  # the space before its comma is dropped
    assert report.fields["credits_position_ms"] == "<your_content_credit_position>"
    assert report.line == SEED_EXIT


def filled(line: str) -> str:
    return (line.replace("<your_time_stamp>", "1718000000000").replace("<your_content_id>", "movie-night-harbor")
            .replace("<your_content_duration>", "5400000").replace("<your_content_credit_position>", "5160000"))


def test_real_values_are_typed():
    report = parse_playback_line(filled(SEED_PLAYING))
    assert as_dict(report) == {
        "sent_timestamp": "1718000000000", "page_index": 0, "total_page_count": 1, "content_id": "movie-night-harbor",
        "content_id_namespace": "cdf_id", "event_timestamp_ms": 1718000000000, "playback_state": PlaybackState.PLAYING,
        "position_ms": None, "duration_ms": 5400000, "credits_position_ms": 5160000, "profile_id": None,
        "event_type": None}


@pytest.mark.parametrize("line", [
    # a logcat threadtime prefix, and ASCII arrow
    "06-01 12:00:00.123  1234  1250 I com.amazon.com_amazon_tv_developer_dataservice.vega.vega_alberto_service: "
    "VegaAlbertoBinderService PlaybackEventsVegaMessage -> content_id id : movie-night-harbor, playback_state :1, "
    "duration_ms : 5400000",
    # another order, no spaces, extra fields, a position, Windows line end
    "PlaybackEventsVegaMessage → playback_state:1,duration_ms:5400000,playback_position_ms:270000,"
    "new_field: whatever, content_id id:movie-night-harbor\r\n",
    # key=value pairs and a state name instead of a number
    "PlaybackEventsVegaMessage → content_id.id=movie-night-harbor, playback_state=PAUSED, duration_ms=5400000",
])
def test_variants(line):
    report = parse_playback_line(line)
    assert report.content_id == "movie-night-harbor"
    assert report.playback_state is PlaybackState.PAUSED and report.duration_ms == 5400000


def test_missing_fields_unknown_states_and_commas_in_values():
    report = parse_playback_line("PlaybackEventsVegaMessage → playback_state :7, note: a, b, c, duration_ms: 10")
    assert report.playback_state == 7 and report.state_name == "7"
    assert report.fields["note"] == "a, b, c" and report.duration_ms == 10
    assert report.content_id is None and report.credits_position_ms is None
    empty = parse_playback_line("PlaybackEventsVegaMessage →")
    assert empty is not None and empty.playback_state is None and empty.fields == {}


def test_other_lines_are_not_playback_reports():
    assert parse_playback_line("I ActivityManager: Displayed com.firebridge.reference/.ui.PlayerActivity") is None
    other = "VegaAlbertoBinderService ContentInteractionVegaMessage → content_id id : m1, interaction_type : 1"
    assert parse_playback_line(other) is None
    message = parse_cp_line(other)
    assert message.kind == "ContentInteractionVegaMessage"
    assert message.get("content_id.id") == "m1" and message.number("interaction_type") == 1
    assert ContentInteractionType(message.number("interaction_type")) is ContentInteractionType.DETAIL_VIEW


def test_many_lines_by_kind():
    lines = [SEED_PLAYING, "noise", "CustomerListEntryVegaMessage → list_type : 0, content_id id : m1", SEED_EXIT]
    assert [m.kind for m in parse_cp_lines(lines)] == [PLAYBACK_KIND, "CustomerListEntryVegaMessage", PLAYBACK_KIND]
    assert len(parse_cp_lines(lines, kind=PLAYBACK_KIND)) == 2


def test_field_splitting():
    assert normalize_key("  content_id   Namespace ") == "content_id.namespace"
    assert parse_fields("a : 1, b c :2,d: x, y") == {"a": "1", "b.c": "2", "d": "x, y"}
    assert parse_fields("a: 1, a: 2") == {"a": "1"}  # the first wins


def test_lines_the_virtual_fire_tv_writes():
    from firebridge.virtual.fireos.personalization import messages
    from firebridge.virtual.personalization.sdk import ContentId

    cid = ContentId("movie-night-harbor")
    report = parse_playback_line("I VegaAlbertoBinderService: " + messages.playback_line(
        1718000000123, cid, 1718000000000, 2, 5400000, 5160000))
    assert (report.content_id, report.playback_state, report.duration_ms, report.credits_position_ms) == (
        "movie-night-harbor", PlaybackState.EXIT, 5400000, 5160000)
    assert report.event_timestamp_ms == 1718000000000 and report.sent_timestamp == "1718000000123"
    page = parse_cp_line(messages.customer_list_page_line(1, 0, 0, 1, [ContentId("a:1"), ContentId("b")]))
    assert page.kind == "CustomerListVegaMessage" and page.items("content_ids") == ["a:1", "b"]
    assert page.get("operation") == "REFRESH" and page.number("entry_count") == 2
    interaction = parse_cp_line(messages.interaction_line(1, cid, 1, 2))
    assert ContentInteractionType(interaction.number("interaction_type")) is ContentInteractionType.DETAIL_VIEW
    rejected = messages.rejected_line("PlaybackEventsVegaMessage", "content id is required", "com.x")
    assert parse_playback_line(rejected) is None
    refusal = parse_cp_line(rejected)
    assert refusal.status == "rejected" and refusal.get("reason") == "content id is required"
    assert refusal.get("package") == "com.x"
