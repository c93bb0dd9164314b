"""The Fire OS model behind the shell: identity, settings, packages, processes, input and the log.

One :class:`VirtualDevice` is one Fire TV. It is touched only from its event loop's thread (the adb
daemon's), except :meth:`LogBuffer.write`, which is safe from anywhere.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from firebridge.virtual.clock import DeviceClock
from firebridge.virtual.fs import DeviceFileSystem
from firebridge.virtual.processes import ProcessTable
from firebridge.virtual.fireos.logbuffer import LogBuffer
from firebridge.virtual.fireos.models import DeviceModel, generate_serial, get_model
from firebridge.virtual.fireos.screen import Screen
from firebridge.virtual.fireos.activities import ActivityManager
from firebridge.virtual.fireos.hardware import Hardware
from firebridge.virtual.fireos.timing import Timing, get_timing
from firebridge.virtual.shell.interpreter import CommandContext, CommandTable, android_profile

DumpsysSection = Callable[[CommandContext, list[str]], str]

#: Where dumpstatez writes (dumpstate.rc ``-o``; Android 10+ ``/bugreports`` resolves here): the device
#: makes it at boot, ``bugreportz`` (commands/bugreport.py) writes its zips there.
BUGREPORT_DIR = "/data/user_de/0/com.android.shell/files/bugreports"

# A few real secure settings of a Fire TV (github.com/Crealivity/DPTV-Cursor issue #1; docs/fire-os.md section 3)
# so that `settings list secure` looks like a device and not an empty table.
_DEFAULT_SETTINGS: dict[str, dict[str, str]] = {
    "system": {
        "screen_off_timeout": "2147483647",
        "font_scale": "1.0",
        "sound_effects_enabled": "1",
        "volume_music": "11",
    },
    "secure": {
        "accessibility_enabled": "0",
        "android_id": "",  # filled from the serial
        "long_press_timeout": "400",
        "multi_press_timeout": "300",
        "mock_location": "0",
        "screensaver_components": "com.amazon.ftv.screensaver/.app.services.ScreensaverService",
        "screensaver_enabled": "1",
        "sleep_timeout": "1200000",
        "skip_first_use_hints": "1",
        "user_setup_complete": "1",
    },
    "global": {
        "adb_enabled": "1",
        "auto_time": "1",
        "development_settings_enabled": "1",
        "device_name": "",  # filled from the model
        "device_provisioned": "1",
        "stay_on_while_plugged_in": "0",
        "transition_animation_scale": "1.0",
        "window_animation_scale": "1.0",
    },
}

# Well-known Fire OS system packages and where their APKs live.
_SYSTEM_PACKAGES = {
    "android": "/system/framework/framework-res.apk",
    "com.android.shell": "/system/priv-app/Shell/Shell.apk",
    "com.android.providers.settings": "/system/priv-app/SettingsProvider/SettingsProvider.apk",
    "com.amazon.tv.launcher": "/system/priv-app/com.amazon.tv.launcher/com.amazon.tv.launcher.apk",
    "com.amazon.tv.settings.v2": "/system/priv-app/com.amazon.tv.settings.v2/com.amazon.tv.settings.v2.apk",
    "com.amazon.device.sale.service": "/system/priv-app/com.amazon.device.sale.service/com.amazon.device.sale.service.apk",
    "com.amazon.venezia": "/system/priv-app/com.amazon.venezia/com.amazon.venezia.apk",
    "com.amazon.ftv.screensaver": "/system/priv-app/com.amazon.ftv.screensaver/com.amazon.ftv.screensaver.apk",
    "com.amazon.tv.ime": "/system/priv-app/com.amazon.tv.ime/com.amazon.tv.ime.apk",
    "com.amazon.device.settings": "/system/priv-app/com.amazon.device.settings/com.amazon.device.settings.apk",
    "com.android.providers.tv": "/system/priv-app/TvProvider/TvProvider.apk",
}

SYSTEM_SERVER = "system_server"


@dataclass(frozen=True)
class Package:
    name: str
    apk: str
    system: bool


KeyListener = Callable[[int, bool], None]


class VirtualDevice:
    """One virtual Fire TV's state."""

    def __init__(self, workdir: Path, model: str | DeviceModel = "AFTMM", serial: str | None = None,
                 speed: float = 1.0, timing: str | Timing = "fast") -> None:
        self.model = model if isinstance(model, DeviceModel) else get_model(model)
        self.timing = get_timing(timing)
        self.serial = serial or generate_serial(self.model, str(workdir))
        self.workdir = workdir
        self.clock = DeviceClock(speed)
        self.log = LogBuffer(self.clock)
        # The shell may write where adb's own tools put files: /sdcard, /data/local/tmp and the Shell app's
        # bug report directory (dumpstate chowns it to shell; Mobly `adb shell rm`s the report it pulled).
        self.fs = DeviceFileSystem(workdir / "fs", writable=("/storage/emulated/0", "/data/local/tmp", BUGREPORT_DIR))
        # ASSUMPTION: the directory exists from first boot (the real shell's sandbox binds it writable when a
        # session starts) (settle by: `ls -ld` of it on a stick that never made a bug report).
        self.fs.host_path(BUGREPORT_DIR).mkdir(parents=True, exist_ok=True)
        self.processes = ProcessTable()
        self.properties: dict[str, str] = dict(self.model.properties(self.serial))
        # Set by system_server at every boot on Android; tells a host that the device rebooted.
        self.properties["ro.runtime.firstboot"] = str(self.clock.now_ms())
        self.settings: dict[str, dict[str, str]] = {ns: dict(v) for ns, v in _DEFAULT_SETTINGS.items()}
        self.settings["secure"]["android_id"] = hashlib.sha1(self.serial.encode()).hexdigest()[:16]
        self.settings["global"]["device_name"] = self.model.marketing_name.split(" (")[0]
        self.packages: dict[str, Package] = {
            name: Package(name, apk, True) for name, apk in _SYSTEM_PACKAGES.items()
        }
        self.key_listeners: list[KeyListener] = []
        self.text_listeners: list[Callable[[str], None]] = []
        self.property_listeners: list[Callable[[str, str], None]] = []
        self.setting_listeners: list[Callable[[str, str, str | None], None]] = []
        self.hardware = Hardware(self, self.timing)  # slow calls, HOME transition, screensaver, chatter
        self.screen = Screen(self)
        self.activities = ActivityManager(self)
        # Filled by the Fire OS personality (firebridge.virtual.fireos.personality) when it builds
        # the device: the model holds no code of its own for them.
        self.commands = CommandTable()
        self.dumpsys: dict[str, DumpsysSection] = {}
        self.shell_profile = android_profile(self.model.device)
        self._boot_log()

    # -- identity -------------------------------------------------------------------------------
    def banner(self, features: list[str]) -> bytes:
        """The CNXN identity: ``device::ro.product.name=..;ro.product.model=..;ro.product.device=..;features=..``."""
        props = self.properties
        banner = (f"device::ro.product.name={props['ro.product.name']};"
                  f"ro.product.model={props['ro.product.model']};"
                  f"ro.product.device={props['ro.product.device']};")
        # Android 5.1's adbd has no features= part (lollipop-mr1 adb.c fill_connect_data).
        return (banner + f"features={','.join(features)}" if features else banner).encode()

    def adbd_features(self) -> tuple[str, ...]:
        """The adbd features this generation advertises (models.DeviceModel.adbd_features)."""
        return self.model.adbd_features

    def features(self) -> list[str]:
        return self.model.features()

    def file_owner(self, path: str) -> tuple[int, int]:
        """(uid, gid) that sync STAT reports: /sdcard is FUSE-mounted as root:sdcard_rw;
        /data/local/tmp belongs to shell."""
        return (2000, 2000) if path.startswith("/data/local/tmp") else (0, 1015)

    def prompt(self, status: int) -> str:
        """The interactive shell's prompt; Android's mksh shows a failed status first (``127|``)."""
        return f"{status}|" * bool(status) + f"{self.model.device}:/ $ "

    def open_tcp(self, port: int) -> None:
        """No device-side TCP services are modelled on Fire OS (``adb forward`` is refused)."""
        return None

    # -- logging helpers ------------------------------------------------------------------------
    def system_log(self, level: str, tag: str, message: str, process: str = SYSTEM_SERVER) -> None:
        """Write a log line from a named device process (system_server by default)."""
        pid = self.processes.pid_of(process)
        buffer = "system" if process == SYSTEM_SERVER and tag in ("ActivityManager", "WindowManager") else "main"
        self.log.write(level, tag, message, pid=pid, tid=pid + 17, buffer=buffer)

    def _boot_log(self) -> None:
        self.system_log("I", "ActivityManager", "System now ready")
        self.system_log("I", "SystemServer", "Enabled StrictMode for system server main thread.")

    # -- input ----------------------------------------------------------------------------------
    def inject_key(self, keycode: int, longpress: bool = False) -> None:
        """Deliver one key press to whatever has focus (listeners: launcher, apps)."""
        if self.hardware.intercept_key(keycode):
            return
        for listener in list(self.key_listeners):
            listener(keycode, longpress)
        self.activities.dispatch_key(keycode, longpress)

    def inject_text(self, char: str) -> None:
        """Deliver typed text (``input text``) to the focused text field, if any."""
        for listener in list(self.text_listeners):
            listener(char)
        self.activities.dispatch_text(char)

    # -- state changes --------------------------------------------------------------------------
    # Android logs neither `setprop` nor `settings put` to logcat at default levels, so neither does
    # the virtual device; interested parts of the model subscribe here instead.
    def property_changed(self, name: str, value: str) -> None:
        for listener in list(self.property_listeners):
            listener(name, value)

    def setting_changed(self, namespace: str, key: str, value: str | None) -> None:
        for listener in list(self.setting_listeners):
            listener(namespace, key, value)

    # -- packages -------------------------------------------------------------------------------
    def install(self, package: str, apk: str | None = None, system: bool = False) -> None:
        self.packages[package] = Package(package, apk or f"/data/app/{package}-1/base.apk", system)

    # -- time -----------------------------------------------------------------------------------
    def call_later(self, device_seconds: float, callback: Callable[[], None]) -> asyncio.TimerHandle:
        """Run ``callback`` after ``device_seconds`` of device time (on the device's event loop)."""
        return asyncio.get_running_loop().call_later(self.clock.real_seconds(max(0.0, device_seconds)), callback)

    def close(self) -> None:
        """Shut down (power off or reboot): the background behaviour stops; the owner removes ``workdir``."""
        self.hardware.stop()
