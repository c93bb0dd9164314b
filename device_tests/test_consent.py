"""Continue Watching follows the two privacy consents (seed 002, "Set up your device").

Continue Watching needs both "Share App Viewing and Content Info" and "Sync Across Devices" on. Side
by side, each through the Settings UI (the ``privacy`` fixture; the original consents are put back
after): with either one off, playing a title past 2% of its duration leaves the row unchanged; with
both on, the title appears first.

The title is the app profile's ``consent_title`` param (else its first movie); it is taken out of
the row first through the launcher's menu, so the outcome does not depend on earlier tests.

That the app reported the playback is read from the platform's evidence (``cp_calls``: Fire TV's service
line on Vega OS, the app's own ``playback_report`` line on Fire OS). Where the profile gives no such line
the wait for it is left out and only the row is checked; the "both on" case then shows that the app
reports at all.
"""

from __future__ import annotations

import pytest

from firebridge.capabilities.apps import AppDriver, AppProfile, CatalogEntry
from firebridge.capabilities.cpevidence import PLAYBACK, CpCall
from firebridge.capabilities.home import Home, HomeSnapshot
from firebridge.capabilities.privacy import SHARE_APP_VIEWING, SYNC_ACROSS_DEVICES
from firebridge.capabilities.remote import Key
from firebridge.device.pace import pace_of
from firebridge.waiting import WaitTimeout, wait_until

from .cpcalls import CpCalls
from .rules import parse_reports

THRESHOLD = 0.02  # docs/virtual-device.md section 1: a title is added when its reported position reaches 2% of its duration
REPORT_WAIT_S = 10.0
PLAYER_READY_DEVICE_S = 3.0  # device seconds from the first report to the seek
# How long (real seconds) the row is watched for a change that must not happen. ASSUMPTION: a Fire TV
# that ignored the consents would show the title as soon as the home screen is refreshed, as it does
# with both on; a slower device needs a longer watch: at least UNCHANGED_READS full refresh-and-read
# rounds at this device's measured pace (each: HOME, three keys, a focus check and a UI dump).
UNCHANGED_WATCH_S = 2.0
UNCHANGED_READS = 2


def unchanged_watch(shell) -> float:
    """Seconds to watch for a change that must not happen, on this device (pace measured once per session)."""
    return max(UNCHANGED_WATCH_S, pace_of(shell).timeout(0.0, calls=3 * UNCHANGED_READS, dumps=UNCHANGED_READS))

CONSENTS = [
    pytest.param(False, True, id="share-off"),
    pytest.param(True, False, id="sync-off"),
    pytest.param(True, True, id="both-on"),
]


def consent_title(profile: AppProfile) -> CatalogEntry:
    """The title to play: the profile's ``consent_title``, else its first movie."""
    wanted = profile.params.get("consent_title")
    return profile.entry(wanted) if wanted else profile.movies[0]


def off_names(share: bool, sync: bool) -> list[str]:
    return [name for name, on in ((SHARE_APP_VIEWING, share), (SYNC_ACROSS_DEVICES, sync)) if not on]


def play_past_threshold(app: AppDriver, profile: AppProfile, cp_calls: CpCalls, entry: CatalogEntry,
                        device_clock) -> None:
    """Play ``entry``, fast-forward once (well past 2%) and go Home; return once the app has reported
    a position past 2% (its own debug line, ``log_patterns.playback_report``, when the profile has
    one; else two playback events after the start in the platform's evidence: the seek and the exit).
    Without any playback evidence on this platform, the steps run and nothing is waited for."""
    seen = cp_calls.missing(PLAYBACK) is None
    since = cp_calls.mark()
    app.open("play", entry.id)

    def names_entry(call: CpCall) -> bool:
        return call.call == PLAYBACK and call.refused is None and call.content_id == entry.id

    if seen and cp_calls.wait_for(names_entry, since, REPORT_WAIT_S) is None:
        pytest.fail(f"The app must report playback of {entry.title} under its CDF id {entry.id} (seed 002) for the "
                    f"consents to be checked, but {cp_calls.source_of(PLAYBACK)} show no playback event for it "
                    f"within {REPORT_WAIT_S:g} s of the play deep link")
    if not seen:
        device_clock.wait_device_seconds(PLAYER_READY_DEVICE_S, timeout=30)
    # A player ignores seeks while it loads; an app may report before its player is ready (which is
    # another test's business), so give it time to be playing.
    device_clock.wait_device_seconds(PLAYER_READY_DEVICE_S, timeout=30)
    app.remote.press(Key.MEDIA_FAST_FORWARD)
    app.remote.press(Key.HOME)
    pattern = profile.log_patterns.get("playback_report")
    threshold = entry.position_at(THRESHOLD)
    if not seen:
        return
    if pattern is not None:
        def past() -> bool:
            return any(report.content_id == entry.id and report.position_ms > threshold
                       for report in parse_reports(cp_calls.logs.lines(since, complete=True), pattern, cp_calls.logs.parser))
        try:
            reported = wait_until(past, REPORT_WAIT_S, "the playback report past 2%")
        except WaitTimeout:
            reported = False
        what = f"playback report of {entry.id} past position {threshold} ms ({profile.name}'s playback_report line)"
    else:
        reported = cp_calls.wait_for(
            lambda c: names_entry(c) and len([x for x in cp_calls.calls(since) if names_entry(x)]) >= 3,
            since, REPORT_WAIT_S) is not None
        what = f"seek report and exit report of {entry.id}"
    if not reported:
        pytest.fail(f"The app must report the position it reached when the customer seeks and leaves (seed 002), "
                    f"but no {what} was logged within {REPORT_WAIT_S:g} s of FAST_FORWARD and HOME")


@pytest.mark.parametrize("share, sync", CONSENTS)
def test_continue_watching_follows_consent(share: bool, sync: bool, privacy, app: AppDriver, app_profile: AppProfile,
                                           home: Home, cp_calls: CpCalls, cw,
                                           device_clock, scenario) -> None:
    off = off_names(share, sync)
    scenario(f"Consent: {' and '.join(off) + ' off' if off else 'both on'}: title "
             f"{'not added' if off else 'added'} to Continue Watching")
    entry = consent_title(app_profile)
    privacy.set(share_app_viewing=share, sync_across_devices=sync)
    cw.remove(entry.display_title)  # the whole row, not only the tiles on screen
    before = home.snapshot().continue_watching
    play_past_threshold(app, app_profile, cp_calls, entry, device_clock)
    if not off:
        try:
            home.wait_until_first(entry.display_title, timeout=10)
        except WaitTimeout as exc:
            pytest.fail(f"With both {SHARE_APP_VIEWING!r} and {SYNC_ACROSS_DEVICES!r} on, a title played past 2% "
                        f"must appear first in Continue Watching (seed 002), but {entry.display_title!r} did not: {exc}")
        return
    try:
        changed: HomeSnapshot = home.wait_for(lambda s: s.continue_watching != before, unchanged_watch(home.driver.transport),
                                              "a change in Continue Watching", interval=0.5)
    except WaitTimeout:
        return  # unchanged, as it must be
    pytest.fail(f"With {' and '.join(repr(name) for name in off)} off, Continue Watching must not change (seed 002: "
                f"the row needs both consents on), but after playing {entry.display_title!r} past 2% it went from "
                f"{before} to {changed.continue_watching}")
