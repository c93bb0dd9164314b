"""The evidence of Content Personalization calls, per platform (firebridge/capabilities/cpevidence.py): on
Vega OS the data service's journal line (seed 002), on Fire OS the app's own lines its profile names."""

from __future__ import annotations

import pytest

from firebridge.capabilities.apps import load_profile, profile_from_text
from firebridge.capabilities.cpevidence import (APP_LOG_KEYS, CALLS, AppLogEvidence, ServiceJournalEvidence, attributed,
                                                evidence_for, parse_calls)
from firebridge.capabilities.cpsdk import ContentInteractionType, CustomerListType, EntitlementType, PlaybackState
from firebridge.errors import ConfigError

PACKAGE = "com.firebridge.reference"
# Reference TV's lines as the virtual Fire TV writes them (firebridge/virtual/fireos/apps/reference/reporting.py).
APP_LINES = [
    "06-01 12:00:00.000  4242  4242 D ReferenceTV: reportRefreshedContentEntitlements cdf_ids=movie-cold-meridian reason=open",
    "06-01 12:00:00.001  4242  4242 D ReferenceTV: reportRefreshedCustomerList list=WATCHLIST profile_id=5d0c1e6b2a9f4c3e8d7b6a51 "
    "cdf_ids=movie-glass-orchard,series-tidewater-s1e1 reason=open",
    "06-01 12:00:00.002  4242  4242 D ReferenceTV: reportNewPlaybackEvent type=Off-Device cdf_id=series-tidewater-s1e2 "
    "state=EXIT(2) position_ms=720000 duration_ms=1800000 credits_position_ms=1710000 profile_id=5d0c1e6b2a9f4c3e8d7b6a51 "
    "reason=open",
    "06-01 12:00:00.003  4242  4242 W ReferenceTV: reportNewPlaybackEvent failed: event_timestamp_ms is required",
    "06-01 12:00:01.000  4242  4242 D ReferenceTV: reportNewContentInteraction type=DETAIL_VIEW(1) cdf_id=movie-night-harbor "
    "profile_id=5d0c1e6b2a9f4c3e8d7b6a51",
    "06-01 12:00:02.000  4242  4242 D ReferenceTV: reportNewCustomerListEntry list=WATCHLIST cdf_id=movie-night-harbor "
    "profile_id=5d0c1e6b2a9f4c3e8d7b6a51",
    "06-01 12:00:03.000  4242  4242 D ReferenceTV: reportRemovedCustomerListEntry list=WATCHLIST cdf_id=movie-night-harbor "
    "profile_id=5d0c1e6b2a9f4c3e8d7b6a51",
    "06-01 12:00:04.000  4242  4242 D ReferenceTV: reportNewContentEntitlement type=PURCHASE(1) cdf_id=movie-paper-boats "
    "profile_id=5d0c1e6b2a9f4c3e8d7b6a51",
    "06-01 12:00:05.000  4242  4242 D ReferenceTV: reportRemovedContentEntitlement type=PURCHASE(1) cdf_id=movie-paper-boats "
    "profile_id=5d0c1e6b2a9f4c3e8d7b6a51",
    "06-01 12:00:06.000  4242  4242 D ReferenceTV: signed in",
]
SERVICE = ("Dec 03 07:10:40.559327 firestick-c44dd43856494327 daemon.info com.amazon.tv.developer.dataservice[2080]: "
           "INFO com.amazon.com_amazon_tv_developer_dataservice.vega.vega_alberto_service:VegaAlbertoBinderService ")


def fireos() -> AppLogEvidence:
    evidence = evidence_for("fireos", load_profile("reference").for_platform("fireos"))
    assert isinstance(evidence, AppLogEvidence)
    return evidence


def test_each_platform_has_its_source():
    assert isinstance(evidence_for("vega", load_profile("reference").for_platform("vega")), ServiceJournalEvidence)
    assert isinstance(fireos(), AppLogEvidence)


def test_fire_os_reads_every_call_from_the_reference_apps_own_lines():
    calls = parse_calls(fireos(), APP_LINES)
    assert [(c.call, c.refused) for c in calls] == [
        ("reportRefreshedContentEntitlements", None), ("reportRefreshedCustomerList", None),
        ("reportNewPlaybackEvent", None), ("reportNewPlaybackEvent", "event_timestamp_ms is required"),
        ("reportNewContentInteraction", None), ("reportNewCustomerListEntry", None),
        ("reportRemovedCustomerListEntry", None), ("reportNewContentEntitlement", None),
        ("reportRemovedContentEntitlement", None)]
    assert all(c.own and c.package == PACKAGE for c in calls)
    refresh_ent, refresh_list, playback, _, interaction, added, _, bought, cancelled = calls
    assert refresh_ent.content_ids == ("movie-cold-meridian",)
    assert refresh_list.content_ids == ("movie-glass-orchard", "series-tidewater-s1e1")
    assert refresh_list.list_type == CustomerListType.WATCHLIST == added.list_type
    assert playback.playback.playback_state is PlaybackState.EXIT and playback.playback.event_type == "Off-Device"
    assert interaction.interaction_type == ContentInteractionType.DETAIL_VIEW
    assert (bought.entitlement_type, cancelled.entitlement_type) == (EntitlementType.PURCHASE, EntitlementType.PURCHASE)
    assert "interaction_type=DETAIL_VIEW content_id=movie-night-harbor" in interaction.describe()


def test_the_reference_profile_names_a_line_for_every_call():
    evidence = fireos()
    assert [call for call in CALLS if evidence.missing(call)] == []
    assert set(APP_LOG_KEYS) <= set(load_profile("reference").log_patterns)


def test_a_call_without_a_pattern_is_missing_with_the_key_to_add():
    profile = load_profile("reference").for_platform("fireos")
    from dataclasses import replace
    without = AppLogEvidence(replace(profile, log_patterns={k: v for k, v in profile.log_patterns.items()
                                                            if k != "entitlement_removed"}))
    reason = without.missing("reportRemovedContentEntitlement")
    assert "log_patterns.entitlement_removed" in reason and "on fireos" in reason and str(profile.path) in reason
    assert without.missing("reportNewContentEntitlement") is None
    assert not without.shows("reportRemovedContentEntitlement", "content_id")


def test_a_pattern_without_its_required_group_is_a_config_error():
    profile = profile_from_text("""
package: com.example.tv
launch_activity: .Main
deep_links: {play: 'x://p/{content_id}', detail: 'x://d/{content_id}'}
log_patterns:
  interaction: 'ExampleTV: interaction (?P<content_id>\\\\S+)'
catalog:
  - {id: m1, kind: movie, title: M, duration_ms: 1000}
""").for_platform("fireos")
    with pytest.raises(ConfigError, match=r"log pattern 'interaction' .* needs the named group\(s\) \(\?P<type>"):
        evidence_for("fireos", profile)


def test_what_an_apps_line_can_show():
    evidence = fireos()
    assert evidence.shows("reportNewPlaybackEvent", "credits_position_ms")
    assert not evidence.shows("reportNewPlaybackEvent", "content_id_namespace")  # the app's line has none
    assert evidence.shows("reportNewContentInteraction", "interaction_type")
    assert evidence.shows("reportNewCustomerListEntry", "list_type")  # watchlist_add implies WATCHLIST


def test_vega_reads_the_services_lines_by_kind_and_operation():
    evidence = ServiceJournalEvidence()
    lines = [
        SERVICE + "PlaybackEventsVegaMessage → message.sent_timestamp: 1, page_index : 0, total_page_count: 1, "
                  "content_id id : movie-night-harbor, content_id namespace : cdf_id, event_timestamp_ms: 1, "
                  "playback_state :2, duration_ms : 5400000, credits_position_ms :5160000",
        SERVICE + "EntitlementsVegaMessage → message.sent_timestamp: 2, operation : REFRESH, page_index : 0, "
                  "total_page_count: 1, entry_count : 1, content_ids : [movie-cold-meridian], entitlement_types : [1]",
        SERVICE + "CustomerListVegaMessage → message.sent_timestamp: 3, operation : REMOVED, list_type :0, page_index : 0, "
                  "total_page_count: 1, content_id id : movie-night-harbor, content_id namespace : cdf_id",
        SERVICE + "ContentInteractionVegaMessage → message.sent_timestamp: 4, page_index : 0, total_page_count: 1, "
                  "content_id id : movie-night-harbor, content_id namespace : cdf_id, interaction_type :3, "
                  "event_timestamp_ms: 4",
        SERVICE + "PlaybackEventsVegaMessage rejected → reason: event_timestamp_ms is required, package : " + PACKAGE,
        SERVICE + "SomeNewVegaMessage → content_id id : movie-paper-boats",
    ]
    calls = parse_calls(evidence, lines)
    assert [c.call for c in calls] == ["reportNewPlaybackEvent", "reportRefreshedContentEntitlements",
                                       "reportRemovedCustomerListEntry", "reportNewContentInteraction",
                                       "reportNewPlaybackEvent", "SomeNewVegaMessage"]
    playback, refresh, removed, liked, refused, unknown = calls
    assert playback.playback.playback_state is PlaybackState.EXIT and playback.playback.content_id_namespace == "cdf_id"
    assert refresh.content_ids == ("movie-cold-meridian",) and removed.list_type == 0 and liked.interaction_type == 3
    assert (refused.refused, refused.package, refused.playback) == ("event_timestamp_ms is required", PACKAGE, None)
    assert not any(c.own for c in calls)
    # Whose? A service line names no package: its titles (or a refusal's package) say it is the app's.
    assert attributed(calls, PACKAGE, {"movie-paper-boats"}) == [refused, unknown]
    assert evidence.missing("reportRemovedContentEntitlement") is None
