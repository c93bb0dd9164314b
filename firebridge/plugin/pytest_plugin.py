"""firebridge's pytest plugin (the ``pytest11`` entry point): it loads the plugin's modules and keeps
the failure artifacts.

- :mod:`firebridge.plugin.options`: ``--device`` (SERIAL | HOST:PORT | emulator[:AVD] | virtual | auto),
  ``--adb-server HOST:PORT``, ``--app`` (an app profile), ``--artifacts DIR``, ``--avd NAME``...; the marker
  ``@pytest.mark.firetv(os="7", min_sdk=28, model="AFTKA")``, which skips a test on a device that does not
  match, saying why.
- :mod:`firebridge.plugin.session`: the run's device, chosen once; :mod:`firebridge.plugin.api` is what
  other plugins use (the stash keys, ``current_selection``, ``use_selection``).
- :mod:`firebridge.plugin.fixtures`: ``firetv``, ``remote``, ``home``, ``privacy``, ``pmr``, ``app``.
- :mod:`firebridge.lab.plugin`: ``--bench`` (lab benches over pytest-xdist).
- here: ``logs`` (a log tail per test) and, on failure of a test using ``firetv``, a screenshot, a UI
  dump, a device log excerpt and the full log's path under the artifacts folder, shown in the report (and as
  pytest-html extras when that plugin is installed).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterator

import pytest

from firebridge.adb.server import bundled_adb
from firebridge.device.firetv import FireTV
from firebridge.device.logs import LogTail
from firebridge.plugin.api import SELECTION_KEY as _SELECTION_KEY, TEST_LOG_KEY as _REPORT_KEY
from firebridge.plugin.api import uses_device as _uses_device

# Imported by pytest itself (so that none is imported before pytest can rewrite its asserts).
pytest_plugins = ["firebridge.plugin.html",  # pytest-html: Device/Platform columns, devices in Environment
                  "firebridge.plugin.options", "firebridge.plugin.session", "firebridge.plugin.fixtures",
                  "firebridge.plugin.helper_option",  # --install-helper, the helper's version in the header
                  "firebridge.plugin.recovery",  # device health, lost-device memory, failure classes
                  "firebridge.plugin.junit",  # the JUnit file's test count matches its testcases
                  "firebridge.lab.plugin"]  # --bench: lab benches over pytest-xdist (firebridge/lab/plugin.py)


# -- artifacts ------------------------------------------------------------------------------------
def artifacts_dir(config: pytest.Config, nodeid: str) -> Path:
    """One folder per test under --artifacts, named after its node id."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")
    return Path(config.getoption("artifacts")).resolve() / safe[-150:]


def writable_or_temporary(folder: Path) -> Path:
    """``folder`` when it can be created, else a fresh temporary folder: an artifacts folder that cannot be
    written (disk full, read-only, a file in the way) must not fail the test that wants to keep its log."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    except OSError as exc:
        import tempfile
        import warnings
        fallback = Path(tempfile.mkdtemp(prefix="firebridge-artifacts-"))
        warnings.warn(f"firebridge: cannot write {folder} ({exc}); this test's device log goes to {fallback}")
        return fallback


def _adb_binary_for(firetv: FireTV) -> Path:
    # The client must be the server's version (another protocol version kills the server); the
    # bundled binary is what firebridge's own servers run, and what a lab's server reports it runs.
    return bundled_adb()


@pytest.fixture
def logs(firetv: FireTV, request: pytest.FixtureRequest) -> Iterator[LogTail]:
    """The device log from this test's start, written whole to ARTIFACTS/<test>/device.log (a LogTail: wait_for(pattern), last_lines(n))."""
    folder = writable_or_temporary(artifacts_dir(request.config, request.node.nodeid))
    driver = firetv.driver
    tail = LogTail(firetv.serial, folder / "device.log", adb=_adb_binary_for(firetv),
                   adb_server=firetv.adb_server, stream_args=driver.log_command(),
                   parser=driver.parse_log_line).start(ready=lambda mark: driver.log_marker("firebridge", mark))
    request.node.stash[_REPORT_KEY] = {"log": tail}
    try:
        yield tail
    finally:
        tail.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if not _uses_device(item):
        return
    selection = item.config.stash.get(_SELECTION_KEY, None)
    if selection is None:
        return
    if not any(name == "device" for name, _ in report.user_properties):  # a bench worker names its own
        report.user_properties.append(("device", selection.serial))
    if report.when != "call" or not report.failed:
        return
    from firebridge.plugin.recovery import assess_failure  # imported by pytest as a plugin first (assert rewriting)

    try:
        assess_failure(item, call, report.when)  # is the device still there? (remembered for the session)
        saved = save_failure_artifacts(selection.firetv, artifacts_dir(item.config, item.nodeid),
                                       item.stash.get(_REPORT_KEY, {}).get("log"))
    except (Exception, pytest.fail.Exception) as exc:  # noqa: BLE001 (a pytest-timeout firing here: not an INTERNALERROR)
        saved = {"artifacts error": f"{type(exc).__name__}: {exc}"}
    report.sections.append(("firebridge artifacts", "\n".join(f"{k}: {_shown(v)}" for k, v in saved.items())))
    html = item.config.pluginmanager.getplugin("html")
    if html is not None:  # pytest-html extras
        try:
            report.extras = getattr(report, "extras", []) + html_extras(html.extras, saved, report_folder(item.config))
        except OSError:  # a file written a moment ago cannot be read back: the report still goes out
            pass


def _shown(value: object) -> object:
    """A path under the working directory as a relative one (reports and logs then stay valid when the
    whole folder moves); anything else as it is."""
    if isinstance(value, Path):
        try:
            return value.resolve().relative_to(Path.cwd().resolve())
        except ValueError:
            return value
    return value


def report_folder(config: pytest.Config) -> Path | None:
    """The folder of the ``--html`` report (links to artifacts are relative to it), None without one."""
    path = config.getoption("htmlpath", None)
    return (Path.cwd() / Path(os.path.expandvars(path)).expanduser()).resolve().parent if path else None


def relative_link(target: Path, folder: Path | None) -> str:
    """A link to ``target`` from a report in ``folder``: relative, so that the report and the artifacts can
    be moved (or served) together; a file:// URI only without a report folder."""
    if folder is None:
        return target.resolve().as_uri()
    return Path(os.path.relpath(target.resolve(), folder)).as_posix()


def html_extras(extras, saved: dict[str, object], folder: Path | None = None) -> list[dict]:
    """pytest-html extras for saved artifacts: the screenshot inline (base64, so the report stands alone and
    survives xdist), the log excerpt and the UI dump as text, and links relative to the report's ``folder``
    to the full log (when the test tailed it) and the artifacts folder."""
    import base64

    out = []
    if isinstance(saved.get("screenshot"), Path):
        out.append(extras.png(base64.b64encode(saved["screenshot"].read_bytes()).decode(), name="screenshot"))
    if isinstance(saved.get("logcat excerpt"), Path):
        out.append(extras.text(saved["logcat excerpt"].read_text(errors="replace"), name="log excerpt"))
    if isinstance(saved.get("ui dump"), Path):
        out.append(extras.text(saved["ui dump"].read_text(errors="replace"), name="UI dump"))
    if isinstance(saved.get("log"), Path):
        out.append(extras.url(relative_link(saved["log"], folder), name="full device log"))
    files = [value for value in saved.values() if isinstance(value, Path)]
    if files:
        out.append(extras.url(relative_link(files[0].parent, folder) + "/", name="artifacts folder"))
    return out


ARTIFACT_CALL_S = 10.0  # each device call of the failure artifacts (they are best effort)


def save_failure_artifacts(firetv: FireTV, folder: Path, tail: LogTail | None) -> dict[str, object]:
    """Screenshot, UI dump, device log excerpt and the full log's path; each best effort (the device may be
    gone: once it is known lost nothing is asked of it; otherwise each call is time-boxed, without reconnect
    waits). A folder that cannot be written (disk full, read-only) is reported, never raised."""
    saved: dict[str, object] = {}
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return {"artifacts error": f"cannot write {folder}: {exc}"}
    if firetv.lost is not None:
        saved["device"] = f"lost ({firetv.lost}): no screenshot or UI dump"
        if tail is not None:
            saved.update(_save_excerpt(folder, tail))
        return saved
    with firetv.time_boxed(ARTIFACT_CALL_S):
        saved.update(_save_from_device(firetv, folder, tail))
    return saved


def _save_excerpt(folder: Path, tail: LogTail) -> dict[str, object]:
    try:
        (folder / "logcat-excerpt.txt").write_text("\n".join(tail.last_lines(200)) + "\n")
        return {"log": tail.log_path, "logcat excerpt": folder / "logcat-excerpt.txt"}
    except Exception as exc:
        return {"logcat error": exc}


def _save_from_device(firetv: FireTV, folder: Path, tail: LogTail | None) -> dict[str, object]:
    saved: dict[str, object] = {}
    try:
        saved["screenshot"] = firetv.save_screenshot(folder / "screen.png")
    except Exception as exc:
        saved["screenshot error"] = exc
    try:
        (folder / "window_dump.xml").write_text(firetv.driver.ui_tree().xml)
        saved["ui dump"] = folder / "window_dump.xml"
    except Exception as exc:
        saved["ui dump error"] = exc
    try:
        if tail is not None:
            excerpt = "\n".join(tail.last_lines(200)) + "\n"  # not the whole log
            saved["log"] = tail.log_path
        else:  # the test did not tail the log: take the device's recent history instead
            excerpt = firetv.driver.log_excerpt(200)
        (folder / "logcat-excerpt.txt").write_text(excerpt)
        saved["logcat excerpt"] = folder / "logcat-excerpt.txt"
    except Exception as exc:
        saved["logcat error"] = exc
    return saved
