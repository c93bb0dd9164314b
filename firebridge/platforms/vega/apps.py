"""Apps on Vega: ``vmsgr``/``vlcm``/``vpm`` command builders and parsers of their output (pure; no I/O).

* Launch and deep link: ``vmsgr send pkg://<component-id>[?k=v&...]`` (Amazon's app-management and
  messaging docs; ``vlcm launch-app`` is deprecated and prints ``Please migrate to 'vmsgr send'
  command.``). Failure prints ``CLI Send Error for URI: ...`` and exits 255 (real VVD output).
* ``vlcm list [--app-id <id>]``: a header, then one row per app instance: application, type (I/S), pid,
  id, state (IDLE/LAUNCHED/READY/VISIBLE/NOT_VISIBLE), lifespan, timeout container, launch args
  (prmiguel/vega-virtual-device-tests' ListAppByApp parser); the foreground app is the VISIBLE one.
* ``vpm list packages`` prints ``package ids:`` then one indented id per line; ``vpm info <id>`` prints
  ``key: value`` lines (Amazon docs examples, tests/samples/vega_cli_outputs.txt).

Package ids look like ``com.example.app``; their interactive component is usually ``<package>.main``.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from firebridge.platforms.vega.errors import AppCommandFailed

VLCM_STATES = ("IDLE", "LAUNCHED", "READY", "VISIBLE", "NOT_VISIBLE")
FOREGROUND_STATE = "VISIBLE"
TOOLKIT_FLAG = "/tmp/automation-toolkit.enable"
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+$")
_ALNUM = re.compile(r"^[A-Za-z0-9]+$")
# Words in vmsgr/vlcm/vpm output that mean the request failed, whatever the exit status says.
_FAILURE_LINE = re.compile(r"^\s*(?:error\b|fatal\b|usage:|/bin/sh: |[\w.]*(?:error|exception):)", re.I)
_FAILURE = re.compile(r"\berror\b|\bfail(?:ed|ure)?\b|not found|no such|not supported|invalid|denied|unrecognized|usage:", re.I)


def check_id(value: str, what: str = "package id") -> str:
    """``value`` if it is a dotted Vega id (com.example.app); a typed error otherwise (ids reach the
    device shell, and a wrong one fails silently on some tools)."""
    if not _ID.match(value or ""):
        raise AppCommandFailed(f"{value!r} is not a Vega {what}: expected a dotted id such as com.example.app")
    return value


def main_component(package: str) -> str:
    """The interactive component of ``package``.

    ASSUMPTION: it is ``<package>.main`` (Amazon's samples, the VVD launcher
    com.amazon.keplerlauncherapp.main, Interstice's com.cesarrivasp.interstice.main); an app whose
    interactive component is named otherwise must be launched with ``component=`` (settle by:
    ``vpm list components`` output on a device, not captured yet).
    """
    check_id(package)
    return package if package.endswith(".main") else f"{package}.main"


def package_of(component: str) -> str:
    """``com.example.app`` for ``com.example.app.main`` (the last dotted part dropped)."""
    return component.rsplit(".", 1)[0] if component.count(".") >= 2 else component


def launch_uri(component: str, query: dict[str, str] | None = None) -> str:
    """``pkg://<component>[?k=v&...]``; query keys and values must be alphanumeric (Amazon's messaging
    docs: "addressing schemes"), so anything else is refused here rather than mangled on the device."""
    check_id(component, "component id")
    if not query:
        return f"pkg://{component}"
    for key, value in query.items():
        if not (_ALNUM.match(key) and _ALNUM.match(value)):
            raise AppCommandFailed(
                f"deep link parameter {key}={value!r} is not alphanumeric: Vega's pkg:// scheme carries only "
                f"alphanumeric keys and values (pass richer data as a message attachment)")
    return f"pkg://{component}?" + "&".join(f"{k}={v}" for k, v in query.items())


def deep_link_uri(package: str, uri: str) -> str:
    """The ``pkg://`` URI that opens ``uri`` in ``package``: a ``pkg://`` URI must address one of the
    package's components; ``?k=v&...`` or ``k=v&...`` is sent to its main component. Other schemes do
    not exist for third-party apps on Vega (pkg:// is the only one they can define)."""
    check_id(package)
    text = uri.strip()
    if text.startswith("pkg://"):
        parts = urlsplit(text)
        component = parts.netloc
        if component != package and not component.startswith(package + "."):
            raise AppCommandFailed(f"{uri!r} addresses {component!r}, which is not a component of {package}")
        return launch_uri(component, dict(parse_qsl(parts.query, keep_blank_values=True)))
    if "://" in text:
        scheme = text.split("://", 1)[0]
        raise AppCommandFailed(f"{uri!r}: Vega apps receive deep links only as pkg://<component>?k=v "
                               f"(no {scheme}:// scheme); pass the parameters as 'k=v&k2=v2' or a pkg:// URI")
    query = dict(parse_qsl(text.lstrip("?"), keep_blank_values=True, strict_parsing=True)) if text.strip("?") else {}
    return launch_uri(main_component(package), query)


def send_command(uri: str, enable_toolkit: bool = False) -> str:
    """``vmsgr send`` for ``uri``; with ``enable_toolkit`` the automation toolkit's flag file is created
    first (the toolkit reads it when the app starts)."""
    send = f"vmsgr send {shlex.quote(uri)} 2>&1"
    return f"touch {TOOLKIT_FLAG} 2>/dev/null; {send}" if enable_toolkit else send


def terminate_command(package: str, force: bool = False) -> str:
    return f"vlcm terminate-app --pkg-id {shlex.quote(check_id(package))}{' --force' if force else ''} 2>&1"


def check_tool_output(command: str, output: str, exit_code: int, serial: str = "", hint: str = "",
                      listing: bool = False) -> str:
    """Raise :class:`AppCommandFailed` when a Vega tool's output (or a non-zero exit) says it failed.
    Vega tools can exit 0 on failure, so the words count even when the exit status is 0. For a
    ``listing`` (``vpm list``, ``vpm info``) only lines that start like an error count, so that an id
    such as ``com.example.error`` is not taken for one."""
    text = output.strip()
    failed = (any(_FAILURE_LINE.match(line) for line in text.splitlines()) if listing else _FAILURE.search(text))
    if exit_code not in (0, -1) or failed:
        raise AppCommandFailed(f"{serial}: `{command}` failed (exit {exit_code}): {text[-500:]!r}"
                               + (f". {hint}" if hint else ""))
    return text


@dataclass(frozen=True)
class AppInstance:
    """One row of ``vlcm list``."""

    application: str
    type: str
    pid: int
    instance_id: int
    state: str
    extra: tuple[str, ...] = ()

    @property
    def package(self) -> str:
        return package_of(self.application)


def parse_vlcm_list(text: str) -> list[AppInstance]:
    """Rows of ``vlcm list``; the header and anything that is not a row are skipped.

    ASSUMPTION: columns are whitespace-separated in the order application, type, pid, id, state, ...
    (the only public parser, prmiguel/vega-virtual-device-tests, reads them so; no raw capture of
    ``vlcm list`` is public; settle by capturing it on a VVD and a stick).
    """
    rows = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 5 or not fields[2].lstrip("-").isdigit() or not fields[3].lstrip("-").isdigit():
            continue
        state = fields[4].upper()
        if state not in VLCM_STATES:
            continue
        rows.append(AppInstance(fields[0], fields[1], int(fields[2]), int(fields[3]), state, tuple(fields[5:])))
    return rows


def foreground(instances: list[AppInstance], ignore: tuple[str, ...] = ()) -> AppInstance | None:
    """The VISIBLE instance (the last one listed when several are, skipping ``ignore`` components)."""
    visible = [i for i in instances if i.state == FOREGROUND_STATE and i.application not in ignore]
    return visible[-1] if visible else None


def parse_vpm_list(text: str) -> list[str]:
    """Ids under ``package ids:`` (or ``component ids:``) in ``vpm list`` output."""
    ids, listing = [], False
    for line in text.splitlines():
        stripped = line.strip()
        if re.match(r"^\w+ ids:\s*$", stripped):
            listing = True
            continue
        if listing and _ID.match(stripped):
            ids.append(stripped)
    return ids


def parse_vpm_info(text: str) -> dict[str, str]:
    """``key: value`` lines of ``vpm info`` (keys as printed, e.g. ``launch type``)."""
    info = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith(" " * 4):
            info[key.strip()] = value.strip()
    return info


def install_command(device_path: str, force: bool = False) -> str:
    return f"vpm install {shlex.quote(device_path)}{' --force' if force else ''} 2>&1"


def uninstall_command(package: str) -> str:
    return f"vpm uninstall {shlex.quote(check_id(package))} 2>&1"
