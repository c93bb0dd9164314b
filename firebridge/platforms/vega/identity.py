"""Who a Vega device is: ``/etc/os-release`` and the signs of a Vega Virtual Device (pure; no I/O).

A real VVD's ``/etc/os-release`` (tests/samples/os_release_vvd_os1.2_sightlineprobe.txt) has only
Amazon's keys — ``OS_VERSION``, ``BUILD_DESC``, ``BUILD_FINGERPRINT``, ``BUILD_VARIANT`` — and no
``ID``/``NAME``/``PRETTY_NAME``; the parser takes whatever keys are there.

Telling the VVD from a stick uses what the device itself reports, never a model list: the VVD is a
QEMU (goldfish) virtual machine, and its sound card is ``virtio-snd`` (real ``/proc/asound/cards``
on a VVD, tests/samples/vega_device_run_cmd_asound_vvd_sightlineprobe.txt); any ``virtio`` device or
a QEMU/virt device-tree model says "virtual machine". The adb serial ``emulator-<port>`` (how a
running VVD registers on adb) counts as a sign too, since no physical stick registers that way.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from firebridge.driver.protocol import Identity, Platform

SECTION = "@@firebridge-vega@@"
# One shell call; each section may be empty (file absent, or hidden by the uid-5000 sandbox).
IDENTITY_COMMAND = "; ".join([
    "cat /etc/os-release 2>/dev/null", f"echo {SECTION}",
    "cat /proc/sys/kernel/hostname 2>/dev/null", f"echo {SECTION}",
    "cat /proc/asound/cards 2>/dev/null", f"echo {SECTION}",
    "ls /sys/bus/virtio/devices 2>/dev/null", f"echo {SECTION}",
    "tr -d '\\000' 2>/dev/null < /proc/device-tree/model", f"echo {SECTION}",
    "uname -m 2>/dev/null", "true",
])
VVD_MODEL = "Vega Virtual Device"

_ASSIGNMENT = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$")
_VIRTUAL_MODEL = re.compile(r"qemu|dummy-virt|goldfish|ranchu|virtual", re.I)


def parse_os_release(text: str) -> dict[str, str]:
    """``KEY="value"`` lines into a dict (shell quoting removed; comments and junk lines skipped)."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        match = _ASSIGNMENT.match(line)
        if not match or line.lstrip().startswith("#"):
            continue
        raw = match.group(2).strip()
        try:
            words = shlex.split(raw, posix=True)
        except ValueError:  # an unbalanced quote: keep the text as it stands
            words = [raw.strip("\"'")]
        values[match.group(1)] = " ".join(words)
    return values


@dataclass(frozen=True)
class VegaFacts:
    """What :data:`IDENTITY_COMMAND` found out."""

    os_release: dict[str, str]
    hostname: str = ""
    sound_cards: str = ""
    virtio_devices: list[str] = field(default_factory=list)
    device_tree_model: str = ""
    machine: str = ""
    serial: str = ""

    @property
    def virtual_reason(self) -> str:
        """Why this looks like a Vega Virtual Device ("" when nothing says so)."""
        if self.virtio_devices:
            return f"virtio devices present ({', '.join(self.virtio_devices[:3])})"
        if "virtio" in self.sound_cards.lower():
            return "its sound card is virtio-snd"
        if self.device_tree_model and _VIRTUAL_MODEL.search(self.device_tree_model):
            return f"device-tree model {self.device_tree_model!r}"
        if re.fullmatch(r"emulator-\d+", self.serial):
            return f"it registers on adb as {self.serial}"
        return ""

    @property
    def is_virtual(self) -> bool:
        return bool(self.virtual_reason)


def parse_identity_output(output: str, serial: str = "") -> VegaFacts:
    """The sections of :data:`IDENTITY_COMMAND`'s output (missing trailing sections are empty)."""
    sections = output.split(SECTION)
    sections += [""] * (6 - len(sections))
    os_release, hostname, cards, virtio, model, machine = (s.strip("\n") for s in sections[:6])
    return VegaFacts(os_release=parse_os_release(os_release), hostname=hostname.strip(), sound_cards=cards,
                     virtio_devices=virtio.split(), device_tree_model=model.strip().strip("\0"),
                     machine=machine.strip(), serial=serial)


def identity_from_facts(facts: VegaFacts) -> Identity:
    """The platform-free :class:`Identity` of a Vega device.

    ``model``: "Vega Virtual Device" for a VVD; else the device-tree model when the device shows one.
    ASSUMPTION: no on-device command for the retail model name (e.g. AFTCA002) is known (docs/vega-os.md
    section 12), so a stick without a readable device-tree model is "Vega device" (settle by: run
    IDENTITY_COMMAND on a stick and look for the model code).
    """
    release = facts.os_release
    if facts.is_virtual:
        model = VVD_MODEL
    else:
        model = facts.device_tree_model or "Vega device"
    details = {f"os-release {key}": value for key, value in release.items()}
    if facts.hostname:
        details["hostname"] = facts.hostname
    if facts.machine:
        details["architecture"] = facts.machine
    details["Vega Virtual Device (VVD)"] = facts.virtual_reason or "no"
    return Identity(platform=Platform.VEGA, model=model, os_version=release.get("OS_VERSION") or None,
                    build=release.get("BUILD_DESC", ""), details=details)
