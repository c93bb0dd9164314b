"""``df`` output (pure), shared by the platforms: toybox (Android 7+, Fire OS 6 and later: ``Filesystem
1K-blocks Used Available Use% Mounted on``), toybox ``-h`` (human sizes, ``Avail``), toolbox (Android 5/6,
Fire OS 5: ``Filesystem Size Used Free Blksize`` with the mount point first), and the wrapped lines of
coreutils/busybox."""

from __future__ import annotations

import re

from firebridge.driver.storage import DiskSpace

_UNITS = {"K": 1, "M": 1024, "G": 1024 ** 2, "T": 1024 ** 3}


def _kib(text: str, blocks_are_kib: bool) -> int | None:
    text = text.strip()
    if re.fullmatch(r"\d+", text):
        return int(text) if blocks_are_kib else int(text) // 1024  # toolbox prints bytes without a unit
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([KMGT])", text)
    if not match:
        return None
    return int(float(match.group(1)) * _UNITS[match.group(2)])


def parse_df(text: str, mount: str = "/data") -> DiskSpace | None:
    """The line of ``df`` output for ``mount`` (or the only line), in any of the formats above."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines or not lines[0].startswith("Filesystem"):
        return None
    header = lines[0].split()
    toolbox = "Blksize" in header
    rows: list[list[str]] = []
    pending: list[str] = []
    for line in lines[1:]:
        if ":" in line and ("Permission denied" in line or "No such file" in line):
            continue  # toolbox prints unreadable mounts inline
        words = pending + line.split()
        if len(words) < (5 if toolbox else 6):
            pending = words  # a long filesystem name on its own line (coreutils/busybox wrap)
            continue
        pending = []
        rows.append(words)
    candidates = []
    for words in rows:
        if toolbox:  # mount Size Used Free Blksize
            target, size, used, free = words[0], words[1], words[2], words[3]
            sizes = [_kib(size, False), _kib(used, False), _kib(free, False)]
        else:  # filesystem 1K-blocks|Size Used Available|Avail Use% Mounted-on
            target = " ".join(words[5:])
            kib = header[1] == "1K-blocks"
            sizes = [_kib(words[1], kib), _kib(words[2], kib), _kib(words[3], kib)]
        if None in sizes:
            continue
        candidates.append(DiskSpace(target, *sizes))  # type: ignore[arg-type]
    for space in candidates:
        if space.mount == mount:
            return space
    return candidates[0] if len(candidates) == 1 else None
