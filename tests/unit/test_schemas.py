"""The published JSON Schemas (docs/schemas/) agree with the YAML-node loaders that validate the files."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from firebridge.capabilities import apps
from firebridge.capabilities.apps import profile_from_text
from firebridge.errors import ConfigError
from firebridge.lab import bench
from firebridge.lab.bench import load_bench
from firebridge.lab.schemas import SCHEMAS, app_profile_schema, bench_schema, render
from tests.bridge.test_apps import VALID

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_the_published_schema_is_the_generated_one(name: str):
    assert (ROOT / "docs" / "schemas" / name).read_text() == render(name), \
        "regenerate: python -m firebridge.lab.schemas docs/schemas"


def test_the_schemas_list_exactly_the_loaders_keys():
    app = app_profile_schema()
    assert tuple(app["properties"]) == apps._TOP_KEYS
    assert tuple(app["properties"]["catalog"]["items"]["properties"]) == apps._ENTRY_KEYS
    steps = app["properties"]["recipes"]["additionalProperties"]["items"]["oneOf"]
    assert tuple(next(iter(s["properties"])) for s in steps) == apps._STEP_ACTIONS
    bench_ = bench_schema()
    assert tuple(bench_["properties"]) == bench._TOP_KEYS
    assert tuple(bench_["properties"]["devices"]["items"]["properties"]) == bench._DEVICE_KEYS


@pytest.mark.parametrize("path", sorted((ROOT / "fixtures" / "apps").glob("*.yaml")) + [ROOT / "examples" / "acme" /
                                                                                         "acme.yaml"],
                         ids=lambda p: p.name)
def test_shipped_app_profiles_validate(path: Path):
    apps.load_profile(path)
    jsonschema.validate(yaml.safe_load(path.read_text()), app_profile_schema())


@pytest.mark.parametrize("path", sorted((ROOT / "fixtures" / "benches").glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_bench_files_validate(path: Path):
    load_bench(path)
    jsonschema.validate(yaml.safe_load(path.read_text()), bench_schema())


@pytest.mark.parametrize("old, new", [
    ("", ""),  # the valid profile: both accept it
    ("launch_activity:", "launch_activty:"),
    ("duration_ms: 1000,", "duration_ms: '1000',"),
    ("duration_ms: 1000,", "duration_ms: twelve,"),
    ("kind: movie,", "kind: film,"),
    ("package: com.example.demo", "package: demo"),
    ("{id: m1,", "{id: 1,"),
    ("  detail: demo://detail/{content_id}\n", ""),
    ("    - wait_for: {text: Liked}", "    - wait_for: {txt: Liked}"),
    ("    - keys: [SELECT]", "    - {keys: [SELECT], launch: true}"),
    ("recipes:\n  like:", "recipes:\n  Like:"),
])
def test_loader_and_schema_agree_on_a_profile(old: str, new: str):
    text = VALID.replace(old, new) if old else VALID
    assert text != VALID or not old
    try:
        profile_from_text(text, "demo.yaml")
        loader_ok = True
    except ConfigError:
        loader_ok = False
    schema_ok = jsonschema.Draft202012Validator(app_profile_schema()).is_valid(yaml.safe_load(text))
    assert loader_ok == schema_ok == (not old)
