"""Intents as ``am`` builds them from its arguments, and as Android prints them (pure).

Parsing follows Android 9's ``Intent.parseCommandArgs`` and ``ShellCommand`` (read in
StagOS/android_frameworks_base_p ``core/java/android/content/Intent.java``, a Pie fork of AOSP):

- extra flags: ``-e|--es --esn --ei --el --ef --eu --ecn --ez --eia --eial --ela --elal --efa --efal
  --esa --esal``. Android 9 has **no** ``--ed``/``--eda``/``--edal`` (double extras came later): they
  are refused as ``Unknown option``, as Fire OS 7 refuses them.
- numbers are parsed as Java does: ``--ei``/``--eia``/``--eial`` with ``Integer.decode`` (``0x1F``,
  ``#1F``, octal ``017``, ``+5``); ``--el``/``--ela``/``--elal`` with ``Long.valueOf`` (decimal only);
  floats with ``Float.valueOf``. A bad value raises Java's exception text, e.g.
  ``java.lang.NumberFormatException: For input string: "abc"``.
- arrays are split with Java's ``String.split`` (trailing empty items dropped). String arrays split on
  commas not preceded by a backslash and, exactly like Android, keep the backslash: ``a\\,b`` arrives
  as the one item ``a\\,b``.
- ``-n``/``--ecn`` take ``pkg/cls`` (``ComponentName.unflattenFromString``; ``.cls`` is expanded).
"""

from __future__ import annotations

import math
import re
import struct
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Mapping

FLAG_ACTIVITY_NEW_TASK = 0x10000000
FLAG_RECEIVER_FOREGROUND = 0x10000000
FLAG_EXCLUDE_STOPPED_PACKAGES = 0x10
FLAG_INCLUDE_STOPPED_PACKAGES = 0x20
# Intent.FLAG_RECEIVER_FROM_SHELL: ActivityManagerShellCommand.runSendBroadcast adds it (flg=0x400000).
FLAG_RECEIVER_FROM_SHELL = 0x400000

ACTION_MAIN = "android.intent.action.MAIN"
ACTION_VIEW = "android.intent.action.VIEW"
CATEGORY_LAUNCHER = "android.intent.category.LAUNCHER"

# The boolean options of parseCommandArgs and the Intent flag each one adds (Intent.java constants).
_FLAG_OPTIONS = {
    "--grant-read-uri-permission": 0x1,
    "--grant-write-uri-permission": 0x2,
    "--grant-persistable-uri-permission": 0x40,
    "--grant-prefix-uri-permission": 0x80,
    "--exclude-stopped-packages": FLAG_EXCLUDE_STOPPED_PACKAGES,
    "--include-stopped-packages": FLAG_INCLUDE_STOPPED_PACKAGES,
    "--debug-log-resolution": 0x8,
    "--activity-brought-to-front": 0x400000,
    "--activity-clear-top": 0x4000000,
    "--activity-clear-when-task-reset": 0x80000,
    "--activity-exclude-from-recents": 0x800000,
    "--activity-launched-from-history": 0x100000,
    "--activity-multiple-task": 0x8000000,
    "--activity-no-animation": 0x10000,
    "--activity-no-history": 0x40000000,
    "--activity-no-user-action": 0x40000,
    "--activity-previous-is-top": 0x1000000,
    "--activity-reorder-to-front": 0x20000,
    "--activity-reset-task-if-needed": 0x200000,
    "--activity-single-top": 0x20000000,
    "--activity-clear-task": 0x8000,
    "--activity-task-on-home": 0x4000,
    "--activity-match-external": 0x800,
    "--receiver-registered-only": 0x40000000,
    "--receiver-replace-pending": 0x20000000,
    "--receiver-foreground": FLAG_RECEIVER_FOREGROUND,
    "--receiver-no-abort": 0x8000000,
    "--receiver-include-background": 0x1000000,
}

# Extra flag -> the declared Java type of the value it puts (Intent.putExtra overloads).
_EXTRA_FLAGS = {
    "-e": "String", "--es": "String", "--esn": "null", "--ei": "int", "--el": "long", "--ef": "float",
    "--eu": "Uri", "--ecn": "ComponentName", "--ez": "boolean",
    "--eia": "int[]", "--eial": "ArrayList<Integer>", "--ela": "long[]", "--elal": "ArrayList<Long>",
    "--efa": "float[]", "--efal": "ArrayList<Float>", "--esa": "String[]", "--esal": "ArrayList<String>",
}
# Android 9 sets hasIntentInfo for these extras only (a quirk of parseCommandArgs that decides whether
# "No intent supplied" is thrown).
_EXTRAS_WITH_INTENT_INFO = {"--ela", "--elal", "--ef", "--efa", "--efal", "--esa", "--esal"}


class IntentSyntaxError(ValueError):
    """``am`` arguments that Android refuses; the message is Java's ``Throwable.toString()``."""


def _illegal_argument(message: str) -> IntentSyntaxError:
    return IntentSyntaxError(f"java.lang.IllegalArgumentException: {message}")


def _number_format(message: str) -> IntentSyntaxError:
    return IntentSyntaxError(f"java.lang.NumberFormatException: {message}")


@dataclass(frozen=True)
class ComponentName:
    """``android.content.ComponentName``: a package and a fully qualified class."""

    package: str
    cls: str

    @classmethod
    def unflatten(cls, text: str) -> "ComponentName | None":
        """``ComponentName.unflattenFromString``: ``pkg/cls`` or ``pkg/.cls``; None when malformed."""
        sep = text.find("/")
        if sep < 0 or sep + 1 >= len(text):
            return None
        package, name = text[:sep], text[sep + 1:]
        return cls(package, package + name if name.startswith(".") else name)

    def flatten_short(self) -> str:
        """``pkg/.Cls`` when the class is inside the package (ComponentName.flattenToShortString)."""
        if self.cls.startswith(self.package + "."):
            return f"{self.package}/{self.cls[len(self.package):]}"
        return f"{self.package}/{self.cls}"

    def __str__(self) -> str:  # ComponentName.toString()
        return f"ComponentInfo{{{self.package}/{self.cls}}}"


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
    extra_types: dict[str, str] = field(default_factory=dict)  # name -> declared Java type (see _EXTRA_FLAGS)

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

    def put_extra(self, key: str, kind: str, value: Any) -> None:
        """``putExtra`` with a declared Java type (one of the values of ``_EXTRA_FLAGS``)."""
        self.extras[key] = value
        self.extra_types[key] = kind

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


# -- Java number parsing (OpenJDK 8 libcore, which Android 7-11 use) ---------------------------------

_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1
_LONG_MIN, _LONG_MAX = -(2**63), 2**63 - 1


def _parse_java_int(text: str, radix: int, low: int, high: int) -> int:
    """``Integer.parseInt(s, radix)`` / ``Long.parseLong``: ASCII digits, one optional sign."""
    bad = _number_format(f'For input string: "{text}"')
    digits = text[1:] if text[:1] in "+-" else text
    if not digits:
        raise bad
    try:
        value = int(digits, radix) if re.fullmatch(r"[0-9A-Za-z]+", digits) else None
    except ValueError:
        value = None
    if value is None:
        raise bad
    value = -value if text.startswith("-") else value
    if not low <= value <= high:
        raise bad
    return value


def java_decode_int(text: str) -> int:
    """``Integer.decode``: decimal, ``0x``/``0X``/``#`` hex, ``0`` octal, optional sign."""
    if not text:
        raise _number_format("Zero length string")
    index, negative, radix = 0, False, 10
    if text[0] == "-":
        negative, index = True, 1
    elif text[0] == "+":
        index = 1
    if text.startswith(("0x", "0X"), index):
        index, radix = index + 2, 16
    elif text.startswith("#", index):
        index, radix = index + 1, 16
    elif text.startswith("0", index) and len(text) > 1 + index:
        index, radix = index + 1, 8
    if text.startswith(("-", "+"), index):
        raise _number_format("Sign character in wrong position")
    body = text[index:]
    try:
        value = _parse_java_int(body, radix, _INT_MIN, _INT_MAX)
        return -value if negative else value
    except IntentSyntaxError:
        # Java retries with the sign attached (so that Integer.MIN_VALUE parses) and throws from there.
        return _parse_java_int(("-" + body) if negative else body, radix, _INT_MIN, _INT_MAX)


def java_parse_long(text: str) -> int:
    """``Long.valueOf(String)``: decimal only, optional sign."""
    return _parse_java_int(text, 10, _LONG_MIN, _LONG_MAX)


_JAVA_FLOAT = re.compile(
    r"[+-]?(?:NaN|Infinity|(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
    r"|0[xX](?:[0-9a-fA-F]+\.?|[0-9a-fA-F]*\.[0-9a-fA-F]+)[pP][+-]?\d+)[fFdD]?)")


def _to_float32(value: float) -> float:
    try:
        return struct.unpack("<f", struct.pack("<f", value))[0]
    except OverflowError:
        return math.copysign(math.inf, value)


def java_parse_float(text: str, single: bool = True) -> float:
    """``Float.valueOf`` (``single``) or ``Double.valueOf``: Java's grammar, surrounding blanks ignored."""
    trimmed = text.strip("".join(chr(c) for c in range(33)))  # String.trim() drops chars <= ' '
    if not trimmed:
        raise _number_format("empty String")
    if not _JAVA_FLOAT.fullmatch(trimmed):
        raise _number_format(f'For input string: "{trimmed}"')
    body = trimmed.rstrip("fFdD") if not trimmed.endswith(("NaN", "Infinity")) else trimmed
    if "NaN" in body:
        value = math.nan
    elif "Infinity" in body:
        value = -math.inf if body.startswith("-") else math.inf
    elif "x" in body.lower():
        value = float.fromhex(body)
    else:
        value = float(body)
    return _to_float32(value) if single else value


def java_parse_boolean(text: str) -> bool:
    """``--ez`` (Android 9): true/t, false/f, else ``Integer.decode(value) != 0``."""
    value = text.lower()
    if value in ("true", "t"):
        return True
    if value in ("false", "f"):
        return False
    try:
        return java_decode_int(value) != 0
    except IntentSyntaxError:
        raise _illegal_argument(f"Invalid boolean value: {value}") from None


def java_split(text: str, pattern: str) -> list[str]:
    """``String.split(regex)``: like re.split, but trailing empty strings are removed."""
    parts = re.split(pattern, text)
    if len(parts) == 1:
        return parts
    while parts and parts[-1] == "":
        parts.pop()
    return parts


# -- Java toString of extra values (what dumps print) ----------------------------------------------


def _java_decimal(value: float, single: bool) -> str:
    """``Float.toString`` / ``Double.toString``: shortest digits, plain for 1e-3 <= |x| < 1e7."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    if single:
        for precision in range(1, 10):
            candidate = f"{value:.{precision - 1}e}"
            if _to_float32(float(candidate)) == value:
                break
    else:
        candidate = repr(value)
    sign, digits, exponent = Decimal(candidate).normalize().as_tuple()
    digits_text = "".join(map(str, digits)).rstrip("0") or "0"
    sci = len(digits) + exponent - 1  # the decimal exponent of the first digit
    prefix = "-" if sign else ""
    if 1e-3 <= abs(value) < 1e7:
        if sci >= 0:
            whole = digits_text[:sci + 1].ljust(sci + 1, "0")
            fraction = digits_text[sci + 1:] or "0"
        else:
            whole, fraction = "0", "0" * (-sci - 1) + digits_text
        return f"{prefix}{whole}.{fraction}"
    return f"{prefix}{digits_text[0]}.{digits_text[1:] or '0'}E{sci}"


def java_float_str(value: float) -> str:
    return _java_decimal(value, single=True)


def java_double_str(value: float) -> str:
    return _java_decimal(value, single=False)


_ELEMENT_KIND = {"int[]": "int", "long[]": "long", "float[]": "float", "String[]": "String",
                 "ArrayList<Integer>": "int", "ArrayList<Long>": "long", "ArrayList<Float>": "float",
                 "ArrayList<String>": "String"}
# The runtime class a value has once it sits in a Bundle (Class.getSimpleName()).
_SIMPLE_CLASS = {"String": "String", "int": "Integer", "long": "Long", "float": "Float", "double": "Double",
                 "boolean": "Boolean", "Uri": "StringUri", "ComponentName": "ComponentName",
                 "int[]": "int[]", "long[]": "long[]", "float[]": "float[]", "String[]": "String[]"}
# ... and its Class.getName(), which Bundle's type warnings print.
_CLASS_NAME = {"String": "java.lang.String", "int": "java.lang.Integer", "long": "java.lang.Long",
               "float": "java.lang.Float", "double": "java.lang.Double", "boolean": "java.lang.Boolean",
               "Uri": "android.net.Uri$StringUri", "ComponentName": "android.content.ComponentName",
               "int[]": "[I", "long[]": "[J", "float[]": "[F", "String[]": "[Ljava.lang.String;"}


def is_array(kind: str) -> bool:
    """True for Java arrays (``int[]``...), which dumps print element by element."""
    return kind.endswith("[]")


def java_simple_class(kind: str) -> str:
    """The simple class name of a value of declared type ``kind`` (``ArrayList<X>`` -> ``ArrayList``)."""
    if kind.startswith("ArrayList<"):
        return "ArrayList"
    return _SIMPLE_CLASS.get(kind, kind)


def java_class_name(kind: str) -> str:
    """``Class.getName()`` of a value of declared type ``kind``."""
    if kind.startswith("ArrayList<"):
        return "java.util.ArrayList"
    return _CLASS_NAME.get(kind, kind)


def java_value_str(kind: str, value: Any) -> str:
    """``String.valueOf(value)`` in Java for a value of declared type ``kind``."""
    if value is None:
        return "null"
    if kind in _ELEMENT_KIND:
        items = [java_value_str(_ELEMENT_KIND[kind], item) for item in value]
        return "[" + ", ".join(items) + "]"
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "float":
        return java_float_str(value)
    if kind == "double":
        return java_double_str(value)
    return str(value)


def java_array_items(kind: str, value: list[Any]) -> list[str]:
    """Each element of an array as ``String.valueOf(Array.get(array, i))``."""
    return [java_value_str(_ELEMENT_KIND[kind], item) for item in value]


# -- parseCommandArgs --------------------------------------------------------------------------------


def _extra_value(kind: str, raw: str) -> Any:
    if kind == "String" or kind == "Uri":
        return raw
    if kind == "int":
        return java_decode_int(raw)
    if kind == "long":
        return java_parse_long(raw)
    if kind == "float":
        return java_parse_float(raw)
    if kind == "boolean":
        return java_parse_boolean(raw)
    if kind == "ComponentName":
        component = ComponentName.unflatten(raw)
        if component is None:
            raise _illegal_argument(f"Bad component name: {raw}")
        return component
    element = _ELEMENT_KIND[kind]
    if element == "String":
        # Split on commas not preceded by a backslash; Android keeps the backslash in the item.
        return java_split(raw, r"(?<!\\),")
    parse = {"int": java_decode_int, "long": java_parse_long, "float": java_parse_float}[element]
    return [parse(item) for item in java_split(raw, ",")]


class _ShellArgs:
    """``android.os.ShellCommand``'s option scanner (getNextOption / getNextArg[Required])."""

    def __init__(self, args: list[str]) -> None:
        self.args = args
        self.pos = 0
        self.cur_data: str | None = None

    def next_option(self) -> str | None:
        if self.cur_data is not None:
            raise _illegal_argument(f'No argument expected after "{self.args[self.pos - 1]}"')
        if self.pos >= len(self.args):
            return None
        arg = self.args[self.pos]
        if not arg.startswith("-"):
            return None
        self.pos += 1
        if arg == "--":
            return None
        if len(arg) > 2 and arg[1] != "-":
            self.cur_data = arg[2:]
            return arg[:2]
        return arg

    def next_arg(self) -> str | None:
        if self.cur_data is not None:
            arg, self.cur_data = self.cur_data, None
            return arg
        if self.pos < len(self.args):
            self.pos += 1
            return self.args[self.pos - 1]
        return None

    def next_arg_required(self) -> str:
        arg = self.next_arg()
        if arg is None:
            raise _illegal_argument(f'Argument expected after "{self.args[self.pos - 1]}"')
        return arg

    def remaining(self) -> list[str]:
        return self.args[self.pos:]


def _apply_option(intent: Intent, opt: str, args: _ShellArgs) -> bool | None:
    """Apply one parseCommandArgs option; returns whether it counts as intent info, None if unknown."""
    if opt in _EXTRA_FLAGS:
        kind = _EXTRA_FLAGS[opt]
        key = args.next_arg_required()
        intent.put_extra(key, kind, None if kind == "null" else _extra_value(kind, args.next_arg_required()))
        return opt in _EXTRAS_WITH_INTENT_INFO
    if opt in _FLAG_OPTIONS:
        intent.flags |= _FLAG_OPTIONS[opt]
        return False
    if opt == "-a":
        intent.action = args.next_arg_required()
    elif opt == "-d":
        intent.data = args.next_arg_required()
    elif opt == "-t":
        intent.mime_type = args.next_arg_required()
    elif opt == "-c":
        intent.categories.append(args.next_arg_required())
    elif opt == "-n":
        text = args.next_arg_required()
        component = ComponentName.unflatten(text)
        if component is None:
            raise _illegal_argument(f"Bad component name: {text}")
        intent.component = component.flatten_short()
    elif opt == "-p":
        intent.package = args.next_arg_required()
    elif opt == "-f":
        intent.flags = java_decode_int(args.next_arg_required()) & 0xFFFFFFFF  # setFlags replaces
        return False
    elif opt == "--selector":
        # ASSUMPTION: selectors are not modelled; the option is accepted and ignored.
        return False
    else:
        return None
    return True


def parse_command_args(args: list[str], handler_options: Mapping[str, int] | None = None
                       ) -> tuple[Intent, dict[str, list[str]]]:
    """Android 9's ``Intent.parseCommandArgs`` for ``am broadcast`` (strict).

    ``handler_options`` are the caller's own options and how many values each takes (``am``'s
    ``--user 0``...); they are returned by name. Raises :class:`IntentSyntaxError` with Android's
    exception text (``Unknown option: --x``, ``No intent supplied``, bad numbers...).
    """
    handler_options = handler_options or {}
    scanner = _ShellArgs(list(args))
    intent = Intent()
    handled: dict[str, list[str]] = {}
    has_info = False
    while (opt := scanner.next_option()) is not None:
        info = _apply_option(intent, opt, scanner)
        if info is None:
            if opt not in handler_options:
                raise _illegal_argument(f"Unknown option: {opt}")
            handled[opt] = [scanner.next_arg_required() for _ in range(handler_options[opt])]
            continue
        has_info = has_info or info
    target = scanner.next_arg()
    if target is not None:
        apply_target(intent, target)
        has_info = True
    if not has_info:
        raise _illegal_argument("No intent supplied")
    return intent, handled


def parse_intent_args(args: list[str]) -> tuple[Intent, list[str]]:
    """Lenient form for ``am start``: known intent options are parsed with Android's rules; anything
    else (the caller's own options, the target) is returned in order for the caller to handle."""
    scanner = _ShellArgs(list(args))
    intent = Intent()
    rest: list[str] = []
    while scanner.pos < len(scanner.args):
        arg = scanner.args[scanner.pos]
        if not arg.startswith("-") or arg in ("-", "--"):
            rest.append(arg)
            scanner.pos += 1
            continue
        start = scanner.pos
        opt = scanner.next_option()
        if opt is None or _apply_option(intent, opt, scanner) is None:
            scanner.cur_data, scanner.pos = None, start + 1
            rest.append(arg)
    return intent, rest


def apply_target(intent: Intent, target: str) -> None:
    """The trailing ``am`` argument: a URI (has ``:``) or a component (``pkg/.Cls``).

    A bare package name is refused exactly as Fire OS refuses it
    (home-assistant/core issue #109606; docs/fire-os.md section 3).
    """
    if ":" in target:
        intent.data = target
        intent.action = intent.action or ACTION_VIEW
    elif "/" in target:
        intent.component = target
    else:
        raise IntentSyntaxError(f"java.lang.IllegalArgumentException: wrong component name: {target}")
