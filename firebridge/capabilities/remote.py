"""The Fire TV remote: key names, presses, long presses, focus-aware navigation — through the driver.

Keys are firebridge's platform-free names (:mod:`firebridge.driver.keys`, re-exported here); the
device's driver turns them into its platform's key events (Fire OS: one batched ``input`` call,
``firebridge.platforms.fireos.input``).
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence

from firebridge.device.resolve import driver_for
from firebridge.driver.keys import (DPAD, Key, UnknownKey, key_list, key_names, parse_key,  # noqa: F401 (re-exported)
                                   split_after_home)
from firebridge.driver.protocol import Driver
from firebridge.driver.ui import Bounds, UiNode, UiTree
from firebridge.errors import FirebridgeError


class NavigationError(FirebridgeError):
    """Focus could not be moved to the wanted node; the message names what is focused."""


# --- navigation geometry (pure) -------------------------------------------------------------

def _between(value: float, a: float, b: float) -> bool:
    return min(a, b) < value < max(a, b)


def _count_bands(bounds: list[Bounds]) -> int:
    """How many distinct horizontal bands (rows) the rectangles form."""
    bands: list[Bounds] = []
    for b in sorted(bounds, key=lambda r: r.top):
        if not any(b.overlaps_vertically(band) for band in bands):
            bands.append(b)
    return len(bands)


def plan_move(focused: Bounds, goal: Bounds, focusables: Sequence[Bounds] = (),
              blocked: Iterable[Key] = ()) -> tuple[Key, int] | None:
    """The D-pad key that moves focus from ``focused`` toward ``goal``, and how many presses the
    focusable views in between suggest. Rows first: a goal in another row is reached by moving
    vertically to its row, then along it (the layout of TV launchers). Returns None when every
    useful direction is in ``blocked`` (focus did not move when tried)."""
    blocked = set(blocked)
    fx, fy = focused.center
    gx, gy = goal.center
    horizontal = Key.RIGHT if gx > fx else Key.LEFT
    vertical = Key.DOWN if gy > fy else Key.UP
    same_row = focused.overlaps_vertically(goal)
    same_column = focused.overlaps_horizontally(goal)
    if same_row:
        order = [horizontal] + ([] if gy == fy else [vertical])
    elif same_column or gx == fx:
        order = [vertical] + ([] if gx == fx else [horizontal])
    else:
        order = [vertical, horizontal]
    others = [b for b in focusables if b != focused and b != goal]
    for key in order:
        if key in blocked:
            continue
        if key in (Key.LEFT, Key.RIGHT):
            between = [b for b in others if b.overlaps_vertically(focused) and _between(b.center[0], fx, gx)]
            return key, 1 + len(between)
        between = [b for b in others if _between(b.center[1], fy, gy)
                   and not b.overlaps_vertically(focused) and not b.overlaps_vertically(goal)]
        return key, 1 + _count_bands(between)
    return None


def _root(node: UiNode) -> UiNode:
    return next((a for a in node.ancestors() if a.parent is None), node)


def _same_window(nodes: Sequence[UiNode], focused: UiNode) -> list[UiNode]:
    """The nodes under the focused node's root: D-pad focus moves within the focused window, so another
    app's views in the same dump (Vega's page source lists the launcher beside the app in front) do not
    count as steps on the way."""
    root = _root(focused)
    return [node for node in nodes if _root(node) is root]


def _signature(node: UiNode) -> tuple[str, str, str, str]:
    return (node.resource_id, node.text, node.content_desc, str(node.bounds))


class Remote:
    """The remote control of one device.

    ``device`` is a driver, a ``FireTV`` (its driver is used) or any transport (probed). ``ui_reader``
    returns the current :class:`~firebridge.driver.ui.UiTree` (default: the driver's ``ui_tree``);
    navigation uses it to see where focus is.
    """

    def __init__(self, device: Any, ui_reader: Callable[[], UiTree] | None = None) -> None:
        self.driver: Driver = driver_for(device)
        self._ui_reader = ui_reader or (lambda: self.driver.ui_tree())

    def press(self, *keys: "Key | str") -> None:
        """Press and release the keys in order (one device call where the platform allows: one
        ``input keyevent`` on Fire OS). Names are validated before anything is sent."""
        self.driver.press(key_list(keys))

    def longpress(self, *keys: "Key | str") -> None:
        """A long press of each key in turn (what apps see as a long press; see the driver's
        ``long_press`` for how the platform sends it)."""
        for key in key_list(keys):
            self.driver.long_press(key)

    def hold(self, key: "Key | str", seconds: float) -> str:
        """Hold a key, as far as the device allows; returns the method used: ``"duration"`` when the
        key was held for ``seconds``, ``"longpress"`` when the platform could only send a long press
        (Fire OS <= 8: apps see a long press, but key repeat that depends on holding cannot be driven)."""
        if seconds <= 0:
            raise ValueError(f"seconds must be positive, not {seconds}")
        return self.driver.hold(parse_key(key).value, seconds)

    def read_ui(self) -> UiTree:
        return self._ui_reader()

    def navigate_to(self, text: str | None = None, resource_id: str | None = None,
                    content_desc: str | None = None, max_moves: int = 30) -> UiNode:
        """Move D-pad focus onto the node with this text / resource id / content description.

        Reads the screen, finds the target and the focused node, presses the D-pad toward the target
        (several presses in one call when the views in between say how many), reads again, and so on,
        at most ``max_moves`` key presses. Returns the focused node once focus is on the target (or on
        the focusable view that holds it, such as a tile around a title). Raises NavigationError naming
        the focused node and the target when the target is not on screen, nothing is focused, focus
        stops moving, or the moves run out.
        """
        criteria = {k: v for k, v in (("text", text), ("resource_id", resource_id),
                                      ("content_desc", content_desc)) if v is not None}
        if not criteria:
            raise ValueError("navigate_to needs text=, resource_id= or content_desc=")
        wanted = " ".join(f"{k}={v!r}" for k, v in criteria.items())
        moves = 0
        pressed: list[str] = []
        blocked: dict[tuple[str, str, str, str], set[Key]] = {}
        last: tuple[tuple[str, str, str, str], Key] | None = None
        while True:
            tree = self.read_ui()
            candidates = tree.find_all(**criteria)
            if not candidates:
                focused = tree.focused()
                raise NavigationError(
                    f"no node with {wanted} on screen; focused: {focused.describe() if focused else 'nothing'}; "
                    f"on screen: {tree.labels()}")
            target = next((n for n in candidates if n.visible), candidates[0])
            goal = target.focus_target()
            focused = tree.focused()
            if focused is None:
                raise NavigationError(f"nothing is focused on screen, so D-pad keys cannot reach {wanted} "
                                      f"({target.describe()}); press a D-pad key or SELECT first")
            if focused is goal or focused.is_within(goal) or focused.is_within(target):
                return focused
            signature = _signature(focused)
            if last is not None and last[0] == signature:
                blocked.setdefault(signature, set()).add(last[1])  # that key did not move focus
            plan = plan_move(focused.bounds, goal.bounds, [n.bounds for n in _same_window(tree.focusables(), focused)],
                             blocked.get(signature, ()))
            if plan is None or moves >= max_moves:
                why = (f"focus stopped moving ({', '.join(k.name for k in blocked.get(signature, ()))} "
                       f"left it in place)" if plan is None else f"gave up after {moves} key presses")
                raise NavigationError(
                    f"could not move focus to {wanted} ({goal.describe()}): {why}; focused: {focused.describe()}; "
                    f"keys pressed: {' '.join(pressed) or 'none'}")
            key, count = plan
            count = max(1, min(count, max_moves - moves))
            self.press(*([key] * count))
            moves += count
            pressed.extend([key.name] * count)
            last = (signature, key)
