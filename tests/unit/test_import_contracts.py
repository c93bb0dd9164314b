"""The import contracts (pyproject.toml [tool.importlinter]) cover every module firebridge has: a new
top-level module must be placed in a layer and, unless it is the virtual device's command line,
under the bridge-not-virtual contract."""

from __future__ import annotations

import pkgutil
import re
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: import-linter (the test extra) brings tomli
    import tomli as tomllib

import firebridge

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
EXEMPT_FROM_BRIDGE = {"virtual", "cli", "faultcheck", "__main__"}  # they may start or be the virtual device


def _contracts() -> dict[str, dict]:
    config = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]
    return {contract["id"]: contract for contract in config["contracts"]}


def _top_level_modules() -> set[str]:
    return {info.name for info in pkgutil.iter_modules(firebridge.__path__)}


def test_every_top_level_module_is_in_a_layer_except_the_virtual_device() -> None:
    layered = {name for layer in _contracts()["layers"]["layers"] for name in re.split(r"[|:]", layer)}
    assert {name.strip() for name in layered} == _top_level_modules() - {"virtual"}


def test_every_bridge_module_is_kept_off_the_virtual_device() -> None:
    sources = set(_contracts()["bridge-not-virtual"]["source_modules"])
    expected = {f"firebridge.{name}" for name in _top_level_modules() - EXEMPT_FROM_BRIDGE} | {"device_tests"}
    assert sources == expected
