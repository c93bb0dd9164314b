"""Shell round-trip latency to the virtual Fire TV through a real adb server.

Starts a private adb server (the adbutils wheel's adb) and a virtual Fire TV in its own process, then
measures ``echo hi`` round trips with each client in the same run and prints medians side by side
with their ratio to the minimal client:

    python bench/shell_latency.py [--calls 200]

- minimal: a client written for this bench: one socket per call, ``host:transport:SERIAL`` then
  ``shell:echo hi``, read to EOF. The floor any adb-server client can reach.
- firebridge: ``FireTV.shell('echo hi')`` (shell v2: stdout, stderr and exit code).
- adbutils: stock ``AdbDevice.shell('echo hi')``.
- adb command line: ``adb -s SERIAL shell echo hi`` as a subprocess (the same adb binary).
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from firebridge.adb.server import AdbServer  # noqa: E402
from firebridge.device.firetv import FireTV  # noqa: E402
from firebridge.lab.benchup import start_trusted_virtual_device  # noqa: E402


def _request(sock: socket.socket, text: str) -> None:
    data = text.encode()
    sock.sendall(b"%04x" % len(data) + data)
    status = sock.recv(4)
    if status != b"OKAY":
        raise RuntimeError(f"adb server refused {text!r}: {status!r} {sock.recv(4096)!r}")


def minimal_shell(port: int, serial: str, command: str) -> bytes:
    """The smallest correct adb-server client: transport, shell, read to EOF."""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        _request(sock, f"host:transport:{serial}")
        _request(sock, f"shell:{command}")
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def median_ms(call: Callable[[], object], calls: int, warmup: int = 10) -> tuple[float, float]:
    """Median and 90th percentile of ``calls`` timed calls, in milliseconds."""
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(calls):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.9) - 1]


def clients(server: AdbServer, serial: str) -> dict[str, Callable[[], object]]:
    """The clients to compare; the first one is the reference for the ratios."""
    device = server.client().device(serial)
    expected = b"hi\n"

    def minimal() -> None:
        assert minimal_shell(server.port, serial, "echo hi") == expected

    firetv = FireTV(serial, adb_server=server.address)

    def firebridge_shell() -> None:
        assert firetv.shell("echo hi").stdout == "hi\n"

    def stock_adbutils() -> None:
        assert device.shell("echo hi") == "hi"

    command = [str(server.adb), "-P", str(server.port), "-s", serial, "shell", "echo", "hi"]
    env = server.env()

    def adb_command_line() -> None:
        assert subprocess.run(command, env=env, capture_output=True).stdout == expected

    return {"minimal client": minimal, "firebridge shell()": firebridge_shell,
            "adbutils shell()": stock_adbutils, "adb shell (CLI)": adb_command_line}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=200, help="timed calls per client (default 200)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = AdbServer(home=Path(tmp) / "home").start()
        try:
            session = start_trusted_virtual_device(server, Path(tmp))
            try:
                results = {name: median_ms(call, args.calls if "CLI" not in name else min(args.calls, 50))
                           for name, call in clients(server, session.serial).items()}
            finally:
                session.process.stop()
        finally:
            server.stop()
    reference = next(iter(results.values()))[0]
    print(f"echo round trips through a private adb server (the adbutils wheel's adb), {args.calls} calls each "
          f"(the CLI at most 50), virtual Fire TV in its own process")
    print(f"{'client':<24} {'median ms':>10} {'p90 ms':>8} {'x minimal':>10}")
    for name, (median, p90) in results.items():
        print(f"{name:<24} {median:>10.3f} {p90:>8.3f} {median / reference:>10.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
