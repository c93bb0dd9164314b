"""Text for people: counts with the right plural, docstrings (reStructuredText) as plain text for ``--help``."""

from __future__ import annotations

import re

_ROLE = re.compile(r":[a-z]+(?::[a-z]+)?:`~?([^`<]+?)(?:\s*<[^>]+>)?`")  # :class:`x`, :func:`~a.b`, `t <u>`_
_LITERAL = re.compile(r"``(.+?)``")
_IRREGULAR = {"device": "devices", "Fire TV": "Fire TVs", "entry": "entries", "recommendation": "recommendations"}


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 Fire TV``, ``2 Fire TVs``, ``0 entries``: the count and the noun in the right number."""
    if count == 1:
        return f"{count} {word}"
    if many is None:
        many = _IRREGULAR.get(word) or (word[:-1] + "ies" if word.endswith("y") and word[-2:-1] not in "aeiou"
                                        else word + "s")
    return f"{count} {many}"


def plain(text: str | None) -> str:
    """reStructuredText from a docstring as plain text: ``literal`` -> literal, :class:`X` -> X."""
    if not text:
        return ""
    text = _ROLE.sub(lambda m: m.group(1).rsplit(".", 1)[-1] if m.group(0).count("~") else m.group(1), text)
    return _LITERAL.sub(r"\1", text)
