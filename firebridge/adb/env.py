"""Which adb server and which device, by adb's own conventions (pure).

adb's client picks its server in this order (AOSP packages/modules/adb, client/commandline.cpp):
``-L SOCKET`` / ``-H HOST`` / ``-P PORT`` on the command line; else ``$ADB_SERVER_SOCKET``
(``tcp:HOST:PORT`` or ``tcp:PORT``); else ``$ANDROID_ADB_SERVER_ADDRESS`` and ``$ANDROID_ADB_SERVER_PORT``;
else localhost:5037. The device: ``-s SERIAL``, else ``$ANDROID_SERIAL``. firebridge follows the same
order, with ``--adb-server HOST:PORT`` in the place of -H/-P and ``--device`` / ``-s`` in the place of -s.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping

from firebridge.errors import ConfigError

DEFAULT_ADB_PORT = 5037
DEFAULT_HOST = "127.0.0.1"
# Variables that choose the server; a child adb that must use one given server gets none of them.
SERVER_VARIABLES = ("ADB_SERVER_SOCKET", "ANDROID_ADB_SERVER_ADDRESS", "ANDROID_ADB_SERVER_PORT")


@dataclass(frozen=True)
class ServerChoice:
    """An adb server address and where it came from (for messages: "--adb-server", "$ADB_SERVER_SOCKET"...)."""

    address: str  # HOST:PORT
    source: str
    # Named by the user (flag, socket or host variable): when it does not answer that is an error, never
    # replaced by a server firebridge starts itself. A port alone still means "this host's server".
    explicit: bool


def _port(text: str, where: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 0 < port < 65536:
        raise ConfigError(f"{where} must be a port number from 1 to 65535, got {text!r}")
    return port


def parse_socket_spec(spec: str, where: str = "$ADB_SERVER_SOCKET") -> str:
    """``tcp:HOST:PORT`` or ``tcp:PORT`` (adb's socket spec) as ``HOST:PORT``; other kinds are refused
    (firebridge talks to adb servers over TCP only)."""
    kind, _, rest = spec.partition(":")
    if kind != "tcp" or not rest:
        raise ConfigError(f"{where}={spec!r}: firebridge reaches adb servers over TCP only; use tcp:HOST:PORT "
                          f"(e.g. tcp:192.168.1.5:5037) or tcp:PORT")
    host, _, port = rest.rpartition(":")
    return f"{host or DEFAULT_HOST}:{_port(port, where)}"


def choose_server(explicit: str | None = None, env: Mapping[str, str] | None = None) -> ServerChoice:
    """The adb server to use: ``explicit`` (``--adb-server HOST:PORT``), else the variables, as adb does."""
    env = os.environ if env is None else env
    if explicit:
        host, _, port = explicit.rpartition(":")
        return ServerChoice(f"{host or DEFAULT_HOST}:{_port(port, '--adb-server')}", "--adb-server", True)
    socket_spec = env.get("ADB_SERVER_SOCKET")
    if socket_spec:
        return ServerChoice(parse_socket_spec(socket_spec), "$ADB_SERVER_SOCKET", True)
    host = env.get("ANDROID_ADB_SERVER_ADDRESS") or ""
    port_text = env.get("ANDROID_ADB_SERVER_PORT") or ""
    port = _port(port_text, "$ANDROID_ADB_SERVER_PORT") if port_text else DEFAULT_ADB_PORT
    if host:
        return ServerChoice(f"{host}:{port}", "$ANDROID_ADB_SERVER_ADDRESS", True)
    return ServerChoice(f"{DEFAULT_HOST}:{port}", "$ANDROID_ADB_SERVER_PORT" if port_text else "default", False)


# Default-target variables, most specific first: VEGA_SERIAL (Vega SDK 0.24 and 2.0 docs), VDA_SERIAL
# (SDK 0.21-0.23 docs), ANDROID_SERIAL (adb's own, which vda honours too).
SERIAL_ENV_VARS = ("VEGA_SERIAL", "VDA_SERIAL", "ANDROID_SERIAL")


def serial_from_env(env: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """(serial, variable name) of the first non-empty :data:`SERIAL_ENV_VARS`; None when none is set."""
    env = os.environ if env is None else env
    for name in SERIAL_ENV_VARS:
        value = (env.get(name) or "").strip()
        if value:
            return value, name
    return None


def choose_serial(explicit: str | None = None, env: Mapping[str, str] | None = None) -> str | None:
    """The device: ``explicit`` (``--device`` / ``-s``), else ``$VEGA_SERIAL``, ``$VDA_SERIAL``,
    ``$ANDROID_SERIAL`` (the first set), else None."""
    if explicit:
        return explicit
    found = serial_from_env(env)
    return found[0] if found else None


def client_env(address: str, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """An environment for a child adb (or emulator) that must use the server at ``address`` only."""
    child = {k: v for k, v in (os.environ if env is None else env).items() if k not in SERVER_VARIABLES}
    host, _, port = address.rpartition(":")
    child["ANDROID_ADB_SERVER_PORT"] = port
    if host and host not in ("127.0.0.1", "localhost"):
        child["ANDROID_ADB_SERVER_ADDRESS"] = host
    return child
