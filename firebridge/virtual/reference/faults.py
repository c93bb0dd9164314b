"""Fault switches: ways Reference TV can get its Content Personalization integration wrong (pure).

``adb shell setprop debug.firebridge.fault NAME[,NAME...]`` (read when the app's process starts, so
``am force-stop com.firebridge.reference`` first). One switch per mistake in seed 002's Do-Not table
and troubleshooting section, and one per seed 000 trigger an app could get wrong. ``firebridge
virtual --list-faults`` prints this table.
"""

from __future__ import annotations

PROPERTY = "debug.firebridge.fault"

FAULTS: dict[str, str] = {
    # seed 002, Do / Do-Not table and troubleshooting
    "early-position": "reports a PLAYING event at position 0 while the player is still loading, before it restores "
                      "the saved position",
    "ad-position-advances": "lets the content position run on during ads: INTERSTITIAL events and the PLAYING event "
                            "after the break carry ad mark + ad time instead of the frozen mark",
    "no-periodic-events": "sends no playback event every 60 s in the player (only state changes and seeks)",
    "pause-instead-of-exit": "sends PAUSED (1) instead of EXIT (2) when playback completes or the player is left",
    "wrong-cdf-id": "sends the app's internal asset id (e.g. NH-2291) instead of the catalog's CDF ID in every "
                    "report, so no Continue Watching tile ever appears",
    "no-interstitial": "reports no ad breaks: no INTERSTITIAL (3) event when an ad starts, no PLAYING event after it",
    "no-seek-events": "sends no playback event when the customer seeks (FAST_FORWARD, REWIND)",
    "no-exit-on-leave": "sends nothing when the player is left (BACK, HOME): the last report stays PLAYING or PAUSED",
    "off-device-as-active": "marks progress from other devices (sent on app open and profile switch) as Active "
                            "instead of Off-Device, so it lands in Continue Watching",
    "no-off-device-timestamp": "sends Off-Device events without the required event timestamp; the service rejects "
                               "them",
    "plain-profile-id": "sends the plain account and profile id (acct-83120577:alex) instead of an obfuscated one",
    # seed 000, the trigger table
    "no-entitlements-on-sign-in": "signing in sends no reportRefreshedContentEntitlements",
    "no-watchlist-on-sign-in": "signing in sends no reportRefreshedCustomerList(WATCHLIST)",
    "share-after-sign-out": "keeps reporting (playback, watchlist, interactions) after the customer signs out",
    "no-sync-on-open": "opening the app while signed in shares nothing: no refreshed entitlements, no refreshed "
                       "watchlist, no Off-Device playback events",
    "no-watchlist-on-profile-switch": "switching profiles sends no reportRefreshedCustomerList(WATCHLIST)",
    "no-playback-on-profile-switch": "switching profiles sends none of that profile's playback events",
    "no-watchlist-add": "adding to the watchlist sends no reportNewCustomerListEntry",
    "no-watchlist-remove": "removing from the watchlist sends no reportRemovedCustomerListEntry",
    "no-entitlement-on-purchase": "buying, renting or recording sends no reportNewContentEntitlement",
    "no-detail-interaction": "opening a detail page sends no DETAIL_VIEW (1) content interaction",
    "no-trailer-interaction": "watching a trailer sends no TRAILER_VIEW (0) content interaction",
    "no-rating-interaction": "Like and Dislike send no LIKE (3) / DISLIKE (4) content interaction",
}


def parse_faults(value: str) -> tuple[frozenset[str], list[str]]:
    """The known fault names in a property value, and the unknown ones (to warn about)."""
    names = [name.strip() for name in value.replace(" ", ",").split(",") if name.strip()]
    known = frozenset(name for name in names if name in FAULTS)
    return known, [name for name in names if name not in FAULTS]
