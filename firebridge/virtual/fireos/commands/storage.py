"""``df``: free space of the device's filesystems, in the format of the device's Android generation.

What real devices print (bench health checks parse ``df /data``):

- Android 7+ (Fire OS 6, 7, 8, 14) runs toybox ``df``: ``Filesystem 1K-blocks Used Available Use% Mounted on``,
  one line per mount, sizes in KiB (a Nexus 5X on 7.0, nonylene.hatenablog.jp/entry/2016/10/09/014419; the
  Android 14 ``df -h`` capture at hk.pswp.cn/diannao/70894.shtml has the same columns).
- Android 5/6 (Fire OS 5) runs toolbox ``df``: ``Filesystem Size Used Free Blksize`` with sizes such as
  ``21.9G``/``104.0K`` and the mount point in the first column; it takes no options (``df -h`` answers
  ``-h: No such file or directory``) (same blog, an Android 6.0 capture; sole/aafm issue 30 on 4.x).

ASSUMPTION: the partition sizes are those of an 8 GB Fire TV Stick (about 5.1 GiB for /data); no Fire TV
``df`` capture was found. Used space is a fixed system share plus what has been written to the device's
writable directories (/sdcard lives on /data, as ``/data/media/0`` does on Android).
"""

from __future__ import annotations

from pathlib import Path

from firebridge.virtual.fs import Mount, bytes_under
from firebridge.virtual.shell.interpreter import CommandContext, command

_BASE_DATA_USED_KB = 1_503_172  # apps, dalvik-cache and the launcher's data on a fresh stick (ASSUMPTION)


def mounts(fs_root: Path) -> list[Mount]:
    """The device's mount table with /data's usage taken from what was written to the device."""
    written_kb = (bytes_under(fs_root / "data") + bytes_under(fs_root / "storage")) // 1024
    return [
        Mount("tmpfs", "/dev", 447_920, 412),
        Mount("/dev/block/dm-0", "/system", 1_032_088, 986_544),
        Mount("/dev/block/mmcblk0p13", "/cache", 421_872, 1_204),
        Mount("/dev/block/dm-1", "/data", 5_313_344, _BASE_DATA_USED_KB + written_kb),
        Mount("/data/media", "/storage/emulated", 5_313_344, _BASE_DATA_USED_KB + written_kb),
    ]


def mount_of(table: list[Mount], path: str) -> Mount | None:
    """The mount a device path lives on (the longest mount point that prefixes it)."""
    best = None
    for mount in table:
        if path == mount.target or path.startswith(mount.target.rstrip("/") + "/") or mount.target == "/":
            if best is None or len(mount.target) > len(best.target):
                best = mount
    return best


def format_toybox(rows: list[Mount]) -> str:
    """toybox ``df`` (Android 7+)."""
    lines = ["Filesystem            1K-blocks    Used Available Use% Mounted on"]
    for m in rows:
        percent = -(-m.used_kb * 100 // m.size_kb) if m.size_kb else 0  # toybox rounds up
        lines.append(f"{m.source:<21} {m.size_kb:>9} {m.used_kb:>7} {m.available_kb:>9} {percent:>3}% {m.target}")
    return "\n".join(lines) + "\n"


def _human(kb: int) -> str:
    if kb >= 1024 * 1024:
        return f"{kb / 1024 / 1024:.1f}G"
    if kb >= 1024:
        return f"{kb / 1024:.1f}M"
    return f"{kb:.1f}K"


def format_toolbox(rows: list[Mount]) -> str:
    """toolbox ``df`` (Android 5/6, Fire OS 5): the mount point first, human sizes, block size."""
    lines = ["Filesystem               Size     Used     Free   Blksize"]
    for m in rows:
        lines.append(f"{m.target:<20} {_human(m.size_kb):>8} {_human(m.used_kb):>8} {_human(m.available_kb):>8}   "
                     f"{m.block_size}")
    return "\n".join(lines) + "\n"


@command("df")
async def df(ctx: CommandContext, args: list[str]) -> int:
    table = mounts(ctx.device.fs.root)
    toolbox = ctx.device.model.sdk < 24
    paths = [a for a in args if not (a.startswith("-") and not toolbox)]
    if not paths:
        await ctx.out(format_toolbox(table) if toolbox else format_toybox(table))
        return 0
    rows: list[Mount] = []
    status = 0
    for path in paths:
        device_path = ctx.device.fs.normalize(path)
        if toolbox and not ctx.device.fs.host_path(device_path).exists():
            await ctx.err(f"{path}: No such file or directory\n")  # toolbox df -h says this too
            status = 1
            continue
        mount = mount_of(table, device_path)
        if mount is None or not ctx.device.fs.host_path(device_path).exists() and not toolbox:
            await ctx.err(f"df: '{path}': No such file or directory\n")
            status = 1
            continue
        rows.append(mount if not toolbox else Mount(mount.source, path, mount.size_kb, mount.used_kb))
    if rows:
        await ctx.out(format_toolbox(rows) if toolbox else format_toybox(rows))
    return status
