"""Bench run results and the files made from them: a JUnit XML and a JSON summary (pure).

One :class:`TestResult` per test and device, final attempt only (earlier attempts that failed on
infrastructure and were retried are listed in ``attempts``). The JUnit XML has one ``testsuite`` per
device; the suite and every ``testcase`` carry the device's properties (platform ``fireos``/``vega``,
model, OS version, serial, Fire OS and API level, bench) so CI systems can group and filter by device
and platform. The JSON summary is what ``firebridge nightly`` stores.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

OUTCOMES = ("passed", "failed", "error", "skipped")


@dataclass
class TestResult:
    """The outcome of one test on one device."""

    __test__ = False  # a result, not a test class (pytest would try to collect it from test modules)
    test: str  # the pytest node id
    device: str  # the bench device name
    outcome: str  # passed | failed | error | skipped
    failure_class: str | None = None  # infra | product, for failed and error
    duration: float = 0.0
    message: str = ""  # one line: the assertion, the error, or the skip reason
    details: str = ""  # the full failure text
    attempts: list[dict[str, Any]] = field(default_factory=list)  # earlier attempts (retried)
    artifacts: str | None = None  # the failure's folder (screenshot, UI dump, log excerpt)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "TestResult":
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})


def counts(results: list[TestResult]) -> dict[str, int]:
    out = {outcome: 0 for outcome in OUTCOMES}
    out["infra"] = out["product"] = out["retried"] = 0
    for result in results:
        out[result.outcome] = out.get(result.outcome, 0) + 1
        if result.failure_class:
            out[result.failure_class] += 1
        if result.attempts:
            out["retried"] += 1
    return out


def summary(bench: str, mode: str, devices: dict[str, dict[str, Any]], results: list[TestResult],
            started: float, finished: float, **extra: Any) -> dict[str, Any]:
    """The run in one JSON-able dict: devices (identity, health, counts), results, totals."""
    per_device: dict[str, dict[str, Any]] = {}
    for name, info in devices.items():
        mine = [r for r in results if r.device == name]
        per_device[name] = {**info, "counts": counts(mine)}
    return {"bench": bench, "mode": mode, "started": started, "finished": finished,
            "wall_seconds": round(finished - started, 3), "totals": counts(results), "devices": per_device,
            "results": [r.to_dict() for r in results], **extra}


def write_summary(path: Path, data: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n")
    return path


def read_summary(path: Path) -> dict[str, Any]:
    return json.loads(Path(path).read_text())


def _split_nodeid(nodeid: str) -> tuple[str, str]:
    """JUnit classname and name: ``dir/test_x.py::TestA::test_b[1]`` -> ``dir.test_x.TestA``, ``test_b[1]``."""
    parts = nodeid.split("::")
    module = parts[0][:-3] if parts[0].endswith(".py") else parts[0]
    classname = ".".join([module.replace("/", "."), *parts[1:-1]])
    return classname, parts[-1] if len(parts) > 1 else parts[0]


# platform: fireos | vega; os_version: Fire OS's ("6.2.9.5") or Vega OS's OS_VERSION ("1.2"); fire_os and sdk
# are empty / 0 on Vega OS.
_DEVICE_PROPERTIES = ("platform", "serial", "model", "os_version", "fire_os", "sdk", "build", "adb_server")


def junit_xml(bench: str, devices: dict[str, dict[str, Any]], results: list[TestResult]) -> str:
    """JUnit XML: a testsuite per device, the device's properties on every testcase."""
    root = ET.Element("testsuites", name=f"firebridge bench {bench}")
    totals = counts(results)
    root.set("tests", str(len(results)))
    root.set("failures", str(totals["failed"]))
    root.set("errors", str(totals["error"]))
    root.set("skipped", str(totals["skipped"]))
    # Every result gets a testcase, also one recorded on a device the table does not list (a crashed
    # worker's "-"): the header's count and the testcases must agree (issue 15).
    names = list(dict.fromkeys([*devices, *(r.device for r in results)]))
    for name in names:
        info = devices.get(name) or {"name": name}
        mine = [r for r in results if r.device == name]
        if not mine:
            continue
        c = counts(mine)
        suite = ET.SubElement(root, "testsuite", name=name, tests=str(len(mine)), failures=str(c["failed"]),
                              errors=str(c["error"]), skipped=str(c["skipped"]),
                              time=f"{sum(r.duration for r in mine):.3f}")
        props = ET.SubElement(suite, "properties")
        for key, value in _device_props(bench, name, info):
            ET.SubElement(props, "property", name=key, value=value)
        for result in mine:
            classname, test = _split_nodeid(result.test)
            case = ET.SubElement(suite, "testcase", classname=classname, name=test,
                                 file=result.test.split("::")[0], time=f"{result.duration:.3f}")
            props = ET.SubElement(case, "properties")
            extra = [("failure_class", result.failure_class or ""), ("attempts", str(len(result.attempts) + 1))]
            if result.attempts:
                extra.append(("retried_after", "; ".join(f"{a.get('reason')} on {a.get('device')}"
                                                         for a in result.attempts)))
            if result.artifacts:
                extra.append(("artifacts", result.artifacts))
            for key, value in list(_device_props(bench, name, info)) + extra:
                ET.SubElement(props, "property", name=key, value=value)
            if result.outcome in ("failed", "error"):
                tag = "failure" if result.outcome == "failed" else "error"
                element = ET.SubElement(case, tag, message=result.message[:500],
                                        type=f"{result.failure_class or 'product'}")
                element.text = result.details
            elif result.outcome == "skipped":
                ET.SubElement(case, "skipped", message=result.message[:500])
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _device_props(bench: str, name: str, info: dict[str, Any]) -> list[tuple[str, str]]:
    props = [("device", name), ("bench", bench)]
    props += [(key, "" if info.get(key) is None else str(info.get(key))) for key in _DEVICE_PROPERTIES]
    return props
