"""The Vega OS model behind the shell: identity, the journal, packages, lifecycle, input and consents.

One :class:`VegaDevice` is one Vega Fire TV stick or one Vega Virtual Device (``vvd=True``). It is
touched only from its event loop's thread, except :meth:`Journal.write`'s wake-up, which is safe from
anywhere. Facts and their sources: docs/vega-os.md (cited by section).
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qsl, urlsplit

from firebridge.virtual.clock import DeviceClock
from firebridge.virtual.fs import DeviceFileSystem
from firebridge.virtual.processes import ProcessTable
from firebridge.virtual.shell.interpreter import CommandTable, ShellProfile
from firebridge.virtual.vega.component import Component
from firebridge.virtual.timing import take
from firebridge.virtual.vega.journal import DAEMON, LEVEL_PRIORITY, LEVEL_WORDS, Journal
from firebridge.virtual.vega.timing import VegaTiming, get_timing

# /etc/os-release of a VVD running OS 1.2 (a public VVD bug report for the app com.sightline.probe; its repository is not known):
# Amazon's own keys only, no ID/NAME/VERSION_ID.
# ASSUMPTION: a stick on OS 1.2 has the same keys and values (settle by: `adb shell cat /etc/os-release`
# on a stick).
OS_RELEASE = ('OS_VERSION="1.2"\n'
              'BUILD_DESC="OS 1.2 (TV Ship/101520710)"\n'
              'BUILD_FINGERPRINT="1.0.152071.0(9a1d8dfa7da5d600)/101520710N:user/dev-keys"\n'
              'BUILD_VARIANT="user"\n')

# ASSUMPTION: the dev shell reports a missing command as `sh: NAME: not found` (exit 127), as a BusyBox
# or dash /bin/sh invoked as "sh" does; no capture shows it (settle by: `adb shell getprop` on a stick).
SHELL_NAME = "sh"
USER, UID = "app_user", 5000  # `vda shell` lands as app_user, uid 5000 [POR][ARG-AG]
HOME = f"/home/{USER}"
TOOLKIT_FLAG = "/tmp/automation-toolkit.enable"  # read at app launch [ARG][MAE]
TOOLKIT_PORT = 8383
BIN_DIRS = ("/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/")
VVD_SOUND_CARDS = (" 0 [SoundCard      ]: virtio-snd - VirtIO SoundCard\n"
                   "                      VirtIO SoundCard at pci/0000:00:01.0/virtio8\n")
_SKELETON = ("/etc", "/tmp", "/usr/bin", "/bin", "/usr/sbin", "/sbin", HOME, f"{HOME}/packages", "/proc", "/dev",
             "/var/log", "/scratch")
_WRITABLE = ("/tmp", HOME)  # the dev shell is "restricted mostly to /tmp" [KEL-DEV]; app data dirs accept pushes [VVS]

# Lifecycle states `vlcm list` prints [VVDT].
VISIBLE, NOT_VISIBLE, LAUNCHED = "VISIBLE", "NOT_VISIBLE", "LAUNCHED"


@dataclass(frozen=True)
class Identity:
    """Who the device says it is."""

    vvd: bool
    serial: str  # the DSN (get-serialno answers it even over TCP [D-VDA 0.24])
    hostname: str  # amazon-<16 hex> on the VVD, firestick-<hex> on a stick [D8]
    product: str  # vvrp-tv-arm64 on the VVD [ARG]
    model: str  # AFTCA002 for the 4K Select (2025) [KEL-NOTE] (UNCONFIRMED)


def make_identity(seed: str, vvd: bool, serial: str | None = None) -> Identity:
    digest = hashlib.sha1(seed.encode()).hexdigest()
    if vvd:
        # ASSUMPTION: the VVD's DSN has the stick's 16-character shape (argent shows idme AN4ZFZ17D377Y);
        # the adb serial of a VVD reached over TCP is HOST:PORT either way.
        return Identity(True, serial or "AN" + digest[:11].upper(), f"amazon-{digest[:16]}", "vvrp-tv-arm64",
                        "AQVV01P")
    # ASSUMPTION: "firestick-" + 16 hex digits (daemon8's test data elides the length) (settle by: the
    # journal host name on a stick).
    return Identity(False, serial or "G071R2" + digest[:10].upper(), f"firestick-{digest[:16]}", "AFTCA002",
                    "AFTCA002")


@dataclass
class Instance:
    """A running component (a row of `vlcm list`)."""

    component: str
    pid: int
    instance_id: int
    state: str
    launch_args: str
    toolkit: bool  # the automation toolkit attached at launch (the flag file existed)


@dataclass(frozen=True)
class Package:
    package_id: str
    version: str
    components: tuple[str, ...]
    system: bool
    path: str = ""


class VegaDevice:
    """One virtual Vega device's state (the Vega personality's model)."""

    def __init__(self, workdir: Path, vvd: bool = False, serial: str | None = None, speed: float = 1.0,
                 timing: str | VegaTiming = "fast") -> None:
        self.workdir = workdir
        self.vvd = vvd
        self.identity = make_identity(str(workdir), vvd, serial)
        self.serial = self.identity.serial
        self.clock = DeviceClock(speed)
        self.timing = get_timing(timing)  # per-call costs (firebridge.virtual.vega.timing)
        self._starting: dict[str, asyncio.TimerHandle] = {}  # component -> its pending first frame
        self.log = Journal(self.clock)
        self.fs = DeviceFileSystem(workdir / "fs", skeleton=_SKELETON, writable=_WRITABLE, aliases={})
        (self.fs.host_path("/etc/os-release")).write_text(OS_RELEASE)
        (self.fs.host_path("/etc/hostname")).write_text(self.identity.hostname + "\n")
        self.fs.host_path("/proc/sys/kernel").mkdir(parents=True, exist_ok=True)
        self.fs.host_path("/proc/sys/kernel/hostname").write_text(self.identity.hostname + "\n")
        if vvd:
            # The VVD is a QEMU guest: its sound card is virtio-snd (a real VVD's /proc/asound/cards,
            # tests/samples/vega_device_run_cmd_asound_vvd_sightlineprobe.txt).
            self.fs.host_path("/proc/asound").mkdir(parents=True, exist_ok=True)
            self.fs.host_path("/proc/asound/cards").write_text(VVD_SOUND_CARDS)
        self.processes = ProcessTable()
        self.commands = CommandTable(BIN_DIRS)
        self.shell_profile = ShellProfile(SHELL_NAME, {
            "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin",
            "HOME": HOME, "SHELL": "/bin/sh", "USER": USER, "LOGNAME": USER,
            "HOSTNAME": self.identity.hostname,
        })
        # A stick is reachable over adb only in developer mode [D-DEV]; the VVD needs
        # `vsm developer-mode enable` before inputd-cli injects [D-INP][ARG].
        self.developer_mode = not vvd
        # The two privacy toggles, where the shared consent helpers look. ASSUMPTION: Vega has no
        # `settings` CLI (docs/vega-os.md section 7); only the Settings app's UI reaches them, as on a stick.
        self.settings: dict[str, dict[str, str]] = {"secure": {}}
        self.packages: dict[str, Package] = {}
        self.apps: dict[str, Component] = {}  # component id -> app
        self.instances: dict[str, Instance] = {}
        self.foreground: str | None = None
        self.personalization = None  # set by the personality; None on the VVD [VVS]
        self.key_listeners: list[Callable[[str, str], None]] = []
        self._instance_ids = itertools.count(1)
        self.tcp_services: dict[int, Callable] = {}

    # -- identity (adbd) ------------------------------------------------------------------------
    def banner(self, features: list[str]) -> bytes:
        """CNXN identity. `vda devices -l` shows no product:/model:/device: for Vega [D-VDA], so the
        banner carries none. ASSUMPTION: vdad sends adbd's features (settle by: `adb shell` exit codes
        and `adb features` against a stick)."""
        return f"device::features={','.join(features)}".encode()

    def features(self) -> list[str]:
        return []

    def adbd_features(self) -> tuple[str, ...]:
        """ASSUMPTION: vdad advertises what a current adbd does (settle by: `vda features` on a stick)."""
        return ("shell_v2", "stat_v2", "ls_v2", "fixed_push_mkdir", "sendrecv_v2", "sendrecv_v2_dry_run_send")

    def file_owner(self, path: str) -> tuple[int, int]:
        """(uid, gid) for sync STAT: app_user's files in /tmp and its home, root elsewhere.
        ASSUMPTION: no capture of `adb shell ls -ln /tmp` on Vega (settle by: running it)."""
        return (UID, UID) if path.startswith(("/tmp/", HOME)) else (0, 0)

    def prompt(self, status: int) -> str:
        # ASSUMPTION: a plain `$ ` prompt for the interactive dev shell (settle by: `adb shell` on a stick).
        return "$ "

    def open_tcp(self, port: int):
        """The handler for an `adb forward` connection to ``port`` (the toolkit serves 8383)."""
        return self.tcp_services.get(port)

    # -- logging --------------------------------------------------------------------------------
    def journal(self, ident: str, message: str, level: str = "I", pid: int | None = None,
                facility: int = DAEMON) -> None:
        """A line from a system process, with the inline level word the VVD journal shows."""
        self.log.write(ident, message, self.processes.pid_of(ident) if pid is None else pid,
                       LEVEL_PRIORITY.get(level, 6), facility)

    def system_log(self, level: str, tag: str, message: str, process: str = "systemd") -> None:
        """Log from a named system process: ``<WORD> <tag>: <message>`` (``INFO com.amazon.x: ...``).
        A message that already starts with its ``component:tag`` prefix (the data service's lines, seed
        002) is written after the level word as it is."""
        head = message.split(" ", 1)[0]
        body = message if tag in head else f"{tag}: {message}"
        ident = "vdad" if process == "adbd" else process  # Vega's adb daemon is vdad [CHEAT]
        self.journal(ident, f"{LEVEL_WORDS.get(level, 'INFO')} {body}", level)

    # -- packages and lifecycle -----------------------------------------------------------------
    def install_app(self, app: Component, version: str = "1.0.0", system: bool = True) -> None:
        self.apps[app.component] = app
        self.packages[app.package] = Package(app.package, version, (app.component,), system)

    def app_of(self, component: str) -> Component | None:
        return self.apps.get(component)

    def send_message(self, uri: str) -> bool:
        """``vmsgr send pkg://<component>[?k=v&...]``: launch or foreground the component with the
        arguments. False when no such component is installed."""
        parts = urlsplit(uri)
        if parts.scheme != "pkg":
            return False
        component = parts.netloc
        app = self.apps.get(component)
        if app is None:
            return False
        args = dict(parse_qsl(parts.query))
        instance = self.instances.get(component)
        delay = self.timing.warm_launch
        if instance is None:
            instance = Instance(component, self.processes.allocate(), next(self._instance_ids),
                                LAUNCHED if self.timing.cold_launch > 0 else VISIBLE,
                                parts.query, self.fs.host_path(TOOLKIT_FLAG).exists())
            self.instances[component] = instance
            self.journal("lcm_service", f"I lcm:launch: {component} pid={instance.pid}")
            delay = self.timing.cold_launch
        if delay <= 0:
            self._show(component, args)
            return True
        # A real app shows its first frame some time after the message (Vega's TTFF targets, vega/timing.py);
        # until then the app in front keeps the screen and the keys. A message while it is still starting
        # does not hurry it: the app shows when its start is over, with the newest arguments.
        pending = self._starting.pop(component, None)
        if pending is not None:
            pending.cancel()
            left = (pending.when() - asyncio.get_running_loop().time()) * self.clock.speed
            delay = max(delay, left)
        self._starting[component] = self.call_later(delay, lambda: self._show(component, args))
        return True

    def _show(self, component: str, args: dict[str, str]) -> None:
        """The app's first frame: it comes to the front and handles its launch arguments."""
        self._starting.pop(component, None)
        if component not in self.instances:  # terminated while starting
            return
        self._bring_to_front(component)
        self.apps[component].on_launch(args)

    def _bring_to_front(self, component: str) -> None:
        if self.foreground == component:
            return
        previous = self.foreground
        if previous is not None and previous in self.instances:
            self.instances[previous].state = NOT_VISIBLE
            self.apps[previous].on_hidden()
        self.foreground = component
        self.instances[component].state = VISIBLE

    def terminate(self, package_id: str) -> bool:
        """``vlcm terminate-app --pkg-id``: end every running component of the package."""
        ended = False
        for component in [c for c in self.instances if c.rsplit(".", 1)[0] == package_id]:
            pending = self._starting.pop(component, None)
            if pending is not None:
                pending.cancel()
            self.apps[component].on_terminate()
            del self.instances[component]
            ended = True
            if self.foreground == component:
                self.foreground = None
                self.go_home()
        return ended

    def home_component(self) -> str:
        return next(c for c in self.apps if c.startswith(("com.amazon.keplerlauncherapp",
                                                           "com.amazon.smplighthouse.launcher")))

    def go_home(self) -> None:
        """The launcher in front at once (boot, HOME, the app in front ended). ASSUMPTION: no transition
        time, the launcher stays resident (settle by: `vlcm list` right after HOME on a stick)."""
        component = self.home_component()
        if component not in self.instances:
            self.instances[component] = Instance(component, self.processes.allocate(), next(self._instance_ids),
                                                 VISIBLE, "", self.fs.host_path(TOOLKIT_FLAG).exists())
            self.journal("lcm_service", f"I lcm:launch: {component} pid={self.instances[component].pid}")
        self._show(component, {})

    def visible_apps(self) -> list[tuple[Component, Instance]]:
        """The foreground app and the launcher (the toolkit reports both [ARG fixture])."""
        shown = []
        for component in (self.foreground, self.home_component()):
            if component and component in self.instances and all(component != a.component for a, _ in shown):
                shown.append((self.apps[component], self.instances[component]))
        return shown

    # -- input ----------------------------------------------------------------------------------
    def press(self, key: str, state: str = "short") -> None:
        """One injected button press: inputd's journal lines, then the key to the app in front."""
        for edge in (("down",) if state == "down" else ("down", "up")):
            self._key_edge(edge)
        self._deliver(key, state)

    async def press_held(self, key: str, state: str = "short", hold: float = 0.0) -> None:
        """A press that holds the key ``hold`` device seconds: down (the app takes the key), the hold, up —
        the real VVD journal shows a default press's down and up 250 ms apart."""
        if hold <= 0 or state == "down":
            self.press(key, state)
            return
        self._key_edge("down")
        self._deliver(key, state)
        await self.cost(hold)
        self._key_edge("up")

    def _key_edge(self, edge: str) -> None:
        # Wording from a real VVD journal (vega_vvd_loggingctl_short_precise.txt).
        self.log.write("inputd", f"I Inputd:inject_key:427: Input event successfully written to udev: "
                                 f"TimeStamp={self.clock.now():.6f} : keyType=EV_KEY : keyCode=[PII_OMIT] : "
                                 f"state={edge}", self.processes.pid_of("inputd"), 6, DAEMON)

    def _deliver(self, key: str, state: str) -> None:
        for listener in list(self.key_listeners):
            listener(key, state)
        if key == "KEY_HOMEPAGE":
            self.go_home()
            return
        if self.foreground is not None:
            self.apps[self.foreground].on_key(key)

    # -- time -----------------------------------------------------------------------------------
    async def cost(self, device_seconds: float) -> None:
        """Take this long (device time), as a real device does; nothing under the ``fast`` profile."""
        await take(self.clock, device_seconds)

    async def shell_opened(self) -> None:
        """adbd calls this as a shell session starts: vdad starting the dev shell takes ``shell_open``."""
        await self.cost(self.timing.shell_open)

    def call_later(self, device_seconds: float, callback: Callable[[], None]) -> asyncio.TimerHandle:
        return asyncio.get_running_loop().call_later(self.clock.real_seconds(max(0.0, device_seconds)), callback)

    def close(self) -> None:
        """Nothing to release; the owner removes ``workdir``."""

