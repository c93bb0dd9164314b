"""firebridge's pytest plugin.

Options: ``--device`` (SERIAL | HOST:PORT | emulator[:AVD] | virtual | auto), ``--adb-server HOST:PORT``,
``--app`` (an app profile), ``--artifacts DIR``, ``--avd NAME``.
Fixtures for device tests: ``firetv`` (the selected device), ``logs`` (a log tail per test); and for
firebridge's own tests: ``adb_server``, ``virtual_device``, ``start_virtual_device``.
Marker: ``@pytest.mark.firetv(os="7", min_sdk=28, model="AFTKA")`` skips a test on a device that does
not match, saying why. On failure a test using ``firetv`` gets a screenshot, a UI dump, a logcat
excerpt and the full log's path under the artifacts folder, shown in the report (and as
pytest-html extras when that plugin is installed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from firebridge.adb.server import AdbServer, bundled_adb
from firebridge.adb.connect import connect_device
from firebridge.device.firetv import FireTV, fire_os_matches
from firebridge.errors import FirebridgeError
from firebridge.device.logs import LogTail
from firebridge.selection import DeviceSelector, Selection
from firebridge.virtual.process import VirtualFireTVProcess

pytest_plugins = ["firebridge.lab.plugin"]  # --bench: lab benches over pytest-xdist (firebridge/lab/plugin.py)

_SELECTION_KEY = pytest.StashKey[Selection]()
_REPORT_KEY = pytest.StashKey[dict]()


# -- options and marker -------------------------------------------------------------------------
def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("firebridge", "Fire TV devices (firebridge)")
    group.addoption("--device", default=None, metavar="SPEC",
                    help="SERIAL | HOST:PORT | emulator[:AVD] | virtual | auto (default: $ANDROID_SERIAL, else auto: "
                         "an attached Fire TV, else a running emulator, else the configured AVD, else the virtual Fire TV)")
    group.addoption("--adb-server", default=None, metavar="HOST:PORT",
                    help="the adb server to use (default 127.0.0.1:$ANDROID_ADB_SERVER_PORT or 5037)")
    group.addoption("--avd", default=None, metavar="NAME", help="the AVD that auto may boot (or $FIREBRIDGE_AVD)")
    group.addoption("--virtual-speed", default=None, type=float, metavar="X",
                    help="clock speed of a virtual Fire TV that selection starts (default: ini firebridge_virtual_speed, "
                         "else 1)")
    group.addoption("--virtual-model", default="AFTMM", metavar="CODE", help="model of a virtual Fire TV selection starts")
    group.addoption("--virtual-prop", action="append", default=[], metavar="KEY=VALUE",
                    help="a system property a virtual Fire TV that selection starts boots with (repeatable), "
                         "e.g. debug.firebridge.fault=wrong-cdf-id")
    parser.addini("firebridge_virtual_speed", "default --virtual-speed", default="1")
    group.addoption("--app", default="reference", metavar="PROFILE",
                    help="app profile: a name in fixtures/apps/ or a YAML path (default: reference)")
    group.addoption("--artifacts", default="artifacts", metavar="DIR",
                    help="where logs, screenshots and UI dumps go (default ./artifacts)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "firetv(os=None, min_sdk=None, model=None): run only on a matching device "
                                       "(os: Fire OS version prefix such as '7'; model: a code or a list)")


def marker_criteria(marker: pytest.Mark) -> dict[str, object]:
    """A ``firetv(os, min_sdk, model)`` marker's arguments by name (positional or keyword); a marker
    written wrongly is a TypeError, as calling :func:`marker_mismatch` with its arguments would be."""
    names = ("os", "min_sdk", "model")
    if len(marker.args) > len(names):
        raise TypeError(f"firetv() takes at most {len(names)} positional arguments ({len(marker.args)} given)")
    positional = dict(zip(names, marker.args))
    twice = sorted(positional.keys() & marker.kwargs.keys())
    if twice:
        raise TypeError(f"firetv() got multiple values for {', '.join(twice)}")
    return {**positional, **marker.kwargs}


def marker_mismatch(firetv: FireTV, os: str | None = None, min_sdk: int | None = None,
                    model: str | list[str] | None = None) -> str | None:
    """Why the device does not match a ``firetv`` marker, or None when it does."""
    if model is not None:
        wanted = [model] if isinstance(model, str) else list(model)
        if firetv.model not in wanted:
            return f"needs model {' or '.join(wanted)}, device is {firetv.model}"
    if min_sdk is not None and firetv.sdk < min_sdk:
        return f"needs API level >= {min_sdk}, device has {firetv.sdk}"
    if os is not None:
        version = firetv.fire_os
        if not fire_os_matches(version, os):
            return f"needs Fire OS {os}, device runs {'Fire OS ' + version if version else 'no Fire OS'}"
    return None


# -- device selection -----------------------------------------------------------------------------
def _uses_device(item: pytest.Item) -> bool:
    return "firetv" in getattr(item, "fixturenames", ())


def _select(config: pytest.Config) -> Selection:
    """Choose the device once per run and print why (the pytest header's device lines)."""
    selection = config.stash.get(_SELECTION_KEY, None)
    if selection is not None:
        return selection
    selector = DeviceSelector(adb_server=config.getoption("adb_server"), avd=config.getoption("avd"),
                              workdir=Path(config.getoption("artifacts")).resolve() / "_selection",
                              virtual_options=virtual_options(config))
    try:
        selection = selector.select(config.getoption("device"))
    except FirebridgeError as exc:  # a clear one-line error, not an INTERNALERROR traceback
        raise pytest.UsageError(f"firebridge could not select a device: {exc}") from exc
    config.stash[_SELECTION_KEY] = selection
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        for line in selection.summary():
            reporter.write_line(line)
    return selection


def virtual_options(config: pytest.Config) -> dict:
    """How to start the virtual Fire TV if selection comes to that (it changes nothing else)."""
    props = config.getoption("virtual_prop")
    bad = [item for item in props if "=" not in item]
    if bad:
        raise pytest.UsageError(f"--virtual-prop needs KEY=VALUE, got {bad[0]!r}")
    speed = config.getoption("virtual_speed") or float(config.getini("firebridge_virtual_speed"))
    extra: tuple[str, ...] = tuple(arg for item in props for arg in ("--prop", item))
    return {"speed": speed, "model": config.getoption("virtual_model"), "extra_args": extra}


def pytest_collection_finish(session: pytest.Session) -> None:
    """Choose the device before the first test, and only when a collected test needs one."""
    if any(_uses_device(item) for item in session.items) and not session.config.option.collectonly:
        _select(session.config)


def pytest_unconfigure(config: pytest.Config) -> None:
    selection = config.stash.get(_SELECTION_KEY, None)
    if selection is not None:
        selection.close()


@pytest.fixture(scope="session")
def firetv(pytestconfig: pytest.Config) -> FireTV:
    """The selected Fire TV (see ``--device``)."""
    return _select(pytestconfig).firetv


@pytest.fixture
def remote(firetv: FireTV):
    """The remote control of the selected device."""
    from firebridge.capabilities.remote import Remote
    return Remote(firetv)


@pytest.fixture
def home(firetv: FireTV, remote):
    """The home screen's rows (Continue Watching, Partner-Managed Rows, Your Apps)."""
    from firebridge.capabilities.home import Home
    return Home(firetv, remote)


@pytest.fixture
def privacy(firetv: FireTV, remote) -> Iterator:
    """Consent toggles through the Settings UI; the original state is put back after the test."""
    from firebridge.capabilities.privacy import Privacy, preserved
    yield from preserved(Privacy(firetv, remote))


@pytest.fixture
def pmr(firetv: FireTV):
    """Partner-Managed Row recommendations through the helper app; everything posted is cancelled after."""
    from firebridge.capabilities.pmr import PMR
    recommendations = PMR(firetv)
    recommendations.require_helper()  # says how to install it when it is missing
    try:
        yield recommendations
    finally:
        recommendations.cancel_all()


@pytest.fixture(scope="session")
def app_profile(pytestconfig: pytest.Config):
    """The app profile named by --app (a name in fixtures/apps/ or a YAML path), validated."""
    from firebridge.capabilities.apps import load_profile
    return load_profile(pytestconfig.getoption("app"))


@pytest.fixture
def app(firetv: FireTV, remote, app_profile, request: pytest.FixtureRequest):
    """The app under test, driven by its profile's deep links and key recipes; stopped after the test.
    Recipe steps that wait for log lines use this test's ``logs`` tail when the test has one."""
    from firebridge.capabilities.apps import AppDriver
    tail = request.getfixturevalue("logs") if "logs" in request.fixturenames else None
    driver = AppDriver(firetv, app_profile, remote=remote,
                       log_waiter=(lambda pattern, timeout: tail.wait_for(pattern, timeout=timeout)) if tail else None)
    try:
        yield driver
    finally:
        driver.stop()


@pytest.fixture(autouse=True)
def _firetv_marker(request: pytest.FixtureRequest) -> None:
    marker = request.node.get_closest_marker("firetv")
    if marker is None or "firetv" not in request.fixturenames:
        return
    reason = marker_mismatch(request.getfixturevalue("firetv"), **marker_criteria(marker))
    if reason:
        pytest.skip(reason)


# -- artifacts ------------------------------------------------------------------------------------
def artifacts_dir(config: pytest.Config, nodeid: str) -> Path:
    """One folder per test under --artifacts, named after its node id."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")
    return Path(config.getoption("artifacts")).resolve() / safe[-150:]


def _adb_binary_for(firetv: FireTV) -> Path:
    # The client must be the server's version (another protocol version kills the server); the
    # bundled binary is what firebridge's own servers run, and what a lab's server reports it runs.
    return bundled_adb()


@pytest.fixture
def logs(firetv: FireTV, request: pytest.FixtureRequest) -> Iterator[LogTail]:
    """The device log from this test's start, written whole to ``ARTIFACTS/<test>/device.log``."""
    folder = artifacts_dir(request.config, request.node.nodeid)
    tail = LogTail(firetv.serial, folder / "device.log", adb=_adb_binary_for(firetv),
                   adb_server=firetv.adb_server).start()
    request.node.stash[_REPORT_KEY] = {"log": tail}
    try:
        yield tail
    finally:
        tail.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if report.when != "call" or not report.failed or not _uses_device(item):
        return
    selection = item.config.stash.get(_SELECTION_KEY, None)
    if selection is None:
        return
    saved = save_failure_artifacts(selection.firetv, artifacts_dir(item.config, item.nodeid),
                                   item.stash.get(_REPORT_KEY, {}).get("log"))
    report.sections.append(("firebridge artifacts", "\n".join(f"{k}: {v}" for k, v in saved.items())))
    html = item.config.pluginmanager.getplugin("html")
    if html is not None:  # pytest-html extras
        report.extras = getattr(report, "extras", []) + html_extras(html.extras, saved)


def html_extras(extras, saved: dict[str, object]) -> list[dict]:
    """pytest-html extras for saved artifacts: the screenshot inline (base64, so the report stands alone and
    survives xdist), the log excerpt as text, and a link to the full log when the test tailed it."""
    import base64

    out = []
    if isinstance(saved.get("screenshot"), Path):
        out.append(extras.image(base64.b64encode(saved["screenshot"].read_bytes()).decode(), name="screenshot"))
    if isinstance(saved.get("logcat excerpt"), Path):
        out.append(extras.text(saved["logcat excerpt"].read_text(errors="replace"), name="log excerpt"))
    if isinstance(saved.get("log"), Path):
        out.append(extras.url(saved["log"].resolve().as_uri(), name="full device log"))
    return out


def save_failure_artifacts(firetv: FireTV, folder: Path, tail: LogTail | None) -> dict[str, object]:
    """Screenshot, UI dump, logcat excerpt and the full log's path; each best effort (the device may be gone)."""
    folder.mkdir(parents=True, exist_ok=True)
    saved: dict[str, object] = {}
    try:
        saved["screenshot"] = firetv.save_screenshot(folder / "screen.png")
    except Exception as exc:
        saved["screenshot error"] = exc
    try:
        result = firetv.shell("uiautomator dump /sdcard/window_dump.xml >/dev/null && cat /sdcard/window_dump.xml")
        (folder / "window_dump.xml").write_text(result.stdout)
        saved["ui dump"] = folder / "window_dump.xml"
    except Exception as exc:
        saved["ui dump error"] = exc
    try:
        if tail is not None:
            excerpt = "\n".join(tail.lines()[-200:]) + "\n"
            saved["log"] = tail.log_path
        else:  # the test did not tail the log: take the device's recent history instead
            excerpt = firetv.shell("logcat -d -v threadtime -t 200").stdout
        (folder / "logcat-excerpt.txt").write_text(excerpt)
        saved["logcat excerpt"] = folder / "logcat-excerpt.txt"
    except Exception as exc:
        saved["logcat error"] = exc
    return saved


# -- fixtures for firebridge's own tests (a private adb server and virtual devices) ---------------
@dataclass
class VirtualDeviceSession:
    """A running virtual Fire TV connected to a private adb server."""

    process: VirtualFireTVProcess
    adb_server: AdbServer

    @property
    def serial(self) -> str:
        """The adb serial (``127.0.0.1:PORT``)."""
        return self.process.address

    def adb(self, *args: str, timeout: float = 30.0, input: bytes | None = None):
        """Run ``adb -s SERIAL ARGS`` against the private server (a CompletedProcess)."""
        return self.adb_server.run("-s", self.serial, *args, timeout=timeout, input=input)

    def adbutils_device(self):
        """The device as stock adbutils sees it."""
        return self.adb_server.client().device(self.serial)

    def firetv(self) -> FireTV:
        """firebridge's view of this device."""
        return FireTV(self.serial, adb_server=self.adb_server.address)


def start_adb_server(home: Path) -> AdbServer:
    """An adb server from the adbutils wheel on a free private port, with its own ~/.android."""
    return AdbServer(adb=bundled_adb(), home=home).start()


def start_trusted_virtual_device(server: AdbServer, workdir: Path, **options) -> VirtualDeviceSession:
    """A virtual Fire TV that already trusts ``server``'s key (as after "Always allow"), connected."""
    assert server.home is not None, "the adb server needs its own home to know its key"
    keys = workdir / "adb_keys"
    keys.write_text((server.home / ".android" / "adbkey.pub").read_text())
    process = VirtualFireTVProcess(auth=options.pop("auth", "required"), adb_keys=keys, **options).start()
    try:
        connect_device(server.client(), process.address)
    except BaseException:
        process.stop()
        raise
    return VirtualDeviceSession(process, server)


@pytest.fixture(scope="session")
def adb_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdbServer]:
    """A private adb server (bundled adb, free port, own key), stopped by pid at the end."""
    server = start_adb_server(tmp_path_factory.mktemp("adb-home"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def virtual_device(adb_server: AdbServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtualDeviceSession]:
    """A virtual Fire TV (its own process, authentication on) connected to ``adb_server``."""
    session = start_trusted_virtual_device(adb_server, tmp_path_factory.mktemp("virtual-firetv"))
    try:
        yield session
    finally:
        adb_server.client().disconnect(session.serial)
        session.process.stop()


@pytest.fixture
def start_virtual_device(adb_server: AdbServer, tmp_path_factory: pytest.TempPathFactory):
    """A factory for fresh virtual Fire TVs on ``adb_server`` (each its own process), for tests that
    need a device in its initial state or with options: ``start_virtual_device(speed=20, model="AFTKA")``.
    Every device it started is disconnected and stopped by pid when the test ends."""
    sessions: list[VirtualDeviceSession] = []

    def start(**options) -> VirtualDeviceSession:
        session = start_trusted_virtual_device(adb_server, tmp_path_factory.mktemp("virtual-firetv"), **options)
        sessions.append(session)
        return session

    yield start
    for session in sessions:
        try:
            adb_server.client().disconnect(session.serial)
        finally:
            session.process.stop()
