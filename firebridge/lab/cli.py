"""The lab commands of the ``firebridge`` command line: ``nightly``, ``bench up``, ``bench check``.

    firebridge bench up --devices 4 --servers 2 [--speed 20] [--os fireos,vega] [--model AFTMM,AFTKA]
                        [--fault tv-3=NAME]
    firebridge bench check --bench lab.yaml
    firebridge nightly --bench lab.yaml ...            (firebridge/lab/nightly.py)
"""

from __future__ import annotations

import argparse
import signal
from pathlib import Path
from typing import Any

from firebridge.lab import nightly
from firebridge.text import plural


def add_lab_commands(sub: Any) -> None:
    """Register ``nightly`` and ``bench`` on the main parser's subcommands."""
    nightly.add_parser(sub)
    bench = sub.add_parser("bench", help="lab benches: stand up a virtual lab, check a bench's devices")
    bench_sub = bench.add_subparsers(dest="bench_command", required=True)
    up = bench_sub.add_parser("up", help="start N virtual Fire TVs behind M adb servers and write their bench file; "
                                         "runs until Ctrl-C")
    up.add_argument("--devices", type=int, default=4, help="virtual Fire TVs (default 4)")
    up.add_argument("--servers", type=int, default=2, help="adb servers, each on its own port (default 2)")
    up.add_argument("--speed", type=float, default=20.0, help="device clock speed (default 20)")
    up.add_argument("--os", default="fireos", metavar="OS[,OS...]",
                    help="fireos, vega (a Vega OS stick) or vvd (the Vega Virtual Device), for every device or one "
                         "per device separated by commas: a mixed bench (default fireos)")
    up.add_argument("--model", default="AFTMM", help="model code, or one per device separated by commas (Fire OS)")
    up.add_argument("--fault", action="append", default=[], metavar="DEVICE=FAULT",
                    help="boot a device with a reference-app fault switch on, on either OS "
                         "(firebridge virtual --list-faults [--os vega])")
    up.add_argument("--prop", action="append", default=[], metavar="DEVICE:KEY=VALUE",
                    help="boot a device with a system property set")
    up.add_argument("--workdir", type=Path, default=Path("virtual-lab"), help="where bench.yaml and lab.json go")
    up.add_argument("--name", default="virtual-lab", help="the bench's name (the nightly history keys on it)")
    up.add_argument("--reconnect-timeout", type=float, default=10.0, help="seconds a dropped device may take")
    up.set_defaults(handler=_bench_up)
    check = bench_sub.add_parser("check", help="health-check every device of a bench file (no tests)")
    check.add_argument("--bench", required=True, metavar="FILE")
    check.set_defaults(handler=_bench_check)


def _lab_faults(args: argparse.Namespace) -> dict[str, list[str]]:
    """``--fault DEVICE=FAULT``: the fault switches per device (``firebridge virtual --fault``, either OS)."""
    faults: dict[str, list[str]] = {}
    for item in args.fault:
        device, sep, fault = item.partition("=")
        if not sep or not fault:
            raise SystemExit(f"firebridge bench up: --fault needs DEVICE=FAULT, got {item!r}")
        faults.setdefault(device, []).append(fault)
    return faults


def _lab_props(args: argparse.Namespace) -> dict[str, list[str]]:
    props: dict[str, list[str]] = {}
    for item in args.prop:
        device, sep, prop = item.partition(":")
        if not sep or "=" not in prop:
            raise SystemExit(f"firebridge bench up: --prop needs DEVICE:KEY=VALUE, got {item!r}")
        props.setdefault(device, []).append(prop)
    return props


def _bench_up(args: argparse.Namespace) -> int:
    from firebridge.lab.benchup import stand_up

    models = args.model.split(",")
    model: str | list[str] = models[0] if len(models) == 1 else models
    oses = args.os.split(",")
    os: str | list[str] = oses[0] if len(oses) == 1 else oses
    try:
        lab = stand_up(args.devices, args.servers, args.workdir, speed=args.speed, model=model, os=os,
                       props=_lab_props(args), faults=_lab_faults(args), bench_name=args.name,
                       reconnect_timeout=args.reconnect_timeout)
    except ValueError as exc:  # a count or OS that does not fit: say which, no traceback
        raise SystemExit(f"firebridge bench up: {exc}") from None
    try:
        info = lab.describe()
        print(f"Virtual lab up: {plural(len(lab.devices), 'Fire TV')} behind {plural(len(lab.servers), 'adb server')}, "
              f"clock x{args.speed:g}")
        for server in info["servers"]:
            print(f"  adb server {server['address']} (pid {server['pid']})")
        for device in info["devices"]:
            print(f"  {device['name']:<8} {device['os']:<6} {device['address']:<18} via {device['adb_server']} "
                  f"(pid {device['pid']})")
        print(f"Bench file: {lab.bench_path}   (processes: {args.workdir / 'lab.json'})")
        print(f"Try: pytest device_tests --bench {lab.bench_path}   or   firebridge nightly --bench {lab.bench_path}")
        print("Ctrl-C stops the lab.", flush=True)
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})  # so sigwait receives them
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
    finally:
        lab.stop()
        print("Virtual lab stopped.", flush=True)
    return 0


def _bench_check(args: argparse.Namespace) -> int:
    from firebridge.lab.bench import load_bench
    from firebridge.lab.health import check_devices

    bench = load_bench(args.bench)
    results = [health for _, health in check_devices(bench.devices, bench.min_free_mb, bench.reconnect_timeout)]
    for health in results:
        print(health.summary())
        for item in health.checks:
            print(f"    {item.render()}")
    healthy = sum(1 for h in results if h.ok)
    print(f"{healthy} of {plural(len(results), 'device')} of bench {bench.name} can take work")
    return 0 if healthy == len(results) else 1

