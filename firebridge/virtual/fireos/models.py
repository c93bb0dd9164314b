"""Fire TV device models: the identity, ``getprop`` set and ``pm list features`` of each virtual Fire TV.

The data is one shared base property table, a table per Fire OS generation, a table per SoC family and
a few per-model overrides; :meth:`DeviceModel.properties` layers them and fills in the build identity.

Where the values come from (real captures beat invented values; anything invented says so in a comment):

- ``tests/samples/getprop_firetv_stick_aftt_partial.txt``: a real AFTT ``getprop`` (mozilla-mobile/firefox-tv
  issue #1294): ``full_tank``, ``mt8127``, ``FIRETVSTICK2016``, the DSN ``G070QQ0474470HT4``, ``ro.camera.model``.
- The public Fire TV Stick Lite firmware dump
  (DarkDroidDev/sheldonp_dumps ``vendor/build.prop`` and ``vendor/default.prop``, Fire OS 7.2.4.9 PS7249/2719):
  the sheldon vendor identity, fingerprint, build date, dalvik heap, ``ro.amazon.sys.fbs-size``, MediaTek and
  Fire OS vendor properties, ``ro.zygote``, ``ro.vndk.version``, ``persist.sys.usb.config``.
- Delitants/firetv-mantis-standalone (``scripts/device-root-actions.sh``, ``exploit/profiles/mantis-NS6711-5908.conf``):
  real AFTMM identity: NS6711, incremental ``0011644900484``, fingerprint, kernel ``4.4.120+``.
- LOSMantis/android_device_amazon_mantis ``rootdir/default.prop`` (stock Fire OS 6 ramdisk) and ``lineage.mk``:
  the Fire OS 6 ``pm.dexopt.*``/``dalvik.vm.*`` defaults, ``persist.sys.amzn_drm.skip_mask``, the description format.
- Delitants/firetv-kara-standalone ``docs/TEST-EVIDENCE.md``/``docs/MODEL-SAFETY.md``: AFTKA ``kara``, ``mt8696``,
  ``PS7713.5443N``, incremental ``0035334210436``, kernel ``4.14.87+``, verified boot ``green``; the codename table.
- Real fingerprints printed by exploit PoCs and device notes found with the code search: raven (Cube 2nd gen)
  ``PS7646.3565N``, gazelle (Cube 3rd gen) ``PS7652.3564N``, sheldonp ``PS7688.4591N``, karat ``RS8149.3133N``
  (a Fire TV Stick 4K 2nd gen teardown, with its DSN ``G072JN09432608JD`` and security patch ``2022-07-05``) and
  ``RS8182.3811N`` (a Termux capture on a Fire OS 8 stick); tank ``LVY48F/288.6.3.9_user_639566220`` (device trees
  copying the stock fingerprint and description).
- humblemuzzu/dumbtv device reports (Fire OS 6.7.1.1 on AFTMM, PS7713.5443N = 7.7.1.3, RS8185.3898N on AFTKM).
- SDRausty/TermuxArch issue #131 (a full Fire OS 5 tablet ``getprop``): ``ro.build.lab126.*``, ``ro.boot.prod``,
  ``ro.boot.unlocked_kernel``, ``ro.bootloader``/``ro.bootmode``/``ro.baseband`` = ``unknown``, build host shape.
- Dragon863/EchoCLI issue #30 (a Fire OS 6 ``/system/build.prop``): Fire OS 6 build-prop layout, ``ro.build.user``,
  ``ro.build.host`` shape, ``ro.product.cpu.abi*``, ``ro.wifi.channels``.
- Amazon "Identify Fire TV devices" and "Display and Layout" docs: the ``amazon.*`` features, density 320 (xhdpi)
  for a 1920x1080 render surface, Fire OS to API level mapping.
- gist okuoku/256606ab897c4dc284ae421ee9acbf7d: a real Fire TV ``pm list features`` (the feature table below).
- The Fire OS version-name format ``Fire OS 6.2.7.7 (NS6277/3033)`` (a test-report helper quoting a real AFTMM) and
  ``FireOS 7.2.4.9 (PS7249/2719)`` (sheldonp_dumps); other version names are derived from the build id the same way.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

__all__ = [
    "DEFAULT_MODEL",
    "MODELS",
    "DeviceModel",
    "generate_serial",
    "get_model",
]

DEFAULT_MODEL = "AFTMM"

# Characters that would break the adb banner ``device::ro.product.name=..;ro.product.model=..;..``.
BANNER_FORBIDDEN = frozenset(":;=,")

# ---------------------------------------------------------------------------------------------------------------
# Shared property tables.  Values are strings exactly as getprop prints them (empty values print as "[]").
# ---------------------------------------------------------------------------------------------------------------

#: Properties every Fire TV model has, whatever its Fire OS generation.
_BASE_PROPS: dict[str, str] = {
    # Identity that does not vary between models.
    "ro.product.brand": "Amazon",
    "ro.product.manufacturer": "Amazon",  # [AMZ-ID]: Build.MANUFACTURER is "Amazon"
    "ro.build.type": "user",
    "ro.build.user": "build",  # Fire OS 6 build.prop (EchoCLI #30)
    "ro.build.characteristics": "tv",
    "ro.build.version.codename": "REL",
    "ro.build.version.all_codenames": "REL",
    "ro.build.lab126.sign.type": "release",  # seen on a Fire OS 5 tablet (TermuxArch #131); assumed on TV
    "ro.revision": "0",  # real AFTT; init's default when the bootloader passes no androidboot.revision
    "ro.carrier": "unknown",  # init's default for ro.boot.carrier (no carrier on a Wi-Fi-only TV)
    "ro.bootloader": "unknown",  # Fire OS 5 tablet capture
    "ro.bootmode": "unknown",
    "ro.baseband": "unknown",  # no modem on a TV
    "ro.boot.mode": "normal",
    "ro.boot.selinux": "enforcing",
    "ro.boot.prod": "1",  # Amazon production unit (Fire OS tablet capture)
    "ro.boot.unlocked_kernel": "false",
    # Security and adb.
    "ro.debuggable": "0",
    "ro.secure": "1",
    "ro.adb.secure": "1",  # sheldon vendor/default.prop
    "ro.allow.mock.location": "0",  # stock Fire OS 6 default.prop
    "security.perf_harden": "1",
    "service.adb.tcp.port": "5555",  # real, sheldon vendor/build.prop and AFTMM
    "persist.sys.usb.config": "mtp,adb",  # stock Fire OS 6 default.prop; sheldon ships "mtp" until ADB is switched on
    "sys.usb.config": "mtp,adb",
    "sys.usb.state": "mtp,adb",
    "sys.usb.ffs.ready": "1",
    "persist.service.acm.enable": "0",  # real (mantis and sheldon)
    # Boot state of a fully booted device.
    "sys.boot_completed": "1",
    "dev.bootcomplete": "1",
    "service.bootanim.exit": "1",
    "init.svc.bootanim": "stopped",
    "init.svc.adbd": "running",
    "init.svc.drm": "running",
    "init.svc.installd": "running",
    "init.svc.lmkd": "running",
    "init.svc.logd": "running",
    "init.svc.netd": "running",
    "init.svc.servicemanager": "running",
    "init.svc.surfaceflinger": "running",
    "init.svc.ueventd": "running",
    "init.svc.vold": "running",
    "init.svc.zygote": "running",
    "init.svc.keystore": "running",
    # CPU: every Fire OS TV has a 32-bit ARM userspace, even on 64-bit SoCs (kara/karat notes, EchoCLI #30).
    "ro.product.cpu.abi": "armeabi-v7a",
    "ro.product.cpu.abilist": "armeabi-v7a,armeabi",
    "ro.product.cpu.abilist32": "armeabi-v7a,armeabi",
    "ro.product.cpu.abilist64": "",
    "ro.zygote": "zygote32",  # real (mantis, sheldon)
    # Display: Fire TV renders at 1920x1080 xhdpi whatever the TV (Amazon "Display and Layout").
    "ro.sf.lcd_density": "320",
    "ro.amazon.sys.fbs-size": "1920x1080",  # real on sheldon; assumed on the other models
    # Locale and time.
    "ro.product.locale": "en-US",
    "persist.sys.timezone": "America/New_York",  # as in a Fire TV getprop test fixture (AFTALMO)
    # ART/Dalvik.
    "persist.sys.dalvik.vm.lib.2": "libart.so",
    "ro.dalvik.vm.native.bridge": "0",  # real (mantis, sheldon)
    "dalvik.vm.heapstartsize": "8m",  # AOSP default, invented for Fire TV
    "dalvik.vm.heapgrowthlimit": "128m",  # real (sheldon)
    "dalvik.vm.heapsize": "256m",  # real (sheldon)
    "dalvik.vm.heaptargetutilization": "0.75",  # AOSP default
    "dalvik.vm.heapminfree": "512k",
    "dalvik.vm.heapmaxfree": "8m",
    "dalvik.vm.isa.arm.features": "default",
    "dalvik.vm.dex2oat-Xms": "64m",  # real (stock Fire OS 6 default.prop)
    "dalvik.vm.dex2oat-Xmx": "512m",
    "dalvik.vm.image-dex2oat-Xms": "64m",
    "dalvik.vm.image-dex2oat-Xmx": "64m",
    # Fire OS / media / HDMI.
    "ro.config.notification_sound": "OnTheHunt.ogg",  # real (sheldon)
    "ro.config.alarm_alert": "Alarm_Classic.ogg",
    "ro.hdmi.wake_on_hotplug": "false",
    "persist.sys.hdmi.keep_awake": "false",
    "drm.service.enabled": "true",
    "camera.disable_zsl_mode": "1",  # real on both mantis and sheldon, camera or not
    "ro.mount.fs": "EXT4",
    # Network: Wi-Fi only, no telephony (no gsm.* / ril.* properties at all).
    "wifi.interface": "wlan0",  # real (sheldon)
    "wifi.direct.interface": "p2p0",
    "net.bt.name": "Android",
    "sys.sysctl.tcp_def_init_rwnd": "60",
}

#: Per Fire OS generation (key: the Fire OS major version).
_ERA_PROPS: dict[int, dict[str, str]] = {
    5: {  # Android 5.1.1, API 22
        "ro.build.tags": "release-keys",  # Fire OS 5 fingerprints end in "user/release-keys"
        "ro.build.platform.version": "",  # real AFTT, empty
        "ro.product.cpu.abi2": "armeabi",
        "persist.sys.language": "en",  # API 22 predates persist.sys.locale
        "persist.sys.country": "US",
        "ro.product.locale.language": "en",
        "ro.product.locale.region": "US",
        "ro.wifi.channels": "",
        "init.svc.sdcard": "running",
        "dalvik.vm.stack-trace-file": "/data/anr/traces.txt",
        "dalvik.vm.dexopt-flags": "m=y",
        "init.svc.media": "running",
        "init.svc.healthd": "running",
        "init.svc.debuggerd": "running",
        # tank's device tree inherits tablet-7in-hdpi-1024-dalvik-heap.mk
        "dalvik.vm.heapgrowthlimit": "80m",
        "dalvik.vm.heapsize": "384m",
    },
    6: {  # Android 7.1.2, API 25
        "ro.build.tags": "amz-p,release-keys",
        "ro.build.version.preview_sdk": "0",
        "ro.build.version.base_os": "",
        "ro.product.cpu.abi2": "armeabi",
        "ro.wifi.channels": "",
        "persist.sys.locale": "en-US",
        "persist.sys.amzn_drm.skip_mask": "0x400",  # real (stock Fire OS 6 default.prop)
        "dalvik.vm.stack-trace-file": "/data/anr/traces.txt",
        "dalvik.vm.usejit": "true",
        "dalvik.vm.usejitprofiles": "true",
        "dalvik.vm.appimageformat": "lz4",
        "pm.dexopt.first-boot": "interpret-only",  # the pm.dexopt.* block is real (stock Fire OS 6)
        "pm.dexopt.boot": "verify-profile",
        "pm.dexopt.install": "interpret-only",
        "pm.dexopt.bg-dexopt": "speed-profile",
        "pm.dexopt.ab-ota": "speed-profile",
        "pm.dexopt.nsys-library": "speed",
        "pm.dexopt.shared-apk": "speed",
        "pm.dexopt.forced-dexopt": "speed",
        "pm.dexopt.core-app": "speed",
        "init.svc.audioserver": "running",
        "init.svc.media": "running",
        "init.svc.mediacodec": "running",
        "init.svc.mediadrm": "running",
        "init.svc.mediaextractor": "running",
        "init.svc.healthd": "running",
        "init.svc.debuggerd": "running",
    },
    7: {  # Android 9, API 28
        "ro.build.tags": "amz-p,release-keys",
        "ro.build.version.preview_sdk": "0",
        "ro.build.version.base_os": "",
        "persist.sys.locale": "en-US",
        "ro.treble.enabled": "true",
        "ro.vndk.version": "28",  # real (sheldon vendor/default.prop)
        "ro.boot.verifiedbootstate": "green",  # real (kara)
        "ro.boot.flash.locked": "1",
        "ro.boot.veritymode": "enforcing",
        "ro.oem_unlock_supported": "1",  # real (sheldon)
        "ro.logd.size.stats": "64K",
        "ro.logd.kernel": "true",
        "log.tag.stats_log": "I",
        "ro.vendor.rc": "/vendor/etc/init/hw/",
        "persist.sys.ota_allow_metered": "true",  # real (sheldon)
        "persist.sys.disable_rescue": "true",
        "dalvik.vm.dex2oat-threads": "3",
        "dalvik.vm.usejit": "true",
        "dalvik.vm.usejitprofiles": "true",
        "dalvik.vm.appimageformat": "lz4",
        "pm.dexopt.first-boot": "quicken",  # AOSP 9 defaults
        "pm.dexopt.boot": "verify",
        "pm.dexopt.install": "quicken",
        "pm.dexopt.bg-dexopt": "speed-profile",
        "pm.dexopt.ab-ota": "speed-profile",
        "pm.dexopt.inactive": "verify",
        "pm.dexopt.shared": "speed",
        "init.svc.audioserver": "running",
        "init.svc.hwservicemanager": "running",
        "init.svc.vndservicemanager": "running",
        "init.svc.mediacodec": "running",
        "init.svc.mediadrm": "running",
        "init.svc.mediaextractor": "running",
        "init.svc.media": "running",
        "init.svc.statsd": "running",
        "init.svc.storaged": "running",
        "init.svc.tombstoned": "running",
        "init.svc.wificond": "running",
    },
    8: {  # Android 11, API 30
        "ro.build.tags": "amz-p,release-keys",
        "ro.build.version.preview_sdk": "0",
        "ro.build.version.base_os": "",
        "ro.build.version.min_supported_target_sdk": "23",
        "persist.sys.locale": "en-US",
        "ro.treble.enabled": "true",  # real (karat)
        "ro.boot.dynamic_partitions": "true",  # real (karat)
        "ro.vndk.version": "30",
        "ro.boot.verifiedbootstate": "green",
        "ro.boot.flash.locked": "1",
        "ro.boot.veritymode": "enforcing",
        "ro.oem_unlock_supported": "1",
        "ro.logd.size.stats": "64K",
        "ro.logd.kernel": "true",
        "log.tag.stats_log": "I",
        "persist.sys.ota_allow_metered": "true",
        "persist.sys.disable_rescue": "true",
        "dalvik.vm.dex2oat-threads": "3",
        "dalvik.vm.usejit": "true",
        "dalvik.vm.usejitprofiles": "true",
        "dalvik.vm.appimageformat": "lz4",
        "pm.dexopt.first-boot": "quicken",  # AOSP 11 defaults
        "pm.dexopt.boot": "verify",
        "pm.dexopt.install": "speed-profile",
        "pm.dexopt.bg-dexopt": "speed-profile",
        "pm.dexopt.ab-ota": "speed-profile",
        "pm.dexopt.inactive": "verify",
        "pm.dexopt.shared": "speed",
        "init.svc.audioserver": "running",
        "init.svc.hwservicemanager": "running",
        "init.svc.vndservicemanager": "running",
        "init.svc.mediacodec": "running",
        "init.svc.mediadrm": "running",
        "init.svc.mediaextractor": "running",
        "init.svc.media": "running",
        "init.svc.statsd": "running",
        "init.svc.storaged": "running",
        "init.svc.tombstoned": "running",
        "init.svc.wificond": "running",
        "init.svc.apexd": "running",
    },
}

#: Per SoC family.  ``{device}`` is replaced by ``ro.product.device``.
_SOC_PROPS: dict[str, dict[str, str]] = {
    "mt8127": {  # real AFTT
        "ro.mediatek.platform": "MT8127",
        "dalvik.vm.isa.arm.variant": "cortex-a7",
    },
    "mt8695-fos6": {  # mantis on Fire OS 6: pre-Treble (no ro.vendor.* prefix)
        "ro.mediatek.platform": "MT8695",
        "ro.mtk_sec_video_path_support": "1",
        "mtk_in_house_tee_support": "true",
        "ro.mtk_key_manager_kb_path": "1",  # real (stock Fire OS 6 default.prop)
        "dalvik.vm.isa.arm.variant": "cortex-a53",
    },
    "mt8695": {  # real (sheldon vendor/build.prop, Fire OS 7)
        "ro.vendor.mediatek.platform": "MT8695",
        "ro.vendor.mediatek.version.branch": "alps-mp-p0.mp8.tc6sp",
        "ro.vendor.mediatek.version.release": "alps-mp-p0.mp8.tc6sp-of.p66",
        "ro.vendor.mtk_widevine_drm_l1_support": "1",
        "ro.vendor.mtk_sec_video_path_support": "1",
        "ro.vendor.mtk_in_house_tee_support": "true",
        "ro.vendor.mtk_emmc_support": "1",
        "ro.hardware.audio.primary": "{device}",
        "ro.hardware.audio.a2dp": "{device}",
        "dalvik.vm.mtk-stack-trace-file": "/data/anr/mtk_traces.txt",
        "debug.sf.disable_backpressure": "1",
        "ro.crypto.volume.filenames_mode": "aes-256-cts",
        "dalvik.vm.isa.arm.variant": "cortex-a53",
    },
    "mt8696": {  # kara / karat: same MediaTek vendor layout as mt8695 (assumed); Cortex-A55 per the karat notes
        "ro.vendor.mediatek.platform": "MT8696",
        "ro.vendor.mtk_widevine_drm_l1_support": "1",
        "ro.vendor.mtk_sec_video_path_support": "1",
        "ro.vendor.mtk_in_house_tee_support": "true",
        "ro.vendor.mtk_emmc_support": "1",
        "ro.hardware.audio.primary": "{device}",
        "ro.hardware.audio.a2dp": "{device}",
        "dalvik.vm.mtk-stack-trace-file": "/data/anr/mtk_traces.txt",
        "debug.sf.disable_backpressure": "1",
        "ro.crypto.volume.filenames_mode": "aes-256-cts",
        "dalvik.vm.isa.arm.variant": "cortex-a55",
    },
    "amlogic": {  # Cube 2nd/3rd gen (Amlogic, Mali GPU per the CVE-2022-46395 ports); values are AOSP-typical
        "ro.hardware.audio.primary": "{device}",
        "ro.crypto.volume.filenames_mode": "aes-256-cts",
        "dalvik.vm.isa.arm.variant": "cortex-a73",
    },
}

# ---------------------------------------------------------------------------------------------------------------
# Features (``pm list features``).
# ---------------------------------------------------------------------------------------------------------------

#: A real Fire TV ``pm list features`` (gist okuoku/256606ab897c4dc284ae421ee9acbf7d, Fire OS 6 era, GLES 3.2).
#: The capture was cut after ``android.software.v``; ``voice_recognizers`` and ``webview`` complete it (inferred).
_FEATURES_REAL: tuple[str, ...] = (
    "amazon.hardware.fire_tv",
    "amazon.hardware.low_power",
    "amazon.hardware.no_rtc",
    "amazon.service.amazon_logd",
    "amazon.software.device_control",
    "android.hardware.audio.output",
    "android.hardware.bluetooth",
    "android.hardware.bluetooth_le",
    "android.hardware.faketouch",
    "android.hardware.hdmi.cec",
    "android.hardware.location",
    "android.hardware.location.network",
    "android.hardware.opengles.aep",
    "android.hardware.screen.landscape",
    "android.hardware.type.television",
    "android.hardware.usb.accessory",
    "android.hardware.usb.host",
    "android.hardware.wifi",
    "android.software.connectionservice",
    "android.software.device_admin",
    "android.software.home_screen",
    "android.software.input_methods",
    "android.software.leanback",
    "android.software.leanback_only",
    "android.software.live_tv",
    "android.software.midi",
    "android.software.picture_in_picture",
    "android.software.voice_recognizers",  # inferred completion of the cut capture
    "android.software.webview",  # inferred completion of the cut capture
)

#: Features that need a minimum API level (AOSP constants' "added in").
_FEATURE_MIN_SDK: dict[str, int] = {
    "android.software.midi": 23,
    "android.software.picture_in_picture": 24,
    "android.software.activities_on_secondary_displays": 26,
    "android.software.autofill": 26,
}

#: Added on Fire OS 7/8 from AOSP ``tv_core_hardware.xml`` (inferred, no Fire TV capture).
_FEATURES_TV_CORE_O: tuple[str, ...] = (
    "android.software.activities_on_secondary_displays",
    "android.software.autofill",
)


# ---------------------------------------------------------------------------------------------------------------
# The model.
# ---------------------------------------------------------------------------------------------------------------

_FINGERPRINT_RE = re.compile(
    r"^(?P<brand>[^/]+)/(?P<product>[^/]+)/(?P<device>[^:]+):(?P<release>[^/]+)/(?P<build_id>[^/]+)/"
    r"(?P<incremental>[^:]+):(?P<type>[^/]+)/(?P<tags>.+)$"
)

# DSN-style serial alphabet: digits and upper-case letters without I and O (readability; an assumption).
_SERIAL_ALPHANUM = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _fire_os_major(sdk: int) -> int:
    """The Fire OS generation for an API level ([AMZ-ID]: 22 -> 5, 25 -> 6, 28 -> 7, 29/30 -> 8)."""
    if sdk <= 22:
        return 5
    if sdk <= 25:
        return 6
    if sdk <= 28:
        return 7
    return 8


def _utc(stamp: str) -> int:
    """Seconds since the epoch for an ISO ``YYYY-MM-DDTHH:MM:SS`` UTC time."""
    return int(datetime.fromisoformat(stamp).replace(tzinfo=timezone.utc).timestamp())


def _build_date(utc: int) -> str:
    """``ro.build.date`` as Android's build prints it (``date`` in the C locale, UTC)."""
    when = datetime.fromtimestamp(utc, tz=timezone.utc)
    # ``date`` pads a one-digit day with a space ("Nov  1"); every date in this table has two digits anyway.
    return f"{when:%a %b} {when.day:2d} {when:%H:%M:%S} UTC {when.year}"


@dataclass(frozen=True)
class DeviceModel:
    """One Fire TV model: the build identity plus what sets its ``getprop`` and ``pm list features``."""

    code: str  # ro.product.model, e.g. "AFTMM"
    marketing_name: str  # "Fire TV Stick 4K (1st gen, 2018)"
    product: str  # ro.product.name (what the adb banner's product: shows)
    device: str  # ro.product.device, the codename, e.g. "mantis"
    fire_os: str  # ro.build.version.name, e.g. "Fire OS 6.7.1.1 (NS6711/5908)"
    sdk: int  # ro.build.version.sdk
    release: str  # ro.build.version.release, e.g. "7.1.2"
    build_id: str  # ro.build.id
    screen: tuple[int, int]  # physical display size as ``wm size`` reports it
    incremental: str  # ro.build.version.incremental
    fingerprint: str  # ro.build.fingerprint (its "release" field is not the Android version, see the reference)
    platform: str  # ro.board.platform
    hardware: str  # ro.hardware / ro.boot.hardware
    board: str  # ro.product.board
    soc: str  # key into the SoC property table
    build_date: str  # ISO UTC time of the build, source of ro.build.date and ro.build.date.utc
    build_host: str  # ro.build.host
    security_patch: str = ""  # ro.build.version.security_patch ("" = absent, as on Fire OS 5)
    vendor_security_patch: str = ""  # ro.vendor.build.security_patch; defaults to security_patch
    first_api_level: int | None = None  # ro.product.first_api_level (Fire OS 7+); defaults to sdk
    nrdp_modelgroup: str = ""  # ro.nrdp.modelgroup (Netflix model group), "" where not known
    kernel: str = ""  # ``uname -r``
    gles_version: int = 0x30002  # ro.opengles.version (major << 16 | minor)
    uhd: bool = False  # 4K-capable output
    serial_prefix: str = "G070"  # first four characters of the DSN
    extra_features: tuple[str, ...] = ()
    removed_features: tuple[str, ...] = ()
    overrides: tuple[tuple[str, str], ...] = ()  # model-specific getprop values (last word)
    notes: str = field(default="", compare=False)  # provenance of this model's identity values

    # -- derived identity ---------------------------------------------------------------------------------------

    @property
    def fire_os_major(self) -> int:
        """The Fire OS generation (5, 6, 7 or 8)."""
        return _fire_os_major(self.sdk)

    @property
    def build_date_utc(self) -> int:
        """``ro.build.date.utc``."""
        return _utc(self.build_date)

    @property
    def req_gl_es_version(self) -> str:
        """The ``reqGlEsVersion=0x..`` value ``pm list features`` prints first (from ro.opengles.version)."""
        return f"0x{self.gles_version:x}"

    @property
    def description(self) -> str:
        """``ro.build.description``, in the format Fire OS builds use (e.g. ``mantis-user 6.0 NS6265 2157 ...``)."""
        fp = _FINGERPRINT_RE.match(self.fingerprint)
        if fp is None:  # pragma: no cover - the table is checked by the tests
            raise ValueError(f"malformed fingerprint for {self.code}: {self.fingerprint}")
        incremental = fp["incremental"]
        if re.fullmatch(r"\d+N", incremental):  # "5908N" in the fingerprint is "5908" in the description
            incremental = incremental[:-1]
        return f"{self.product}-{fp['type']} {fp['release']} {fp['build_id']} {incremental} {fp['tags']}"

    # -- per-generation behaviour --------------------------------------------------------------------------------

    @property
    def adbd_features(self) -> tuple[str, ...]:
        """What this generation's adbd advertises in its CNXN banner (``features=``), from AOSP adb's
        ``transport.cpp`` feature constants and the Android release that added each one:

        - Android 5.1 (Fire OS 5): no ``features=`` at all; the banner ends ``ro.product.device=...;``
          (AOSP lollipop-mr1 ``adb.c`` ``fill_connect_data``), so ``adb shell`` uses a PTY (CRLF, no exit status);
        - ``shell_v2`` from Android 7 (Fire OS 6; AOSP nougat ``FEATURE_SHELL2``);
        - ``stat_v2``/``ls_v2``/``fixed_push_mkdir`` from Android 9 (Fire OS 7);
        - ``sendrecv_v2``/``sendrecv_v2_dry_run_send`` from Android 11 (Fire OS 8);
        - ``delayed_ack`` only from Android 12, i.e. no Fire OS TV model here.

        "cmd"/"abb" are left out on purpose: the virtual package manager does not implement them.
        ASSUMPTION: Amazon ships AOSP's adbd unchanged in each generation (settle by: `adb features` on
        one device per generation).
        """
        era = self.fire_os_major
        features: list[str] = []
        if era >= 6:
            features.append("shell_v2")
        if era >= 7:
            features += ["stat_v2", "ls_v2", "fixed_push_mkdir"]
        if era >= 8:
            features += ["sendrecv_v2", "sendrecv_v2_dry_run_send"]
        return tuple(features)

    @property
    def shell_v2(self) -> bool:
        """Whether ``adb shell`` gets separate stdout/stderr and an exit status (Fire OS 6+)."""
        return "shell_v2" in self.adbd_features

    @property
    def toybox(self) -> bool:
        """toybox (Android 6+) rather than toolbox (Fire OS 5: Android 5.1 ships toolbox, toybox came in 6.0,
        AOSP ``system/core/toolbox`` and ``external/toybox`` history)."""
        return self.sdk >= 23

    @property
    def launcher_style(self) -> str:
        """How the home screen is built: ``"views"`` (Fire OS 5-7, classic Android views, a content card's title
        on its ``main_image`` child, tests/samples firetv_launcher_resource_ids, docs/fire-os.md) or ``"compose"`` (Fire OS 8,
        Jetpack Compose: ``row_content`` rows and tiles tagged ``TileTestTag``, toolicious/home-on-fire #10)."""
        return "compose" if self.fire_os_major >= 8 else "views"

    @property
    def window_dump_has_focus(self) -> bool:
        """Whether ``dumpsys window windows`` prints ``mCurrentFocus``/``mFocusedApp``: not on Fire OS 8
        (python-androidtv #372: nothing on AFTKRT 8.1.8.2; ``mInputMethodTarget`` still works)."""
        return self.fire_os_major < 8

    @property
    def notification_limit_wording(self) -> str:
        """The verb of NotificationManagerService's 50-per-package line: Android <= 7.1 says "posted"
        (nougat ``enqueueNotificationInternal``: ``Package has already posted N notifications.  Not showing
        more.  package=P``), Android 8+ "posted or enqueued" (``checkDisqualifyingFeatures``)."""
        return "posted" if self.sdk < 26 else "posted or enqueued"

    def banner_fields(self) -> dict[str, str]:
        """The three identity properties the adb CNXN banner carries."""
        return {"ro.product.name": self.product, "ro.product.model": self.code, "ro.product.device": self.device}

    # -- getprop -------------------------------------------------------------------------------------------------

    def _identity_props(self) -> dict[str, str]:
        """The build identity, computed from the model fields."""
        era = self.fire_os_major
        date_utc = str(self.build_date_utc)
        date = _build_date(self.build_date_utc)
        props: dict[str, str] = {
            "ro.product.model": self.code,
            "ro.product.name": self.product,
            "ro.product.device": self.device,
            "ro.product.board": self.board,
            "ro.build.product": self.device,
            "ro.board.platform": self.platform,
            "ro.hardware": self.hardware,
            "ro.boot.hardware": self.hardware,
            "ro.build.id": self.build_id,
            "ro.build.display.id": self.build_id,  # Fire OS sets display.id to the build id (EchoCLI #30, suez)
            "ro.build.version.name": self.fire_os,
            "ro.build.version.sdk": str(self.sdk),
            "ro.build.version.release": self.release,
            "ro.build.version.incremental": self.incremental,
            "ro.build.fingerprint": self.fingerprint,
            "ro.build.description": self.description,
            "ro.build.flavor": f"{self.product}-user",
            "ro.build.date": date,
            "ro.build.date.utc": date_utc,
            "ro.build.host": self.build_host,
            "ro.opengles.version": str(self.gles_version),
        }
        if era >= 6:  # ro.bootimage.build.* arrived with Android 6 (real on stock Fire OS 6 default.prop)
            props.update({
                "ro.bootimage.build.fingerprint": self.fingerprint,
                "ro.bootimage.build.date": date,
                "ro.bootimage.build.date.utc": date_utc,
            })
        if self.security_patch:
            props["ro.build.version.security_patch"] = self.security_patch
        if self.nrdp_modelgroup:
            props["ro.nrdp.modelgroup"] = self.nrdp_modelgroup
        if era >= 7:
            # Android 9 split identity per partition (real: ro.product.vendor.* and ro.vendor.build.* on sheldon).
            props.update({
                "ro.product.first_api_level": str(self.first_api_level or self.sdk),
                "ro.product.vendor.brand": "Amazon",
                "ro.product.vendor.manufacturer": "Amazon",
                "ro.product.vendor.model": self.code,
                "ro.product.vendor.name": self.product,
                "ro.product.vendor.device": self.device,
                "ro.vendor.build.fingerprint": self.fingerprint,
                "ro.vendor.build.date": date,
                "ro.vendor.build.date.utc": date_utc,
                "ro.vendor.build.security_patch": self.vendor_security_patch or self.security_patch,
                "ro.vendor.product.cpu.abilist": "armeabi-v7a,armeabi",
                "ro.vendor.product.cpu.abilist32": "armeabi-v7a,armeabi",
                "ro.vendor.product.cpu.abilist64": "",
            })
        if era >= 8:
            props["ro.build.version.release_or_codename"] = self.release
        return props

    def _serial_props(self, serial: str) -> dict[str, str]:
        """Properties that depend on the unit (its serial), not on the model."""
        digest = hashlib.sha256(f"{self.code}/{serial}".encode()).hexdigest()
        # Invented: Fire TVs show up on routers as "amazon-<hex>", and a Vega capture logs the host name as
        # "amazon-<16 hex>"; Fire OS's own net.hostname value was not found in any capture.
        hostname = "amazon-" + digest[:16]
        # Invented: first boot some days after the build, stable per unit.
        firstboot_ms = (self.build_date_utc + 86400 * (7 + int(digest[16:20], 16) % 60)) * 1000
        return {
            "ro.serialno": serial,
            "ro.boot.serialno": serial,
            "net.hostname": hostname,
            "ro.runtime.firstboot": str(firstboot_ms),
        }

    def properties(self, serial: str) -> dict[str, str]:
        """The full getprop set (insertion-ordered, sorted by key as getprop prints) for a device with this serial."""
        props: dict[str, str] = dict(_BASE_PROPS)
        props.update(_ERA_PROPS[self.fire_os_major])
        props.update({key: value.replace("{device}", self.device) for key, value in _SOC_PROPS[self.soc].items()})
        props.update(self._identity_props())
        props.update(self._serial_props(serial))
        props.update(self.overrides)
        return {key: props[key] for key in sorted(props)}

    # -- pm list features ----------------------------------------------------------------------------------------

    def features(self) -> list[str]:
        """`pm list features` names (without the 'feature:' prefix), sorted, including amazon.hardware.fire_tv,
        android.software.leanback_only, android.hardware.type.television and what a real Fire TV of this SDK lists."""
        names = {name for name in _FEATURES_REAL if self.sdk >= _FEATURE_MIN_SDK.get(name, 0)}
        if self.gles_version < 0x30001:  # the Android extension pack needs OpenGL ES 3.1
            names.discard("android.hardware.opengles.aep")
        if self.sdk >= 28:
            names.update(_FEATURES_TV_CORE_O)
        names.update(self.extra_features)
        names.difference_update(self.removed_features)
        return sorted(names)

    def pm_list_features(self) -> str:
        """The exact ``pm list features`` output: the GLES version line first, then one feature per line."""
        lines = [f"feature:reqGlEsVersion={self.req_gl_es_version}"]
        lines.extend(f"feature:{name}" for name in self.features())
        return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------------------------
# The models.  "real" = copied from a capture named in the module docstring; everything else says why it is so.
# ---------------------------------------------------------------------------------------------------------------

_MODEL_LIST: tuple[DeviceModel, ...] = (
    DeviceModel(
        code="AFTMM",
        marketing_name="Fire TV Stick 4K (1st gen, 2018)",
        product="mantis",
        device="mantis",
        fire_os="Fire OS 6.7.1.1 (NS6711/5908)",  # version from dumbtv, build numbers from the real fingerprint
        sdk=25,
        release="7.1.2",
        build_id="NS6711",  # real
        screen=(1920, 1080),
        incremental="0011644900484",  # real
        fingerprint="Amazon/mantis/mantis:6.0/NS6711/5908N:user/amz-p,release-keys",  # real
        platform="mt8695",  # LOSMantis BoardConfig.mk (TARGET_BOARD_PLATFORM)
        hardware="mt8695",  # fstab.mt8695 / init.mt8695.rc in the stock ramdisk
        board="mantis",  # LOSMantis lineage.mk PRODUCT_BOARD
        soc="mt8695-fos6",
        build_date="2024-07-16T21:08:41",  # invented (NS6711 is a 2024-era Fire OS 6 build)
        build_host="i3-ri-14-use1a-b-16-04-fos-131",  # invented, shape of a real Fire OS 6 build host
        security_patch="2024-05-01",  # invented
        nrdp_modelgroup="FIRETVSTICK2018",  # real (quoted getprop line in a Fire TV test-report helper)
        kernel="4.4.120+",  # real
        uhd=True,
        serial_prefix="G074",  # invented
        notes="Real AFTMM identity from Delitants/firetv-mantis-standalone (live-verified build profile).",
    ),
    DeviceModel(
        code="AFTKA",
        marketing_name="Fire TV Stick 4K Max (1st gen, 2021)",
        product="kara",
        device="kara",
        fire_os="Fire OS 7.7.1.3 (PS7713/5443)",  # 7.7.1.3 = PS7713.5443N (dumbtv)
        sdk=28,
        release="9",
        build_id="PS7713.5443N",  # real (on-screen build, TEST-EVIDENCE.md)
        screen=(1920, 1080),
        incremental="0035334210436",  # real (ro.build.version.incremental)
        # Reconstructed: TEST-EVIDENCE.md says the fingerprint on screen embeds 0035334210304 (not the incremental).
        fingerprint="Amazon/kara/kara:9/PS7713.5443N/0035334210304:user/amz-p,release-keys",
        platform="mt8696",  # real
        hardware="mt8696",
        board="kara",
        soc="mt8696",
        build_date="2024-10-15T04:12:37",  # invented
        build_host="i3-ri-14-use1a-b-16-04-fos-207",  # invented
        security_patch="2024-08-01",  # invented
        first_api_level=28,
        kernel="4.14.87+",  # real
        uhd=True,
        serial_prefix="G077",  # invented
        extra_features=("amazon.hardware.uhd_capable",),  # Amazon lists it for 4K boxes; not captured on kara
        notes="Real AFTKA identity from Delitants/firetv-kara-standalone live validation.",
    ),
    DeviceModel(
        code="AFTKM",
        marketing_name="Fire TV Stick 4K (2nd gen, 2023)",
        product="karat",
        device="karat",  # the 4K 2nd gen teardown reports karat (one other note says "mantra"; not followed)
        fire_os="Fire OS 8.1.4.9 (RS8149/3133)",
        sdk=30,
        release="11",
        build_id="RS8149.3133N",  # real
        screen=(1920, 1080),
        incremental="0028723395972",  # real (from the fingerprint)
        fingerprint="Amazon/karat/karat:11/RS8149.3133N/0028723395972:user/amz-p,release-keys",  # real
        platform="mt8696",  # real (BoardConfig TARGET_BOARD_PLATFORM, androidboot.hardware=mt8696)
        hardware="mt8696",
        board="karat",
        soc="mt8696",
        build_date="2022-09-13T06:41:22",  # invented, after the 2022-07-05 patch level
        build_host="i3-ri-14-use1a-b-16-04-fos-188",  # invented
        security_patch="2022-07-05",  # real
        first_api_level=30,
        kernel="4.19.191+",  # invented
        uhd=True,
        serial_prefix="G072",  # real (DSN G072JN09432608JD)
        extra_features=("amazon.hardware.uhd_capable",),
        notes="Fingerprint, platform, patch level and DSN shape from a karat (AFTKM) teardown write-up.",
    ),
    DeviceModel(
        code="AFTKRT",
        marketing_name="Fire TV Stick 4K Max (2nd gen, 2023)",
        product="karat",
        device="karat",
        fire_os="Fire OS 8.1.8.2 (RS8182/3811)",  # matches the model table (Fire OS 8.1.8.2, RS8182.3811N)
        sdk=30,
        release="11",
        build_id="RS8182.3811N",  # real
        screen=(1920, 1080),
        incremental="0032548774788",  # real (from the fingerprint)
        fingerprint="Amazon/karat/karat:11/RS8182.3811N/0032548774788:user/amz-p,release-keys",  # real
        platform="mt8696",
        hardware="mt8696",
        board="karat",
        soc="mt8696",
        build_date="2024-11-19T02:57:10",  # invented
        build_host="i3-ri-14-use1a-b-16-04-fos-214",  # invented
        security_patch="2024-09-01",  # invented
        first_api_level=30,
        kernel="4.19.191+",  # invented
        uhd=True,
        serial_prefix="G072",  # invented (same platform as AFTKM)
        extra_features=("amazon.hardware.uhd_capable",),
        notes="Fingerprint from a Termux capture on a Fire OS 8 karat stick.",
    ),
    DeviceModel(
        code="AFTSS",
        marketing_name="Fire TV Stick Lite (1st gen, 2020)",  # the same code is also sold as Fire TV Stick HD (2024)
        product="sheldon",
        device="sheldon",
        fire_os="Fire OS 7.2.4.9 (PS7249/2719)",  # real (sheldonp_dumps)
        sdk=28,
        release="9",
        build_id="PS7249",  # real (fingerprint)
        screen=(1920, 1080),
        incremental="0021039325060",  # real (OTA name update-kindle-sheldon-PS7249_user_2719_0021039325060)
        fingerprint="Amazon/sheldon/sheldon:7.0/PS7249/2719N:user/amz-p,release-keys",  # real
        platform="mt8695",  # real
        hardware="mt8695",
        board="sheldon",  # real
        soc="mt8695",
        build_date="2021-06-27T05:45:19",  # real (ro.vendor.build.date.utc=1624772719)
        build_host="i3-ri-14-use1a-b-16-04-fos-152",  # invented
        security_patch="2021-05-05",  # invented
        vendor_security_patch="2018-10-05",  # real
        first_api_level=28,  # real
        kernel="4.9.117+",  # invented
        serial_prefix="G078",  # invented
        overrides=(("persist.sys.bootanim.selecteddevice", "2"), ("media.audio.hrt_freq", "13000")),  # real
        notes="sheldon vendor/build.prop and default.prop from DarkDroidDev/sheldonp_dumps.",
    ),
    DeviceModel(
        code="AFTSSS",
        marketing_name="Fire TV Stick (3rd gen, 2020)",
        product="sheldonp",
        device="sheldonp",
        fire_os="Fire OS 7.6.8.8 (PS7688/4591)",
        sdk=28,
        release="9",
        build_id="PS7688.4591N",  # real
        screen=(1920, 1080),
        incremental="0032112766720",  # real (from the fingerprint)
        fingerprint="Amazon/sheldonp/sheldonp:9/PS7688.4591N/0032112766720:user/amz-p,release-keys",  # real
        platform="mt8695",  # same MT8695 family as sheldon (sheldonp_dumps README)
        hardware="mt8695",
        board="sheldonp",
        soc="mt8695",
        build_date="2024-03-12T08:20:54",  # invented
        build_host="i3-ri-14-use1a-b-16-04-fos-176",  # invented
        security_patch="2024-01-01",  # invented
        vendor_security_patch="2018-10-05",  # as sheldon (same vendor tree; assumed)
        first_api_level=28,
        kernel="4.9.117+",  # invented
        serial_prefix="G079",  # invented
        overrides=(("persist.sys.bootanim.selecteddevice", "2"), ("media.audio.hrt_freq", "13000")),  # as sheldon
        notes="Fingerprint from a build-info parser's test input (a getprop line).",
    ),
    DeviceModel(
        code="AFTGAZL",
        marketing_name="Fire TV Cube (3rd gen, 2022)",
        product="gazelle",
        device="gazelle",  # real (shell prompt "gazelle:/ $")
        fire_os="Fire OS 7.6.5.2 (PS7652/3564)",  # "PS7652/3564" is how the PoC README names this build
        sdk=28,
        release="9",
        build_id="PS7652.3564N",  # real
        screen=(1920, 1080),
        incremental="0028488625152",  # real (from the fingerprint)
        fingerprint="Amazon/gazelle/gazelle:9/PS7652.3564N/0028488625152:user/amz-p,release-keys",  # real
        platform="sc2",  # invented: Amlogic family name guessed; not captured
        hardware="gazelle",  # invented
        board="gazelle",
        soc="amlogic",
        build_date="2023-08-22T17:33:05",  # invented ("late August 2023" per the PoC README)
        build_host="i3-ri-14-use1a-b-16-04-fos-163",  # invented
        security_patch="2023-07-01",  # invented
        first_api_level=28,
        kernel="4.9.269",  # invented
        uhd=True,
        serial_prefix="G091",  # real (DSN G0911X030402009K of a Cube 3rd gen)
        extra_features=("amazon.hardware.uhd_capable", "android.hardware.microphone"),  # far-field mics (assumed)
        notes="Fingerprint from the gazelle CVE-2022-46395 PoC README.",
    ),
    DeviceModel(
        code="AFTT",
        marketing_name="Fire TV Stick (2nd gen, 2016)",
        product="full_tank",  # real
        device="tank",
        fire_os="Fire OS 5.2.6.3 (639566220)",  # build number real; "5.2.6.3" inferred from the tank tools' versions
        sdk=22,  # real
        release="5.1.1",
        build_id="LVY48F",  # real
        screen=(1920, 1080),
        incremental="288.6.3.9_user_639566220",  # real
        fingerprint="Amazon/full_tank/tank:5.1.1/LVY48F/288.6.3.9_user_639566220:user/release-keys",  # real
        platform="mt8127",  # real
        hardware="mt8127",  # real
        board="tank",  # invented
        soc="mt8127",
        build_date="2017-10-24T03:16:52",  # invented
        build_host="i3-ri-14-use1a-b-5",  # invented, shape of a real Fire OS 5 build host
        nrdp_modelgroup="FIRETVSTICK2016",  # real
        kernel="3.10.79+",  # invented
        gles_version=0x20000,  # Mali-450 MP4: OpenGL ES 2.0
        serial_prefix="G070",  # real (G070QQ0474470HT4)
        extra_features=("amazon.software.drm_teardown",),  # Amazon lists it for the Fire OS 5 devices
        overrides=(("ro.camera.model", "Fire HD"),),  # real, oddly
        notes="Partial real getprop (firefox-tv #1294) plus the stock fingerprint copied into tank device trees.",
    ),
    DeviceModel(
        code="AFTR",
        marketing_name="Fire TV Cube (2nd gen, 2019)",
        product="raven",
        device="raven",  # real (shell prompt "raven:/ $")
        fire_os="Fire OS 7.6.4.6 (PS7646/3565)",
        sdk=28,
        release="9",
        build_id="PS7646.3565N",  # real
        screen=(1920, 1080),
        incremental="0028085972224",  # real (from the fingerprint)
        fingerprint="Amazon/raven/raven:9/PS7646.3565N/0028085972224:user/amz-p,release-keys",  # real
        platform="g12b",  # Amlogic S922X family (raven_bootloader_builder builds uboot-amlogic/s922x); name inferred
        hardware="raven",  # invented
        board="raven",
        soc="amlogic",
        build_date="2023-06-13T11:02:48",  # invented (before the PS7652 patch of August 2023)
        build_host="i3-ri-14-use1a-b-16-04-fos-158",  # invented
        security_patch="2023-05-01",  # invented
        first_api_level=28,
        kernel="4.9.113",  # invented
        uhd=True,
        serial_prefix="G089",  # invented
        extra_features=("amazon.hardware.uhd_capable", "android.hardware.microphone"),  # far-field mics (assumed)
        notes="Fingerprint from the raven CVE-2022-46395 PoC README.",
    ),
)

MODELS: dict[str, DeviceModel] = {model.code: model for model in _MODEL_LIST}


def get_model(code: str) -> DeviceModel:
    """The model with this ``ro.product.model`` code (case-insensitive); ValueError naming the known codes otherwise."""
    key = code.strip().upper() if isinstance(code, str) else code
    try:
        return MODELS[key]
    except (KeyError, TypeError):
        known = ", ".join(sorted(MODELS))
        raise ValueError(f"unknown Fire TV model code {code!r}; known models: {known}") from None


def generate_serial(model: DeviceModel, seed: int | str) -> str:
    """A 16-char DSN-shaped serial starting with 'G', deterministic for a seed.

    Shape of the real DSNs ``G072JN09432608JD`` and ``G0911X030402009K``: a four-character device-type prefix,
    two alphanumerics, eight digits, two alphanumerics.  The characters after the prefix are invented (a hash).
    """
    digest = hashlib.sha256(f"firebridge-dsn/{model.code}/{seed}".encode()).digest()
    alnum = [_SERIAL_ALPHANUM[b % len(_SERIAL_ALPHANUM)] for b in digest[:4]]
    digits = "".join(str(b % 10) for b in digest[4:12])
    return f"{model.serial_prefix}{alnum[0]}{alnum[1]}{digits}{alnum[2]}{alnum[3]}"
