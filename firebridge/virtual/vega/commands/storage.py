"""``df`` of the Vega dev shell: free space of the filesystems a shell user sees (for bench health checks,
which read ``df -k`` of app_user's home, where the apps' data directories are [VVS][KVA]).

ASSUMPTION: the dev shell has a BusyBox-style ``df`` (Yocto Linux; whether the userland is BusyBox or
toybox is unconfirmed, docs/vega-os.md section 2), printing ``Filesystem 1K-blocks Used Available Use%
Mounted on``, and the mount table below: a read-only root, a tmpfs /tmp and a writable data partition on
/home, sized as an 8 GB stick's. No Vega ``df`` capture is public (settle by: `adb shell df -k` and
`adb shell df -k /home/app_user` on a stick and on a VVD).
"""

from __future__ import annotations

from pathlib import Path

from firebridge.virtual.fs import Mount, bytes_under
from firebridge.virtual.shell.interpreter import CommandContext, command

_BASE_HOME_USED_KB = 1_204_224  # installed packages and their data on a fresh device (ASSUMPTION)


def mounts(fs_root: Path) -> list[Mount]:
    """The mount table, /home's usage grown by what was written under it."""
    return [Mount("/dev/root", "/", 1_548_288, 1_391_616),
            Mount("tmpfs", "/tmp", 462_848, 32 + bytes_under(fs_root / "tmp") // 1024),
            Mount("/dev/mmcblk0p20", "/home", 5_160_960, _BASE_HOME_USED_KB + bytes_under(fs_root / "home") // 1024)]


def mount_of(table: list[Mount], path: str) -> Mount:
    """The mount a path lives on: the longest mount point that prefixes it (``/`` at least)."""
    fitting = [m for m in table if m.target == "/" or path == m.target or path.startswith(m.target + "/")]
    return max(fitting, key=lambda m: len(m.target))


def format_df(rows: list[Mount]) -> str:
    lines = ["Filesystem           1K-blocks      Used Available Use% Mounted on"]
    for m in rows:
        percent = -(-m.used_kb * 100 // m.size_kb) if m.size_kb else 0
        lines.append(f"{m.source:<20} {m.size_kb:>9} {m.used_kb:>9} {m.available_kb:>9} {percent:>3}% {m.target}")
    return "\n".join(lines) + "\n"


@command("df")
async def df(ctx: CommandContext, args: list[str]) -> int:
    table = mounts(ctx.device.fs.root)
    paths = [a for a in args if not a.startswith("-")]
    if not paths:
        await ctx.out(format_df(table))
        return 0
    rows: list[Mount] = []
    status = 0
    for path in paths:
        device_path = ctx.device.fs.normalize(path)
        if not ctx.device.fs.host_path(device_path).exists():
            await ctx.err(f"df: {path}: No such file or directory\n")  # BusyBox's wording
            status = 1
            continue
        rows.append(mount_of(table, device_path))
    if rows:
        await ctx.out(format_df(rows))
    return status
