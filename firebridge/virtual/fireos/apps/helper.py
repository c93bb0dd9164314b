"""The PMR helper app ``com.firebridge.helper``: posts recommendation notifications for tests.

It behaves exactly like the real helper APK that firebridge installs on hardware (its source is
firebridge/helperapp/, docs/helper-app.md; this docstring is the contract), so that the bridge's PMR
code runs unchanged:

- receivers ``.PostRecommendation``, ``.Cancel`` and ``.CancelAll`` (exported, no intent filter),
  reached with ``am broadcast -n com.firebridge.helper/.PostRecommendation ...``;
- ``.PostRecommendation``: id = ``--ei id`` (default 1); title = ``--es title`` (default
  "FireBridge recommendation"); text = ``--es text``; category ``recommendation``; on API 26+ the channel
  ``firebridge_recommendations`` ("Recommendations", IMPORTANCE_LOW), below (Fire OS 5/6) no channel at all
  (``Api26`` is only loaded behind ``Build.VERSION.SDK_INT >= 26``); small icon = the app icon;
  large icon from ``--es large_icon_path FILE`` (falling back to the app icon); a content intent to
  ``--es launch_package PKG``'s launcher activity when that package has one; every
  ``com.amazon.extra.*`` extra copied with its type;
- each receiver answers the ordered broadcast: result -1 with ``posted id=7 amazon_extras=[...]``
  (the copied keys, sorted: ``new TreeSet<>(keys).toString()``), ``cancelled id=7``, ``cancelled all``;
  a failure answers result 1 with ``error: <exception>``. The same text is logged with tag
  ``FireBridgeHelper`` (I on success, E on failure);
- the invisible ``.Main`` activity (Theme.NoDisplay) finishes at once; launching it takes the app out
  of the "stopped" state it is in after install, as on Android. While stopped, a broadcast reaches it
  only with ``--include-stopped-packages``. ``am force-stop`` stops it again and, as Android does for
  a force-stopped package, cancels its notifications.

The real APK cannot see NotificationManagerService drop a notification (``notify`` returns normally
past the 50 limit), so the 51st post still answers ``posted id=51 ...``; the drop shows only in logcat
(``E NotificationService: Package has already posted or enqueued 50 notifications. ...``) and in
``dumpsys notification``.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any, Callable

from firebridge.virtual.fireos.activities import Activity, App
from firebridge.virtual.fireos.intents import ACTION_MAIN, Intent, java_class_name
from firebridge.virtual.fireos.notifications import (AMAZON_EXTRA_PREFIX, CATEGORY_RECOMMENDATION, EXTRA_LARGE_ICON, EXTRA_TEXT,
                             EXTRA_TITLE, IMPORTANCE_LOW, REASON_PACKAGE_CHANGED, ApplicationInfo, Icon,
                             Notification, NotificationChannel, PendingIntent)

if TYPE_CHECKING:
    from firebridge.virtual.fireos.system import VirtualDevice

PACKAGE = "com.firebridge.helper"
LOG_TAG = "FireBridgeHelper"
CHANNEL = NotificationChannel("firebridge_recommendations", "Recommendations", IMPORTANCE_LOW)
DEFAULT_TITLE = "FireBridge recommendation"
RESULT_OK, RESULT_ERROR = -1, 1
# aapt (v1) numbers a res/drawable + res/values app's first drawable 0x7f020000 (0x7f01 is attr).
APP_ICON = Icon("RESOURCE", package=PACKAGE, res_id=0x7F020000, res_name=f"{PACKAGE}:drawable/ic_helper")
# Notification.reduceImageSizes scales the large icon down to notification_right_icon_size (40dp).
_LARGE_ICON_DP = 40
# Shared storage needs READ_EXTERNAL_STORAGE, which the helper (targetSdk 28) neither declares nor is
# granted: it cannot open files there. Files pushed to /data/local/tmp are readable by apps.
_UNREADABLE_PREFIXES = ("/storage/", "/mnt/")
_CHARSEQUENCE_LIMIT = 5 * 1024  # Notification.Builder.safeCharSequence


class JavaException(Exception):
    """An exception as the APK's Java code would see it; ``str()`` is ``Throwable.toString()``."""


class MainActivity(Activity):
    """``.Main``: Theme.NoDisplay, calls finish() in onCreate."""

    name = ".Main"
    label = "FireBridge Helper"

    def on_create(self) -> None:
        self.app.stopped = False  # type: ignore[attr-defined]  # any launch clears the stopped state
        self.finish()


class _Extras:
    """An intent's extras read through Bundle's typed getters (BaseBundle, Android 9): a value of
    another type gives the default and logs Bundle's warning in the app's process."""

    def __init__(self, app: "HelperApp", intent: Intent) -> None:
        self.app, self.intent = app, intent

    def _get(self, key: str, kind: str, java_type: str, default: Any) -> Any:
        if self.intent.extras.get(key) is None:
            return default
        actual = self.intent.extra_types.get(key, "String")
        if actual == kind:
            return self.intent.extras[key]
        shown = "<null>" if default is None else default
        self.app.log("W", "Bundle", f"Key {key} expected {java_type} but value was a {java_class_name(actual)}.  "
                                    f"The default value {shown} was returned.")
        # ASSUMPTION: the exception's stack frames are left out (their line numbers are not known).
        self.app.log("W", "Bundle", "Attempt to cast generated internal exception:\njava.lang.ClassCastException: "
                                    f"{java_class_name(actual)} cannot be cast to java.lang.{java_type}")
        return default

    def get_int(self, key: str, default: int) -> int:
        return self._get(key, "int", "Integer", default)

    def get_string(self, key: str) -> str | None:
        return self._get(key, "String", "String", None)


class HelperApp(App):
    package = PACKAGE
    label = "FireBridge Helper"
    activities = {MainActivity.name: MainActivity}
    launch_activity = None  # no LAUNCHER/LEANBACK_LAUNCHER activity: not shown in Your Apps
    apk = f"/data/app/{PACKAGE}-1/base.apk"
    device: "VirtualDevice"  # the whole system, not only what every app needs (ActivityHost)

    def __init__(self, device: "VirtualDevice") -> None:
        super().__init__(device)
        self.stopped = True  # freshly installed and never launched
        self.receivers = {
            ".PostRecommendation": lambda intent: self._reply(lambda: self._post(intent)),
            ".Cancel": lambda intent: self._reply(lambda: self._cancel(intent)),
            ".CancelAll": lambda intent: self._reply(self._cancel_all),
        }

    def on_process_stop(self) -> None:
        # Force-stop: Android puts the package back in the stopped state and NotificationManagerService
        # cancels its notifications (ACTION_PACKAGE_RESTARTED -> REASON_PACKAGE_CHANGED).
        self.stopped = True
        self.device.notifications.cancel_all(PACKAGE, reason=REASON_PACKAGE_CHANGED)

    # -- receivers ------------------------------------------------------------------------------
    def _reply(self, work: Callable[[], str]) -> tuple[int, str]:
        """onReceive's try/catch Throwable: setResultCode/setResultData, and the same text logged."""
        try:
            data = work()
        except Exception as exc:  # noqa: BLE001 - the APK catches Throwable
            text = str(exc) if isinstance(exc, JavaException) else f"java.lang.RuntimeException: {exc}"
            data = f"error: {text}"
            self.log("E", LOG_TAG, data)
            return RESULT_ERROR, data
        self.log("I", LOG_TAG, data)
        return RESULT_OK, data

    def _post(self, intent: Intent) -> str:
        extras = _Extras(self, intent)
        notification_id = extras.get_int("id", 1)
        title = extras.get_string("title")
        text = extras.get_string("text")
        launch_package = extras.get_string("launch_package")
        icon_path = extras.get_string("large_icon_path")
        manager = self.device.notifications
        sdk = self.device.model.sdk
        channel_id = None
        if sdk >= 26:  # Poster: SDK_INT >= 26 ? Api26.builder(context) : new Builder(context)
            manager.create_channel(PACKAGE, CHANNEL)  # a second create does nothing
            channel_id = CHANNEL.id
        notification = Notification(channel_id=channel_id, category=CATEGORY_RECOMMENDATION,
                                    when=self.device.clock.now_ms(), small_icon=APP_ICON)
        title = title if title is not None else DEFAULT_TITLE
        notification.extras[EXTRA_TITLE] = ("String", title[:_CHARSEQUENCE_LIMIT])
        if text is not None:
            notification.extras[EXTRA_TEXT] = ("String", text[:_CHARSEQUENCE_LIMIT])
        large_icon = (self._decode_icon(icon_path) if icon_path is not None else None) or APP_ICON
        notification.large_icon = large_icon
        if sdk >= 23:
            notification.extras[EXTRA_LARGE_ICON] = ("Icon", large_icon)
        else:  # Android 5.1 has no Icon class: the extra is the Bitmap itself, dumped as "Bitmap (WxH)"
            notification.extras[EXTRA_LARGE_ICON] = ("Bitmap", _bitmap_size(large_icon, self.device))
        if launch_package is not None:
            notification.content_intent = self._launch_intent(launch_package, notification_id)
        amazon = {key: (intent.extra_types[key], value) for key, value in intent.extras.items()
                  if key.startswith(AMAZON_EXTRA_PREFIX)}
        notification.extras.update(amazon)
        # Added by Notification.addFieldsFromContext (Android 7+) and reduceImageSizes on the way to the service.
        # ASSUMPTION: reduceImageSizes (android.reduced.images) is in Fire OS 7 and later only, as in AOSP
        # Pie and later (settle by: `dumpsys notification --noredact` on an AFTMM).
        if sdk >= 24:
            notification.extras["android.appInfo"] = ("ApplicationInfo", ApplicationInfo(PACKAGE))
        if sdk >= 28:
            notification.extras["android.reduced.images"] = ("boolean", True)
        manager.notify(PACKAGE, self.uid, self.pid or 0, notification_id, notification)
        return f"posted id={notification_id} amazon_extras=[{', '.join(sorted(amazon))}]"

    def _cancel(self, intent: Intent) -> str:
        notification_id = _Extras(self, intent).get_int("id", 1)
        self.device.notifications.cancel(PACKAGE, notification_id)
        return f"cancelled id={notification_id}"

    def _cancel_all(self) -> str:
        self.device.notifications.cancel_all(PACKAGE)
        return "cancelled all"

    # -- helpers --------------------------------------------------------------------------------
    def _launch_intent(self, package: str, request_code: int) -> PendingIntent | None:
        """getLeanbackLaunchIntentForPackage, then getLaunchIntentForPackage; None for an unknown
        package or one without a launcher activity (no content intent is set then)."""
        app = self.device.activities.app(package)
        if app is None or app.launch_activity is None:
            return None
        target = Intent(action=ACTION_MAIN, categories=["android.intent.category.LEANBACK_LAUNCHER"],
                        component=f"{package}/{app.launch_activity}", flags=0x10000000)
        return PendingIntent(PACKAGE, request_code, target)

    def _decode_icon(self, path: str) -> Icon | None:
        """BitmapFactory.decodeFile: None (and its log line) when the file cannot be opened or decoded."""
        if self.device.fs.normalize(path).startswith(_UNREADABLE_PREFIXES):
            error = "open failed: EACCES (Permission denied)"
        else:
            try:
                data = self.device.fs.read_bytes(path)
                error = ""
            except IsADirectoryError:
                error = "open failed: EISDIR (Is a directory)"
            except OSError:
                error = "open failed: ENOENT (No such file or directory)"
        if error:
            self.log("E", "BitmapFactory",
                     f"Unable to decode stream: java.io.FileNotFoundException: {path}: {error}")
            return None
        try:
            from PIL import Image
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
        except Exception:  # noqa: BLE001 - any undecodable file
            self.log("D", "skia", "--- Failed to create image decoder with message 'unimplemented'")
            return None
        limit = _LARGE_ICON_DP * int(self.device.properties.get("ro.sf.lcd_density", "320")) // 160
        if width > limit or height > limit:  # Icon.scaleDownIfNecessary
            scale = min(limit / width, limit / height)
            width, height = max(1, int(scale * width)), max(1, int(scale * height))
        return Icon("BITMAP", package=PACKAGE, width=width, height=height, path=path)


def _bitmap_size(icon: Icon, device: "VirtualDevice") -> str:
    """``WxH`` of the large icon as a Bitmap (Android 5.1). The app icon is decoded from res/drawable (mdpi)
    by BitmapFactory.decodeResource, which scales it to the screen density (96 px at 320 dpi: 192 px)."""
    if icon.kind == "BITMAP":
        return f"{icon.width}x{icon.height}"
    side = 96 * int(device.properties.get("ro.sf.lcd_density", "320")) // 160  # ic_helper.png is 96x96
    return f"{side}x{side}"


def install(device: "VirtualDevice") -> None:
    """Install the helper (stopped, as after ``adb install``). The Fire OS personality installs it from
    the shipped APK instead (installer.install_shipped_helper)."""
    device.activities.install(HelperApp(device))
