"""The import contracts (pyproject.toml [tool.importlinter]) cover every module firebridge has: a new
top-level module must be placed in a layer and, unless it is the virtual device's command line,
under the bridge-not-virtual contract; a new module of the virtual device must be placed in one of its
layers; and no sibling import cycle is allowed anywhere, imports under TYPE_CHECKING included."""

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


def _config() -> dict:
    return tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]


def _contracts() -> dict[str, dict]:
    return {contract["id"]: contract for contract in _config()["contracts"]}


def _layered(contract: dict) -> set[str]:
    return {name.strip() for layer in contract["layers"] for name in re.split(r"[|:]", layer)}


def _top_level_modules() -> set[str]:
    return {info.name for info in pkgutil.iter_modules(firebridge.__path__)}


def test_every_top_level_module_is_in_a_layer_except_the_virtual_device() -> None:
    assert _layered(_contracts()["layers"]) == _top_level_modules() - {"virtual"}


def test_every_bridge_module_is_kept_off_the_virtual_device() -> None:
    sources = set(_contracts()["bridge-not-virtual"]["source_modules"])
    expected = {f"firebridge.{name}" for name in _top_level_modules() - EXEMPT_FROM_BRIDGE} | {"device_tests"}
    assert sources == expected


def test_every_virtual_device_module_is_in_a_virtual_layer() -> None:
    contract = _contracts()["virtual-layers"]
    assert contract["containers"] == ["firebridge.virtual"]
    virtual = Path(firebridge.__file__).parent / "virtual"
    assert _layered(contract) == {info.name for info in pkgutil.iter_modules([str(virtual)])}


def test_no_sibling_cycle_anywhere_type_checking_imports_included() -> None:
    contract = _contracts()["no-cycles"]
    assert contract["type"] == "acyclic_siblings" and contract["ancestors"] == ["firebridge"]
    assert not _config().get("exclude_type_checking_imports", False)
