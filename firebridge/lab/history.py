"""The nightly history: every night's results in SQLite, and what changed since the night before.

Tables: ``nights`` (id, bench, suite, mode, started, finished, exit status, report folder),
``results`` (night id, device, test, outcome, class infra/product, duration, message: the final result
of each test and device), ``devices`` (night id, device, platform ``fireos``/``vega``, model, OS version,
serial, and the whole identity as JSON: what each bench device was that night) and ``retried`` (the
infrastructure failures that were retried, by device).

What changed (:func:`compare`), per device, judging only outcomes that say something about the
product: a pass, or a product failure (failed/error of class product). Infrastructure failures and
skips say nothing, so the comparison looks through them to the last night that did say something.

- newly failing: fails tonight; passed (or did not exist) the last time it said something;
- newly passing: passes tonight; failed the last time;
- flaky: its outcome flipped at least twice within the window of nights (default 5, tonight included);
  a flaky test is listed as flaky, not as newly failing or passing;
- infrastructure: tests whose final result tonight is an infrastructure failure (the device, not the app);
- a device whose platform, model or OS version differs from the night compared with is named as such
  (results are kept by device name, so a bench file that gave the name to another device shows here).

In ``each`` mode a test is compared on the same device; in ``spread`` mode a test runs on whichever
device was free, so it is compared by test (failing on any device counts as failing).
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from firebridge.lab.classify import INFRA
from firebridge.lab.identity import describe_identity, platform_value
from firebridge.lab.reports import TestResult

DEFAULT_HISTORY = "firebridge-history.sqlite"
# What the history keeps of a device's identity (firebridge.lab.health.identity_of), health checks left out.
_IDENTITY_KEYS = ("name", "platform", "model", "os_version", "fire_os", "sdk", "build", "serial", "adb_server")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS nights (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    bench TEXT NOT NULL,
    suite TEXT NOT NULL,
    mode TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT,
    exit_status INTEGER,
    report_dir TEXT,
    aborted INTEGER NOT NULL DEFAULT 0,
    runner TEXT
);
CREATE TABLE IF NOT EXISTS results (
    night_id INTEGER NOT NULL REFERENCES nights(id),
    device TEXT NOT NULL,
    test TEXT NOT NULL,
    outcome TEXT NOT NULL,
    failure_class TEXT,
    duration REAL NOT NULL,
    message TEXT,
    PRIMARY KEY (night_id, device, test)
);
CREATE INDEX IF NOT EXISTS results_by_test ON results (test, device);
CREATE TABLE IF NOT EXISTS devices (
    night_id INTEGER NOT NULL REFERENCES nights(id),
    device TEXT NOT NULL,
    platform TEXT,
    model TEXT,
    os_version TEXT,
    serial TEXT,
    identity TEXT,
    PRIMARY KEY (night_id, device)
);
CREATE TABLE IF NOT EXISTS retried (
    night_id INTEGER NOT NULL REFERENCES nights(id),
    device TEXT NOT NULL,
    test TEXT NOT NULL,
    failure_class TEXT NOT NULL,
    reason TEXT,
    message TEXT
);
"""


@dataclass(frozen=True)
class Night:
    id: int
    bench: str
    suite: str
    mode: str
    started: str
    finished: str | None
    exit_status: int | None
    report_dir: str | None
    aborted: bool = False  # interrupted: its results are what had run; never compared against
    runner: str | None = None  # "pid@host" of the firebridge nightly that ran it


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _night(row: tuple) -> Night:
    *fields, aborted, runner = row
    return Night(*fields, aborted=bool(aborted), runner=runner)


class History:
    """An SQLite file of nights (created on first use)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path)
        self.db.executescript(_SCHEMA)
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(nights)")}
        with self.db:  # a history file from before aborted nights were kept
            if "aborted" not in columns:
                self.db.execute("ALTER TABLE nights ADD COLUMN aborted INTEGER NOT NULL DEFAULT 0")
            if "runner" not in columns:
                self.db.execute("ALTER TABLE nights ADD COLUMN runner TEXT")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "History":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start_night(self, bench: str, suite: str, mode: str, report_dir: str | None = None,
                    started: float | None = None, runner: str | None = None) -> int:
        """A new night, unfinished until :meth:`finish_night` (``runner``: "pid@host" of its nightly)."""
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started))
        with self.db:
            cursor = self.db.execute("INSERT INTO nights (bench, suite, mode, started, report_dir, runner) "
                                     "VALUES (?,?,?,?,?,?)", (bench, suite, mode, when, report_dir, runner))
        return int(cursor.lastrowid)

    def discard_night(self, night_id: int) -> None:
        """Forget a night that never ran (the bench could not start): it has no results to keep."""
        with self.db:
            self.db.execute("DELETE FROM retried WHERE night_id = ?", (night_id,))
            self.db.execute("DELETE FROM devices WHERE night_id = ?", (night_id,))
            self.db.execute("DELETE FROM results WHERE night_id = ?", (night_id,))
            self.db.execute("DELETE FROM nights WHERE id = ?", (night_id,))

    def unfinished(self) -> list[Night]:
        """Nights started and never finished (their nightly is running, or was killed)."""
        return [_night(row) for row in self.db.execute("SELECT * FROM nights WHERE finished IS NULL ORDER BY id")]

    def finish_night(self, night_id: int, results: Iterable[TestResult], exit_status: int,
                     aborted: bool = False, devices: dict[str, dict[str, Any]] | None = None) -> None:
        """Store the night's results and what its devices were (``devices``: name -> identity, as the bench
        summary has them); an ``aborted`` night keeps what had run but is never compared."""
        results = list(results)
        rows = [(night_id, r.device, r.test, r.outcome, r.failure_class, r.duration, r.message[:500])
                for r in results]
        retried = [(night_id, a.get("device", "-"), r.test, a.get("class") or INFRA, a.get("reason"),
                    (a.get("message") or "")[:500]) for r in results for a in r.attempts]
        identities = [(night_id, name, _text(info.get("platform")), _text(info.get("model")),
                       _text(info.get("os_version")), _text(info.get("serial")),
                       json.dumps({k: v for k, v in info.items() if k in _IDENTITY_KEYS}, sort_keys=True))
                      for name, info in (devices or {}).items() if info.get("platform") or info.get("model")]
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO results VALUES (?,?,?,?,?,?,?)", rows)
            self.db.executemany("INSERT OR REPLACE INTO devices VALUES (?,?,?,?,?,?,?)", identities)
            self.db.executemany("INSERT INTO retried VALUES (?,?,?,?,?,?)", retried)
            self.db.execute("UPDATE nights SET finished = ?, exit_status = ?, aborted = ? WHERE id = ?",
                            (time.strftime("%Y-%m-%d %H:%M:%S"), exit_status, int(aborted), night_id))

    def night(self, night_id: int) -> Night:
        row = self.db.execute("SELECT * FROM nights WHERE id = ?", (night_id,)).fetchone()
        if row is None:
            raise KeyError(f"no night {night_id} in {self.path}")
        return _night(row)

    def nights(self, bench: str, suite: str | None = None, until: int | None = None, limit: int = 10,
               aborted: bool = False) -> list[Night]:
        """Finished nights of a bench, newest first (up to and including night ``until``); aborted nights
        only when asked (their results are partial, so comparisons and durations leave them out)."""
        query = "SELECT * FROM nights WHERE bench = ? AND finished IS NOT NULL"
        if not aborted:
            query += " AND aborted = 0"
        args: list[object] = [bench]
        if suite is not None:
            query += " AND suite = ?"
            args.append(suite)
        if until is not None:
            query += " AND id <= ?"
            args.append(until)
        query += " ORDER BY id DESC LIMIT ?"
        args.append(limit)
        return [_night(row) for row in self.db.execute(query, args)]

    def retried(self, night_id: int) -> list[tuple[str, str, str]]:
        """(device, test, reason) of the night's retried infrastructure failures."""
        return list(self.db.execute("SELECT device, test, reason FROM retried WHERE night_id = ? ORDER BY device, test",
                                    (night_id,)))

    def devices(self, night_id: int) -> dict[str, dict[str, Any]]:
        """What each device of the night was (name -> identity: platform, model, os_version, serial, ...);
        {} for a night stored before devices were kept."""
        rows = self.db.execute("SELECT device, identity FROM devices WHERE night_id = ? ORDER BY device", (night_id,))
        return {device: json.loads(identity or "{}") for device, identity in rows}

    def results(self, night_id: int) -> list[TestResult]:
        rows = self.db.execute("SELECT device, test, outcome, failure_class, duration, message FROM results "
                               "WHERE night_id = ? ORDER BY device, test", (night_id,))
        return [TestResult(test, device, outcome, failure_class, duration, message or "")
                for device, test, outcome, failure_class, duration, message in rows]


# -- comparison (pure once the results are loaded) -----------------------------------------------------
PASS, FAIL = "pass", "fail"


def verdict(result: TestResult) -> str | None:
    """pass / fail (product) / None (infrastructure failure or skip: says nothing about the product)."""
    if result.outcome == "passed":
        return PASS
    if result.outcome in ("failed", "error") and result.failure_class != INFRA:
        return FAIL
    return None


@dataclass
class DeviceChanges:
    device: str
    newly_failing: list[str] = field(default_factory=list)
    newly_passing: list[str] = field(default_factory=list)
    flaky: list[str] = field(default_factory=list)
    infra: list[tuple[str, str]] = field(default_factory=list)  # (test, message)
    retried: list[tuple[str, str]] = field(default_factory=list)  # (test, reason): failed here, retried
    still_failing: list[str] = field(default_factory=list)
    passed: int = 0
    results: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.newly_failing or self.newly_passing or self.flaky or self.infra or self.retried)


@dataclass
class NightChanges:
    night: int
    previous: int | None  # the night compared with (None: the first night of this bench)
    devices: dict[str, DeviceChanges]
    window: list[int]
    identities: dict[str, dict[str, Any]] = field(default_factory=dict)  # tonight's devices (name -> identity)
    was: dict[str, dict[str, Any]] = field(default_factory=dict)  # devices that were something else before


def identity_changed(before: dict[str, Any], now: dict[str, Any]) -> bool:
    """Whether a device name stands for another kind of device than before (platform, model, OS version)."""
    if not before or not now:
        return False
    return (platform_value(before), before.get("model"), before.get("os_version")) != \
        (platform_value(now), now.get("model"), now.get("os_version"))


def _by_key(results: list[TestResult], per_device: bool) -> dict[tuple[str, str], str | None]:
    """Verdict per (device, test) in each mode, per ("", test) in spread mode (fail on any device wins)."""
    out: dict[tuple[str, str], str | None] = {}
    for result in results:
        key = (result.device if per_device else "", result.test)
        v = verdict(result)
        if key not in out or v == FAIL or (v == PASS and out[key] is None):
            out[key] = v
    return out


def compare(history: History, night_id: int, window: int = 5) -> NightChanges:
    """What changed on ``night_id`` against the nights before it (same bench and suite)."""
    night = history.night(night_id)
    nights = history.nights(night.bench, night.suite, until=night_id, limit=max(window, 2) + 20)
    older = [n for n in nights if n.id != night_id]
    tonight = history.results(night_id)
    per_device = night.mode == "each"
    past = [(n.id, _by_key(history.results(n.id), per_device)) for n in older]  # newest first
    changes: dict[str, DeviceChanges] = {}
    for result in tonight:
        device = changes.setdefault(result.device, DeviceChanges(result.device))
        device.results += 1
        now = verdict(result)
        if result.outcome == "passed":
            device.passed += 1
        if result.outcome in ("failed", "error") and result.failure_class == INFRA:
            device.infra.append((result.test, result.message))
            continue
        if now is None:
            continue
        key = (result.device if per_device else "", result.test)
        before = next((verdicts[key] for _, verdicts in past if verdicts.get(key) is not None), None)
        recent = [now] + [v for _, verdicts in past[:window - 1] if (v := verdicts.get(key)) is not None]
        flips = sum(1 for a, b in zip(recent, recent[1:]) if a != b)
        if flips >= 2:
            device.flaky.append(result.test)
        elif now == FAIL and before != FAIL:
            device.newly_failing.append(result.test)
        elif now == PASS and before == FAIL:
            device.newly_passing.append(result.test)
        elif now == FAIL:
            device.still_failing.append(result.test)
    for device, test, reason in history.retried(night_id):
        changes.setdefault(device, DeviceChanges(device)).retried.append((test, reason or "infrastructure"))
    identities = history.devices(night_id)
    before = history.devices(older[0].id) if older else {}
    was = {name: before[name] for name, now in identities.items()
           if name in before and identity_changed(before[name], now)}
    return NightChanges(night_id, older[0].id if older else None, dict(sorted(changes.items())),
                        [night_id] + [n.id for n in older[:window - 1]], identities, was)


def render_changes(changes: NightChanges, identities: dict[str, dict] | None = None,
                   lost: dict[str, str] | None = None) -> list[str]:
    """The morning report: per device, what it is (platform, model, OS version, serial), what newly fails,
    newly passes, flips (flaky), and infra failures (``identities``: name -> identity, else the history's;
    ``lost``: devices lost during the run, by name, with the reason)."""
    lines = [f"Compared with night {changes.previous}:" if changes.previous else
             "First night of this bench and suite: nothing to compare with yet."]
    identities = identities or changes.identities
    for name, device in changes.devices.items():
        ident = (identities or {}).get(name) or {}
        what = f" ({describe_identity(ident)}, {ident.get('serial')})" if ident.get("model") else ""
        if name in (lost or {}):
            what += f" — LOST during the run ({lost[name]})"  # type: ignore[index]
        if name in changes.was:  # the same name, another device: its results are still compared by name
            what += f" — on night {changes.previous} it was {describe_identity(changes.was[name])}"
        if not device.changed:
            still = f", {len(device.still_failing)} still failing" if device.still_failing else ""
            lines.append(f"  {name}{what}: no change ({device.passed}/{device.results} passed{still})")
            continue
        lines.append(f"  {name}{what}:")
        failing = "newly failing" if changes.previous else "failing"
        for title, tests in ((failing, device.newly_failing), ("newly passing", device.newly_passing),
                             ("flaky (flips between nights)", device.flaky)):
            if tests:
                lines.append(f"    {title} ({len(tests)}):")
                lines += [f"      {test}" for test in tests]
        if device.infra:
            lines.append(f"    infrastructure failures ({len(device.infra)}; the device, not the app):")
            lines += [f"      {test} — {message}" for test, message in device.infra]
        if device.retried:
            lines.append(f"    infrastructure failures retried on another attempt ({len(device.retried)}):")
            lines += [f"      {test} — {reason}" for test, reason in device.retried]
        if device.still_failing:
            lines.append(f"    still failing: {len(device.still_failing)}")
    return lines
