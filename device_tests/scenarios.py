"""Seed 002's validation scenarios as data: ``fixtures/scenarios/*.yaml`` loaded and checked (pure).

A scenario file (every mistake is a ConfigError naming the file and line)::

    tolerance_s: 5                 # how far a reported position may be from the expected one
    scenarios:
      - name: Title is not yet added to the Continue Watching row    # the test id and summary line
        seed_row: 1                # the row of seed 002's table (for people)
        title: movie               # movie | episode | episode_with_next | a catalog id of the app profile
        given:
          consent: on              # both Continue Watching consents on (off: both off)
          continue_watching: absent   # absent | in_progress | first   (absent: not in the row, starts at 0)
          next_episode: absent     # optional: the title's next episode is not in the row either
        steps:                     # one action each; `report`/`position`: the playback event it must cause
          - {do: play, report: PLAYING, position: start}
          - {do: pause, report: PAUSED, position: start}
          - {do: home, report: EXIT, position: same}
        then: absent               # absent | first | still_first | removed | next_episode_first

Actions (``do``): play (the profile's ``play`` deep link), pause, resume, fast_forward and rewind (``times``,
default 1; one press each), seek_to_end (fast-forward until the content completes), play_until (``until``:
a share of the duration such as ``"2.5%"``; waits in device time), back, home.

Positions: ``start`` (0), ``saved`` (where the title was when the scenario began), ``same`` (the position
the previous expected report carried), ``finished`` (at or past the credits, else 95%), or a share of the
duration: ``">= 2%"``, ``"<= 1%"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from firebridge.capabilities.apps import AppProfile, CatalogEntry
from firebridge.errors import ConfigError
from firebridge.capabilities.personalization import PlaybackState
from firebridge.resources import fixtures_dir
from firebridge.yamlnodes import Field, Reader, compose_file, compose_text, line_of

SCENARIO_DIR = fixtures_dir("scenarios")  # the checkout's fixtures/scenarios, or the wheel's copy
ACTIONS = ("play", "pause", "resume", "fast_forward", "rewind", "seek_to_end", "play_until", "back", "home")
GIVEN_STATES = ("absent", "in_progress", "first")
OUTCOMES = ("absent", "first", "still_first", "removed", "next_episode_first")
TITLE_KINDS = ("movie", "episode", "episode_with_next")
POSITION_WORDS = ("start", "saved", "same", "finished")
_TOP_KEYS = ("tolerance_s", "scenarios")
_SCENARIO_KEYS = ("name", "seed_row", "title", "given", "steps", "then")
_GIVEN_KEYS = ("consent", "continue_watching", "next_episode")
_STEP_KEYS = ("do", "times", "until", "report", "position")
_SHARE = re.compile(r"^\s*(?P<op>>=|<=)?\s*(?P<percent>\d+(?:\.\d+)?)\s*%\s*$")


@dataclass(frozen=True)
class Position:
    """An expected position: a word (start, saved, same, finished) or a share of the duration."""

    word: str | None = None
    op: str | None = None  # ">=" or "<=" with percent
    percent: float | None = None

    def describe(self) -> str:
        if self.word:
            return {"start": "the start", "saved": "the saved position", "same": "the previous position",
                    "finished": "the end (credits)"}[self.word]
        return f"{self.op} {self.percent:g}% of the duration"


@dataclass(frozen=True)
class Step:
    action: str
    times: int = 1
    until_percent: float | None = None
    report: PlaybackState | None = None
    position: Position | None = None
    line: int | None = None

    def describe(self) -> str:
        extra = f" x{self.times}" if self.action in ("fast_forward", "rewind") and self.times != 1 else ""
        extra += f" until {self.until_percent:g}%" if self.until_percent is not None else ""
        return f"{self.action}{extra}"


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str  # a kind (TITLE_KINDS) or a catalog id
    consent: bool
    given: str
    next_episode_absent: bool
    steps: tuple[Step, ...]
    then: str
    seed_row: int | None = None
    tolerance_s: float = 5.0
    path: str = ""
    line: int | None = None

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


def load_scenarios(path: str | Path) -> list[Scenario]:
    """Every scenario of one file, validated."""
    return _scenarios(compose_file(path), str(path))


def scenarios_from_text(text: str, path: str = "<string>") -> list[Scenario]:
    return _scenarios(compose_text(text, path), path)


def _scenarios(root: yaml.Node | None, path: str) -> list[Scenario]:
    r = Reader(path)
    if root is None:
        raise ConfigError("the scenario file is empty; it needs a list under 'scenarios:'", path)
    top = r.mapping(root, "the scenario file")
    r.check_keys(top, _TOP_KEYS, "the scenario file")
    tolerance = float(r.typed(top["tolerance_s"], float, "tolerance_s")) if "tolerance_s" in top else 5.0
    if tolerance <= 0:
        raise r.error("tolerance_s must be a positive number of seconds", top["tolerance_s"].node)
    nodes = r.sequence(r.require(top, "scenarios", "the scenario file", root).node, "scenarios")
    if not nodes:
        raise r.error("scenarios is empty", top["scenarios"].node)
    out: list[Scenario] = []
    for node in nodes:
        scenario = _scenario(r, node, tolerance, path)
        if any(s.name == scenario.name for s in out):
            first = next(s for s in out if s.name == scenario.name)
            raise r.error(f"two scenarios are named {scenario.name!r} (first at line {first.line}); names must be "
                          f"unique (they are the test ids)", node)
        out.append(scenario)
    return out


def _choice(r: Reader, f: Field, allowed: tuple[str, ...], what: str) -> str:
    value = r.typed(f, str, what)
    if value not in allowed:
        raise r.error(f"{what} must be one of {', '.join(allowed)}, not {value!r}", f.node)
    return value


def _scenario(r: Reader, node: yaml.Node, tolerance: float, path: str) -> Scenario:
    fields = r.mapping(node, "a scenario")
    r.check_keys(fields, _SCENARIO_KEYS, "a scenario")
    name = r.typed(r.require(fields, "name", "a scenario", node), str, "name").strip()
    if not name:
        raise r.error("a scenario's name must not be empty", fields["name"].node)
    what = f"scenario {name!r}"
    title = r.typed(r.require(fields, "title", what, node), str, f"title of {what}")
    seed_row = r.typed(fields["seed_row"], int, f"seed_row of {what}") if "seed_row" in fields else None
    given_field = r.require(fields, "given", what, node)
    given = r.mapping(given_field.node, f"given of {what}")
    r.check_keys(given, _GIVEN_KEYS, f"given of {what}")
    consent = r.typed(given["consent"], bool, f"consent of {what} (on or off)") if "consent" in given else True
    state = _choice(r, r.require(given, "continue_watching", f"given of {what}", given_field.node), GIVEN_STATES,
                    f"given.continue_watching of {what}")
    next_absent = False
    if "next_episode" in given:
        next_absent = _choice(r, given["next_episode"], ("absent",), f"given.next_episode of {what}") == "absent"
    step_nodes = r.sequence(r.require(fields, "steps", what, node).node, f"steps of {what}")
    if not step_nodes:
        raise r.error(f"{what} has no steps", fields["steps"].node)
    steps = tuple(_step(r, n, what) for n in step_nodes)
    then_field = r.require(fields, "then", what, node)
    then = _choice(r, then_field, OUTCOMES, f"then of {what}")
    _check_consistency(r, what, title, state, steps, then, then_field, fields["steps"])
    return Scenario(name, title, consent, state, next_absent, steps, then, seed_row, tolerance, path, line_of(node))


def _check_consistency(r: Reader, what: str, title: str, state: str, steps: tuple[Step, ...], then: str,
                       then_field: Field, steps_field: Field) -> None:
    if steps[0].action != "play":
        raise r.error(f"the first step of {what} must be 'play' (open the title)", steps_field.node)
    if then == "still_first" and state != "first":
        raise r.error(f"then: still_first needs given.continue_watching: first in {what}", then_field.node)
    if then == "removed" and state == "absent":
        raise r.error(f"then: removed needs the title in the row first (given.continue_watching: in_progress or "
                      f"first) in {what}", then_field.node)
    if then == "next_episode_first" and title not in ("episode_with_next",) and title in TITLE_KINDS:
        raise r.error(f"then: next_episode_first needs title: episode_with_next (or the id of an episode with a "
                      f"next one) in {what}", then_field.node)
    previous_report = False
    for step in steps:
        if step.position is not None and step.position.word == "same" and not previous_report:
            raise r.error(f"position: same in {what} needs an earlier step with a report", steps_field.node)
        previous_report = previous_report or step.report is not None


def _position(r: Reader, f: Field, what: str) -> Position:
    value = r.value(f.node)
    if isinstance(value, str) and value in POSITION_WORDS:
        return Position(word=value)
    match = _SHARE.match(value) if isinstance(value, str) else None
    if match is None:
        raise r.error(f"position of {what} must be {', '.join(POSITION_WORDS)} or a share of the duration such "
                      f"as \">= 2%\", not {value!r}", f.node)
    percent = float(match["percent"])
    if percent > 100:
        raise r.error(f"position of {what} cannot be more than 100%", f.node)
    return Position(op=match["op"] or ">=", percent=percent)


def _step(r: Reader, node: yaml.Node, scenario: str) -> Step:
    if isinstance(node, yaml.ScalarNode):  # "- home" is short for "- {do: home}"
        action = r.typed(node, str, f"a step of {scenario}")
        if action not in ACTIONS:
            raise r.error(f"unknown step {action!r} in {scenario}; steps are {', '.join(ACTIONS)}", node)
        if action == "play_until":
            raise r.error(f"play_until in {scenario} needs until: (e.g. {{do: play_until, until: 2.5%}})", node)
        return Step(action, line=line_of(node))
    fields = r.mapping(node, f"a step of {scenario}")
    r.check_keys(fields, _STEP_KEYS, f"a step of {scenario}")
    action = _choice(r, r.require(fields, "do", f"a step of {scenario}", node), ACTIONS, f"do of a step of {scenario}")
    what = f"step {action!r} of {scenario}"
    times = 1
    if "times" in fields:
        if action not in ("fast_forward", "rewind"):
            raise r.error(f"times is only for fast_forward and rewind, not {action!r}", fields["times"].key_node)
        times = r.typed(fields["times"], int, f"times of {what}")
        if not 1 <= times <= 30:
            raise r.error(f"times of {what} must be 1 to 30 presses, not {times}", fields["times"].node)
    until = None
    if "until" in fields:
        if action != "play_until":
            raise r.error(f"until is only for play_until, not {action!r}", fields["until"].key_node)
        match = _SHARE.match(str(r.value(fields["until"].node)))
        if match is None or match["op"]:
            raise r.error(f"until of {what} must be a share of the duration such as 2.5%", fields["until"].node)
        until = float(match["percent"])
    elif action == "play_until":
        raise r.error(f"{what} needs until: (a share of the duration such as 2.5%)", node)
    report = None
    if "report" in fields and action == "play_until":
        raise r.error(f"{what} causes no event of its own (the app's 60-second events come when they come); "
                      f"put report: on the next step", fields["report"].key_node)
    if "report" in fields:
        name = r.typed(fields["report"], str, f"report of {what}").upper()
        if name not in PlaybackState.__members__:
            raise r.error(f"report of {what} must be a playback state ({', '.join(PlaybackState.__members__)}), "
                          f"not {r.value(fields['report'].node)!r}", fields["report"].node)
        report = PlaybackState[name]
    position = None
    if "position" in fields:
        if report is None:
            raise r.error(f"position in {what} needs report: (the state of the event that carries it)",
                          fields["position"].key_node)
        position = _position(r, fields["position"], what)
    return Step(action, times, until, report, position, line_of(node))


# -- choosing the title of a scenario from the app profile ------------------------------------------
def pick_title(profile: AppProfile, spec: str) -> CatalogEntry:
    """The catalog entry a scenario plays: the first of a kind, or the id given."""
    if spec in profile.catalog:
        return profile.catalog[spec]
    if spec == "movie":
        found = profile.movies
    elif spec == "episode":
        found = profile.episodes
    elif spec == "episode_with_next":
        found = [e for e in profile.episodes if e.next]
    else:
        raise ConfigError(f"title {spec!r} is neither {', '.join(TITLE_KINDS)} nor a content id of the app profile "
                          f"{profile.name} ({', '.join(profile.catalog)})", profile.path)
    if not found:
        raise ConfigError(f"the app profile {profile.name} has no catalog entry for title: {spec}", profile.path)
    return found[0]
