"""Seed 002, troubleshooting: "Off-Device activity is not updating the Continue Watching row — this is
expected behavior", and "If you send playback events outside of active playback ... mark them as Off-Device".

When an app is opened while signed in it syncs the progress its customer made on other devices and sends
it as Off-Device EXIT events (seed 000, "Opens app"; seed 002, "When in the foreground"). This test opens
the app without playing anything, with both consents on, and checks that every playback event it sends
then is marked Off-Device, carries its event timestamp (required for Off-Device events; checked when the
profile's ``playback_report`` pattern captures ``event_timestamp_ms``) and that the Continue Watching row
gains none of those titles.

An app shares such progress when there is news since it was last opened (the reference app models a
household member watching on another device, so there always is); when the
app sends nothing on open, there is nothing to check and the test skips, saying why.
"""

from __future__ import annotations

import pytest

from firebridge.capabilities.apps import AppDriver, AppProfile

from .playback import ContinueWatching, Player, hardware_timeout
from .rules import broken, clock, state_text

pytestmark = hardware_timeout()
SYNC_S = 10.0  # device seconds the app is given to sync from its service after it opens


def test_off_device_events_do_not_change_continue_watching(scenario, continue_watching_consent, app: AppDriver,
                                                           app_profile: AppProfile, player: Player,
                                                           cw: ContinueWatching) -> None:
    scenario("Off-Device progress shared on opening the app leaves Continue Watching unchanged")
    before = cw.titles()
    app.stop()  # the next start is an app open, with its sync
    since = player.mark()
    app.launch()
    player.wait_device_seconds(SYNC_S)
    reports = player.all_reports(since)
    if not reports:
        pytest.skip("the app sent no playback event when it was opened (no progress from other devices left to "
                    "share on this device), so there is no Off-Device event to check")
    for report in reports:
        if report.off_device is False:
            raise broken("off_device", f"opening the app (nothing was played) sent an Active playback event for "
                                       f"'{report.content_id}': {report.describe()}, type {report.event_type}")
    if "event_timestamp_ms" in player.pattern.groupindex:
        for report in reports:
            if report.off_device and report.event_timestamp_ms is None:
                raise broken("off_device_timestamp", f"opening the app sent an Off-Device playback event for "
                                                     f"'{report.content_id}' ({report.describe()}) without an "
                                                     f"event timestamp")
    after = cw.titles(refresh=True)
    for report in reports:
        entry = app_profile.catalog.get(report.content_id)
        if entry is None:
            continue
        title = entry.display_title
        if title in after and title not in before:
            raise broken("off_device", f"Continue Watching gained {title!r} after the app sent its progress from "
                                       f"another device ({state_text(report.state)} at {clock(report.position_ms)}); "
                                       f"the row is now {after}")
