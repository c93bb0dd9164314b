"""Partner-Managed Row (PMR) recommendations: the model, its validation, posting and reading back.

A recommendation is an Android notification with category ``recommendation`` and Amazon's
``com.amazon.extra.*`` extras (seed 001). The shell cannot post one (``cmd notification post`` has no
category or extras; docs/fire-os.md section 4), so firebridge asks the helper app
``com.firebridge.helper`` to post it (its source is firebridge/helperapp/, described in
docs/helper-app.md): an explicit broadcast to
``com.firebridge.helper/.PostRecommendation`` with the title, text, id and the typed
``com.amazon.extra.*`` extras, answered with ``result=-1, data="posted id=7 amazon_extras=[...]"``.
The device's driver sends it (``Driver.broadcast``) and reads the posted notifications back
(``Driver.notifications``); the Fire OS commands and parsers are in
``firebridge.platforms.fireos.notifications``.
Pure parts: :class:`Recommendation`, its validation, the extras to send (:func:`post_extras`).
I/O: :class:`PMR`.
"""

from __future__ import annotations

import difflib
import logging
import re
from dataclasses import MISSING, dataclass, fields, replace
from pathlib import Path
from typing import Any, Mapping

import yaml

from firebridge.device.resolve import driver_for
from firebridge.driver.notifications import (AMAZON_EXTRA_PREFIX, AMAZON_INT_LIST_EXTRAS,  # noqa: F401 (re-exported)
                                             CATEGORY_RECOMMENDATION, RESULT_OK, BroadcastResult, IntentExtra,
                                             NotificationExtra, NotificationRecord, split_list)
from firebridge.driver.protocol import Feature, Unsupported
from firebridge.errors import CommandFailed, ConfigError, FirebridgeError, HelperAppMissing
from firebridge.yamlnodes import Reader, compose_file, compose_text, line_of

log = logging.getLogger(__name__)

HELPER_PACKAGE = "com.firebridge.helper"
POST_RECEIVER = f"{HELPER_PACKAGE}/.PostRecommendation"
CANCEL_RECEIVER = f"{HELPER_PACKAGE}/.Cancel"
CANCEL_ALL_RECEIVER = f"{HELPER_PACKAGE}/.CancelAll"
EXTRA_PREFIX = AMAZON_EXTRA_PREFIX
HELPER_INSTALL_HINT = (
    f"the PMR helper app {HELPER_PACKAGE} is not installed on this device. Install it with "
    f"`firebridge pmr install-helper --device SERIAL` (or `adb install -r firebridge-helper.apk`, the APK "
    f"shipped in firebridge/helperapp/, then open it once with `adb shell am start -n {HELPER_PACKAGE}/.Main`), "
    f"or run pytest with --install-helper. See docs/helper-app.md.")

INT_MAX = 2**31 - 1
LONG_MAX = 2**63 - 1
DISPLAY_NAME_LIMIT = 15
LONG_DESCRIPTION_LIMIT = 512

# Seed 001: allowed MATURITY_RATING values per marketplace.
MATURITY_RATINGS: dict[str, tuple[str, ...]] = {
    "US": ("G", "PG", "PG13", "R", "NC17", "NR", "TVY", "TVY7", "TVG", "TVPG", "TV14", "TVMA"),
    "DE": ("FSK0", "FSK6", "FSK12", "FSK16", "FSK18"),
    "GB": ("BBFCPG", "BBFC12", "BBFC18", "BBFCU"),
    "JP": ("EIRIN_G", "EIRIN_PG12", "EIRIN_R15", "EIRIN_18"),
    "IN": ("ALL", "7+", "13+", "16+", "18+", "NR"),
}
# Seed 001: ACTION_OPTION values and the context-menu label each one gives.
ACTION_OPTIONS: dict[int, str] = {
    1: "Watch with <App name>", 101: "Watch", 2: "Resume with <App name>", 102: "Resume",
    3: "Switch <App name> Profile", 4: "Change <App name> Settings", 104: "Change Settings",
    5: "View with <App name>", 105: "View", 6: "Play with <App name>", 106: "Play",
    7: "Listen with <App name>", 107: "Listen",
}


@dataclass(frozen=True)
class ExtraSpec:
    """One Amazon extra: the Recommendation field, the extra's name, its Java type."""

    field: str
    name: str
    java_type: str

    @property
    def key(self) -> str:
        return EXTRA_PREFIX + self.name



# Every extra of seed 001, with the type the seed gives it.
EXTRAS: tuple[ExtraSpec, ...] = (
    ExtraSpec("display_name", "DISPLAY_NAME", "String"),
    ExtraSpec("maturity_rating", "MATURITY_RATING", "String"),
    ExtraSpec("action_options", "ACTION_OPTION", "ArrayList<Integer>"),
    ExtraSpec("rank", "RANK", "int"),
    ExtraSpec("content_id", "CONTENT_ID", "String"),
    ExtraSpec("live_content", "LIVE_CONTENT", "int"),
    ExtraSpec("content_release_date", "CONTENT_RELEASE_DATE", "String"),
    ExtraSpec("caption_availability", "CONTENT_CAPTION_AVAILABILITY", "int"),
    ExtraSpec("imdb_id", "IMDB_ID", "String"),
    ExtraSpec("content_start_time", "CONTENT_START_TIME", "long"),
    ExtraSpec("content_end_time", "CONTENT_END_TIME", "long"),
    ExtraSpec("long_description", "LONG_DESCRIPTION", "String"),
    ExtraSpec("last_watched_datetime", "LAST_WATCHED_DATETIME", "long"),
    ExtraSpec("preview_url", "PREVIEW_URL", "String"),
    ExtraSpec("tags", "TAGS", "ArrayList<String>"),
    ExtraSpec("customer_rating", "CONTENT_CUSTOMER_RATING", "int"),
    ExtraSpec("customer_rating_count", "CONTENT_CUSTOMER_RATING_COUNT", "int"),
)
EXTRA_BY_FIELD = {spec.field: spec for spec in EXTRAS}
EXTRA_BY_KEY = {spec.key: spec for spec in EXTRAS}
# The records type these extras as integer lists when they read them back: the same set.
assert AMAZON_INT_LIST_EXTRAS == {s.key for s in EXTRAS if s.java_type == "ArrayList<Integer>"}

_PACKAGE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$")
_IMDB = re.compile(r"^tt\d{7,}$")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$")
_YEAR = re.compile(r"^\d{4}$")


class InvalidRecommendation(FirebridgeError, ValueError):
    """A recommendation field that Fire TV would not accept; names the field, the value and the fix."""

    def __init__(self, field_name: str, value: Any, message: str) -> None:
        super().__init__(f"{field_name}={value!r}: {message}")
        self.field = field_name
        self.value = value
        self.reason = message


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class Recommendation:
    """One PMR recommendation: the notification's title/text/id and every extra of seed 001.

    Hard limits are checked on construction (:class:`InvalidRecommendation`); limits the device
    enforces itself (DISPLAY_NAME is cut to 15 characters) are only reported by :meth:`warnings`,
    so that a test can post a long name on purpose and check the truncation.
    ``marketplace`` (US, DE, GB, JP, IN) is not sent; it selects the allowed maturity ratings.
    """

    title: str
    text: str = ""
    id: int = 1
    launch_package: str | None = None
    large_icon_path: str | None = None
    display_name: str | None = None
    maturity_rating: str | None = None
    marketplace: str | None = None
    action_options: tuple[int, ...] = ()
    rank: int | None = None
    content_id: str | None = None
    live_content: int | None = None
    content_release_date: str | None = None
    caption_availability: int | None = None
    imdb_id: str | None = None
    content_start_time: int | None = None
    content_end_time: int | None = None
    long_description: str | None = None
    last_watched_datetime: int | None = None
    preview_url: str | None = None
    tags: tuple[str, ...] = ()
    customer_rating: int | None = None
    customer_rating_count: int | None = None

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        for name in ("action_options", "tags"):
            value = getattr(self, name)
            if isinstance(value, (list, tuple)):
                set_(self, name, tuple(value))
            elif value is None:
                set_(self, name, ())
            else:
                raise InvalidRecommendation(name, value, "must be a list")
        for name in ("live_content", "caption_availability"):
            if isinstance(getattr(self, name), bool):
                set_(self, name, int(getattr(self, name)))
        if _is_int(self.content_release_date) and 1000 <= self.content_release_date <= 9999:
            set_(self, "content_release_date", str(self.content_release_date))  # YAML's unquoted 2016
        if isinstance(self.marketplace, str):
            set_(self, "marketplace", self.marketplace.upper())
        self._check()

    # -- validation -----------------------------------------------------------------------

    def _check(self) -> None:
        def fail(name: str, message: str) -> None:
            raise InvalidRecommendation(name, getattr(self, name), message)

        def string(name: str, required: bool = False) -> None:
            value = getattr(self, name)
            if value is None and not required:
                return
            if not isinstance(value, str):
                fail(name, "must be a string (quote it in YAML)")
            if not value.strip() if required else value == "":
                fail(name, "must not be empty; leave the field out instead")
            if "\0" in value:
                fail(name, "must not contain NUL characters")

        def integer(name: str, low: int, high: int, what: str = "") -> None:
            value = getattr(self, name)
            if value is None:
                return
            if not _is_int(value):
                fail(name, f"must be a whole number{what} (write it without quotes)")
            if not low <= value <= high:
                fail(name, f"must be between {low} and {high}{what}")

        string("title", required=True)
        if not isinstance(self.text, str) or "\0" in self.text:
            fail("text", "must be a string without NUL characters")
        integer("id", -2**31, INT_MAX, " (a notification id is a Java int)")
        string("launch_package")
        if self.launch_package is not None and not _PACKAGE.match(self.launch_package):
            fail("launch_package", "is not an Android package name (e.g. com.example.app)")
        string("large_icon_path")
        if self.large_icon_path is not None and not self.large_icon_path.startswith("/"):
            fail("large_icon_path", "must be an absolute path on the device, e.g. /sdcard/Pictures/card.png")
        string("display_name")
        self._check_maturity(fail)
        self._check_actions(fail)
        integer("rank", 0, INT_MAX, " (lower ranks come first)")
        string("content_id")
        integer("live_content", 0, 1, " (0 = not live, 1 = live)")
        string("content_release_date")
        integer("caption_availability", 0, 1, " (0 = no captions, 1 = captions)")
        string("imdb_id")
        if self.imdb_id is not None and not _IMDB.match(self.imdb_id):
            fail("imdb_id", "must be an IMDb title id such as tt0417148 (from http://www.imdb.com/title/tt0417148)")
        integer("content_start_time", 0, LONG_MAX, " (epoch milliseconds)")
        integer("content_end_time", 0, LONG_MAX, " (epoch milliseconds)")
        if self.live_content == 1:
            if self.content_start_time is None or self.content_end_time is None:
                fail("live_content", "live content needs content_start_time and content_end_time (epoch ms): "
                     "Fire TV shows it only inside that window")
        if (self.content_start_time is not None and self.content_end_time is not None
                and self.content_start_time >= self.content_end_time):
            fail("content_end_time", f"must be after content_start_time ({self.content_start_time})")
        string("long_description")
        if self.long_description is not None and len(self.long_description) > LONG_DESCRIPTION_LIMIT:
            fail("long_description", f"is {len(self.long_description)} characters; the limit is "
                                     f"{LONG_DESCRIPTION_LIMIT}: shorten it")
        integer("last_watched_datetime", 0, LONG_MAX, " (epoch milliseconds)")
        string("preview_url")
        if self.preview_url is not None and not _URL.match(self.preview_url):
            fail("preview_url", "must be a URL such as https://example.com/preview.mp4")
        for tag in self.tags:
            if not isinstance(tag, str) or not tag:
                fail("tags", f"every tag must be a non-empty string ({tag!r} is not)")
            if tag.endswith("\\"):
                fail("tags", f"a tag cannot end with a backslash ({tag!r}): am would join it with the next tag")
        integer("customer_rating", 0, 10)
        integer("customer_rating_count", 0, INT_MAX)

    def _check_maturity(self, fail: Any) -> None:
        if self.marketplace is not None and self.marketplace not in MATURITY_RATINGS:
            fail("marketplace", f"must be one of {', '.join(MATURITY_RATINGS)}")
        if self.maturity_rating is None:
            return
        if not isinstance(self.maturity_rating, str):
            fail("maturity_rating", "must be a string such as PG13 (quote it in YAML)")
        if self.marketplace is not None:
            allowed = MATURITY_RATINGS[self.marketplace]
            if self.maturity_rating not in allowed:
                elsewhere = [m for m, values in MATURITY_RATINGS.items() if self.maturity_rating in values]
                extra = f" ({self.maturity_rating} belongs to {', '.join(elsewhere)})" if elsewhere else ""
                fail("maturity_rating", f"is not a {self.marketplace} rating{extra}; use one of "
                                        f"{', '.join(allowed)}")
        elif not any(self.maturity_rating in values for values in MATURITY_RATINGS.values()):
            listing = "; ".join(f"{m}: {', '.join(v)}" for m, v in MATURITY_RATINGS.items())
            fail("maturity_rating", f"is not a supported rating (case matters). Supported: {listing}")

    def _check_actions(self, fail: Any) -> None:
        for option in self.action_options:
            if not _is_int(option) or option not in ACTION_OPTIONS:
                fail("action_options", f"{option!r} is not an ACTION_OPTION value; use "
                                       f"{', '.join(map(str, ACTION_OPTIONS))} (e.g. 1 = Watch with <App name>)")
        if self.action_options and not self.display_name:
            fail("action_options", "ACTION_OPTION requires display_name (com.amazon.extra.DISPLAY_NAME): add it")

    def warnings(self) -> list[str]:
        """What Fire TV will accept but change or ignore (not errors; see ``strict``)."""
        out = []
        if self.display_name is not None and len(self.display_name) > DISPLAY_NAME_LIMIT:
            out.append(f"display_name={self.display_name!r} is {len(self.display_name)} characters; Fire TV "
                       f"cuts it to {self.display_name[:DISPLAY_NAME_LIMIT]!r} without an ellipsis")
        if len(self.action_options) > 2:
            out.append(f"action_options has {len(self.action_options)} values; Fire TV supports two context "
                       f"menu actions and only the first is configurable")
        if self.content_release_date is not None and not _YEAR.match(self.content_release_date):
            out.append(f"content_release_date={self.content_release_date!r} is not a year such as 2016")
        for tag in self.tags:
            if "," in tag:
                out.append(f"tag {tag!r} contains a comma: firebridge sends it as '\\,', and Android's am keeps "
                           f"that backslash in the value (Intent.parseCommandArgs does not unescape it)")
        return out

    # -- conversions ----------------------------------------------------------------------

    def amazon_extras(self) -> dict[str, Any]:
        """The ``com.amazon.extra.*`` extras that will be sent, by full key (absent ones left out)."""
        out: dict[str, Any] = {}
        for spec in EXTRAS:
            value = getattr(self, spec.field)
            if value is None or value == ():
                continue
            out[spec.key] = list(value) if isinstance(value, tuple) else value
        return out

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], path: str | None = None,
                     lines: Mapping[str, int] | None = None) -> "Recommendation":
        """Build from a plain mapping of field names (e.g. loaded YAML). Unknown keys, wrong types
        and invalid values raise ConfigError naming ``path`` and the field's line (from ``lines``)."""
        lines = lines or {}
        names = cls.field_names()
        for key in data:
            if key not in names:
                raise ConfigError(_unknown_key_message(key, names), path, lines.get(key))
        if "title" not in data:
            raise ConfigError("a recommendation needs a title", path, lines.get("__start__"))
        try:
            return cls(**dict(data))
        except InvalidRecommendation as exc:
            raise ConfigError(f"{exc}", path, lines.get(exc.field, lines.get("__start__"))) from None

    @classmethod
    def from_yaml(cls, path: str | Path) -> "Recommendation":
        """The single recommendation in a YAML file (see :func:`load_recommendations` for several)."""
        recs = load_recommendations(path)
        if len(recs) != 1:
            raise ConfigError(f"expected one recommendation, found {len(recs)}; use load_recommendations()",
                              str(path))
        return recs[0]

    @classmethod
    def from_notification(cls, record: "NotificationRecord") -> "Recommendation":
        """Rebuild a recommendation from a posted notification (``Driver.notifications``),
        without validating it (the device may hold values firebridge would refuse)."""
        values: dict[str, Any] = {"title": record.title or "", "text": record.text or "", "id": record.id}
        for key, value in record.amazon_extras().items():
            spec = EXTRA_BY_KEY.get(key)
            if spec is not None:
                values[spec.field] = tuple(value) if isinstance(value, list) else value
        rec = object.__new__(cls)
        for f in fields(cls):
            default = None if f.default is MISSING else f.default
            object.__setattr__(rec, f.name, values.get(f.name, default))
        return rec


def _unknown_key_message(key: str, names: list[str]) -> str:
    bare = key[len(EXTRA_PREFIX):] if key.startswith(EXTRA_PREFIX) else key
    spec = next((s for s in EXTRAS if s.name == bare.upper()), None)
    if spec is not None:
        hint = f"write {spec.field!r} (firebridge's name for {spec.key})"
    else:
        close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else ""
    return f"unknown key {key!r}" + (f"; {hint}" if hint else "") + f" (valid keys: {', '.join(names)})"


def load_recommendations(path: str | Path) -> list[Recommendation]:
    """Recommendations from YAML: one mapping, a list of mappings, or ``recommendations: [...]``.
    Every problem is a ConfigError with the file and line."""
    return _load(compose_file(path), str(path))


def recommendations_from_yaml_text(text: str, path: str = "<string>") -> list[Recommendation]:
    return _load(compose_text(text, path), path)


def _load(root: yaml.Node | None, path: str) -> list[Recommendation]:
    return [rec for rec, _ in _load_items(root, path)]


def _load_items(root: yaml.Node | None, path: str) -> list[tuple[Recommendation, dict[str, int]]]:
    """Each recommendation with the lines of its fields (``__start__``: where the item starts)."""
    reader = Reader(path)
    if root is None:
        raise ConfigError("the file is empty; write a recommendation (title: ..., display_name: ...)", path)
    items: list[yaml.Node]
    if isinstance(root, yaml.MappingNode):
        top = reader.mapping(root, "the file")
        if set(top) == {"recommendations"}:
            items = reader.sequence(top["recommendations"].node, "recommendations")
        else:
            items = [root]
    else:
        items = reader.sequence(root, "the file")
    out = []
    for item in items:
        mapping = reader.mapping(item, "a recommendation")
        data = {k: reader.value(f.node) for k, f in mapping.items()}
        lines = {k: f.line for k, f in mapping.items() if f.line is not None}
        lines["__start__"] = line_of(item) or 1
        out.append((Recommendation.from_mapping(data, path, lines), lines))
    return out


@dataclass(frozen=True)
class PostPlan:
    """What ``firebridge pmr post FILE`` will post: every recommendation with a distinct notification id
    (the helper posts with that id, so two items with one id would overwrite each other), and which
    ids were generated because the file gave none."""

    recommendations: list[Recommendation]
    generated: dict[int, int]  # index in the file -> the id given to it

    def problems(self, strict: bool) -> list[str]:
        """Everything to refuse before posting anything: with ``strict``, every item's warnings."""
        if not strict:
            return []
        return [f"id {rec.id} ({rec.title!r}): {warning}" for rec in self.recommendations for warning in rec.warnings()]


def plan_post(path: str | Path) -> PostPlan:
    """Load a recommendations file for posting: ids given twice are an error (file and line); items
    without an id get the lowest ids the file does not use, in file order."""
    items = _load_items(compose_file(path), str(path))
    taken: dict[int, int] = {}
    for rec, lines in items:
        if "id" in lines:
            if rec.id in taken:
                raise ConfigError(f"id {rec.id} is given twice (first at line {taken[rec.id]}); each recommendation "
                                  f"needs its own id, or none (firebridge then numbers it)", str(path), lines["id"])
            taken[rec.id] = lines["id"]
    recs, generated, candidate = [], {}, 1
    for index, (rec, lines) in enumerate(items):
        if "id" not in lines:
            while candidate in taken:
                candidate += 1
            taken[candidate] = lines["__start__"]
            generated[index] = candidate
            rec = replace(rec, id=candidate)
        recs.append(rec)
    return PostPlan(recs, generated)


def describe_result(result: BroadcastResult) -> str:
    """A broadcast's result in words: ``RESULT_OK`` (-1) is Android's success code, not an error."""
    if result.ok:
        return "posted"
    return f"not posted (result {result.code}" + (f": {result.data}" if result.data else "") + ")"


# -- what to send (pure) ---------------------------------------------------------------------

def post_extras(rec: Recommendation, strict: bool = False) -> list[IntentExtra]:
    """The extras that make the helper post ``rec``: title, text, id, launch package, icon, then every
    ``com.amazon.extra.*`` the recommendation sets, typed as seed 001 types them.

    ``strict`` turns :meth:`Recommendation.warnings` into errors."""
    if strict:
        problems = rec.warnings()
        if problems:
            raise InvalidRecommendation("recommendation", rec.title, "; ".join(problems))
    extras = [IntentExtra("title", "String", rec.title)]
    if rec.text:
        extras.append(IntentExtra("text", "String", rec.text))
    extras.append(IntentExtra("id", "int", rec.id))
    if rec.launch_package:
        extras.append(IntentExtra("launch_package", "String", rec.launch_package))
    if rec.large_icon_path:
        extras.append(IntentExtra("large_icon_path", "String", rec.large_icon_path))
    for spec in EXTRAS:
        value = getattr(rec, spec.field)
        if value is None or value == ():
            continue
        extras.append(IntentExtra(spec.key, spec.java_type, value))
    return extras


def cancel_extras(notification_id: int) -> list[IntentExtra]:
    """The extras that make the helper cancel one recommendation by notification id."""
    if not _is_int(notification_id):
        raise InvalidRecommendation("id", notification_id, "must be a whole number")
    return [IntentExtra("id", "int", notification_id)]


# -- I/O --------------------------------------------------------------------------------------

class PMR:
    """Posts, cancels and reads back recommendations on one device through the helper app.

    ``device``: a driver, a ``FireTV`` or a transport. Recommendations need :attr:`Feature.PMR`."""

    def __init__(self, device: Any) -> None:
        self.driver = driver_for(device)
        self._helper_checked = False

    @property
    def serial(self) -> str:
        return self.driver.transport.serial

    def helper_installed(self) -> bool:
        """Whether the helper app is installed (the driver's ``is_installed``)."""
        return self.driver.is_installed(HELPER_PACKAGE)

    def require_helper(self) -> None:
        """Raise Unsupported on a platform without recommendations, HelperAppMissing (saying how to
        install it) unless the helper is installed. A positive answer is remembered for this object."""
        if self._helper_checked:
            return
        support = self.driver.supports(Feature.PMR)
        if not support:
            raise Unsupported(f"{self.serial}: Partner-Managed Rows are not available: {support.reason}")
        if not self.helper_installed():
            raise HelperAppMissing(f"{self.serial}: {HELPER_INSTALL_HINT}")
        self._helper_checked = True

    def _broadcast(self, receiver: str, extras: list[IntentExtra]) -> BroadcastResult:
        self.require_helper()
        parsed = self.driver.broadcast(receiver, extras)
        if parsed.code == 0 and parsed.data is None:
            # No receiver answered: the helper was removed, or is too old to have this receiver.
            self._helper_checked = False
            raise HelperAppMissing(f"{self.serial}: no receiver answered {receiver}; {HELPER_INSTALL_HINT}")
        if not parsed.ok:
            raise CommandFailed(f"broadcast to {receiver}", parsed.code, parsed.data or "", "",
                                f"the helper reported: {parsed.data}")
        return parsed

    def post(self, rec: Recommendation, strict: bool = False, log_warnings: bool = True) -> BroadcastResult:
        """Post (or update, same id) a recommendation; ``strict`` refuses what Fire TV would change.
        Its warnings are logged unless ``log_warnings`` is False (a caller that shows them itself)."""
        for warning in rec.warnings() if log_warnings else ():
            log.warning("recommendation %d: %s", rec.id, warning)
        return self._broadcast(POST_RECEIVER, post_extras(rec, strict=strict))

    def cancel(self, notification_id: int) -> BroadcastResult:
        return self._broadcast(CANCEL_RECEIVER, cancel_extras(notification_id))

    def cancel_all(self) -> BroadcastResult:
        return self._broadcast(CANCEL_ALL_RECEIVER, [])

    def notifications(self) -> list[NotificationRecord]:
        """Every notification record on the device, unredacted."""
        return self.driver.notifications()

    def active(self) -> list[NotificationRecord]:
        """The helper's active recommendations (category ``recommendation``)."""
        return [r for r in self.notifications() if r.package == HELPER_PACKAGE and r.is_recommendation]
