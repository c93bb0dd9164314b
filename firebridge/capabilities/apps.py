"""App profiles: what firebridge knows about an app under test, from ``fixtures/apps/<name>.yaml``.

A profile names the package and launch activity, deep-link templates (``play`` and ``detail`` take
``{content_id}``), key recipes for the customer triggers of seed 000 (sign in/out, switch profile,
watchlist add/remove, purchase, like/dislike, trailer, detail page), the catalog (content ids as
integrated with Amazon's catalog, kinds, durations, credits positions, series order, and optionally
where ad breaks interrupt a title: ``ad_marks_ms``, content positions) and optional log patterns for
the app's own debug lines. Loading goes through YAML nodes, so every mistake is a
ConfigError with the file and line (and a did-you-mean for misspelt keys and key names).

Recipe steps (a list under each recipe name)::

    - deep_link: detail            # start a deep link of this profile ({content_id} from the caller)
    - launch: true                 # start the launch activity
    - navigate_to: {resource_id: watchlist_button}     # or text / content_desc, max_moves
    - wait_for: {text: Add to Watchlist, timeout: 10}  # text, text_contains, resource_id,
                                                        # content_desc, focused, gone, log
    - keys: [SELECT]               # one press call (Fire OS: one `input` call)
    - longpress: MENU
    - input_text: "{email}"        # typed into the focused field

``{name}`` in input_text and in the text/id fields of navigate_to and wait_for is filled from the
caller's parameters, else from the profile's ``params:`` defaults (``{{`` for a literal brace).

Recipes run through the device's driver (press, long press, type text, launch, open a link), so the
same profile drives an app on any platform whose driver can start it. Pure: loading and validating
(:func:`load_profile`). I/O: :class:`AppDriver`.
"""

from __future__ import annotations

import difflib
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote

import yaml

from firebridge.errors import ConfigError, FirebridgeError
from firebridge.capabilities.remote import Key, Remote, UnknownKey, parse_key
from firebridge.device.resolve import driver_for
from firebridge.driver.ui import UiTree
from firebridge.waiting import wait_until
from firebridge.resources import fixtures_dir
from firebridge.yamlnodes import Field, Reader, compose_file, compose_text, line_of

FIXTURES_DIR = fixtures_dir("apps")  # the checkout's fixtures/apps, or the wheel's copy
KINDS = ("movie", "episode", "live")
# The triggers of seed 000 that an app's profile is expected to have recipes for.
STANDARD_RECIPES = ("sign_in", "sign_out", "switch_profile", "watchlist_add", "watchlist_remove", "purchase",
                    "like", "dislike", "trailer", "detail_page")
_TOP_KEYS = ("name", "label", "package", "launch_activity", "deep_links", "params", "recipes", "catalog",
             "log_patterns", "platforms")
# What a ``platforms: {<platform>: ...}`` section may say differently for one platform (its app is another
# build: Vega apps are ``<package>.main`` components started with ``pkg://`` links, and they log their
# own lines to the journal, not to logcat).
PLATFORMS = ("fireos", "vega")
_PLATFORM_KEYS = ("package", "component", "deep_links", "recipes", "log_patterns", "params")
# Placeholders of deep-link templates: the id percent-encoded, or with everything but letters and digits
# removed (Vega's message URIs take alphanumeric values only: Amazon's "Deep linking" page for Vega).
_LINK_FIELDS = ("content_id", "content_id_alnum")
_ENTRY_KEYS = ("id", "kind", "title", "tile_title", "duration_ms", "credits_ms", "series", "season", "episode",
               "next", "channel", "ad_marks_ms")
_WAIT_KEYS = ("text", "text_contains", "resource_id", "content_desc", "focused", "gone", "log", "timeout")
_NAV_KEYS = ("text", "resource_id", "content_desc", "max_moves")
_STEP_ACTIONS = ("keys", "longpress", "navigate_to", "wait_for", "deep_link", "launch", "input_text")
_PACKAGE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
DEFAULT_WAIT_S = 10.0


class RecipeError(FirebridgeError):
    """A recipe could not run (missing parameter, a wait that expired, no log source)."""


@dataclass(frozen=True)
class Step:
    """One recipe step: its action, its argument, and the YAML line it came from."""

    action: str
    arg: Any
    line: int | None = None

    def describe(self) -> str:
        return f"{self.action}: {self.arg!r}" + (f" (line {self.line})" if self.line else "")


@dataclass(frozen=True)
class Recipe:
    """A named list of steps from the profile's ``recipes:`` (e.g. ``like``), run by :meth:`AppDriver.run`."""

    name: str
    steps: tuple[Step, ...]
    line: int | None = None

    @property
    def keys(self) -> list[Key]:
        """Every key the recipe presses, in order (for summaries and tests)."""
        out: list[Key] = []
        for step in self.steps:
            if step.action == "keys":
                out.extend(step.arg)
            elif step.action == "longpress":
                out.append(step.arg)
        return out


@dataclass(frozen=True)
class CatalogEntry:
    """One title of the app's catalog, under the id integrated with Amazon's catalog (CDF ID)."""

    id: str
    kind: str
    title: str
    duration_ms: int | None = None
    credits_ms: int | None = None
    series: str | None = None
    season: int | None = None
    episode: int | None = None
    next: str | None = None
    channel: str | None = None
    tile_title: str | None = None
    ad_marks_ms: tuple[int, ...] = ()  # content positions where an ad break starts (seed 002: interstitials)
    line: int | None = field(default=None, compare=False)

    @property
    def display_title(self) -> str:
        """What Fire TV tiles show: the title, or ``Series S1 E2`` for an episode (``tile_title``
        overrides)."""
        if self.tile_title:
            return self.tile_title
        if self.kind == "episode":
            return f"{self.series} S{self.season} E{self.episode}"
        return self.title

    def finished_at_ms(self) -> int | None:
        """Where playback counts as finished: the credits, else 95% (docs/virtual-device.md section 1)."""
        if self.credits_ms is not None:
            return self.credits_ms
        return None if self.duration_ms is None else self.duration_ms * 95 // 100

    def position_at(self, fraction: float) -> int:
        """A position at this fraction of the duration (e.g. 0.05 to pass the 2% threshold)."""
        if self.duration_ms is None:
            raise ValueError(f"{self.id} has no duration")
        return int(self.duration_ms * fraction)


@dataclass(frozen=True)
class AppProfile:
    """An app under test, as its profile file describes it: package and launch activity, deep-link
    templates, key recipes, the catalog (:class:`CatalogEntry` by content id), log patterns and recipe
    parameters. Loaded and validated by :func:`load_profile`; the ``app_profile`` fixture is the ``--app`` one.
    Field reference: docs/app-profile.md."""

    name: str
    package: str
    launch_activity: str
    deep_links: dict[str, str]
    recipes: dict[str, Recipe]
    catalog: dict[str, CatalogEntry]
    log_patterns: dict[str, re.Pattern[str]] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    label: str | None = None
    path: str | None = None
    # Per-platform sections as loaded (``platforms:``); :meth:`for_platform` applies one.
    platforms: dict[str, dict[str, Any]] = field(default_factory=dict, compare=False, repr=False)
    platform: str | None = None  # the platform this profile was resolved for (None: as written)
    component_id: str | None = None  # a platform's own launch target (Vega: ``<package>.main``)

    def for_platform(self, platform: str) -> "AppProfile":
        """This profile as it applies on ``platform`` (``fireos`` or ``vega``).

        The top level describes the Fire OS app. A ``platforms.<platform>`` section replaces the package,
        the launch component, the deep links, the log patterns (each platform's app logs its own line,
        where that platform's log shows it) and adds or replaces recipes and params. Recipes that use a
        deep link the platform's section does not define are left out there (:meth:`missing_reason`
        says why). A platform without a section keeps the top level, except that only Fire OS keeps the
        top-level log patterns: they name lines of Fire OS's logcat.
        """
        from dataclasses import replace
        section = self.platforms.get(platform)
        if section is None:
            patterns = self.log_patterns if platform == "fireos" else {}
            return replace(self, log_patterns=patterns, platform=platform)
        deep_links = section.get("deep_links", self.deep_links)
        recipes = {name: recipe for name, recipe in self.recipes.items()
                   if all(step.action != "deep_link" or step.arg in deep_links for step in recipe.steps)}
        recipes.update(section.get("recipes", {}))
        return replace(self, package=section.get("package", self.package), deep_links=deep_links,
                       recipes=recipes, log_patterns=section.get("log_patterns", {}),
                       params={**self.params, **section.get("params", {})}, platform=platform,
                       component_id=section.get("component", self.component_id))

    def missing_reason(self, what: str) -> str:
        """Why this profile cannot do ``what`` (a recipe, deep link or log pattern) on its platform."""
        where = f" on {self.platform}" if self.platform else ""
        return (f"the app profile {self.name!r} gives no {what}{where} (add it under platforms.{self.platform or 'PLATFORM'} "
                f"in {self.path or 'the profile'})")

    # -- catalog ---------------------------------------------------------------------------
    def entry(self, content_id: str) -> CatalogEntry:
        try:
            return self.catalog[content_id]
        except KeyError:
            raise KeyError(f"{content_id!r} is not in {self.name}'s catalog ({', '.join(self.catalog)})") from None

    def of_kind(self, kind: str) -> list[CatalogEntry]:
        return [e for e in self.catalog.values() if e.kind == kind]

    @property
    def movies(self) -> list[CatalogEntry]:
        return self.of_kind("movie")

    @property
    def episodes(self) -> list[CatalogEntry]:
        return self.of_kind("episode")

    @property
    def live(self) -> list[CatalogEntry]:
        return self.of_kind("live")

    def next_episode(self, content_id: str) -> CatalogEntry | None:
        following = self.entry(content_id).next
        return self.catalog[following] if following else None

    # -- commands (pure) -------------------------------------------------------------------
    @property
    def component(self) -> str:
        return self.component_id or f"{self.package}/{self.launch_activity}"

    def deep_link(self, link: str, content_id: str | None = None) -> str:
        """The URI of a deep link; ``content_id`` is percent-encoded into ``{content_id}``."""
        if link not in self.deep_links:
            raise KeyError(f"{self.name} has no deep link {link!r} (it has {', '.join(self.deep_links)})")
        template = self.deep_links[link]
        if "{content_id" in template:
            if not content_id:
                raise ValueError(f"deep link {link!r} ({template}) needs a content_id")
            template = template.replace("{content_id_alnum}", re.sub(r"[^A-Za-z0-9]", "", content_id))
            return template.replace("{content_id}", quote(content_id, safe="-._~"))
        return template

    def missing_recipes(self) -> list[str]:
        """Standard triggers (seed 000) this profile has no recipe for."""
        return [name for name in STANDARD_RECIPES if name not in self.recipes]


# -- loading --------------------------------------------------------------------------------

def profile_path(name: str, directory: str | Path | None = None) -> Path:
    """``fixtures/apps/<name>.yaml`` (or a path given as is)."""
    candidate = Path(name)
    if candidate.suffix in (".yaml", ".yml") or candidate.exists():
        return candidate
    return Path(directory or FIXTURES_DIR) / f"{name}.yaml"


def load_profile(name_or_path: str | Path, directory: str | Path | None = None) -> AppProfile:
    """Load and validate an app profile; every problem is a ConfigError with file and line."""
    path = profile_path(str(name_or_path), directory)
    if not path.exists():
        available = sorted(p.stem for p in Path(directory or FIXTURES_DIR).glob("*.yaml"))
        raise ConfigError(f"no app profile {name_or_path!r}; available: {', '.join(available) or 'none'} "
                          f"(profiles live in {directory or FIXTURES_DIR})", str(path))
    return _profile(compose_file(path), str(path), default_name=path.stem)


def profile_from_text(text: str, path: str = "<string>") -> AppProfile:
    return _profile(compose_text(text, path), path, default_name="app")


def _profile(root: yaml.Node | None, path: str, default_name: str) -> AppProfile:
    r = Reader(path)
    if root is None:
        raise ConfigError("the profile is empty; it needs package, launch_activity, deep_links, catalog", path)
    top = r.mapping(root, "the profile")
    r.check_keys(top, _TOP_KEYS, "the profile")
    name = r.typed(top["name"], str, "name") if "name" in top else default_name
    label = r.typed(top["label"], str, "label") if "label" in top else None
    package = r.typed(r.require(top, "package", "the profile", root), str, "package")
    if not _PACKAGE.match(package):
        raise r.error(f"package {package!r} is not an Android package name (e.g. com.example.app)",
                      top["package"].node)
    activity = r.typed(r.require(top, "launch_activity", "the profile", root), str, "launch_activity")
    if not (activity.startswith(".") or "." in activity) or "/" in activity:
        raise r.error(f"launch_activity {activity!r} must be a class name such as .MainActivity or "
                      f"{package}.MainActivity", top["launch_activity"].node)
    deep_links = _deep_links(r, r.require(top, "deep_links", "the profile", root))
    catalog = _catalog(r, r.require(top, "catalog", "the profile", root))
    recipes = _recipes(r, top["recipes"], deep_links) if "recipes" in top else {}
    patterns = _log_patterns(r, top["log_patterns"]) if "log_patterns" in top else {}
    params = _params(r, top["params"]) if "params" in top else {}
    platforms = _platforms(r, top["platforms"], deep_links) if "platforms" in top else {}
    return AppProfile(name=name, package=package, launch_activity=activity, deep_links=deep_links,
                      recipes=recipes, catalog=catalog, log_patterns=patterns, params=params, label=label,
                      path=path, platforms=platforms)


def _params(r: Reader, f: Field) -> dict[str, str]:
    return {k: r.typed(v, str, f"params.{k}") for k, v in r.mapping(f.node, "params").items()}


def _platforms(r: Reader, f: Field, deep_links: dict[str, str]) -> dict[str, dict[str, Any]]:
    """``platforms: {vega: {component: ..., deep_links: ..., log_patterns: ...}}`` (see for_platform)."""
    out: dict[str, dict[str, Any]] = {}
    sections = r.mapping(f.node, "platforms")
    r.check_keys(sections, PLATFORMS, "platforms")
    for platform, item in sections.items():
        where = f"platforms.{platform}"
        fields = r.mapping(item.node, where)
        r.check_keys(fields, _PLATFORM_KEYS, where)
        section: dict[str, Any] = {}
        if "package" in fields:
            section["package"] = r.typed(fields["package"], str, f"{where}.package")
        if "component" in fields:
            section["component"] = r.typed(fields["component"], str, f"{where}.component")
        links = _deep_links(r, fields["deep_links"], required=("play",)) if "deep_links" in fields else deep_links
        if "deep_links" in fields:
            section["deep_links"] = links
        if "recipes" in fields:
            section["recipes"] = _recipes(r, fields["recipes"], links)
        if "log_patterns" in fields:
            section["log_patterns"] = _log_patterns(r, fields["log_patterns"])
        if "params" in fields:
            section["params"] = _params(r, fields["params"])
        out[platform] = section
    return out


def _deep_links(r: Reader, f: Field, required: tuple[str, ...] = ("play", "detail")) -> dict[str, str]:
    links = r.mapping(f.node, "deep_links")
    out: dict[str, str] = {}
    for name, item in links.items():
        template = r.typed(item, str, f"deep link {name!r}")
        if not _SCHEME.match(template):
            raise r.error(f"deep link {name!r} must be a URI with a scheme, e.g. myapp://play/{{content_id}}",
                          item.node)
        fields = [fname for _, fname, _, _ in string.Formatter().parse(template) if fname is not None]
        unknown = [fname for fname in fields if fname not in _LINK_FIELDS]
        if unknown:
            raise r.error(f"deep link {name!r} uses {{{unknown[0]}}}; the placeholders are {{content_id}} and "
                          f"{{content_id_alnum}}", item.node)
        out[name] = template
    for needed in required:
        if needed not in out:
            raise r.error(f"deep_links needs {needed!r} (a URI with {{content_id}})", f.node)
        if "{content_id" not in out[needed]:
            raise r.error(f"deep link {needed!r} must contain {{content_id}}", links[needed].node)
    return out


def _optional_int(r: Reader, fields: dict[str, Field], key: str, what: str, minimum: int = 0) -> int | None:
    if key not in fields:
        return None
    value = r.typed(fields[key], int, f"{key} of {what}")
    if value < minimum:
        raise r.error(f"{key} of {what} must be at least {minimum}, not {value}", fields[key].node)
    return value


def _optional_str(r: Reader, fields: dict[str, Field], key: str, what: str) -> str | None:
    return r.typed(fields[key], str, f"{key} of {what}") if key in fields else None


def _ad_marks(r: Reader, f: Field, what: str, duration: int | None) -> tuple[int, ...]:
    """``ad_marks_ms: [120000, ...]``: whole numbers inside the title, in ascending order."""
    nodes = r.sequence(f.node, f"ad_marks_ms of {what}")
    marks = tuple(r.typed(node, int, f"ad_marks_ms of {what}") for node in nodes)
    if list(marks) != sorted(set(marks)) or any(m <= 0 or (duration is not None and m >= duration) for m in marks):
        raise r.error(f"ad_marks_ms of {what} must be ascending positions inside the title (0 < mark < "
                      f"duration_ms), not {list(marks)}", f.node)
    return marks


def _catalog(r: Reader, f: Field) -> dict[str, CatalogEntry]:
    items = r.sequence(f.node, "catalog")
    if not items:
        raise r.error("the catalog is empty; list the titles the tests use", f.node)
    out: dict[str, CatalogEntry] = {}
    next_refs: list[tuple[CatalogEntry, Field]] = []
    for node in items:
        fields = r.mapping(node, "a catalog entry")
        r.check_keys(fields, _ENTRY_KEYS, "a catalog entry")
        id_field = r.require(fields, "id", "a catalog entry", node)
        content_id = r.value(id_field.node)
        if isinstance(content_id, (int, float)) and not isinstance(content_id, bool):
            raise r.error(f"catalog id {content_id!r} must be a string: quote it ('{content_id}')", id_field.node)
        content_id = r.typed(id_field, str, "id")
        what = f"catalog entry {content_id!r}"
        if content_id in out:
            raise r.error(f"duplicate content id {content_id!r} (first at line {out[content_id].line}); "
                          f"content ids must be unique", id_field.node)
        kind = r.typed(r.require(fields, "kind", what, node), str, f"kind of {what}")
        if kind not in KINDS:
            raise r.error(f"kind of {what} must be one of {', '.join(KINDS)}, not {kind!r}", fields["kind"].node)
        title = r.typed(r.require(fields, "title", what, node), str, f"title of {what}")
        duration = _optional_int(r, fields, "duration_ms", what, minimum=1)
        if duration is None and kind != "live":
            raise r.error(f"{what} needs duration_ms (the content's length in milliseconds)", node)
        credits = _optional_int(r, fields, "credits_ms", what)
        if credits is not None and duration is not None and credits >= duration:
            raise r.error(f"credits_ms of {what} ({credits}) must be before the end (duration_ms {duration})",
                          fields["credits_ms"].node)
        series = _optional_str(r, fields, "series", what)
        ad_marks = _ad_marks(r, fields["ad_marks_ms"], what, duration) if "ad_marks_ms" in fields else ()
        season = _optional_int(r, fields, "season", what, minimum=0)
        episode = _optional_int(r, fields, "episode", what, minimum=0)
        if kind == "episode":
            for key, value in (("series", series), ("season", season), ("episode", episode)):
                if value is None:
                    raise r.error(f"episode {content_id!r} needs {key}", node)
        else:
            for key in ("series", "season", "episode", "next"):
                if key in fields:
                    raise r.error(f"{key} is only for episodes; {what} is a {kind}", fields[key].key_node)
        entry = CatalogEntry(id=content_id, kind=kind, title=title, duration_ms=duration, credits_ms=credits,
                             series=series, season=season, episode=episode,
                             next=_optional_str(r, fields, "next", what),
                             channel=_optional_str(r, fields, "channel", what),
                             tile_title=_optional_str(r, fields, "tile_title", what), ad_marks_ms=ad_marks,
                             line=line_of(id_field.key_node))
        if entry.next is not None:
            next_refs.append((entry, fields["next"]))
        out[content_id] = entry
    for entry, ref in next_refs:
        target = out.get(entry.next or "")
        if target is None:
            close = difflib.get_close_matches(entry.next or "", list(out), n=1, cutoff=0.5)
            raise r.error(f"next of {entry.id!r} names {entry.next!r}, which is not in the catalog"
                          + (f"; did you mean {close[0]!r}?" if close else ""), ref.node)
        if target.kind != "episode":
            raise r.error(f"next of {entry.id!r} must be an episode; {target.id!r} is a {target.kind}", ref.node)
        if target.id == entry.id:
            raise r.error(f"next of {entry.id!r} names itself", ref.node)
    return out


def _log_patterns(r: Reader, f: Field) -> dict[str, re.Pattern[str]]:
    out = {}
    for name, item in r.mapping(f.node, "log_patterns").items():
        text = r.typed(item, str, f"log pattern {name!r}")
        try:
            out[name] = re.compile(text)
        except re.error as exc:
            raise r.error(f"log pattern {name!r} is not a valid regular expression: {exc}", item.node) from None
    return out


def _recipes(r: Reader, f: Field, deep_links: dict[str, str]) -> dict[str, Recipe]:
    out = {}
    for name, item in r.mapping(f.node, "recipes").items():
        if not _NAME.match(name):
            raise r.error(f"recipe name {name!r} must be lower_case_with_underscores", item.key_node)
        steps = [_step(r, node, name, deep_links) for node in r.sequence(item.node, f"recipe {name!r}")]
        if not steps:
            raise r.error(f"recipe {name!r} has no steps", item.node)
        out[name] = Recipe(name, tuple(steps), item.line)
    return out


def _key(r: Reader, node: yaml.Node, where: str) -> Key:
    value = r.value(node)
    try:
        return parse_key(value)
    except UnknownKey as exc:
        raise r.error(f"{where}: {exc}", node) from None


def _step(r: Reader, node: yaml.Node, recipe: str, deep_links: dict[str, str]) -> Step:
    where = f"recipe {recipe!r}"
    fields = r.mapping(node, f"a step of {where}")
    actions = [k for k in fields if k in _STEP_ACTIONS]
    r.check_keys(fields, _STEP_ACTIONS, f"a step of {where}")
    if len(actions) != 1:
        raise r.error(f"each step of {where} does one thing ({', '.join(_STEP_ACTIONS)}); this one has "
                      f"{', '.join(actions)}: split it into several '- ' items", node)
    action = actions[0]
    item = fields[action]
    line = line_of(item.key_node)
    if action == "keys":
        nodes = [item.node] if isinstance(item.node, yaml.ScalarNode) else r.sequence(item.node, f"keys of {where}")
        if not nodes:
            raise r.error(f"keys of {where} is empty", item.node)
        return Step("keys", tuple(_key(r, n, where) for n in nodes), line)
    if action == "longpress":
        return Step("longpress", _key(r, item.node, where), line)
    if action == "deep_link":
        link = r.typed(item, str, f"deep_link of {where}")
        if link not in deep_links:
            raise r.error(f"{where} uses deep link {link!r}, which deep_links does not define "
                          f"({', '.join(deep_links)})", item.node)
        return Step("deep_link", link, line)
    if action == "launch":
        if r.value(item.node) is not True:
            raise r.error(f"launch in {where} takes 'true'", item.node)
        return Step("launch", True, line)
    if action == "input_text":
        return Step("input_text", r.typed(item, str, f"input_text of {where}"), line)
    if action == "navigate_to":
        nav = r.mapping(item.node, f"navigate_to of {where}")
        r.check_keys(nav, _NAV_KEYS, f"navigate_to of {where}")
        target = {k: r.typed(v, str, f"{k} of navigate_to") for k, v in nav.items() if k != "max_moves"}
        if not target:
            raise r.error(f"navigate_to in {where} needs text, resource_id or content_desc", item.node)
        if "max_moves" in nav:
            target["max_moves"] = _optional_int(r, nav, "max_moves", f"navigate_to of {where}", minimum=1)
        return Step("navigate_to", target, line)
    # wait_for
    cond = r.mapping(item.node, f"wait_for of {where}")
    r.check_keys(cond, _WAIT_KEYS, f"wait_for of {where}")
    out: dict[str, Any] = {}
    for key, value in cond.items():
        if key in ("focused", "gone"):
            out[key] = r.typed(value, bool, f"{key} of wait_for")
        elif key == "timeout":
            out[key] = float(r.typed(value, float, "timeout of wait_for"))
            if out[key] <= 0:
                raise r.error("timeout of wait_for must be positive (seconds)", value.node)
        else:
            out[key] = r.typed(value, str, f"{key} of wait_for")
            if key == "log":
                try:
                    re.compile(out[key])
                except re.error as exc:
                    raise r.error(f"log of wait_for is not a valid regular expression: {exc}", value.node) from None
    if not any(k in out for k in ("text", "text_contains", "resource_id", "content_desc", "log")):
        raise r.error(f"wait_for in {where} needs text, text_contains, resource_id, content_desc or log", item.node)
    if "log" in out and any(k in out for k in ("text", "text_contains", "resource_id", "content_desc")):
        raise r.error(f"wait_for in {where} waits for a log line or for the screen, not both: split it", item.node)
    return Step("wait_for", out, line)


# -- running recipes (I/O) -------------------------------------------------------------------

def screen_matches(tree: UiTree, cond: dict[str, Any]) -> bool:
    """Whether a screen satisfies a wait_for condition (``gone`` inverts it)."""
    criteria = {k: cond[k] for k in ("text", "resource_id", "content_desc") if k in cond}
    if "text_contains" in cond:
        criteria["text"] = re.compile(re.escape(cond["text_contains"]))
    nodes = tree.find_all(**criteria)
    if cond.get("focused"):
        nodes = [n for n in nodes if n.focused or any(d.focused for d in n.walk())]
    found = bool(nodes)
    return not found if cond.get("gone") else found


_FILLED = ("text", "text_contains", "resource_id", "content_desc")


def _fill(template: str, params: dict[str, str], where: str) -> str:
    try:
        return template.format(**params)
    except KeyError as exc:
        raise RecipeError(f"{where} needs the parameter {exc.args[0]!r}: pass it to run() or add it to "
                          f"the profile's params") from None
    except (IndexError, ValueError) as exc:
        raise RecipeError(f"{where}: bad placeholder in {template!r} ({exc}); write {{{{ for a brace") from None


class AppDriver:
    """Drives one app on one device: launch, deep links, recipes.

    ``log_waiter(pattern, timeout)`` is called for ``wait_for: {log: ...}`` steps (e.g. a log tail's
    ``wait_for``); recipes that wait for logs fail clearly without one.
    """

    def __init__(self, device: Any, profile: AppProfile, remote: Remote | None = None,
                 ui_reader: Callable[[], UiTree] | None = None,
                 log_waiter: Callable[[str, float], Any] | None = None) -> None:
        """``device``: a driver, a ``FireTV`` or a transport (see :class:`Remote`)."""
        self.driver = remote.driver if remote is not None else driver_for(device)
        self.profile = profile
        self.read_ui = ui_reader or (lambda: self.driver.ui_tree())
        self.remote = remote or Remote(self.driver, self.read_ui)
        self.log_waiter = log_waiter

    def launch(self) -> None:
        """Start the profile's launch activity."""
        # wait: return once the app is up (on Fire OS a start right after HOME is held for up to 5 s, AOSP
        # APP_SWITCH_DELAY_TIME; keys sent earlier would go to the launcher).
        self.driver.launch(self.profile.package, self.profile.component, wait=True)

    def stop(self) -> None:
        self.driver.stop(self.profile.package)

    def open(self, link: str, content_id: str | None = None) -> None:
        """Start a deep link (``play``, ``detail``, ...) in the profile's app only."""
        # No wait here (unlike launch): a deep link's caller waits for the app's own sign of life (the
        # player's first report, LOAD_S), which also covers a start held after HOME; one more device
        # call here costs ~10 device seconds of playback on a 20x virtual clock.
        self.driver.open_link(self.profile.package, self.profile.deep_link(link, content_id))

    def run(self, recipe: str, content_id: str | None = None, timeout: float | None = None, **params: str) -> None:
        """Run a recipe. ``content_id`` fills deep links; ``params`` (over the profile's defaults)
        fill ``{name}`` placeholders; ``timeout`` overrides every wait's own."""
        if recipe not in self.profile.recipes:
            raise RecipeError(f"{self.profile.name} has no recipe {recipe!r} (it has "
                              f"{', '.join(self.profile.recipes) or 'none'}; see {self.profile.path})")
        values = {**self.profile.params, **params}
        for step in self.profile.recipes[recipe].steps:
            self._step(recipe, step, content_id, timeout, values)

    def _step(self, recipe: str, step: Step, content_id: str | None, timeout: float | None,
              params: dict[str, str]) -> None:
        where = f"recipe {recipe!r}, step {step.describe()}"
        if step.action == "keys":
            self.remote.press(*step.arg)
        elif step.action == "longpress":
            self.remote.longpress(step.arg)
        elif step.action == "launch":
            self.launch()
        elif step.action == "deep_link":
            try:
                self.open(step.arg, content_id)
            except ValueError as exc:
                raise RecipeError(f"{where}: {exc}; pass content_id=") from None
        elif step.action == "input_text":
            self.driver.type_text(_fill(step.arg, params, where))
        elif step.action == "navigate_to":
            args = {k: _fill(v, params, where) if isinstance(v, str) else v for k, v in step.arg.items()}
            self.remote.navigate_to(**args)
        elif step.action == "wait_for":
            cond = {k: _fill(v, params, where) if k in _FILLED else v for k, v in step.arg.items()}
            self._wait(where, cond, timeout)

    def _wait(self, where: str, cond: dict[str, Any], timeout: float | None) -> None:
        limit = timeout if timeout is not None else cond.get("timeout", DEFAULT_WAIT_S)
        if "log" in cond:
            if self.log_waiter is None:
                raise RecipeError(f"{where} waits for a log line; give AppDriver a log_waiter")
            self.log_waiter(cond["log"], limit)
            return
        last: list[UiTree] = []

        def check() -> bool:
            tree = self.read_ui()
            last[:] = [tree]
            return screen_matches(tree, cond)

        wanted = ", ".join(f"{k}={v!r}" for k, v in cond.items() if k != "timeout")
        wait_until(check, limit, f"{where} ({wanted})", interval=0.1,
                   describe=lambda: f"on screen: {last[0].labels() if last else 'nothing read'}")
