"""Issue 11: the virtual device has no import cycles and builds no state at import time."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "firebridge" / "virtual"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _runtime_imports(tree: ast.Module, module: str, is_package: bool) -> tuple[set[str], list[int]]:
    """Modules imported when ``module`` is imported, and line numbers of imports hidden in functions."""
    imported: set[str] = set()
    hidden: list[int] = []

    def visit(nodes: list[ast.stmt], top: bool) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and _is_type_checking(node):
                continue
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                else:
                    base = node.module or ""
                    if node.level:
                        anchor = module.split(".")[: len(module.split(".")) - node.level + (1 if is_package else 0)]
                        base = ".".join(anchor + ([base] if base else []))
                    names = [base] + [f"{base}.{alias.name}" for alias in node.names]
                names = [n for n in names if n.startswith("firebridge")]
                if names and not top:
                    hidden.append(node.lineno)
                imported.update(names)
            for field in ("body", "orelse", "finalbody", "handlers"):
                inner = getattr(node, field, None)
                if isinstance(inner, list) and inner and isinstance(inner[0], (ast.stmt, ast.excepthandler)):
                    nested_top = top and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                    visit([n for n in inner if isinstance(n, ast.stmt)] if field != "handlers"
                          else [s for h in inner for s in h.body], nested_top)

    visit(tree.body, True)
    return imported, hidden


def _graph() -> tuple[dict[str, set[str]], dict[str, list[int]]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    hidden: dict[str, list[int]] = {}
    for name, path in modules.items():
        imports, lines = _runtime_imports(ast.parse(path.read_text()), name, path.name == "__init__.py")
        # `from pkg import submodule` loads the submodule; a module's own parent packages are
        # initialised before it by definition, so those edges are not cycles.
        targets = {m for m in imports if m in modules}
        graph[name] = {m for m in targets if m != name and not name.startswith(m + ".")
                       and not any(t.startswith(m + ".") for t in targets)}
        if lines:
            hidden[name] = lines
    return graph, hidden


def test_the_virtual_package_has_no_import_cycle() -> None:
    graph, _ = _graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                walk(nxt)
        stack.pop()
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            walk(module)


def test_no_firebridge_import_is_hidden_inside_a_function() -> None:
    """A function-level import is how a cycle hides; none is left in firebridge.virtual."""
    _, hidden = _graph()
    assert hidden == {}


def test_importing_command_modules_registers_nothing() -> None:
    """Commands are collected by a personality when a device is built, not at import time."""
    script = (
        "import firebridge.virtual.fireos.commands.props as props\n"
        "import firebridge.virtual.shell.interpreter as interpreter\n"
        "assert not hasattr(interpreter, 'COMMANDS'), 'a global command registry is back'\n"
        "assert not hasattr(__import__('firebridge.virtual.fireos.commands.activity', fromlist=['x']), 'DUMPSYS')\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_two_devices_do_not_share_command_tables(tmp_path: Path) -> None:
    from firebridge.virtual.fireos.personality import create_device

    first, second = create_device(tmp_path / "a"), create_device(tmp_path / "b")
    first.commands.remove("getprop")
    assert first.commands.lookup("getprop") is None
    assert second.commands.lookup("getprop") is not None
    assert "power" in second.dumpsys and second.dumpsys is not first.dumpsys
