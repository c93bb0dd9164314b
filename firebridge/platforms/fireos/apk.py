"""Read an APK's identity and components from its binary ``AndroidManifest.xml`` (pure, no I/O).

An APK is a zip; its ``AndroidManifest.xml`` is Android binary XML (AOSP
``frameworks/base/libs/androidfw/include/androidfw/ResourceTypes.h``): a ``RES_XML_TYPE`` chunk holding
a string pool, a resource-id map and start/end element chunks whose attributes carry typed values.
Both the bridge (which version is installed?) and the virtual device (``pm install``) use this.
"""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass, field

ANDROID_NS = "http://schemas.android.com/apk/res/android"
_RES_STRING_POOL, _RES_XML, _XML_START_ELEMENT, _XML_END_ELEMENT = 0x0001, 0x0003, 0x0102, 0x0103
_UTF8_FLAG = 0x100
_TYPE_STRING, _TYPE_INT_DEC, _TYPE_INT_HEX, _TYPE_BOOLEAN, _TYPE_REFERENCE = 0x03, 0x10, 0x11, 0x12, 0x01
# Attribute resource ids (android.R.attr), used when aapt strips the attribute names.
_ATTR_IDS = {0x01010003: "name", 0x0101021B: "versionCode", 0x0101021C: "versionName",
             0x0101020C: "minSdkVersion", 0x01010270: "targetSdkVersion", 0x01010010: "exported",
             0x01010000: "theme", 0x01010001: "label", 0x01010002: "icon"}


class ApkError(ValueError):
    """Not an APK, or its manifest cannot be read (PackageParser would refuse it too)."""


@dataclass(frozen=True)
class Element:
    """One manifest element: its tag, its attributes (``android:`` prefix dropped) and children."""

    tag: str
    attributes: dict[str, object]
    children: list["Element"] = field(default_factory=list)

    def find_all(self, tag: str) -> list["Element"]:
        return [child for child in self.children if child.tag == tag]


@dataclass(frozen=True)
class Component:
    """An activity or receiver: its class name as declared (``.Main``) and whether it is exported."""

    name: str
    exported: bool | None  # None: not declared (then exported only with an intent filter)
    has_intent_filter: bool


@dataclass(frozen=True)
class ApkManifest:
    """What PackageManager reads from an APK for ``pm install``/``pm path``/``dumpsys package``."""

    package: str
    version_code: int
    version_name: str | None
    min_sdk: int
    target_sdk: int
    activities: tuple[Component, ...]
    receivers: tuple[Component, ...]
    permissions: tuple[str, ...]


def _string_pool(data: bytes, offset: int) -> list[str]:
    _, header_size, _size, count, _styles, flags, strings_start, _ = struct.unpack_from("<HHIIIIII", data, offset)
    offsets = struct.unpack_from(f"<{count}I", data, offset + header_size)
    base = offset + strings_start
    result = []
    for start in offsets:
        pos = base + start
        if flags & _UTF8_FLAG:
            pos += 2 if data[pos] & 0x80 else 1  # UTF-16 length, skipped
            length = data[pos]
            if length & 0x80:
                length = ((length & 0x7F) << 8) | data[pos + 1]
                pos += 1
            pos += 1
            result.append(data[pos:pos + length].decode("utf-8", "replace"))
        else:
            length = struct.unpack_from("<H", data, pos)[0]
            if length & 0x8000:
                length = ((length & 0x7FFF) << 16) | struct.unpack_from("<H", data, pos + 2)[0]
                pos += 2
            pos += 2
            result.append(data[pos:pos + 2 * length].decode("utf-16-le", "replace"))
    return result


def parse_binary_xml(data: bytes) -> Element:
    """The element tree of an Android binary XML document."""
    if len(data) < 8 or struct.unpack_from("<H", data, 0)[0] != _RES_XML:
        raise ApkError("AndroidManifest.xml is not Android binary XML")
    strings: list[str] = []
    resource_ids: list[int] = []
    root: Element | None = None
    stack: list[Element] = []
    offset = struct.unpack_from("<H", data, 2)[0]
    try:
        while offset + 8 <= len(data):
            chunk_type, header_size, size = struct.unpack_from("<HHI", data, offset)
            if size < 8:
                raise ApkError("corrupt binary XML chunk")
            if chunk_type == _RES_STRING_POOL:
                strings = _string_pool(data, offset)
            elif chunk_type == 0x0180:  # RES_XML_RESOURCE_MAP_TYPE
                resource_ids = list(struct.unpack_from(f"<{(size - header_size) // 4}I", data, offset + header_size))
            elif chunk_type == _XML_START_ELEMENT:
                body = offset + header_size
                _ns, name, attr_start, attr_size, attr_count = struct.unpack_from("<iiHHH", data, body)
                attributes: dict[str, object] = {}
                for index in range(attr_count):
                    at = body + attr_start + index * attr_size
                    _ans, aname, raw, _vsize, _res0, vtype, vdata = struct.unpack_from("<iiiHBBI", data, at)
                    key = strings[aname] if aname >= 0 else ""
                    if not key and 0 <= aname < len(resource_ids):
                        key = _ATTR_IDS.get(resource_ids[aname], "")
                    attributes[key] = _value(strings, raw, vtype, vdata)
                element = Element(strings[name], attributes)
                if stack:
                    stack[-1].children.append(element)
                elif root is None:
                    root = element
                stack.append(element)
            elif chunk_type == _XML_END_ELEMENT and stack:
                stack.pop()
            offset += size
    except (struct.error, IndexError) as exc:
        raise ApkError(f"corrupt binary XML: {exc}") from exc
    if root is None:
        raise ApkError("AndroidManifest.xml has no root element")
    return root


def _value(strings: list[str], raw: int, vtype: int, vdata: int) -> object:
    if vtype == _TYPE_STRING or (raw >= 0 and vtype not in (_TYPE_BOOLEAN, _TYPE_REFERENCE)):
        return strings[raw] if raw >= 0 else strings[vdata]
    if vtype == _TYPE_BOOLEAN:
        return vdata != 0
    if vtype in (_TYPE_INT_DEC, _TYPE_INT_HEX):
        return vdata - (1 << 32) if vdata & 0x80000000 else vdata
    if vtype == _TYPE_REFERENCE:
        return f"@0x{vdata:08x}"
    return vdata


def _components(application: Element | None, tag: str) -> tuple[Component, ...]:
    if application is None:
        return ()
    found = []
    for element in application.find_all(tag):
        exported = element.attributes.get("exported")
        found.append(Component(str(element.attributes.get("name", "")),
                               exported if isinstance(exported, bool) else None,
                               bool(element.find_all("intent-filter"))))
    return tuple(found)


def manifest_from_xml(root: Element) -> ApkManifest:
    """The manifest's identity and components from its element tree."""
    if root.tag != "manifest" or not root.attributes.get("package"):
        raise ApkError("the manifest has no package name")
    uses_sdk = next(iter(root.find_all("uses-sdk")), None)
    sdk = uses_sdk.attributes if uses_sdk is not None else {}
    min_sdk = int(sdk.get("minSdkVersion", 1))  # type: ignore[arg-type]
    application = next(iter(root.find_all("application")), None)
    version_name = root.attributes.get("versionName")
    return ApkManifest(
        package=str(root.attributes["package"]),
        version_code=int(root.attributes.get("versionCode", 0)),  # type: ignore[arg-type]
        version_name=str(version_name) if version_name is not None else None,
        min_sdk=min_sdk,
        target_sdk=int(sdk.get("targetSdkVersion", min_sdk)),  # type: ignore[arg-type]
        activities=_components(application, "activity"),
        receivers=_components(application, "receiver"),
        permissions=tuple(str(e.attributes.get("name", "")) for e in root.find_all("uses-permission")),
    )


def read_manifest(apk: bytes) -> ApkManifest:
    """The manifest of an APK given as bytes; ApkError when it is not a readable APK."""
    try:
        with zipfile.ZipFile(io.BytesIO(apk)) as archive:
            data = archive.read("AndroidManifest.xml")
    except KeyError as exc:
        raise ApkError("the APK has no AndroidManifest.xml") from exc
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ApkError(f"not a zip archive: {exc}") from exc
    return manifest_from_xml(parse_binary_xml(data))


def is_signed(apk: bytes) -> bool:
    """Whether the APK carries a v1 (JAR) signature or an APK Signing Block (v2/v3)."""
    if b"APK Sig Block 42" in apk:
        return True
    try:
        with zipfile.ZipFile(io.BytesIO(apk)) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return False
    return any(n.startswith("META-INF/") and n.upper().endswith((".RSA", ".DSA", ".EC")) for n in names)
