"""Stand up a virtual lab: N virtual Fire TVs behind M adb servers, and the bench file that lists them.
The devices may run Fire OS, Vega OS or be the Vega Virtual Device, mixed (``os=["fireos", "vega"]``).

For trying ``pytest --bench`` / ``firebridge nightly`` without hardware, for firebridge's own tests and
for ``bench/parallel_scaling.py``::

    with stand_up(devices=4, servers=2, workdir=Path("lab"), speed=20) as lab:
        subprocess.run(["pytest", "device_tests", "--bench", str(lab.bench_path)])

``firebridge bench up`` does the same from the command line and keeps the lab up until Ctrl-C.

Each adb server is a private one (bundled adb, its own port, HOME and process; its key is the user's
adb key when there is one, see firebridge.adb.server.AdbServer); each device is its own ``firebridge
virtual`` process that already trusts its server's key (as after "Always allow") and is connected to
it, so the bench file lists it as a network device (``address: 127.0.0.1:PORT``). Devices are spread
round-robin over the servers. Everything is stopped by pid.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from firebridge.adb.connect import connect_and_probe
from firebridge.adb.server import AdbServer, bundled_adb
from firebridge.adb.wire import AdbServerClient
from firebridge.device.firetv import FireTV
from firebridge.lab.bench import Bench, BenchDevice, render_bench
from firebridge.adb.virtual_process import VirtualFireTVProcess
from firebridge.text import plural


@dataclass
class VirtualDeviceSession:
    """A running virtual Fire TV connected to an adb server firebridge started."""

    process: VirtualFireTVProcess
    adb_server: AdbServer

    @property
    def serial(self) -> str:
        """The adb serial (``127.0.0.1:PORT``)."""
        return self.process.address

    def adb(self, *args: str, timeout: float = 30.0, input: bytes | None = None):
        """Run ``adb -s SERIAL ARGS`` against the server (a CompletedProcess)."""
        return self.adb_server.run("-s", self.serial, *args, timeout=timeout, input=input)

    def adbutils_device(self):
        """The device as stock adbutils sees it."""
        return self.adb_server.client().device(self.serial)

    def firetv(self) -> FireTV:
        """firebridge's view of this device."""
        return FireTV(self.serial, adb_server=self.adb_server.address)


def start_trusted_virtual_device(server: AdbServer, workdir: Path, **options) -> VirtualDeviceSession:
    """A virtual Fire TV (its own process) that already trusts ``server``'s key, as after "Always allow",
    connected and answering. ``options`` go to VirtualFireTVProcess (model, speed, extra_args...)."""
    assert server.home is not None, "the adb server needs its own home to know its key"
    workdir.mkdir(parents=True, exist_ok=True)
    keys = workdir / "adb_keys"
    keys.write_text((server.home / ".android" / "adbkey.pub").read_text())
    process = VirtualFireTVProcess(auth=options.pop("auth", "required"), adb_keys=keys, **options).start()
    try:
        connect_and_probe(AdbServerClient(server.host, server.port), process.address)
    except BaseException:
        process.stop()
        raise
    return VirtualDeviceSession(process, server)


@dataclass
class LabDevice:
    name: str
    process: VirtualFireTVProcess
    server: AdbServer
    os: str = "fireos"  # fireos | vega | vvd

    @property
    def address(self) -> str:
        return self.process.address


@dataclass
class VirtualLab:
    """Running adb servers and virtual devices, and the bench file describing them."""

    workdir: Path
    servers: list[AdbServer] = field(default_factory=list)
    devices: list[LabDevice] = field(default_factory=list)
    bench: Bench | None = None
    bench_path: Path | None = None

    def device(self, name: str) -> LabDevice:
        return next(d for d in self.devices if d.name == name)

    def stop_device(self, name: str) -> None:
        """Stop one device (as if it lost power): its adb server sees it drop."""
        self.device(name).process.stop()

    def stop(self) -> None:
        for device in self.devices:
            try:
                device.process.stop()
            except Exception:
                pass
        for server in self.servers:
            try:
                server.stop()
            except Exception:
                pass

    def describe(self) -> dict:
        """What is running, for people and scripts (also written to ``lab.json``)."""
        return {"bench_file": str(self.bench_path),
                "servers": [{"address": s.address, "pid": s.pid} for s in self.servers],
                "devices": [{"name": d.name, "os": d.os, "address": d.address, "adb_server": d.server.address,
                             "pid": d.process.pid} for d in self.devices]}

    def __enter__(self) -> "VirtualLab":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


OSES = ("fireos", "vega", "vvd")  # a virtual device's OS: Fire OS, a Vega OS stick, the Vega Virtual Device


def per_device(value: str | list[str], devices: int, what: str) -> list[str]:
    """One value for every device, or one per device (a list of exactly ``devices`` values)."""
    values = [value] * devices if isinstance(value, str) else list(value)
    if len(values) != devices:
        raise ValueError(f"{len(values)} {what} given for {devices} devices")
    return values


def lab_tags(os: str, model: str) -> dict[str, str]:
    """A lab device's bench tags: its platform, and its model on Fire OS (where ``--model`` chooses it)."""
    return {"platform": "fireos", "model": model} if os == "fireos" else {"platform": "vega"}


def describe_oses(oses: list[str]) -> str:
    """``2 Fire OS, 1 Vega OS`` (the bench file's comment)."""
    names = {"fireos": "Fire OS", "vega": "Vega OS", "vvd": "Vega Virtual Device"}
    return ", ".join(f"{oses.count(os)} {names[os]}" for os in OSES if os in oses)


def stand_up(devices: int, servers: int, workdir: Path, speed: float = 20.0, model: str | list[str] = "AFTMM",
             props: dict[str, list[str]] | None = None, bench_name: str = "virtual-lab", prefix: str = "tv",
             app: str = "reference", reconnect_timeout: float = 10.0, min_free_mb: int = 200,
             os: str | list[str] = "fireos", faults: dict[str, list[str]] | None = None) -> VirtualLab:
    """Start ``servers`` adb servers and ``devices`` virtual Fire TVs, and write ``workdir/bench.yaml``.

    ``os``: ``fireos``, ``vega`` (a Vega OS stick) or ``vvd`` (the Vega Virtual Device), for all or one
    per device: a mixed bench. ``model``: one model code for all, or one per device (Fire OS devices;
    a Vega device is the one model its personality has). ``props``: extra system properties per device
    name (``{"tv-3": ["debug.firebridge.fault=wrong-cdf-id"]}``), set at boot as ``--prop`` does (Fire OS);
    ``faults``: reference-app fault switches per device name, on either OS (``firebridge virtual --fault``).
    Each device's bench entry is tagged with its platform (and model on Fire OS), so the health check
    fails a device that is not what the lab started. Device names are ``{prefix}-1`` .. ``{prefix}-N``.
    Stops what it started if anything fails."""
    if devices < 1 or servers < 1:
        raise ValueError("a lab needs at least one device and one adb server")
    models = per_device(model, devices, "models")
    oses = per_device(os, devices, "OSes")
    unknown = sorted(set(oses) - set(OSES))
    if unknown:
        raise ValueError(f"unknown OS {unknown[0]!r} for a virtual device; choose from {', '.join(OSES)}")
    workdir.mkdir(parents=True, exist_ok=True)
    lab = VirtualLab(workdir)
    try:
        for index in range(servers):
            lab.servers.append(AdbServer(adb=bundled_adb(), home=workdir / f"adb-server-{index + 1}").start())
        names = [f"{prefix}-{i + 1}" for i in range(devices)]

        def start(index: int) -> LabDevice:
            name, server = names[index], lab.servers[index % servers]
            extra = tuple(arg for item in (props or {}).get(name, []) for arg in ("--prop", item))
            if (faults or {}).get(name):
                extra += ("--fault", ",".join(faults[name]))  # type: ignore[index]
            vega = oses[index] in ("vega", "vvd")
            session = start_trusted_virtual_device(server, workdir / name, model=models[index], speed=speed,
                                                   extra_args=extra, os="vega" if vega else "fireos",
                                                   vvd=oses[index] == "vvd")
            return LabDevice(name, session.process, server, oses[index])

        with ThreadPoolExecutor(max_workers=min(devices, 8)) as pool:
            futures = [pool.submit(start, i) for i in range(devices)]
        failures = [f.exception() for f in futures if f.exception() is not None]
        lab.devices.extend(f.result() for f in futures if f.exception() is None)  # so stop() stops them
        if failures:
            raise failures[0]
        bench_devices = tuple(BenchDevice(d.name, d.address, d.server.address, True, lab_tags(oses[i], models[i]), app)
                              for i, d in enumerate(lab.devices))
        lab.bench = Bench(bench_name, bench_devices, min_free_mb, reconnect_timeout, str(workdir / "bench.yaml"))
        lab.bench_path = workdir / "bench.yaml"
        lab.bench_path.write_text(render_bench(lab.bench, comment=(
            f"A virtual lab: {plural(devices, 'virtual Fire TV', 'virtual Fire TVs')} ({describe_oses(oses)}) behind "
            f"{plural(servers, 'adb server')} (firebridge bench up).\n"
            f"Valid while that lab runs; see lab.json for the processes.")))
        (workdir / "lab.json").write_text(json.dumps(lab.describe(), indent=2) + "\n")
        return lab
    except BaseException:
        lab.stop()
        raise
