"""JSON Schemas of firebridge's user files (app profiles, bench files), for editors and for people.

The validators are the YAML-node loaders (``firebridge.capabilities.apps.load_profile``,
``firebridge.lab.bench.load_bench``): they alone decide, and their errors name file, line, field, value
and fix. These schemas describe the same files for tools that know JSON Schema (editor completion,
pre-commit checks). Their property names are the loaders' own key tables (``_TOP_KEYS``,
``_ENTRY_KEYS``, ...), so a key added to a loader without a type here fails
``tests/unit/test_schemas.py``; cross-field rules (a ``next`` that names an episode, credits before the
end, ...) are only in the loaders. ``python -m firebridge.lab.schemas DIR`` writes them (docs/schemas/).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from firebridge.capabilities import apps, cpevidence
from firebridge.lab import bench

SCHEMA = "https://json-schema.org/draft/2020-12/schema"
_STRING = {"type": "string"}
_NAME = {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}


def _object(properties: dict[str, Any], keys: tuple[str, ...], required: tuple[str, ...] = (),
            **extra: Any) -> dict[str, Any]:
    """An object whose properties are exactly a loader's key table (a missing type is a KeyError)."""
    out: dict[str, Any] = {"type": "object", "properties": {key: properties[key] for key in keys},
                           "additionalProperties": False}
    if required:
        out["required"] = list(required)
    out.update(extra)
    return out


def _app_step() -> dict[str, Any]:
    wait = {"text": _STRING, "text_contains": _STRING, "resource_id": _STRING, "content_desc": _STRING,
            "focused": {"type": "boolean"}, "gone": {"type": "boolean"},
            "log": {"type": "string", "description": "a regular expression matched against the app's log lines"},
            "timeout": {"type": "number", "exclusiveMinimum": 0, "description": "seconds"}}
    nav = {"text": _STRING, "resource_id": _STRING, "content_desc": _STRING,
           "max_moves": {"type": "integer", "minimum": 1}}
    actions = {
        "keys": {"type": "array", "minItems": 1, "items": {"type": "string"},
                 "description": "remote key names (firebridge.driver.keys), pressed in one call"},
        "longpress": {"type": "string", "description": "a remote key name"},
        "navigate_to": _object(nav, apps._NAV_KEYS),
        "wait_for": _object(wait, apps._WAIT_KEYS),
        "deep_link": {"type": "string", "description": "a name under deep_links"},
        "launch": {"const": True},
        "input_text": {"type": "string", "description": "{name} is filled from the caller's or params' values"},
    }
    return {"oneOf": [_object(actions, (action,), (action,)) for action in apps._STEP_ACTIONS]}


def app_profile_schema() -> dict[str, Any]:
    """The schema of ``fixtures/apps/<name>.yaml`` (see docs/app-profile.md)."""
    ms = {"type": "integer", "minimum": 0}
    entry = {"id": {"type": "string", "description": "the content id as integrated with Amazon's catalog (CDF)"},
             "kind": {"enum": list(apps.KINDS)}, "title": _STRING, "tile_title": _STRING,
             "duration_ms": {"type": "integer", "minimum": 1, "description": "the content's length in milliseconds"},
             "credits_ms": dict(ms, description="where the end credits start (milliseconds)"),
             "series": _STRING, "season": {"type": "integer", "minimum": 0},
             "episode": {"type": "integer", "minimum": 0},
             "next": {"type": "string", "description": "the id of the next episode"}, "channel": _STRING,
             "ad_marks_ms": {"type": "array", "items": {"type": "integer", "minimum": 1},
                             "description": "ascending content positions where ad breaks interrupt the title"}}
    link = {"type": "string", "pattern": apps._SCHEME.pattern}
    top = {"name": _STRING, "label": _STRING,
           "package": {"type": "string", "pattern": apps._PACKAGE.pattern},
           "launch_activity": {"type": "string", "description": ".MainActivity or a full class name"},
           "deep_links": {"type": "object", "required": ["play", "detail"], "additionalProperties": link,
                          "description": "URI templates; {content_id} is the only placeholder"},
           "params": {"type": "object", "additionalProperties": _STRING},
           "recipes": {"type": "object", "propertyNames": _NAME,
                       "additionalProperties": {"type": "array", "minItems": 1, "items": _app_step()}},
           "catalog": {"type": "array", "minItems": 1,
                       "items": _object(entry, apps._ENTRY_KEYS, ("id", "kind", "title"))},
           "log_patterns": {"type": "object", "additionalProperties": _STRING,
                            "description": "the app's own debug lines: regular expressions by name; on Fire OS the "
                                           "named ones are the evidence of its Content Personalization calls",
                            "properties": {name: {"type": "string", "description": f"the app's line for "
                                                  f"{key.call or 'a refused call'}; named groups: {key.description}"}
                                           for name, key in cpevidence.APP_LOG_KEYS.items()}}}
    section = {"package": top["package"],
               "component": {"type": "string", "description": "the app's component id on that platform (Vega)"},
               "deep_links": {"type": "object", "additionalProperties": link}, "recipes": top["recipes"],
               "log_patterns": top["log_patterns"], "params": top["params"]}
    top["platforms"] = {"type": "object", "additionalProperties": False,
                        "description": "the app's build per platform: what differs from the top level there",
                        "properties": {name: _object(section, apps._PLATFORM_KEYS) for name in apps.PLATFORMS}}
    return {"$schema": SCHEMA, "$id": "https://firebridge.dev/schemas/app-profile.json", "title": "firebridge app profile",
            **_object(top, apps._TOP_KEYS, ("package", "launch_activity", "deep_links", "catalog"))}


def bench_schema() -> dict[str, Any]:
    """The schema of a bench file (see docs/bench-file.md)."""
    server = {"type": "string", "description": "HOST:PORT of the adb server the device sits behind"}
    tags = _object({"platform": {"enum": list(bench.PLATFORMS), "description": "fireos or vega"},
                    "model": _STRING, "os": {"type": ["string", "number"],
                                             "description": "the OS version prefix (Fire OS or Vega OS)"}},
                   bench._TAG_KEYS)
    app = {"type": "string", "description": "an app profile: a name in fixtures/apps/ or a YAML path"}
    device = {"name": {"type": "string", "pattern": bench._NAME.pattern},
              "serial": {"type": "string", "description": "a USB device's serial as `adb devices` lists it"},
              "address": {"type": "string", "description": "HOST:PORT of a network device (adb connect)"},
              "adb_server": server, "tags": tags, "app": app}
    top = {"bench": _STRING,
           "defaults": _object({"adb_server": server, "tags": tags, "app": app}, bench._DEFAULT_KEYS),
           "health": _object({"min_free_mb": {"type": "integer", "minimum": 0},
                              "reconnect_timeout": {"type": "number", "minimum": 0}}, bench._HEALTH_KEYS),
           "devices": {"type": "array", "minItems": 1,
                       "items": _object(device, bench._DEVICE_KEYS, ("name",),
                                        oneOf=[{"required": ["serial"]}, {"required": ["address"]}])}}
    return {"$schema": SCHEMA, "$id": "https://firebridge.dev/schemas/bench-file.json", "title": "firebridge bench file",
            **_object(top, bench._TOP_KEYS, ("devices",))}


SCHEMAS = {"app-profile.schema.json": app_profile_schema, "bench-file.schema.json": bench_schema}


def render(name: str) -> str:
    return json.dumps(SCHEMAS[name](), indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    folder = Path((argv or sys.argv[1:] or ["docs/schemas"])[0])
    folder.mkdir(parents=True, exist_ok=True)
    for name in SCHEMAS:
        (folder / name).write_text(render(name))
        print(folder / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
