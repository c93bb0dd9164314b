"""Intents as ``am`` builds them from its arguments, and as Android prints them (pure).

Extra flags follow ``Intent.parseCommandArgs`` (Android 9): ``--es --esn --ei --el --ef --ed --eu
--ecn --ez --eia --eial --ela --elal --efa --efal --esa --esal``; arrays are comma-separated, with
``\\,`` for a literal comma in string arrays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

FLAG_ACTIVITY_NEW_TASK = 0x10000000
FLAG_RECEIVER_FOREGROUND = 0x10000000
FLAG_INCLUDE_STOPPED_PACKAGES = 0x20
# What `am broadcast` adds (Android 9 sets FLAG_RECEIVER_REGISTERED_ONLY_BEFORE_BOOT | ...): printed as flg=0x400000.
FLAG_AM_BROADCAST = 0x400000


class IntentSyntaxError(ValueError):
    """``am`` arguments that Android would refuse; the message is Android's wording."""


@dataclass
class Intent:
    action: str | None = None
    data: str | None = None
    mime_type: str | None = None
    categories: list[str] = field(default_factory=list)
    component: str | None = None  # "pkg/.Class" or "pkg/pkg.Class"
    package: str | None = None
    flags: int = 0
    extras: dict[str, Any] = field(default_factory=dict)
    extra_types: dict[str, str] = field(default_factory=dict)  # name -> java type name

    @property
    def component_package(self) -> str | None:
        return self.component.split("/", 1)[0] if self.component else self.package

    @property
    def component_class(self) -> str | None:
        """The class part of the component, expanded (``.Foo`` -> ``pkg.Foo``)."""
        if not self.component:
            return None
        package, cls = self.component.split("/", 1)
        return package + cls if cls.startswith(".") else cls

    def short_component(self) -> str | None:
        """``pkg/.Foo`` as Android prints a component (class shortened when inside the package)."""
        if not self.component:
            return None
        package, cls = self.component.split("/", 1)
        full = package + cls if cls.startswith(".") else cls
        return f"{package}/{full[len(package):]}" if full.startswith(package + ".") else f"{package}/{full}"

    def describe(self, brackets: bool = True, extras_summary: bool = True) -> str:
        """``Intent { act=... dat=... cmp=... (has extras) }`` (Intent.toShortString)."""
        parts = []
        if self.action:
            parts.append(f"act={self.action}")
        if self.categories:
            parts.append("cat=[" + ",".join(self.categories) + "]")
        if self.data:
            parts.append(f"dat={self.data}")
        if self.mime_type:
            parts.append(f"typ={self.mime_type}")
        if self.flags:
            parts.append(f"flg={self.flags:#x}")
        if self.package and not self.component:
            parts.append(f"pkg={self.package}")
        if self.component:
            parts.append(f"cmp={self.short_component()}")
        if self.extras and extras_summary:
            parts.append("(has extras)")
        body = " ".join(parts)
        return f"{{{body}}}" if not brackets else f"Intent {{ {body} }}"


_EXTRA_FLAGS = {
    "--es": "String", "-e": "String", "--esn": "null", "--ei": "int", "--el": "long", "--ef": "float",
    "--ed": "double", "--eu": "Uri", "--ecn": "ComponentName", "--ez": "boolean",
    "--eia": "int[]", "--eial": "ArrayList<Integer>", "--ela": "long[]", "--elal": "ArrayList<Long>",
    "--efa": "float[]", "--efal": "ArrayList<Float>", "--esa": "String[]", "--esal": "ArrayList<String>",
    "--eda": "double[]",
}


def _scalar(kind: str, text: str) -> Any:
    try:
        if kind in ("int", "long"):
            value = int(text, 0) if text.lower().startswith(("0x", "-0x")) else int(text)
            limit = 2**31 if kind == "int" else 2**63
            if not -limit <= value < limit:
                raise ValueError(text)
            return value
        if kind in ("float", "double"):
            return float(text)
    except ValueError:
        raise IntentSyntaxError(f"Error: Invalid {kind} value: {text}") from None
    if kind == "boolean":
        lowered = text.lower()
        if lowered in ("true", "t"):
            return True
        if lowered in ("false", "f"):
            return False
        try:
            return int(text) != 0
        except ValueError:
            raise IntentSyntaxError(f"Error: Invalid boolean value: {text}") from None
    return text


def _array(kind: str, text: str) -> list[Any]:
    element = kind.replace("[]", "").replace("ArrayList<", "").rstrip(">")
    element = {"Integer": "int", "Long": "long", "Float": "float", "String": "String"}.get(element, element)
    if element == "String":
        # Split on commas not preceded by a backslash, then unescape "\,".
        return [part.replace("\\,", ",") for part in re.split(r"(?<!\\),", text)]
    return [_scalar(element, part) for part in text.split(",")]


def parse_intent_args(args: list[str]) -> tuple[Intent, list[str]]:
    """Build an Intent from ``am`` arguments; returns it and the arguments left (options, a target)."""
    intent = Intent()
    rest: list[str] = []
    it = iter(args)

    def value(flag: str) -> str:
        try:
            return next(it)
        except StopIteration:
            raise IntentSyntaxError(f"Error: No argument supplied for {flag}") from None

    for arg in it:
        if arg == "-a":
            intent.action = value(arg)
        elif arg == "-d":
            intent.data = value(arg)
        elif arg == "-t":
            intent.mime_type = value(arg)
        elif arg == "-c":
            intent.categories.append(value(arg))
        elif arg == "-n":
            component = value(arg)
            if "/" not in component:
                raise IntentSyntaxError(f"java.lang.IllegalArgumentException: Bad component name: {component}")
            intent.component = component
        elif arg == "-p":
            intent.package = value(arg)
        elif arg == "-f":
            intent.flags |= int(value(arg), 0)
        elif arg in ("--activity-new-task",):
            intent.flags |= FLAG_ACTIVITY_NEW_TASK
        elif arg == "--include-stopped-packages":
            intent.flags |= FLAG_INCLUDE_STOPPED_PACKAGES
        elif arg in _EXTRA_FLAGS:
            kind = _EXTRA_FLAGS[arg]
            key = value(arg)
            if kind == "null":
                intent.extras[key] = None
            else:
                raw = value(arg)
                intent.extras[key] = _array(kind, raw) if ("[]" in kind or "ArrayList" in kind) else _scalar(kind, raw)
            intent.extra_types[key] = kind
        else:
            rest.append(arg)
    return intent, rest


def apply_target(intent: Intent, target: str) -> None:
    """The trailing ``am start`` argument: a URI (has ``:``) or a component (``pkg/.Cls``).

    A bare package name is refused exactly as Fire OS refuses it
    (shared/samples/adb_shell_error_outputs_firetv.txt, case 1).
    """
    if ":" in target:
        intent.data = target
        intent.action = intent.action or "android.intent.action.VIEW"
    elif "/" in target:
        intent.component = target
    else:
        raise IntentSyntaxError(f"java.lang.IllegalArgumentException: wrong component name: {target}")
