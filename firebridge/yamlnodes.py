"""YAML read as composed nodes, so that every complaint about a user's file names its file and line.

``yaml.safe_load`` forgets where each value came from; the composer keeps a mark (file position)
on every node. The helpers here check shapes and types on those nodes and raise
:class:`~firebridge.errors.ConfigError` with the 1-based line of the offending node.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import yaml

from firebridge.errors import ConfigError

_TYPE_WORDS = {bool: "true or false", int: "a whole number", float: "a number", str: "a string",
               list: "a list", dict: "a mapping (key: value lines)"}


def compose_file(path: str | Path) -> yaml.Node | None:
    """The root node of a YAML file; malformed YAML becomes a ConfigError at the parser's line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read the file: {exc.strerror or exc}", str(path)) from None
    return compose_text(text, str(path))


def compose_text(text: str, path: str = "<string>") -> yaml.Node | None:
    """The root node of a YAML document held in a string (``path`` names it in errors)."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(part for part in (exc.context, exc.problem) if part)
        raise ConfigError(f"this is not valid YAML ({problem}); check indentation, colons and quotes",
                          path, line) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"this is not valid YAML ({exc})", path) from None


def line_of(node: yaml.Node | None) -> int | None:
    """1-based line where a node starts."""
    return node.start_mark.line + 1 if node is not None else None


@dataclass
class Field:
    """One ``key: value`` of a mapping node, with both nodes (for their lines)."""

    key: str
    key_node: yaml.Node
    node: yaml.Node

    @property
    def line(self) -> int | None:
        return line_of(self.key_node)


class Reader:
    """Typed access to the nodes of one file; every failure is a ConfigError with path and line."""

    def __init__(self, path: str) -> None:
        self.path = path

    def error(self, message: str, node: yaml.Node | None) -> ConfigError:
        return ConfigError(message, self.path, line_of(node))

    def value(self, node: yaml.Node) -> Any:
        """The plain Python value of a node (scalars, lists and mappings, recursively)."""
        return yaml.SafeLoader("").construct_object(node, deep=True)

    def mapping(self, node: yaml.Node | None, what: str) -> dict[str, Field]:
        """A mapping node's fields by key; keys must be strings and must not repeat."""
        if not isinstance(node, yaml.MappingNode):
            raise self.error(f"{what} must be a mapping (key: value lines), not {_describe(node)}", node)
        fields: dict[str, Field] = {}
        for key_node, value_node in node.value:
            key = self.value(key_node)
            if not isinstance(key, str):
                raise self.error(f"keys in {what} must be names, not {key!r}", key_node)
            if key in fields:
                raise self.error(f"{key!r} appears twice in {what} (first at line {fields[key].line}); "
                                 f"keep one", key_node)
            fields[key] = Field(key, key_node, value_node)
        return fields

    def sequence(self, node: yaml.Node | None, what: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.error(f"{what} must be a list (lines starting with '- '), not {_describe(node)}", node)
        return list(node.value)

    def check_keys(self, fields: dict[str, Field], allowed: Iterable[str], what: str,
                   hints: dict[str, str] | None = None) -> None:
        """Refuse keys outside ``allowed``, suggesting the closest one (or a hint for known aliases)."""
        allowed = list(allowed)
        for field in fields.values():
            if field.key in allowed:
                continue
            hint = (hints or {}).get(field.key)
            if hint is None:
                close = difflib.get_close_matches(field.key, allowed, n=1, cutoff=0.6)
                hint = f"did you mean {close[0]!r}?" if close else ""
            valid = ", ".join(allowed)
            raise self.error(f"unknown key {field.key!r} in {what}" + (f"; {hint}" if hint else "")
                             + f" (valid keys: {valid})", field.key_node)

    def require(self, fields: dict[str, Field], key: str, what: str, node: yaml.Node) -> Field:
        if key not in fields:
            raise self.error(f"{what} needs {key!r}", node)
        return fields[key]

    def typed(self, field_or_node: Field | yaml.Node, kind: type | tuple[type, ...], what: str) -> Any:
        """A scalar of the given Python type (bool is never accepted as an int)."""
        node = field_or_node.node if isinstance(field_or_node, Field) else field_or_node
        value = self.value(node)
        kinds = kind if isinstance(kind, tuple) else (kind,)
        ok = isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)
        if float in kinds and isinstance(value, int) and not isinstance(value, bool):
            ok = True
        if not ok:
            wanted = " or ".join(_TYPE_WORDS.get(k, k.__name__) for k in kinds)
            fix = ""
            if isinstance(value, str) and (int in kinds or float in kinds) and _is_number(value):
                fix = " (remove the quotes around the number)"
            elif isinstance(value, str) and int in kinds and "_ms" in what:
                fix = " (milliseconds, in digits: e.g. 720000 for 12 minutes)"
            elif isinstance(value, str) and int in kinds:
                fix = " (write it in digits, e.g. 12)"
            elif isinstance(value, str) and float in kinds:
                fix = " (write it in digits, e.g. 2.5)"
            elif isinstance(value, (int, float)) and str in kinds:
                fix = f" (quote it: '{value}')"
            raise self.error(f"{what} must be {wanted}, not {_show(value)}{fix}", node)
        return value


def _is_number(text: str) -> bool:
    try:
        float(text.strip().replace("_", ""))
    except ValueError:
        return False
    return True


def _describe(node: yaml.Node | None) -> str:
    if node is None:
        return "nothing (the document is empty)"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag.endswith(":null"):
        return "empty"
    return f"the value {node.value!r}"


def _show(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "a mapping"
    return f"{value!r} ({_TYPE_WORDS.get(type(value), type(value).__name__)})"
