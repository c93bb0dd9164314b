"""Fire OS notifications, pure: ``am broadcast`` argv and result line, ``dumpsys notification``
records, ``pm path`` output.

``dumpsys notification --noredact`` is read in every generation's record format (docs/fire-os.md section 4):
Android 5.1's ``score=`` header and always-redacted Strings (their value reads as None), 7.1's without
channels (``channel`` None), Android 9's and Android 11's ``notification=`` block;
``am broadcast`` prints ``Broadcast completed: result=N[, data="..."][, extras: ...]`` (AOSP ``am``).
"""

from __future__ import annotations

import re
from typing import Sequence

from firebridge.driver.notifications import BroadcastResult, IntentExtra, NotificationExtra, NotificationRecord

# am's typed extra flags (AOSP Intent.parseCommandArgs).
_AM_FLAG = {"String": "--es", "int": "--ei", "long": "--el", "ArrayList<Integer>": "--eial",
            "ArrayList<String>": "--esal"}


def _esal(values: Sequence[str]) -> str:
    # am splits --esal on commas not preceded by a backslash.
    return ",".join(v.replace(",", "\\,") for v in values)


def am_flag(java_type: str) -> str:
    """``--es`` for String, ``--eial`` for ArrayList<Integer>, ..."""
    return _AM_FLAG[java_type]


def broadcast_command(component: str, extras: Sequence[IntentExtra] = ()) -> list[str]:
    """The ``am broadcast`` argv for an explicit broadcast to ``component`` (also to a stopped app).
    Pass it to the shell as a list: every word is shell-quoted there, values included."""
    argv = ["am", "broadcast", "--include-stopped-packages", "-n", component]
    for extra in extras:
        value = extra.value
        if extra.java_type == "ArrayList<Integer>":
            text = ",".join(str(int(v)) for v in value)  # type: ignore[union-attr]
        elif extra.java_type == "ArrayList<String>":
            text = _esal([str(v) for v in value])  # type: ignore[union-attr]
        else:
            text = str(value)
        argv += [am_flag(extra.java_type), extra.key, text]
    return argv


NOTIFICATION_DUMP_COMMAND = ["dumpsys", "notification", "--noredact"]


def pm_path_command(package: str) -> list[str]:
    return ["pm", "path", package]


_BROADCAST = re.compile(r'^Broadcast completed: result=(?P<code>-?\d+)'
                        r'(?:, data="(?P<data>.*?)")?(?:, extras: (?P<extras>.*))?\s*$', re.S)


def parse_broadcast_result(output: str) -> BroadcastResult | None:
    """Find and parse the result line in ``am broadcast`` output (None if there is none).
    ``data`` may span lines; it ends at the last quote before an optional ``, extras:``."""
    start = output.find("Broadcast completed:")
    if start < 0:
        return None
    match = _BROADCAST.match(output[start:].rstrip())
    if not match:
        return None
    return BroadcastResult(int(match.group("code")), match.group("data"), match.group("extras"))


# -- dumpsys notification (pure) ------------------------------------------------------------

_HEADER = re.compile(
    r"NotificationRecord\((?P<hash>0x[0-9a-fA-F]+): pkg=(?P<pkg>\S+) user=(?P<user>\S+) id=(?P<id>-?\d+) "
    r"tag=(?P<tag>.*?) (?:importance|score)=(?P<importance>-?\d+) key=(?P<key>.*?)"  # score=: Android 5.1
    r"(?:appImportanceLocked=(?P<locked>\w+))?: Notification\((?P<notification>.*)\)\)\s*$")
_ENTRY = re.compile(r"^(?P<key>[^=\s][^=]*?)=(?P<rest>.*)$", re.S)
_ITEM = re.compile(r"^\s*\[(?P<i>\d+)\] ?(?P<value>.*)$")
_ARRAY_HEAD = re.compile(r"^\S+\[\] \(\d+\)\s*$")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _parse_extra(key: str, rest: str, items: list[str] | None) -> NotificationExtra:
    rest = rest.rstrip()
    if rest == "null":
        return NotificationExtra(key, None)
    redacted = re.match(r"^(?P<type>\S+) \[length=(?P<n>\d+)\]$", rest)
    if redacted:
        return NotificationExtra(key, redacted.group("type"), redacted_length=int(redacted.group("n")))
    typed = re.match(r"^(?P<type>[^\s(]+) \((?P<raw>.*)\)$", rest, re.S)
    if typed:
        type_ = typed.group("type")
        if type_.endswith("[]"):
            return NotificationExtra(key, type_, typed.group("raw"), items=tuple(items or ()))
        return NotificationExtra(key, type_, typed.group("raw"))
    return NotificationExtra(key, rest or None)


def _parse_extras(lines: list[str]) -> dict[str, NotificationExtra]:
    """The lines strictly inside ``extras={ ... }``."""
    entries: list[tuple[str, list[str], list[str]]] = []  # key, value lines, array items
    entry_indent: int | None = None
    for line in lines:
        if not line.strip():
            continue
        item = _ITEM.match(line)
        in_array = bool(entries) and _ARRAY_HEAD.match(entries[-1][1][0]) is not None
        if in_array and item and entry_indent is not None and _indent(line) > entry_indent:
            entries[-1][2].append(item.group("value"))
            continue
        match = _ENTRY.match(line.strip())
        if match and (entry_indent is None or _indent(line) == entry_indent):
            entry_indent = _indent(line)
            entries.append((match.group("key"), [match.group("rest")], []))
        elif entries:
            entries[-1][1].append(line)  # a multi-line string value continues
    return {key: _parse_extra(key, "\n".join(parts), items) for key, parts, items in entries}


def parse_notification_dump(text: str) -> list[NotificationRecord]:
    """Every ``NotificationRecord(...)`` in ``dumpsys notification [--noredact]`` output, with its
    extras. Works on the Android 9 format (Fire OS 7) and newer ones (``notification=`` sub-block,
    symbolic flags); lines it does not know are kept in ``body``."""
    lines = text.splitlines()
    records: list[NotificationRecord] = []
    i = 0
    while i < len(lines):
        match = _HEADER.search(lines[i])
        if not match:
            i += 1
            continue
        header_indent = _indent(lines[i])
        body: list[str] = []
        extras_indent: int | None = None  # inside extras={...}, where a multi-line value may start anywhere
        i += 1
        while i < len(lines) and not _HEADER.search(lines[i]):
            line = lines[i]
            if extras_indent is None:
                if line.strip() and _indent(line) <= header_indent:
                    break
                if line.strip() == "extras={":
                    extras_indent = _indent(line)
            elif line.strip() == "}" and _indent(line) == extras_indent:
                extras_indent = None
            body.append(line)
            i += 1
        while body and not body[-1].strip():
            body.pop()
        records.append(_record(match, body))
    return records


def _record(match: re.Match[str], body: list[str]) -> NotificationRecord:
    summary = match.group("notification")
    key = match.group("key")
    uid_text = key.rsplit("|", 1)[-1] if "|" in key else ""
    extras: dict[str, NotificationExtra] = {}
    for n, line in enumerate(body):
        if line.strip() == "extras={":
            indent = _indent(line)
            end = next((j for j in range(n + 1, len(body))
                        if body[j].strip() == "}" and _indent(body[j]) == indent), len(body))
            extras = _parse_extras(body[n + 1:end])
            break

    def first(name: str) -> str | None:
        found = re.search(rf"(?:^|\s){name}=(\S+)", summary)
        return found.group(1) if found else None

    tag = match.group("tag")
    return NotificationRecord(
        package=match.group("pkg"), user=match.group("user"), id=int(match.group("id")),
        tag=None if tag == "null" else tag, importance=int(match.group("importance")), key=key,
        uid=int(uid_text) if uid_text.lstrip("-").isdigit() else None, channel=first("channel"),
        category=first("category"), flags=first("flags"), extras=extras, header=match.group(0).strip(),
        body=tuple(body))


def parse_pm_path(output: str) -> list[str]:
    """APK paths from ``pm path PKG`` (``package:/data/app/.../base.apk`` lines)."""
    return [line[len("package:"):].strip() for line in output.splitlines() if line.startswith("package:")]
