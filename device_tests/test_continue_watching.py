"""Seed 002's validation scenarios, one test per row of its table, from fixtures/scenarios/continue_watching.yaml.

Each scenario: set the consents and the title's starting state (absent / in progress / first), run the
steps with the remote and the profile's deep links, check the playback event every step had to cause
(state and position, from the app's debug line; the content id also from the platform's evidence of what
was received: Fire TV's service line on Vega OS, the app's own line on Fire OS), then
check the Continue Watching row on Home.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from firebridge.capabilities.apps import CatalogEntry
from firebridge.capabilities.personalization import PlaybackState

from . import rules
from .playback import ContinueWatching, Player, hardware_timeout
from .rules import Report, broken, clock
from .scenarios import SCENARIO_DIR, Scenario, Step, load_scenarios, pick_title

pytestmark = hardware_timeout()
SCENARIOS = load_scenarios(SCENARIO_DIR / "continue_watching.yaml")

# Which rule an action's missing (or wrong) playback event breaks.
_RULE_OF_ACTION = {"play": "state_change", "pause": "state_change", "resume": "state_change", "fast_forward": "seek",
                   "rewind": "seek", "seek_to_end": "exit", "back": "exit", "home": "exit"}


@dataclass
class Run:
    """What a scenario has seen so far."""

    scenario: Scenario
    entry: CatalogEntry
    saved_ms: int = 0  # where the title was when the steps began
    position_ms: int = 0  # the last position reported
    expected_ms: int | None = None  # the position the previous expected report carried
    expected: Report | None = None  # that report (its state and log time)

    def where(self, n: int, step: Step) -> str:
        return f"[{self.scenario.name}, step {n} '{step.describe()}' ({self.scenario.path}:{step.line})]"


def failure(rule: str, observed: str, where: str) -> AssertionError:
    """A broken rule, then where in the scenario file it happened."""
    return AssertionError(f"{broken(rule, observed)} {where}")


# -- starting state -------------------------------------------------------------------------------
def _check_ids(player: Player, since: int, entry: CatalogEntry) -> None:
    rules.require_catalog_id(player.reports(since), player.received(since), entry, player.received_source)


def _leave(player: Player) -> Report | None:
    """BACK out of the player; the EXIT event if one came."""
    return player.act("back")[1]


def start_from_the_beginning(player: Player, cw: ContinueWatching, entry: CatalogEntry, tolerance_ms: int) -> int:
    """The title is not in progress: the app starts it at 0, and it is not in the row."""
    since, first = player.open(entry)
    rules.require_report(first, "state_change", f"When {entry.display_title} was opened to set up the scenario",
                         entry)
    # Always rewind: even a few seconds in, the app would resume there (and the player took a moment to load).
    player.rewind_to_start(tolerance_ms, pause_first=True)
    _leave(player)
    _check_ids(player, since, entry)
    cw.remove(entry.display_title)
    return 0


def make_in_progress(player: Player, cw: ContinueWatching, entry: CatalogEntry) -> int:
    """The title is in progress (past 2%, not finished) and first in the row; returns where it is."""
    since, first = player.open(entry)
    rules.require_report(first, "state_change", f"When {entry.display_title} was opened to set up the scenario",
                         entry)
    last = first
    finished = entry.finished_at_ms() or entry.duration_ms or 0
    if not entry.position_at(0.03) <= first.position_ms < finished:
        for _ in range(5):  # FAST_FORWARD past 3%
            last = player.act("fast_forward")[1] or last
            if last.position_ms >= entry.position_at(0.03):
                break
    last = _leave(player) or last
    _check_ids(player, since, entry)
    if last.position_ms < entry.position_at(0.02):
        raise AssertionError(f"setting up: {entry.display_title} did not get past 2% (the app reported "
                             f"{last.describe()}); the scenario cannot start")
    try:
        cw.wait_first(entry.display_title)
    except TimeoutError as exc:
        raise broken("cw_added", f"setting up: {entry.display_title} was watched to {clock(last.position_ms)} "
                                 f"but Continue Watching did not show it first ({exc})") from None
    return last.position_ms


# -- steps ------------------------------------------------------------------------------------------
def run_step(player: Player, run: Run, step: Step) -> Report | None:
    """Do one step; the report it caused that its expectation is checked against (or None)."""
    entry = run.entry
    if step.action == "play":
        return player.open(entry)[1]
    if step.action in ("fast_forward", "rewind"):
        report = None
        for _ in range(step.times):
            report = player.act(step.action)[1] or report
        return report
    if step.action == "seek_to_end":
        return player.seek_to_end(entry)
    if step.action == "play_until":
        assert step.until_percent is not None
        player.play_until(entry, step.until_percent, run.position_ms)
        return None
    if step.report is None:  # nothing to wait for (e.g. HOME after the player closed at the end)
        player.press(step.action)
        return None
    return player.act(step.action)[1]


def check_position(run: Run, n: int, step: Step, report: Report) -> None:
    """The step's report carries the position the scenario expects (within the tolerance)."""
    position, entry = step.position, run.entry
    if position is None:
        return
    tolerance = int(run.scenario.tolerance_s * 1000)
    where = run.where(n, step)
    if position.word in ("start", "saved", "same"):
        target = {"start": 0, "saved": run.saved_ms, "same": run.expected_ms or 0}[position.word]
        # After a key (not when the title is opened), the title played on from the previous PLAYING report.
        played_s = _played_since(run.expected, report) if step.action != "play" and position.word != "saved" else 0.0
        target += int(played_s * 1000)
        if position.word == "saved" or (position.word == "start" and step.action == "play"):
            rule = "restored_position"
        elif step.report is PlaybackState.EXIT:
            rule = "exit"
        else:
            rule = _RULE_OF_ACTION[step.action]
        what = {"start": "the start", "saved": "the saved position it resumes from",
                "same": "the position reported just before"}[position.word]
        if played_s:
            what += (f" ({clock(target - int(played_s * 1000))}) plus the {played_s:.0f} s it played on until this "
                     f"report")
        try:
            rules.require_position(report, target, tolerance, rule, what, entry)
        except AssertionError as exc:
            raise AssertionError(f"{exc} {where}") from None
        return
    if position.word == "finished":
        finished = entry.finished_at_ms() or entry.duration_ms or 0
        if report.position_ms < finished - tolerance:
            observed = (f"when {entry.display_title} was played to its end the app reported {report.describe()}, "
                        f"before the credits at {clock(finished)}")
            raise failure("exit", observed, where)
        return
    assert position.percent is not None and entry.duration_ms
    share = 100 * report.position_ms / entry.duration_ms
    ok = share >= position.percent if position.op == ">=" else share <= position.percent
    if not ok:
        rule = "seek" if step.action in ("fast_forward", "rewind") else _RULE_OF_ACTION[step.action]
        observed = (f"after '{step.describe()}' the app reported {report.describe()} ({share:.1f}% of "
                    f"{entry.display_title}), expected {position.describe()}")
        raise failure(rule, observed, where)


def check_step(run: Run, n: int, step: Step, report: Report | None) -> None:
    if step.report is None:
        return
    rule = "exit" if step.report is PlaybackState.EXIT else _RULE_OF_ACTION[step.action]
    when = {"play": f"When {run.entry.display_title} was opened", "pause": "After PAUSE",
            "resume": "After PLAY", "fast_forward": "After FAST_FORWARD (a seek)", "rewind": "After REWIND (a seek)",
            "seek_to_end": "When playback was fast-forwarded to the end and completed",
            "back": "After BACK left the player", "home": "After HOME left the player"}.get(step.action, step.action)
    try:
        report = rules.require_state(report, step.report, when, run.entry, rule)
    except AssertionError as exc:
        raise AssertionError(f"{exc} {run.where(n, step)}") from None
    check_position(run, n, step, report)
    run.expected_ms = report.position_ms
    run.expected = report


def _played_since(previous: Report | None, report: Report) -> float:
    """Device seconds the title went on playing between ``previous`` (a PLAYING report) and ``report``.

    A player that reported PLAYING keeps playing until the next key reaches it: the settle wait, the
    ``input`` call's VM start and adb's round trips all pass in device time (seconds on a real stick; at a
    virtual clock's 20x, a second of host time is 20 device seconds). So "the same position" is the previous
    one moved on by that time, read from the two log lines' timestamps."""
    if previous is None or previous.state != PlaybackState.PLAYING:
        return 0.0
    return max(0.0, report.at_s - previous.at_s)


# -- the outcome on Home ------------------------------------------------------------------------------
def check_outcome(run: Run, cw: ContinueWatching, profile) -> None:
    entry, then = run.entry, run.scenario.then
    title = entry.display_title
    where = f"[{run.scenario.name} ({run.scenario.where})]"
    if then in ("first", "still_first"):
        rule = "cw_added" if then == "first" else "cw_still_first"
        try:
            cw.wait_first(title)
        except TimeoutError:
            raise failure(rule, f"Continue Watching shows {cw.titles()} after the steps, not {title!r} first",
                          where) from None
    elif then in ("absent", "removed"):
        if then == "removed":
            try:
                cw.wait_gone(title)
            except TimeoutError:
                pass  # reported below with the whole row
        titles = cw.titles(refresh=True)
        if title in titles:
            rule = "cw_not_yet" if then == "absent" else "cw_removed"
            raise failure(rule, f"Continue Watching shows {titles}: {title!r} is in it", where)
    elif then == "next_episode_first":
        following = profile.next_episode(entry.id)
        assert following is not None, f"{entry.id} has no next episode in the profile's catalog"
        try:
            cw.wait_first(following.display_title)
        except TimeoutError:
            raise failure("cw_next_episode", f"Continue Watching shows {cw.titles()} after {title!r} was played "
                                             f"to its end, not {following.display_title!r} first", where) from None
        titles = cw.titles()
        if title in titles:
            raise failure("cw_next_episode", f"Continue Watching shows {titles}: the finished {title!r} is still "
                                             f"in it", where)


# -- the test ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_validation_scenario(case: Scenario, scenario, app_profile, privacy, player: Player,
                             cw: ContinueWatching) -> None:
    scenario(case.name)
    entry = pick_title(app_profile, case.title)
    tolerance = int(case.tolerance_s * 1000)
    if case.consent:
        privacy.enable_continue_watching()
    else:
        privacy.set(False, False)

    run = Run(case, entry)
    if case.given == "absent":
        run.saved_ms = start_from_the_beginning(player, cw, entry, tolerance)
    else:
        run.saved_ms = make_in_progress(player, cw, entry)
    if case.next_episode_absent:
        following = app_profile.next_episode(entry.id)
        if following is not None:
            cw.remove(following.display_title)
    run.position_ms = run.saved_ms

    since = player.mark()
    for n, step in enumerate(case.steps, 1):
        report = run_step(player, run, step)
        if report is not None:
            run.position_ms = report.position_ms
        check_step(run, n, step, report)
    _check_ids(player, since, entry)
    check_outcome(run, cw, app_profile)
