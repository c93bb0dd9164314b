"""Seed 000's Summary Reference Table: for each customer trigger, the calls the app must make.

Data: fixtures/scenarios/triggers.yaml (one entry per trigger; titles and profile names come from the
app profile's ``params``). For each entry the test runs the app profile's recipe for the trigger and
then reads Fire TV's Content Personalization service lines (``VegaAlbertoBinderService
<Kind>VegaMessage → ...``) that follow it: those exist for any app on a real device, unlike an app's
own debug lines. Which calls a trigger may require is bounded by
``firebridge.capabilities.personalization.EXPECTED_CALLS``.

Attribution. The service line names no package. A line is ascribed to the trigger by the moment it
appears (after a log mark taken just before the recipe, while only the app under test is driven);
for "nothing is shared after sign-out" that is not enough (a background app could report), so there
a line counts against the app when it names one of the app's own CDF ids (its catalog, integrated
with Amazon's) or is a refusal naming its package. ASSUMPTION: an empty refresh (no ids) after
sign-out is not ascribed to the app: nothing in the line says whose it is.

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
from firebridge.capabilities.personalization import (EXPECTED_CALLS, ContentInteractionType, CpMessage, CustomerListType,
                                        EntitlementType, Trigger)
from firebridge.capabilities.remote import Key
from firebridge.resources import fixtures_dir

from .servicelog import CP_WAIT_S, ServiceLog, describe_messages

TRIGGERS_FILE = fixtures_dir("scenarios", "triggers.yaml")

# SDK call -> (the service's message kind, its ``operation``; None where the line has none).
# ASSUMPTION: Amazon publishes only the playback line (seed 002, "Verify content updates"); the other
# calls are taken to log the same shape, one message kind per data type with NEW / REMOVED /
# REFRESH operations (as the virtual Fire TV's service writes them).
SERVICE_MESSAGES: dict[str, tuple[str, str | None]] = {
    "reportNewPlaybackEvent": ("PlaybackEventsVegaMessage", None),
    "reportRefreshedContentEntitlements": ("EntitlementsVegaMessage", "REFRESH"),
    "reportNewContentEntitlement": ("EntitlementsVegaMessage", "NEW"),
    "reportRemovedContentEntitlement": ("EntitlementsVegaMessage", "REMOVED"),
    "reportRefreshedCustomerList": ("CustomerListVegaMessage", "REFRESH"),
    "reportNewCustomerListEntry": ("CustomerListVegaMessage", "NEW"),
    "reportRemovedCustomerListEntry": ("CustomerListVegaMessage", "REMOVED"),
    "reportNewContentInteraction": ("ContentInteractionVegaMessage", None),
}
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
            if call not in SERVICE_MESSAGES:
                raise ValueError(f"{where}: no service message is known for {call}")
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
    """What the service line of one SDK call must look like, and how to say it."""

    call: str
    predicate: Callable[[CpMessage], bool]
    description: str


def expectation(call: str, case: TriggerCase, content_id: str | None) -> Expectation:
    """The service line ``call`` must produce for this case (kind, operation, list, ids, types)."""
    kind, operation = SERVICE_MESSAGES[call]
    wanted: dict[str, str] = {}
    if operation is not None:
        wanted["operation"] = operation
    if kind == "CustomerListVegaMessage" and case.list is not None:
        wanted["list_type"] = str(int(CustomerListType[case.list]))
    if kind == "ContentInteractionVegaMessage" and case.interaction is not None:
        wanted["interaction_type"] = str(int(ContentInteractionType[case.interaction]))
    if kind == "EntitlementsVegaMessage" and case.entitlement is not None and operation != "REFRESH":
        wanted["entitlement_type"] = str(int(EntitlementType[case.entitlement]))
    if content_id is not None and operation != "REFRESH" and kind != "PlaybackEventsVegaMessage":
        wanted["content_id.id"] = content_id

    def predicate(message: CpMessage) -> bool:
        return (message.kind == kind and message.status is None
                and all((message.get(key) or "").strip() == value for key, value in wanted.items()))

    named = {"list_type": f"list_type {case.list}", "interaction_type": f"interaction_type {case.interaction}",
             "entitlement_type": f"entitlement_type {case.entitlement}"}
    details = ", ".join(named.get(key, f"{key.replace('.id', '')} {value}") for key, value in wanted.items())
    return Expectation(call, predicate, f"{kind}" + (f" ({details})" if details else ""))


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


def refused(cp_service: ServiceLog, since: int, package: str, what: str) -> list[str]:
    return [f"Every call the app makes must be accepted by Fire TV's Content Personalization service, but it "
            f"refused a {m.kind} from {package} during {what}: {m.get('reason') or m.line}"
            for m in cp_service.rejections(since, package)]


# -- the tests ----------------------------------------------------------------------------------------
SHARING_CASES = [case for case in CASES if case.trigger is not Trigger.SIGN_OUT]
SIGN_OUT_CASES = [case for case in CASES if case.trigger is Trigger.SIGN_OUT]


@pytest.mark.parametrize("case", SHARING_CASES, ids=[case.id for case in SHARING_CASES])
def test_trigger_shares_what_seed_000_asks(case: TriggerCase, app: AppDriver, app_profile: AppProfile,
                                           cp_service: ServiceLog, device_clock, scenario) -> None:
    scenario(case.scenario)
    require_recipes(case, app_profile)
    content_id = fill(case.content, app_profile)
    steps = Steps(app, device_clock, content_id)
    problems: list[str] = []
    try:
        steps.run(case.given, filled(case.given_params, app_profile))
        since = cp_service.mark()
        steps.step(case.recipe, filled(case.params, app_profile))
        for call, rule in case.expect.items():
            wanted = expectation(call, case, content_id)
            if cp_service.wait_for(wanted.predicate, since) is None:
                problems.append(f"{' '.join(rule.split())}, but after the '{case.recipe}' step Fire TV's Content "
                                f"Personalization service logged no {wanted.description} within {CP_WAIT_S:g} s "
                                f"(it logged: {describe_messages(cp_service.messages(since))})")
        for call, rule in case.catch_up.items():
            problems += catch_up(call, ' '.join(rule.split()), case, steps, cp_service, since, device_clock)
        cp_service.settle(device_clock)
        problems += refused(cp_service, since, app_profile.package, f"the '{case.recipe}' step")
    finally:
        steps.run(case.restore, filled(case.restore_params, app_profile))
    if problems:
        pytest.fail("\n".join(problems))


def catch_up(call: str, rule: str, case: TriggerCase, steps: Steps, cp_service: ServiceLog, since: int,
             device_clock) -> list[str]:
    """Data "not shared before" that the trigger left for later: open the app again and see whether
    ``call`` comes out then (it was pending when the trigger should have shared it)."""
    wanted = expectation(call, case, None)
    cp_service.settle(device_clock)
    at_trigger = [m for m in cp_service.messages(since) if wanted.predicate(m)]
    reopened = cp_service.mark()
    steps.step(REOPEN, {})
    cp_service.settle(device_clock)
    later = [m for m in cp_service.messages(reopened) if wanted.predicate(m)]
    if later and not at_trigger:
        return [f"{rule}, but the '{case.recipe}' step shared no {wanted.description}; {len(later)} came only when "
                f"the app was opened again afterwards ({describe_messages(later)}), so they were waiting to be "
                f"shared when the trigger happened"]
    return []


@pytest.mark.parametrize("case", SIGN_OUT_CASES, ids=[case.id for case in SIGN_OUT_CASES])
def test_nothing_shared_after_sign_out(case: TriggerCase, app: AppDriver, app_profile: AppProfile,
                                       cp_service: ServiceLog, device_clock, scenario) -> None:
    scenario(case.scenario)
    require_recipes(case, app_profile)
    content_id = fill(case.content, app_profile)
    steps = Steps(app, device_clock, content_id)
    try:
        steps.run(case.given, filled(case.given_params, app_profile))
        steps.step(case.recipe, filled(case.params, app_profile))
        since = cp_service.mark()
        steps.run(case.then, {})
        cp_service.settle(device_clock)
        messages = cp_service.messages(since)
    finally:
        steps.run(case.restore, filled(case.restore_params, app_profile))
    shared = ServiceLog.naming(messages, set(app_profile.catalog))
    shared += [m for m in messages if m.status == "rejected" and m.get("package") == app_profile.package]
    if shared:
        pytest.fail(f"After signing out the app must share nothing (seed 000: \"Do not share data when the customer "
                    f"signs out\"), but while the signed-out customer did {', '.join(case.then)}, Fire TV's Content "
                    f"Personalization service logged {len(shared)} call(s) about this app's titles: "
                    f"{describe_messages(shared)}")
