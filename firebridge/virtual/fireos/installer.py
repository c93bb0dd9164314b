"""PackageManager installs on the virtual Fire TV: ``pm install``/``cmd package install -S`` and
``pm uninstall`` of real APK files.

The APK's binary manifest is read (:mod:`firebridge.platforms.fireos.apk`) for its package name, version
and components; the file is kept at ``/data/app/PKG-1/base.apk`` so ``pm path`` finds it. An APK of a
package the virtual device knows how to run (the PMR helper ``com.firebridge.helper``) gets that app's
behaviour, limited to the receivers and activities its manifest declares; any other APK is only
registered (``pm path``/``pm list packages``/``dumpsys package`` see it; nothing of it runs).

Not modelled: signing-certificate continuity (an update signed with another key installs here, where
Android answers INSTALL_FAILED_UPDATE_INCOMPATIBLE), ABIs, split APKs, dex optimisation.

Answers are PackageManagerShellCommand's: ``Success``, or ``Failure [CODE: message]`` (doRunInstall,
``Failure [" + status message + "]"``) with exit status 1.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from firebridge.helperapp import SHIPPED_APK
from firebridge.platforms.fireos.apk import ApkError, ApkManifest, is_signed, read_manifest
from firebridge.virtual.fireos.activities import App
from firebridge.virtual.fireos.apps.helper import HelperApp

if TYPE_CHECKING:
    from firebridge.virtual.fireos.system import VirtualDevice


class InstallFailure(Exception):
    """A failed install or uninstall; ``str()`` is what goes between ``Failure [`` and ``]``."""


@dataclass(frozen=True)
class InstalledApk:
    """A package installed from an APK file (not a built-in app)."""

    manifest: ApkManifest
    path: str


#: Packages whose APK the virtual device can run: package -> factory of its App (given the manifest).
RUNNABLE: dict[str, Callable[["VirtualDevice", ApkManifest], App]] = {}


def _helper_app(device: "VirtualDevice", manifest: ApkManifest) -> App:
    app = HelperApp(device)
    declared = {c.name for c in manifest.receivers if c.exported or c.has_intent_filter}
    app.receivers = {name: receiver for name, receiver in app.receivers.items() if name in declared}
    return app


RUNNABLE["com.firebridge.helper"] = _helper_app


def installed_apks(device: "VirtualDevice") -> dict[str, InstalledApk]:
    """The packages installed from APK files on this device (kept on the device object)."""
    if not hasattr(device, "installed_apks"):
        device.installed_apks = {}  # type: ignore[attr-defined]
    return device.installed_apks  # type: ignore[attr-defined]


def install_apk(device: "VirtualDevice", data: bytes, allow_downgrade: bool = False, log: bool = True) -> ApkManifest:
    """Install (or update) an APK given as bytes; raises InstallFailure with Android's status text.
    ``log=False`` for packages preinstalled at boot (no install line in the log)."""
    try:
        manifest = read_manifest(data)
    except ApkError as exc:
        # ASSUMPTION: the message after the code is abbreviated (settle by: pm install of a non-APK on Fire OS).
        raise InstallFailure(f"INSTALL_PARSE_FAILED_NOT_APK: Failed to parse base.apk: {exc}") from exc
    if not is_signed(data):
        raise InstallFailure("INSTALL_PARSE_FAILED_NO_CERTIFICATES: Failed to collect certificates from "
                             f"/data/app/vmdl.tmp/base.apk: Attempt to get length of null array")
    if manifest.min_sdk > device.model.sdk:
        raise InstallFailure(f"INSTALL_FAILED_OLDER_SDK: Failed parse during installPackageLI: /data/app/vmdl.tmp/"
                             f"base.apk (at Binary XML file line #7): Requires newer sdk version #{manifest.min_sdk} "
                             f"(current version is #{device.model.sdk})")
    existing = device.packages.get(manifest.package)
    previous = installed_apks(device).get(manifest.package)
    if existing is not None and existing.system and previous is None:
        # ASSUMPTION: built-in apps of the virtual device stand for preinstalled ones signed by Amazon.
        raise InstallFailure(f"INSTALL_FAILED_UPDATE_INCOMPATIBLE: Package {manifest.package} signatures do not "
                             f"match previously installed version; ignoring!")
    if previous is not None and manifest.version_code < previous.manifest.version_code and not allow_downgrade:
        raise InstallFailure("INSTALL_FAILED_VERSION_DOWNGRADE")
    path = f"/data/app/{manifest.package}-1/base.apk"
    host = device.fs.host_path(path)  # PackageManager writes as system, outside the shell's permissions
    host.parent.mkdir(parents=True, exist_ok=True)
    host.write_bytes(data)
    if existing is not None:  # an update: Android kills the old process first
        device.activities.force_stop(manifest.package)
    installed_apks(device)[manifest.package] = InstalledApk(manifest, path)
    factory = RUNNABLE.get(manifest.package)
    if factory is not None:
        device.activities.install(factory(device, manifest))  # registers the package at the same path
    else:
        device.install(manifest.package, path)
    if log:
        device.system_log("I", "PackageManager",
                          f"{'Updated' if existing else 'Installed'} package {manifest.package}")
    return manifest


def install_shipped_helper(device: "VirtualDevice") -> None:
    """Preinstall the PMR helper (stopped, as after ``adb install``): the APK that ships with firebridge,
    read as ``pm install`` reads it (so ``dumpsys package`` names its version); the app alone if the
    APK file is absent."""
    if SHIPPED_APK.is_file():
        install_apk(device, SHIPPED_APK.read_bytes(), log=False)
    else:
        device.activities.install(HelperApp(device))


def uninstall(device: "VirtualDevice", package: str, user: str | None = None) -> None:
    """``pm uninstall [--user USER] PKG``: removes an installed (not built-in system) package.

    PackageManagerShellCommand.runUninstall (Android 7+) checks the package first only for one user
    (``--user 0``: ``not installed for 0``); for all users (the default, and ``adb uninstall``) the
    delete itself fails with DELETE_FAILED_INTERNAL_ERROR.
    """
    existing = device.packages.get(package)
    if existing is None:
        if user is not None and user != "all" and device.model.sdk >= 24:
            raise InstallFailure(f"not installed for {0 if user == 'current' else user}")
        raise InstallFailure("DELETE_FAILED_INTERNAL_ERROR")
    if existing.system:
        # ASSUMPTION: built-in apps stand for system apps, which pm cannot remove for all users (settle by:
        # `pm uninstall com.amazon.tv.launcher` on a Fire TV).
        raise InstallFailure("DELETE_FAILED_INTERNAL_ERROR")
    remove_package(device, package)


def remove_package(device: "VirtualDevice", package: str) -> None:
    """Take a package off the device: its process, notifications, app, APK and package record."""
    manager = device.activities
    if package in manager.apps:
        manager.force_stop(package)
        del manager.apps[package]
    notifications = getattr(device, "notifications", None)
    if notifications is not None:
        notifications.cancel_all(package)
    record = installed_apks(device).pop(package, None)
    if record is not None:
        shutil.rmtree(device.fs.host_path(record.path.rsplit("/", 1)[0]), ignore_errors=True)
    device.packages.pop(package, None)
