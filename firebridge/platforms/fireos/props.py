"""Fire OS identity from system properties: ``getprop`` and ``pm list features`` parsers (pure)."""

from __future__ import annotations

import re

from firebridge.adb.shell import normalize_newlines

FIRE_TV_FEATURE = "amazon.hardware.fire_tv"
_GETPROP_LINE = re.compile(r"^\[(?P<key>[^\]]+)\]: \[(?P<value>.*?)\]\r?$", re.M | re.S)
_FIRE_OS_NAME = re.compile(r"Fire OS (\d+(?:\.\d+)*)")
# Fire OS generation by API level, for builds that do not say (docs/fire-os.md section 1).
_FIRE_OS_BY_SDK = {22: "5", 25: "6", 28: "7", 29: "8", 30: "8", 31: "14", 32: "14", 33: "14", 34: "14"}


def parse_getprop(text: str) -> dict[str, str]:
    """``[key]: [value]`` lines (values may span lines) into a dict. Tolerates CRLF (Fire OS 5 answers
    through a PTY)."""
    return {m.group("key"): m.group("value") for m in _GETPROP_LINE.finditer(normalize_newlines(text))}


def parse_features(text: str) -> set[str]:
    """``pm list features`` output into feature names (``reqGlEsVersion=...`` included as-is)."""
    return {line[len("feature:"):].strip() for line in text.splitlines() if line.startswith("feature:")}


def fire_os_matches(version: str | None, wanted: str | int) -> bool:
    """Whether Fire OS ``version`` ("7.6.6.8") is the release ``wanted`` names ("7", "7.6" or "7.6.6.8")."""
    return version is not None and (version == str(wanted) or version.startswith(f"{wanted}."))


def fire_os_version(props: dict[str, str]) -> str | None:
    """"6.7.1.1" from ``ro.build.version.name`` ("Fire OS 6.7.1.1 (NS6711/5908)"), else
    ``ro.build.mktg.fireos``, else the generation implied by the API level; None if not Fire OS."""
    for key in ("ro.build.version.name", "ro.build.mktg.fireos"):
        match = _FIRE_OS_NAME.search(props.get(key, ""))
        if match:
            return match.group(1)
    if props.get("ro.product.manufacturer") == "Amazon":
        try:
            return _FIRE_OS_BY_SDK.get(int(props.get("ro.build.version.sdk", "")))
        except ValueError:
            return None
    return None


def sdk_level(props: dict[str, str]) -> int:
    """The API level (``ro.build.version.sdk``; Fire OS fingerprints carry another number); 0 if absent."""
    try:
        return int(props.get("ro.build.version.sdk", "0") or 0)
    except ValueError:
        return 0


def is_fire_tv(features: set[str], manufacturer: str) -> bool:
    """Amazon's check: the ``amazon.hardware.fire_tv`` system feature; an Amazon-made television
    (leanback) device counts too. Never a model list: Fire TV Edition TVs use vendor codes."""
    if FIRE_TV_FEATURE in features:
        return True
    return manufacturer == "Amazon" and "android.software.leanback" in features
