"""Records of app-to-system messaging that drivers return: intent extras to send, broadcast results,
posted notifications (Fire OS's Partner-Managed Rows are notifications; see ``Driver.broadcast`` and
``Driver.notifications``). Platform parsers build them (``firebridge.platforms.fireos.notifications``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

RESULT_OK = -1  # Activity.RESULT_OK, what a receiver sets on success
CATEGORY_RECOMMENDATION = "recommendation"  # Notification.CATEGORY_RECOMMENDATION
AMAZON_EXTRA_PREFIX = "com.amazon.extra."
# Amazon extras whose values are integer lists (seed 001: ACTION_OPTION is an ArrayList<Integer>).
AMAZON_INT_LIST_EXTRAS = frozenset({AMAZON_EXTRA_PREFIX + "ACTION_OPTION"})
EXTRA_TYPES = ("String", "int", "long", "ArrayList<Integer>", "ArrayList<String>")


@dataclass(frozen=True)
class IntentExtra:
    """One extra to send with a broadcast: its key, its Java type (one of :data:`EXTRA_TYPES`) and the
    value (str, int, or a sequence for the list types)."""

    key: str
    java_type: str
    value: "str | int | Sequence[int] | Sequence[str]"

    def __post_init__(self) -> None:
        if self.java_type not in EXTRA_TYPES:
            raise ValueError(f"extra type {self.java_type!r} is not one of {', '.join(EXTRA_TYPES)}")


@dataclass(frozen=True)
class BroadcastResult:
    """The ``Broadcast completed: result=N[, data="..."][, extras: ...]`` line of ``am broadcast``."""

    code: int
    data: str | None = None
    extras: str | None = None

    @property
    def ok(self) -> bool:
        return self.code == RESULT_OK


@dataclass(frozen=True)
class NotificationExtra:
    """One line of a record's ``extras={`` block: ``key=Type (value)``, ``key=null``,
    ``key=String [length=N]`` (redacted) or ``key=int[] (N)`` followed by ``[i] value`` lines."""

    key: str
    type: str | None
    raw: str | None = None
    redacted_length: int | None = None
    items: tuple[str, ...] | None = None

    @property
    def redacted(self) -> bool:
        return self.redacted_length is not None

    @property
    def value(self) -> Any:
        """The value as Python: int, bool, float, str, list (arrays and ArrayLists as strings unless
        the element type is known), or None for null and redacted values."""
        if self.type is None or self.redacted:
            return None
        if self.items is not None:
            if self.type in ("int[]", "long[]", "short[]", "byte[]"):
                return [int(i) for i in self.items]
            if self.type in ("float[]", "double[]"):
                return [float(i) for i in self.items]
            return list(self.items)
        raw = self.raw
        if raw is None:
            return None
        if self.type in ("Integer", "Long", "Short", "Byte"):
            try:
                return int(raw)
            except ValueError:
                return raw
        if self.type == "Boolean":
            return raw == "true"
        if self.type in ("Float", "Double"):
            try:
                return float(raw)
            except ValueError:
                return raw
        if self.type == "ArrayList":
            return split_list(raw)
        return raw


def split_list(text: str) -> list[str]:
    """``ArrayList.toString()`` (``[a, b]``) into its elements (elements containing ", " are ambiguous
    in that format and come out split)."""
    inner = text.strip()
    if inner.startswith("[") and inner.endswith("]"):
        inner = inner[1:-1]
    return [] if inner == "" else inner.split(", ")


@dataclass(frozen=True)
class NotificationRecord:
    """One ``NotificationRecord(...)`` of ``dumpsys notification``."""

    package: str
    user: str
    id: int
    tag: str | None
    importance: int | None
    key: str
    uid: int | None
    channel: str | None
    category: str | None
    flags: str | None
    extras: dict[str, NotificationExtra]
    header: str
    body: tuple[str, ...] = ()

    def extra(self, key: str, default: Any = None) -> Any:
        item = self.extras.get(key)
        return default if item is None else item.value

    @property
    def title(self) -> str | None:
        return self.extra("android.title")

    @property
    def text(self) -> str | None:
        return self.extra("android.text")

    @property
    def is_recommendation(self) -> bool:
        return self.category == CATEGORY_RECOMMENDATION

    def amazon_extras(self) -> dict[str, Any]:
        """``com.amazon.extra.*`` values, typed by seed 001 (ACTION_OPTION as ints, TAGS as strings)."""
        out: dict[str, Any] = {}
        for key, item in self.extras.items():
            if not key.startswith(AMAZON_EXTRA_PREFIX):
                continue
            value = item.value
            if key in AMAZON_INT_LIST_EXTRAS and isinstance(value, list):
                try:
                    value = [int(v) for v in value]
                except ValueError:
                    pass
            out[key] = value
        return out
