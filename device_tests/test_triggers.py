"""Seed 000's Summary Reference Table: for each customer trigger, the calls the app must make.

Data: fixtures/scenarios/triggers.yaml (one entry per trigger; titles and profile names come from the
app profile's ``params``). For each entry the test runs the app profile's recipe for the trigger and
then reads the calls the platform's evidence shows after it (``cp_calls``, device_tests/cpcalls.py):
on Vega OS Fire TV's Content Personalization service lines (``VegaAlbertoBinderService <Kind>VegaMessage
→ ...``, seed 002), which exist for any app; on Fire OS, where no public system line shows these calls,
the app's own line for each call, named by the app profile's ``log_patterns`` (``watchlist_add``,
``entitlements_refresh``, ...). A call the profile names no line for is not checked: when nothing else
fails, the test skips and names the missing key. Which calls a trigger may require is bounded by
``firebridge.capabilities.personalization.EXPECTED_CALLS``.

Attribution. A service line names no package. A line is ascribed to the trigger by the moment it
appears (after a log mark taken just before the recipe, while only the app under test is driven);
for "nothing is shared after sign-out" that is not enough (a background app could report), so there
a service line counts against the app when it names one of the app's own CDF ids (its catalog,
integrated with Amazon's) or is a refusal naming its package; an app's own line always counts.
ASSUMPTION: an empty refresh service line (no ids) after sign-out is not ascribed to the app: nothing
in the line says whose it is.

Two triggers share "information not shared before", which a test cannot create on demand (it comes
from other devices): for "switches profiles" the playback part is checked as a catch-up: after the
switch the app is opened again; if playback events come out then, they were waiting to be shared
and the switch should have shared them. "Opens app" shares playback only when there is some; any it
sends must be accepted (every test fails on a call the service refuses).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from firebridge.capabilities.apps import AppDriver, AppProfile
from firebridge.capabilities.cpevidence import (CALLS, INTERACTION, NEW_ENTITLEMENT, PLAYBACK, REFRESHES,
                                                REMOVED_ENTITLEMENT, CpCall, describe_calls)
from firebridge.capabilities.personalization import (EXPECTED_CALLS, ContentInteractionType, CustomerListType,
                                                     EntitlementType, Trigger)
from firebridge.capabilities.remote import Key
from firebridge.resources import fixtures_dir

from .cpcalls import CP_WAIT_S, CpCalls

TRIGGERS_FILE = fixtures_dir("scenarios", "triggers.yaml")
LIST_CALLS = ("reportNewCustomerListEntry", "reportRemovedCustomerListEntry", "reportRefreshedCustomerList")
# Built-in steps besides the profile's recipes.
PLAY, REOPEN, LAUNCH, STOP = "play", "reopen", "launch", "stop"
BUILT_IN = (PLAY, REOPEN, LAUNCH, STOP)
PLAY_DEVICE_S = 3.0  # device seconds of playback in the "play" step (past the player's loading)


# -- the data (pure) ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class TriggerCase:
    """One entry of triggers.yaml (see the file's header for the fields)."""

    id: str
    trigger: Trigger
    scenario: str
    recipe: str
    content: str | None = None
    given: tuple[str, ...] = ()
    given_params: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    restore: tuple[str, ...] = ()
    restore_params: dict[str, str] = field(default_factory=dict)
    expect: dict[str, str] = field(default_factory=dict)
    catch_up: dict[str, str] = field(default_factory=dict)
    then: tuple[str, ...] = ()
    list: str | None = None
    interaction: str | None = None
    entitlement: str | None = None


_CASE_KEYS = set(TriggerCase.__dataclass_fields__)


def load_cases(path: Path = TRIGGERS_FILE) -> list[TriggerCase]:
    """The entries of triggers.yaml, checked against seed 000's table (EXPECTED_CALLS)."""
    data = yaml.safe_load(path.read_text())
    cases = []
    for n, raw in enumerate(data["triggers"], 1):
        where = f"{path.name}, entry {n} ({raw.get('id', '?')})"
        unknown = set(raw) - _CASE_KEYS
        if unknown:
            raise ValueError(f"{where}: unknown keys {sorted(unknown)} (known: {sorted(_CASE_KEYS)})")
        values: dict[str, Any] = dict(raw)
        values["trigger"] = Trigger(raw["trigger"])
        for key in ("given", "restore", "then"):
            values[key] = tuple(raw.get(key) or ())
        for key in ("expect", "catch_up", "params", "given_params", "restore_params"):
            values[key] = dict(raw.get(key) or {})
        case = TriggerCase(**values)
        allowed = EXPECTED_CALLS[case.trigger]
        for call in [*case.expect, *case.catch_up]:
            if call not in allowed:
                raise ValueError(f"{where}: seed 000 does not ask for {call} on {case.trigger.value} "
                                 f"(it asks for {', '.join(allowed) or 'nothing'})")
            if call not in CALLS:
                raise ValueError(f"{where}: {call} is not a Content Personalization call ({', '.join(CALLS)})")
        if case.interaction is not None:
            ContentInteractionType[case.interaction]
        if case.entitlement is not None:
            EntitlementType[case.entitlement]
        if case.list is not None:
            CustomerListType[case.list]
        cases.append(case)
    return cases


CASES = load_cases()


@dataclass(frozen=True)
class Expectation:
    """What the evidence of one SDK call must show, and how to say it."""

    call: str
    predicate: Callable[[CpCall], bool]
    description: str


def expectation(call: str, case: TriggerCase, content_id: str | None) -> Expectation:
    """The call this case requires: the call itself, and its list, interaction or entitlement type and
    its title where the call has them (a refresh names no single title; a playback event's title is the
    player's business, test_playback_reporting.py)."""
    wanted: dict[str, object] = {}
    if call in LIST_CALLS and case.list is not None:
        wanted["list_type"] = int(CustomerListType[case.list])
    if call == INTERACTION and case.interaction is not None:
        wanted["interaction_type"] = int(ContentInteractionType[case.interaction])
    if call in (NEW_ENTITLEMENT, REMOVED_ENTITLEMENT) and case.entitlement is not None:
        wanted["entitlement_type"] = int(EntitlementType[case.entitlement])
    if content_id is not None and call not in REFRESHES and call != PLAYBACK:
        wanted["content_id"] = content_id

    def predicate(found: CpCall) -> bool:
        return (found.call == call and found.refused is None
                and all(getattr(found, key) == value for key, value in wanted.items()))

    named = {"list_type": f"list_type {case.list}", "interaction_type": f"interaction_type {case.interaction}",
             "entitlement_type": f"entitlement_type {case.entitlement}"}
    details = ", ".join(named.get(key, f"{key} {value}") for key, value in wanted.items())
    return Expectation(call, predicate, call + (f" ({details})" if details else ""))


def fill(text: str | None, profile: AppProfile) -> str | None:
    """``{param}`` from the app profile's params."""
    if text is None:
        return None
    try:
        return text.format(**profile.params)
    except KeyError as exc:
        pytest.fail(f"{TRIGGERS_FILE.name} needs the parameter {exc.args[0]!r} in the app profile's params "
                    f"({profile.path}): add it (a title or profile of that app)", pytrace=False)


# -- driving the app ----------------------------------------------------------------------------------
class Steps:
    """Runs the recipes and built-in steps of one case."""

    def __init__(self, app: AppDriver, device_clock, content_id: str | None) -> None:
        self.app = app
        self.clock = device_clock
        self.content_id = content_id

    def run(self, names: tuple[str, ...], params: dict[str, str]) -> None:
        for name in names:
            self.step(name, params)

    def step(self, name: str, params: dict[str, str]) -> None:
        if name == STOP:
            self.app.stop()
        elif name == LAUNCH:
            self.app.launch()
        elif name == REOPEN:
            self.app.stop()
            self.app.launch()
        elif name == PLAY:
            # Play a little, seek once and leave: every kind of playback report a player makes.
            self.app.open("play", self.content_id)
            self.clock.wait_device_seconds(PLAY_DEVICE_S, timeout=30)
            self.app.remote.press(Key.MEDIA_FAST_FORWARD)
            self.app.remote.press(Key.BACK)
        else:
            self.app.run(name, content_id=self.content_id, **params)


def require_recipes(case: TriggerCase, profile: AppProfile) -> None:
    """Skip when the profile cannot drive this case on the device's platform: a recipe it names is
    missing there, or ``sign_in`` is (every case is about a signed-in customer, and a profile that cannot
    sign in cannot put the account in that state)."""
    needed = ["sign_in", *case.given, case.recipe, *case.then, *case.restore]
    missing = [name for name in dict.fromkeys(needed) if name not in BUILT_IN and name not in profile.recipes]
    if missing:
        pytest.skip(profile.missing_reason(f"recipe {', '.join(missing)}"))


def filled(params: dict[str, str], profile: AppProfile) -> dict[str, str]:
    return {key: fill(value, profile) or "" for key, value in params.items()}


def refused(cp_calls: CpCalls, since: int, package: str, what: str) -> list[str]:
    return [f"Every call the app makes must be accepted by Fire TV's Content Personalization service, but "
            f"{cp_calls.description} show {c.call} from {package} refused during {what}: {c.refused}"
            for c in cp_calls.refusals(since, package)]


# -- the tests ----------------------------------------------------------------------------------------
SHARING_CASES = [case for case in CASES if case.trigger is not Trigger.SIGN_OUT]
SIGN_OUT_CASES = [case for case in CASES if case.trigger is Trigger.SIGN_OUT]


@pytest.mark.parametrize("case", SHARING_CASES, ids=[case.id for case in SHARING_CASES])
def test_trigger_shares_what_seed_000_asks(case: TriggerCase, app: AppDriver, app_profile: AppProfile,
                                           cp_calls: CpCalls, device_clock, scenario) -> None:
    scenario(case.scenario)
    require_recipes(case, app_profile)
    unseen = cp_calls.missing(*case.expect, *case.catch_up)
    if unseen and not [call for call in [*case.expect, *case.catch_up] if not cp_calls.missing(call)]:
        pytest.skip(unseen)  # nothing of this case can be seen: do not change the account for nothing
    content_id = fill(case.content, app_profile)
    steps = Steps(app, device_clock, content_id)
    problems: list[str] = []
    try:
        steps.run(case.given, filled(case.given_params, app_profile))
        since = cp_calls.mark()
        steps.step(case.recipe, filled(case.params, app_profile))
        for call, rule in case.expect.items():
            if cp_calls.missing(call):
                continue
            wanted = expectation(call, case, content_id)
            if cp_calls.wait_for(wanted.predicate, since) is None:
                problems.append(f"{' '.join(rule.split())}, but after the '{case.recipe}' step "
                                f"{cp_calls.source_of(call)} show no {wanted.description} within {CP_WAIT_S:g} s "
                                f"(the log shows: {describe_calls(cp_calls.calls(since))})")
        for call, rule in case.catch_up.items():
            if not cp_calls.missing(call):
                problems += catch_up(call, ' '.join(rule.split()), case, steps, cp_calls, since, device_clock)
        cp_calls.settle(device_clock)
        problems += refused(cp_calls, since, app_profile.package, f"the '{case.recipe}' step")
    finally:
        steps.run(case.restore, filled(case.restore_params, app_profile))
    if problems:
        pytest.fail("\n".join(problems))
    if unseen:
        pytest.skip(f"the other calls were seen; not checked: {unseen}")


def catch_up(call: str, rule: str, case: TriggerCase, steps: Steps, cp_calls: CpCalls, since: int,
             device_clock) -> list[str]:
    """Data "not shared before" that the trigger left for later: open the app again and see whether
    ``call`` comes out then (it was pending when the trigger should have shared it)."""
    wanted = expectation(call, case, None)
    cp_calls.settle(device_clock)
    at_trigger = [c for c in cp_calls.calls(since) if wanted.predicate(c)]
    reopened = cp_calls.mark()
    steps.step(REOPEN, {})
    cp_calls.settle(device_clock)
    later = [c for c in cp_calls.calls(reopened) if wanted.predicate(c)]
    if later and not at_trigger:
        return [f"{rule}, but the '{case.recipe}' step shared no {wanted.description}; {len(later)} came only when "
                f"the app was opened again afterwards ({describe_calls(later)}), so they were waiting to be "
                f"shared when the trigger happened"]
    return []


@pytest.mark.parametrize("case", SIGN_OUT_CASES, ids=[case.id for case in SIGN_OUT_CASES])
def test_nothing_shared_after_sign_out(case: TriggerCase, app: AppDriver, app_profile: AppProfile,
                                       cp_calls: CpCalls, device_clock, scenario) -> None:
    scenario(case.scenario)
    require_recipes(case, app_profile)
    # What the signed-out customer does may cause any of these calls; "nothing" is only as good as what is seen.
    possible = (PLAYBACK, INTERACTION, *REFRESHES)
    unseen = cp_calls.missing(*possible)
    if unseen and all(cp_calls.missing(call) for call in possible):
        pytest.skip(unseen)
    content_id = fill(case.content, app_profile)
    steps = Steps(app, device_clock, content_id)
    try:
        steps.run(case.given, filled(case.given_params, app_profile))
        steps.step(case.recipe, filled(case.params, app_profile))
        since = cp_calls.mark()
        steps.run(case.then, {})
        cp_calls.settle(device_clock)
        calls = cp_calls.calls(since)
    finally:
        steps.run(case.restore, filled(case.restore_params, app_profile))
    shared = CpCalls.attributed(calls, app_profile)
    if shared:
        pytest.fail(f"After signing out the app must share nothing (seed 000: \"Do not share data when the customer "
                    f"signs out\"), but while the signed-out customer did {', '.join(case.then)}, "
                    f"{cp_calls.description} show {len(shared)} call(s) of this app: {describe_calls(shared)}")
    if unseen:
        pytest.skip(f"none of the calls that can be seen was made; not checked: {unseen}")
