"""Seed 001's Partner-Managed Row (PMR): what Fire TV does with an app's recommendations.

Recommendations are posted through firebridge's helper app (the ``pmr`` fixture: a broadcast to
``com.firebridge.helper``; everything posted is cancelled after the test) and read back where a
customer sees them: the helper's row on the home screen (the ``home`` fixture, the UI tree), plus the
posted notification records and the device log where Android is the one deciding.

Hardware notes (docs/helper-app.md): cards appear only for an app opened at least
once (each test starts the helper's invisible ``.Main``), and the row needs at least 5
recommendations, so every test posts at least 5 (fillers ranked after the ones under test).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

import pytest

from firebridge.capabilities.home import Home, Tile
from firebridge.capabilities.pmr import DISPLAY_NAME_LIMIT, HELPER_PACKAGE, PMR, InvalidRecommendation, Recommendation
from firebridge.device.pace import pace_of
from firebridge.waiting import WaitTimeout, wait_until

from .cpcalls import CpCalls

# The helper APK's label (`aapt dump badging`: label 'FireBridge Helper'): the launcher titles the
# app's Partner-Managed Row with it.
HELPER_ROW = "FireBridge Helper"
MIN_ROW = 5  # Fire TV shows the row only with at least 5 recommendations
ROW_WAIT_S = 10.0
# Android 9 NotificationManagerService.checkDisqualifyingFeatures (Slog.e, system buffer); Android <= 7.1
# (Fire OS 5/6) says "already posted N notifications" (nougat enqueueNotificationInternal).
LIMIT_LINE = re.compile(r"Package has already posted (?:or enqueued )?(?P<count>\d+) notifications\.\s+"
                        r"Not showing more\.(?:\s+package=(?P<package>\S+))?")
LIMIT = 50  # seed 001: "a limit of 50 notifications active at one time for any app"


def fillers(count: int, first_id: int = 900, rank: int = 1000) -> list[Recommendation]:
    """Recommendations ranked after everything a test checks, so that the row has enough cards."""
    return [Recommendation(title=f"Filler {n + 1}", id=first_id + n, rank=rank + n, maturity_rating="G")
            for n in range(count)]


@pytest.fixture
def helper_row(pmr: PMR, firetv, home: Home) -> "HelperRow":
    """An empty helper row to start from: the helper opened once, its recommendations cancelled."""
    # wait: return once the start has happened; right after HOME a start is held for up to 5 s (AOSP
    # APP_SWITCH_DELAY_TIME) and would otherwise land in the middle of the test.
    firetv.driver.launch(HELPER_PACKAGE, f"{HELPER_PACKAGE}/.Main", wait=True)
    pmr.cancel_all()
    return HelperRow(pmr, home)


class HelperRow:
    """Posts recommendations and reads the helper's row on the home screen."""

    def __init__(self, pmr: PMR, home: Home) -> None:
        self.pmr = pmr
        self.home = home
        self.last: list[Tile] | None = None

    def post(self, *recs: Recommendation) -> None:
        for rec in recs:
            self.pmr.post(rec)

    def read(self) -> list[Tile] | None:
        """The row's tiles, first first (None when Fire TV shows no row for the helper). HOME makes
        the launcher rebuild its rows; rows below the fold are read by walking down to them."""
        self.home.show()
        row = self.home.read(all_rows=True).row(HELPER_ROW)
        self.last = list(row.tiles) if row else None
        return self.last

    def wait(self, predicate: Callable[[list[Tile]], bool], what: str, timeout: float = ROW_WAIT_S) -> list[Tile]:
        """Read the row until ``predicate(tiles)`` holds; fail naming ``what`` and what was shown. ``timeout``
        is for a fast device; a slow one gets two more reads' worth (HOME, moves down the rows, UI dumps)
        at its measured pace."""
        timeout = pace_of(self.home.driver.transport).timeout(timeout, calls=2 * 8, dumps=2 * 6)
        try:
            return wait_until(lambda: (tiles := self.read()) is not None and predicate(tiles) and tiles,
                              timeout, what, interval=0.2)
        except WaitTimeout:
            shown = "no row" if self.last is None else [t.title for t in self.last]
            home = self.home.last.describe() if self.home.last else "nothing read"
            pytest.fail(f"{what}; the {HELPER_ROW!r} row showed {shown} (home screen: {home})")


def titles(tiles: list[Tile]) -> list[str]:
    return [tile.title for tile in tiles]


def test_row_sorts_by_rank_then_recency(helper_row: HelperRow, scenario) -> None:
    scenario("PMR: row sorted by RANK, then newest first")
    posted = [  # in this order: within one rank, the later post must come first
        Recommendation(title="Rank 2, posted first", id=1, rank=2, maturity_rating="PG"),
        Recommendation(title="Rank 1", id=2, rank=1, maturity_rating="PG"),
        Recommendation(title="Rank 2, posted last", id=3, rank=2, maturity_rating="PG"),
        Recommendation(title="Rank 0", id=4, rank=0, maturity_rating="PG"),
    ]
    helper_row.post(*posted, *fillers(MIN_ROW - 1))
    expected = ["Rank 0", "Rank 1", "Rank 2, posted last", "Rank 2, posted first"]
    tiles = helper_row.wait(lambda t: len(t) >= len(expected) and all(x in titles(t) for x in expected),
                            f"the {len(expected)} ranked recommendations to appear in the {HELPER_ROW!r} row")
    shown = [title for title in titles(tiles) if title in expected]
    assert shown == expected, (
        f"Fire TV must sort a Partner-Managed Row by com.amazon.extra.RANK ascending, then by time of submission, "
        f"most recent first (seed 001), but after posting {[r.title for r in posted]} (in that order) the row shows "
        f"{shown}, not {expected}")


def test_fifty_first_recommendation_is_rejected(helper_row: HelperRow, pmr: PMR, cp_calls: CpCalls,
                                                scenario) -> None:
    scenario("PMR: the 51st active recommendation is rejected")
    helper_row.post(*[Recommendation(title=f"Item {n}", id=n, rank=n, maturity_rating="G")
                      for n in range(1, LIMIT + 1)])
    held = pmr.active()
    assert len(held) == LIMIT, (f"Android must keep all {LIMIT} recommendations an app posts while it is within the "
                                f"limit of {LIMIT} (seed 001), but only {len(held)} are active")
    since = cp_calls.mark()
    pmr.post(Recommendation(title=f"Item {LIMIT + 1}", id=LIMIT + 1, rank=LIMIT + 1, maturity_rating="G"))
    try:
        line = cp_calls.logs.wait_for(LIMIT_LINE, since=since, timeout=10)
    except TimeoutError:
        line = None
    after = pmr.active()
    ids = sorted(record.id for record in after)
    problems = []
    if line is None:
        problems.append(f"Android must reject an app's {LIMIT + 1}st active notification and log \"Package has "
                        f"already posted or enqueued {LIMIT} notifications.  Not showing more.\" (seed 001: at most "
                        f"{LIMIT} at one time), but no such line was logged within 10 s of posting it")
    elif line["package"] not in (None, HELPER_PACKAGE):
        problems.append(f"The {LIMIT}-notification limit must be applied to the app that posted (seed 001), but the "
                        f"rejection named package {line['package']}")
    if len(after) != LIMIT or LIMIT + 1 in ids:
        problems.append(f"An app must never have more than {LIMIT} active recommendations (seed 001), but after the "
                        f"{LIMIT + 1}st post the notification records show {len(after)} "
                        f"({'including' if LIMIT + 1 in ids else 'without'} id {LIMIT + 1})")
    if problems:
        pytest.fail("\n".join(problems))


def test_live_item_shows_only_inside_its_window(helper_row: HelperRow, device_clock, scenario) -> None:
    scenario("PMR: live content shown only inside its start/end window")
    # The window must open after the first read of the row and stay open for a few reads, or the test proves
    # nothing (early) or misses it (inside). A read (HOME, UI dumps, moves down the rows) takes seconds on a
    # stick and, at a virtual clock's 20x, the host's share of it counts twenty times: so the window is sized
    # from one read timed on this device, at least half a minute each way (1.5 s real at 20x, fast timing).
    started = device_clock.now_ms()
    helper_row.read()
    read_ms = device_clock.now_ms() - started
    now = device_clock.now_ms()
    lead = span = max(30_000, 4 * read_ms)
    opens, closes = now + lead, now + lead + span
    helper_row.post(
        Recommendation(title="Live now", id=1, rank=1, live_content=1, content_start_time=now - 600_000,
                       content_end_time=now + 3_600_000, maturity_rating="TVG"),
        Recommendation(title="Live soon", id=2, rank=2, live_content=1, content_start_time=opens,
                       content_end_time=closes, maturity_rating="TVG"),
        Recommendation(title="Live ended", id=3, rank=3, live_content=1, content_start_time=now - 7_200_000,
                       content_end_time=now - 3_600_000, maturity_rating="TVG"),
        *fillers(MIN_ROW - 1))

    def window(title: str, start: int, end: int) -> str:
        return f"{title!r} (live, window {(start - now) // 1000:+d} s to {(end - now) // 1000:+d} s from the first post)"

    rule = "Fire TV must show live content (LIVE_CONTENT 1) only between its CONTENT_START_TIME and CONTENT_END_TIME"
    tiles = helper_row.wait(lambda t: "Live now" in titles(t), f"{rule} (seed 001), but "
                            f"{window('Live now', now - 600_000, now + 3_600_000)} did not appear")
    read_at = device_clock.now_ms()  # a read that ends after the window opened proves nothing about "early"
    early = [t for t in ("Live soon", "Live ended") if t in titles(tiles)]
    assert read_at >= opens or not early, (
        f"{rule} (seed 001), but the row showed {early} at {(read_at - now) // 1000:+d} s, outside their windows: "
        f"{window('Live soon', opens, closes)}, {window('Live ended', now - 7_200_000, now - 3_600_000)}")
    device_clock.wait_device_seconds((opens - device_clock.now_ms()) / 1000 + 5, timeout=180 + lead / 1000)
    helper_row.wait(lambda t: "Live soon" in titles(t), f"{rule} (seed 001), but "
                    f"{window('Live soon', opens, closes)} did not appear once its window had opened")
    device_clock.wait_device_seconds((closes - device_clock.now_ms()) / 1000 + 2, timeout=180 + span / 1000)
    helper_row.wait(lambda t: "Live soon" not in titles(t), f"{rule} (seed 001), but "
                    f"{window('Live soon', opens, closes)} was still shown after its window had closed")


def test_long_display_name_is_cut_to_15_characters(helper_row: HelperRow, scenario) -> None:
    scenario("PMR: DISPLAY_NAME cut to 15 characters, no ellipsis")
    names = {"Long name": "FireBridge Helper TV", "Exact name": "Exactly Fifteen"}
    helper_row.post(*[Recommendation(title=title, id=n, rank=n, display_name=name, maturity_rating="PG")
                      for n, (title, name) in enumerate(names.items(), 1)], *fillers(MIN_ROW - 2))
    tiles = helper_row.wait(lambda t: all(title in titles(t) for title in names),
                            f"the recommendations {list(names)} to appear in the {HELPER_ROW!r} row")
    shown = {tile.title: tile.display_name for tile in tiles if tile.title in names}
    wanted = {title: name[:DISPLAY_NAME_LIMIT] for title, name in names.items()}
    assert shown == wanted, (
        f"Fire TV must cut com.amazon.extra.DISPLAY_NAME to {DISPLAY_NAME_LIMIT} characters without an ellipsis "
        f"(seed 001), but for the names {names} the cards show {shown}, not {wanted}")


@dataclass(frozen=True)
class Invalid:
    """A recommendation firebridge must refuse, and the seed 001 rule it breaks."""

    field: str
    values: dict[str, Any]
    rule: str
    strict: bool = False


INVALID = [
    Invalid("rank", {"rank": -1}, "RANK ranges from 0 to Integer.MAX_VALUE"),
    Invalid("maturity_rating", {"maturity_rating": "PG-13"}, "MATURITY_RATING takes only the listed values (PG13)"),
    Invalid("customer_rating", {"customer_rating": 11}, "CONTENT_CUSTOMER_RATING ranges from 0 to 10"),
    Invalid("action_options", {"action_options": [1]}, "an ACTION_OPTION list requires DISPLAY_NAME"),
    Invalid("action_options", {"action_options": [8], "display_name": "App"}, "ACTION_OPTION takes only the listed "
            "values"),
    Invalid("live_content", {"live_content": 1}, "live content is shown by CONTENT_START_TIME and CONTENT_END_TIME"),
    Invalid("content_end_time", {"content_start_time": 2_000, "content_end_time": 1_000},
            "a live window ends after it starts"),
    Invalid("long_description", {"long_description": "x" * 513}, "LONG_DESCRIPTION is limited to 512 characters"),
    Invalid("imdb_id", {"imdb_id": "0417148"}, "IMDB_ID is the tt... id of an IMDb title URL"),
    Invalid("recommendation", {"display_name": "A Sixteen Letter"}, "DISPLAY_NAME is limited to 15 characters "
            "(a strict post refuses what Fire TV would cut)", strict=True),
]


def test_invalid_extras_are_refused_before_reaching_the_device(helper_row: HelperRow, pmr: PMR,
                                                               cp_calls: CpCalls, scenario) -> None:
    scenario("PMR: invalid extras refused by firebridge, nothing posted")
    before = pmr.active()
    since = cp_calls.mark()
    problems = []
    for case in INVALID:
        try:
            rec = Recommendation(title=f"Invalid {case.field}", id=77, **case.values)
            pmr.post(rec, strict=case.strict)
        except InvalidRecommendation as exc:
            if exc.field != case.field:
                problems.append(f"firebridge refused {case.values} but blamed {exc.field!r}, not {case.field!r}: {exc}")
            continue
        if case.strict:
            problems.append(f"firebridge must refuse {case.values} in a strict post (seed 001: {case.rule}), but it "
                            f"posted it")
        else:
            problems.append(f"firebridge must refuse {case.values} before it reaches the device (seed 001: "
                            f"{case.rule}), but it posted it")
    cp_calls.sync()
    reached = [line for line in cp_calls.logs.lines(since)
               if HELPER_PACKAGE in line or "FireBridgeHelper" in line or "PostRecommendation" in line]
    after = pmr.active()
    if reached or len(after) != len(before):
        problems.append(f"Nothing firebridge refuses may reach the device, but the log shows {reached[:3]} and the "
                        f"helper's active recommendations went from {len(before)} to {len(after)}")
    if problems:
        pytest.fail("\n".join(problems))
