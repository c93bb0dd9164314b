"""The on-device automation toolkit: JSON-RPC 2.0 over HTTP on device port 8383 (``POST /jsonrpc``).

Reached with ``adb forward tcp:X tcp:8383`` [ARG] or on-device ``curl`` [MAE]. Requests look like
``{"jsonrpc":"2.0","id":1,"method":"getPageSource","params":{}}``; ``result`` is the page-source XML
string, or for ``takeScreenshot`` a base64 PNG (1920x1080) [MAE: VegaAutomationClient.kt][MCP-VVD].
The toolkit attaches to an app when it launches with ``/tmp/automation-toolkit.enable`` present; until
then "the server accepts and closes connections / returns an empty root" (docs/vega-os.md section 6): the
virtual device accepts and closes without a reply (an empty response), which is what Maestro reports
as "Empty response ... relaunch the app under test".

ASSUMPTION: the launcher's tree is included whenever some running app has the toolkit attached (the
real capture shows the launcher beside a toolkit-launched app) (settle by: getPageSource on a stick
after HOME with an attached app in the background).
"""

from __future__ import annotations

import base64
import io
import json
from typing import TYPE_CHECKING, Any

from PIL import Image, ImageDraw

from firebridge.virtual.vega.uitree import SCREEN, AppTree, Element, page_source

if TYPE_CHECKING:
    from firebridge.virtual.adbd.protocol import Stream
    from firebridge.virtual.vega.device import VegaDevice

_MAX_REQUEST = 1 << 20

# Linux input event codes the toolkit's injectInputKeyEvent takes as strings [MCP-VVD][VVDT][D-APPIUM].
KEY_BY_CODE = {"28": "KEY_ENTER", "96": "KEY_KPENTER", "103": "KEY_UP", "108": "KEY_DOWN", "105": "KEY_LEFT",
               "106": "KEY_RIGHT", "158": "KEY_BACK", "172": "KEY_HOMEPAGE", "139": "KEY_MENU",
               "164": "KEY_PLAYPAUSE", "208": "KEY_FASTFORWARD", "168": "KEY_REWIND"}


def attached(device: "VegaDevice") -> bool:
    """Some running app launched with the toolkit enabled."""
    return any(instance.toolkit for instance in device.instances.values())


def trees(device: "VegaDevice", every_app: bool = False) -> list[AppTree]:
    """The visible apps the toolkit reports (``every_app``: all visible apps, as the screen shows them)."""
    shown = []
    for app, instance in device.visible_apps():
        launcher = app.component == device.home_component()
        if not (instance.toolkit or launcher or every_app):
            continue
        z = 2147483647 if launcher else 0  # the launcher's window index/zOrder in the capture
        shown.append(AppTree(app.package, app.kepler_app_id, app.slot, app.window(), z))
    return shown


def screenshot(device: "VegaDevice", every_app: bool = False) -> bytes:
    """A PNG of the visible apps' trees: boxes, focus rings and texts."""
    image = Image.new("RGB", SCREEN, (16, 20, 28))
    draw = ImageDraw.Draw(image)
    shown = trees(device, every_app)
    # The foreground app is drawn over the launcher.
    for tree in sorted(shown, key=lambda t: t.z_order, reverse=True):
        for element in tree.window.walk():
            if element.role == "button":
                draw.rectangle((element.x, element.y, element.x + element.width, element.y + element.height),
                               fill=(40, 48, 60), outline=(255, 255, 255) if element.focused else None, width=4)
            if element.text:
                draw.text((element.x, element.y), element.text, fill=(235, 235, 235))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def call(device: "VegaDevice", method: str, params: Any) -> Any:
    """One JSON-RPC method; raises KeyError for an unknown method, ValueError for bad params."""
    if method == "getPageSource":
        return page_source(trees(device))
    if method == "takeScreenshot":
        return base64.b64encode(screenshot(device)).decode()
    if method == "injectInputKeyEvent":
        code = str((params or {}).get("inputKeyEvent", ""))
        key = KEY_BY_CODE.get(code)
        if key is None:
            raise ValueError(f"unknown inputKeyEvent {code!r}")
        device.press(key)
        return True
    raise KeyError(method)


def _response(request_id: Any, result: Any = None, error: tuple[int, str] | None = None) -> bytes:
    body: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id}
    if error is None:
        body["result"] = result
    else:
        body["error"] = {"code": error[0], "message": error[1]}
    return json.dumps(body).encode()


def handle_body(device: "VegaDevice", body: bytes) -> bytes:
    """The JSON-RPC layer (pure apart from the device calls)."""
    try:
        request = json.loads(body)
        method, request_id = request["method"], request.get("id")
    except (ValueError, KeyError, TypeError):
        return _response(None, error=(-32700, "Parse error"))
    try:
        return _response(request_id, call(device, method, request.get("params")))
    except KeyError:
        return _response(request_id, error=(-32601, f"Method not found: {method}"))
    except ValueError as exc:
        return _response(request_id, error=(-32602, str(exc)))


def cost_of(device: "VegaDevice", body: bytes) -> float:
    """Device seconds the toolkit takes over one request (the device's timing profile): a page source or a
    screenshot its capture, an injected key its hold (``holdDuration`` in ms, else a default press)."""
    try:
        request = json.loads(body)
        method, params = request.get("method"), request.get("params") or {}
        timing = device.timing
        if method == "getPageSource":
            return timing.page_source
        if method == "takeScreenshot":
            return timing.screenshot
        if method == "injectInputKeyEvent":
            hold = str(params.get("holdDuration", ""))
            return timing.hold_of("short", int(hold) if hold.isdigit() else None)
    except (ValueError, AttributeError, TypeError):
        pass
    return 0.0


async def _read_request(stream: "Stream") -> tuple[bytes, bytes] | None:
    """The request head and body, or None if the client closed first."""
    data = bytearray()
    while b"\r\n\r\n" not in data:
        chunk = await stream.read()
        if not chunk or len(data) > _MAX_REQUEST:
            return None
        data += chunk
    head, _, body = bytes(data).partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length" and value.strip().isdigit():
            length = int(value.strip())
    body_buf = bytearray(body)
    while len(body_buf) < min(length, _MAX_REQUEST):
        chunk = await stream.read()
        if not chunk:
            break
        body_buf += chunk
    return head, bytes(body_buf[:length])


def serve(device: "VegaDevice"):
    """The ``tcp:8383`` handler: one HTTP request per connection, then close."""

    async def handler(stream: "Stream") -> None:
        request = await _read_request(stream)
        if request is None or not attached(device):
            return  # accept and close: the empty reply of a toolkit that is not attached
        head, body = request
        request_line = head.split(b"\r\n", 1)[0].split()
        if len(request_line) < 2 or request_line[0] != b"POST" or request_line[1].split(b"?")[0] != b"/jsonrpc":
            payload, status = b"Not Found", b"404 Not Found"
            kind = b"text/plain"
        else:
            payload, status, kind = handle_body(device, body), b"200 OK", b"application/json"
            # The answer describes the screen as it was when the request came (ASSUMPTION: the toolkit
            # captures first and encodes after; settle by: a key pressed during a getPageSource on a stick).
            await device.cost(cost_of(device, body))
        await stream.write(b"HTTP/1.1 " + status + b"\r\nContent-Type: " + kind + b"\r\nContent-Length: "
                           + str(len(payload)).encode() + b"\r\nConnection: close\r\n\r\n" + payload)

    return handler


def visible_elements(device: "VegaDevice") -> list[Element]:
    """Every element the toolkit would report (tests and diagnostics)."""
    return [element for tree in trees(device) for element in tree.window.walk()]
