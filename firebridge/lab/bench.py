"""Lab benches: the devices one pytest run drives, from a YAML bench file (``fixtures/benches/``).

A bench lists Fire TVs, each behind an adb server (the server may run on another bench host:
``adb -a nodaemon server`` there), with tags saying what the lab believes the device is and the app
profile to test on it. One bench may mix Fire OS and Vega OS devices (tag ``platform``)::

    bench: living-room-lab
    defaults:                        # optional; every device gets these unless it sets its own
      adb_server: 127.0.0.1:5037
      app: reference
    health:                          # optional
      min_free_mb: 200               # a device with less free space for apps takes no work
      reconnect_timeout: 30          # how long a dropped network device may take to come back
    devices:
      - name: cube-1
        serial: G070VM1234567890     # a USB device, as `adb devices` lists it
        adb_server: bench-host-1:5037
        tags: {model: AFTGAZL, os: "7"}
      - name: stick-4k
        address: 192.168.1.41:5555   # a network device (adb connect HOST:PORT)
        adb_server: bench-host-2:5037
        tags: {model: AFTKA, os: "7"}
      - name: vega-stick
        address: 192.168.1.42:5555
        adb_server: bench-host-2:5037
        tags: {platform: vega}

Loading goes through YAML nodes, so every mistake is a ConfigError naming the file and line (unknown
keys get a did-you-mean). Pure: :func:`load_bench`, :func:`bench_from_text`, :func:`render_bench`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from firebridge.errors import ConfigError
from firebridge.resources import fixtures_dir
from firebridge.yamlnodes import Field, Reader, compose_file, compose_text, line_of

FIXTURES_DIR = fixtures_dir("benches")  # the checkout's fixtures/benches, or the wheel's copy
DEFAULT_MIN_FREE_MB = 200
DEFAULT_RECONNECT_TIMEOUT = 30.0

_TOP_KEYS = ("bench", "defaults", "health", "devices")
_DEVICE_KEYS = ("name", "serial", "address", "adb_server", "tags", "app")
_DEFAULT_KEYS = ("adb_server", "tags", "app")
_HEALTH_KEYS = ("min_free_mb", "reconnect_timeout")
_TAG_KEYS = ("platform", "model", "os")
PLATFORMS = ("fireos", "vega")  # the values of the platform tag (firebridge.driver.protocol.Platform)
_HINTS = {
    "host": "a network device is given as 'address: HOST:PORT'",
    "ip": "a network device is given as 'address: HOST:PORT'",
    "port": "write the port into 'address: HOST:PORT' or 'adb_server: HOST:PORT'",
    "server": "did you mean 'adb_server'?",
    "model": "the model is a tag: 'tags: {model: AFTKA}'",
    "os": "the OS version is a tag: 'tags: {os: \"7\"}'",
    "platform": "the platform is a tag: 'tags: {platform: vega}'",
    "profile": "did you mean 'app'? (an app profile name in fixtures/apps/ or a YAML path)",
}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_HOSTNAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$")


@dataclass(frozen=True)
class BenchDevice:
    """One Fire TV of a bench."""

    name: str
    serial: str  # the adb serial: a USB serial, or HOST:PORT for a network device
    adb_server: str  # HOST:PORT of the adb server the device sits behind
    network: bool = False  # True when given as ``address`` (firebridge runs ``adb connect`` for it)
    tags: dict[str, str] = field(default_factory=dict)
    app: str | None = None
    line: int | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        """What identifies the physical device across runs (leases are taken on it)."""
        return f"{self.adb_server}/{self.serial}"

    def describe(self) -> str:
        how = "network" if self.network else "usb"
        return f"{self.name} ({self.serial} {how}, adb server {self.adb_server})"

    def to_dict(self) -> dict[str, Any]:
        """Plain data (for xdist worker input and reports)."""
        return {"name": self.name, "serial": self.serial, "adb_server": self.adb_server, "network": self.network,
                "tags": dict(self.tags), "app": self.app}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "BenchDevice":
        return cls(data["name"], data["serial"], data["adb_server"], bool(data.get("network")),
                   dict(data.get("tags") or {}), data.get("app"))


@dataclass(frozen=True)
class Bench:
    """A validated bench file."""

    name: str
    devices: tuple[BenchDevice, ...]
    min_free_mb: int = DEFAULT_MIN_FREE_MB
    reconnect_timeout: float = DEFAULT_RECONNECT_TIMEOUT
    path: str | None = None

    def device(self, name: str) -> BenchDevice:
        for device in self.devices:
            if device.name == name:
                return device
        raise KeyError(f"no device {name!r} on bench {self.name} ({', '.join(d.name for d in self.devices)})")

    def only(self, names: list[str]) -> "Bench":
        """The same bench restricted to the named devices (unknown names are a ConfigError)."""
        known = {d.name for d in self.devices}
        unknown = [n for n in names if n not in known]
        if unknown:
            raise ConfigError(f"no device {unknown[0]!r} on bench {self.name!r} (it has {', '.join(sorted(known))})",
                              self.path)
        return Bench(self.name, tuple(d for d in self.devices if d.name in names), self.min_free_mb,
                     self.reconnect_timeout, self.path)


# -- pure helpers -----------------------------------------------------------------------------------
def host_port_problem(text: str) -> str | None:
    """Why ``text`` is not ``HOST:PORT`` (None when it is). IPv6 hosts go in brackets: ``[::1]:5037``."""
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port:
        return "it has no ':PORT'"
    if not port.isdigit():
        return f"the port {port!r} is not a number"
    if not 1 <= int(port) <= 65535:
        return f"the port {port} is outside 1-65535"
    if host.startswith("[") and host.endswith("]"):
        return None if ":" in host else f"{host} is not an IPv6 address"
    if ":" in host:
        return "an IPv6 host must be written in brackets, e.g. [::1]:5037"
    if not _HOSTNAME.match(host):
        return f"{host!r} is not a host name or IPv4 address"
    return None


# -- loading ----------------------------------------------------------------------------------------
def load_bench(path: str | Path) -> Bench:
    """Load and validate a bench file: a path, or a name in fixtures/benches/."""
    candidate = Path(path)
    named = FIXTURES_DIR / f"{path}.yaml"
    if not candidate.exists() and candidate.suffix not in (".yaml", ".yml") and named.exists():
        candidate = named
    return _bench(compose_file(candidate), str(candidate), default_name=candidate.stem)


def bench_from_text(text: str, path: str = "<string>") -> Bench:
    return _bench(compose_text(text, path), path, default_name="bench")


def _bench(root: yaml.Node | None, path: str, default_name: str) -> Bench:
    r = Reader(path)
    if root is None:
        raise ConfigError("the bench file is empty; it needs 'devices:' (a list of devices)", path)
    top = r.mapping(root, "the bench file")
    r.check_keys(top, _TOP_KEYS, "the bench file", hints={"device": "did you mean 'devices'?", "name": "the bench's "
                                                          "name is 'bench: NAME'"})
    name = _name(r, top["bench"], "bench") if "bench" in top else default_name
    defaults = _defaults(r, top["defaults"], path) if "defaults" in top else {}
    min_free, reconnect = DEFAULT_MIN_FREE_MB, DEFAULT_RECONNECT_TIMEOUT
    if "health" in top:
        health = r.mapping(top["health"].node, "health")
        r.check_keys(health, _HEALTH_KEYS, "health")
        if "min_free_mb" in health:
            min_free = r.typed(health["min_free_mb"], int, "health.min_free_mb")
            if min_free < 0:
                raise r.error("health.min_free_mb must be 0 or more", health["min_free_mb"].node)
        if "reconnect_timeout" in health:
            reconnect = float(r.typed(health["reconnect_timeout"], float, "health.reconnect_timeout"))
            if reconnect <= 0:
                raise r.error("health.reconnect_timeout must be more than 0 seconds", health["reconnect_timeout"].node)
    devices_field = r.require(top, "devices", "the bench file", root)
    nodes = r.sequence(devices_field.node, "devices")
    if not nodes:
        raise r.error("devices is empty; list at least one device", devices_field.node)
    devices: list[BenchDevice] = []
    first_line: dict[str, int | None] = {}
    first_key: dict[str, BenchDevice] = {}
    for index, node in enumerate(nodes, 1):
        device = _device(r, node, index, defaults, path)
        if device.name in first_line:
            raise r.error(f"device name {device.name!r} is used twice (first at line {first_line[device.name]}); "
                          f"names must be unique: reports and history are kept by name", _name_node(node))
        if device.key in first_key:
            other = first_key[device.key]
            raise r.error(f"{device.name!r} is the same device as {other.name!r} (line {other.line}): both are "
                          f"{device.serial} on the adb server {device.adb_server}", node)
        first_line[device.name] = device.line
        first_key[device.key] = device
        devices.append(device)
    return Bench(name, tuple(devices), min_free, reconnect, path)


def _name_node(node: yaml.Node) -> yaml.Node:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if getattr(key, "value", None) == "name":
                return value
    return node


def _name(r: Reader, f: Field, what: str) -> str:
    value = r.typed(f, str, what)
    if not _NAME.match(value):
        raise r.error(f"{what} {value!r} may use letters, digits, '.', '_' and '-' only (it names files and "
                      f"report entries)", f.node)
    return value


def _host_port(r: Reader, f: Field, what: str, example: str) -> str:
    value = r.typed(f, str, what)
    problem = host_port_problem(value)
    if problem:
        raise r.error(f"{what} must be HOST:PORT (e.g. {example}), not {value!r}: {problem}", f.node)
    return value


def _tags(r: Reader, f: Field, what: str) -> dict[str, str]:
    fields = r.mapping(f.node, what)
    r.check_keys(fields, _TAG_KEYS, what)
    tags: dict[str, str] = {}
    for key, tag in fields.items():
        value = r.typed(tag, (str, int, float), f"{what}.{key}")
        tags[key] = str(value)
    if "platform" in tags and tags["platform"] not in PLATFORMS:
        raise r.error(f"{what}.platform must be {' or '.join(PLATFORMS)}, not {tags['platform']!r}",
                      fields["platform"].node)
    return tags


def _app(r: Reader, f: Field, what: str, path: str) -> str:
    from firebridge.capabilities.apps import load_profile, profile_path

    value = r.typed(f, str, what)
    candidate = Path(value)
    if candidate.suffix in (".yaml", ".yml") and not candidate.is_absolute():
        beside = Path(path).parent / candidate  # a profile path is relative to the bench file
        value = str(beside) if beside.exists() else value
    try:
        load_profile(value)
    except ConfigError as exc:
        if not profile_path(value).exists():
            raise r.error(f"{what}: {exc}", f.node) from None
        raise r.error(f"{what} {value!r} is not a valid app profile: {exc}", f.node) from None
    return value


def _defaults(r: Reader, f: Field, path: str) -> dict[str, Any]:
    fields = r.mapping(f.node, "defaults")
    r.check_keys(fields, _DEFAULT_KEYS, "defaults", hints=_HINTS)
    out: dict[str, Any] = {}
    if "adb_server" in fields:
        out["adb_server"] = _host_port(r, fields["adb_server"], "defaults.adb_server", "192.168.1.10:5037")
    if "tags" in fields:
        out["tags"] = _tags(r, fields["tags"], "defaults.tags")
    if "app" in fields:
        out["app"] = _app(r, fields["app"], "defaults.app", path)
    return out


def _device(r: Reader, node: yaml.Node, index: int, defaults: dict[str, Any], path: str) -> BenchDevice:
    fields = r.mapping(node, f"device {index}")
    r.check_keys(fields, _DEVICE_KEYS, f"device {index}", hints=_HINTS)
    name = _name(r, r.require(fields, "name", f"device {index}", node), "name")
    what = f"device {name!r}"
    if "serial" in fields and "address" in fields:
        raise r.error(f"{what} has both 'serial' and 'address'; a USB device has a serial, a network device an "
                      f"address (HOST:PORT); keep one", fields["address"].key_node)
    if "serial" in fields:
        serial = r.typed(fields["serial"], str, f"{what}: serial")
        if ":" in serial:
            raise r.error(f"{what}: serial {serial!r} looks like HOST:PORT; write a network device as "
                          f"'address: {serial}'", fields["serial"].node)
        if not serial.strip() or any(c.isspace() for c in serial):
            raise r.error(f"{what}: serial must be one word as `adb devices` prints it", fields["serial"].node)
        network = False
    elif "address" in fields:
        serial = _host_port(r, fields["address"], f"{what}: address", "192.168.1.41:5555")
        network = True
    else:
        raise r.error(f"{what} needs 'serial' (a USB device, as `adb devices` lists it) or 'address' "
                      f"(HOST:PORT of a network device)", node)
    if "adb_server" in fields:
        server = _host_port(r, fields["adb_server"], f"{what}: adb_server", "192.168.1.10:5037")
    elif "adb_server" in defaults:
        server = defaults["adb_server"]
    else:
        raise r.error(f"{what} needs 'adb_server' (HOST:PORT of the adb server it is attached to; "
                      f"127.0.0.1:5037 for this host), here or under 'defaults:'", node)
    tags = dict(defaults.get("tags", {}))
    if "tags" in fields:
        tags.update(_tags(r, fields["tags"], f"{what}: tags"))
    app = _app(r, fields["app"], f"{what}: app", path) if "app" in fields else defaults.get("app")
    return BenchDevice(name, serial, server, network, tags, app, line_of(node))


# -- writing ----------------------------------------------------------------------------------------
def render_bench(bench: Bench, comment: str = "") -> str:
    """A bench file for ``bench`` (what :func:`load_bench` reads back to an equal Bench)."""
    lines = [f"# {line}" for line in comment.splitlines()]
    lines += [f"bench: {bench.name}", "health:", f"  min_free_mb: {bench.min_free_mb}",
              f"  reconnect_timeout: {bench.reconnect_timeout:g}", "devices:"]
    for device in bench.devices:
        lines.append(f"  - name: {device.name}")
        lines.append(f"    {'address' if device.network else 'serial'}: {device.serial}")
        lines.append(f"    adb_server: {device.adb_server}")
        if device.tags:
            tags = ", ".join(f"{k}: {_quote(v)}" for k, v in device.tags.items())
            lines.append(f"    tags: {{{tags}}}")
        if device.app:
            lines.append(f"    app: {_quote(device.app)}")
    return "\n".join(lines) + "\n"


def _quote(value: str) -> str:
    return yaml.safe_dump(value, default_style='"').strip()
