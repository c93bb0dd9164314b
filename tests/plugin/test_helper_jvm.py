"""The helper APK's own dex, run on the JVM: enjarify translates classes.dex to JVM classes, which run
against small stand-ins for the android.* classes they use (tests/helper_jvm/). The JVM verifier checks
every class as it loads, so a register or type slip in the smali fails here (the negative control shows
they do). This is not ART; docs/helper-app.md says what only a device settles.

Needs javac/java (OpenJDK) and ``apt-get install -y --no-install-recommends enjarify`` besides the build
tools; skipped, saying so, without them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from firebridge.helperapp import HERE, SHIPPED_APK
from firebridge.helperapp.build import missing_tools

JVM = Path(__file__).resolve().parents[1] / "helper_jvm"
MISSING = [tool for tool in ("enjarify", "javac", "java") if shutil.which(tool) is None]
pytestmark = pytest.mark.skipif(bool(MISSING), reason=f"{', '.join(MISSING)} missing: apt-get install -y "
                                                       f"--no-install-recommends enjarify openjdk-17-jdk-headless")
VERIFY = ["-XX:+UnlockDiagnosticVMOptions", "-XX:+BytecodeVerificationLocal", "-XX:+BytecodeVerificationRemote"]


def run(*argv: str, check: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if Path("/usr/bin/python3").exists():
        env["PYTHON"] = "/usr/bin/python3"  # Debian's enjarify module lives with the system python
    result = subprocess.run(argv, capture_output=True, text=True, timeout=180, env=env)
    if check:
        assert result.returncode == 0, f"{argv}: {result.stdout}{result.stderr}"
    return result


def jar_of(dex: bytes, work: Path) -> Path:
    (work / "classes.dex").write_bytes(dex)
    run("enjarify", str(work / "classes.dex"), "-o", str(work / "helper.jar"), "-f")
    return work / "helper.jar"


@pytest.fixture(scope="module")
def stubs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("stubs")
    run("javac", "-d", str(out), *map(str, sorted((JVM / "stubs").rglob("*.java"))))
    return out


def harness(stubs: Path, jar: Path, work: Path) -> Path:
    classes = work / "harness"
    run("javac", "-d", str(classes), "-cp", f"{stubs}:{jar}",
        str(JVM / "harness" / "com" / "firebridge" / "helper" / "Harness.java"))
    return classes


@pytest.mark.parametrize("sdk", [22, 25, 28, 30])  # Fire OS 5, 6, 7, 8
def test_the_shipped_dex_runs_every_receiver_at_each_api_level(stubs, tmp_path, sdk):
    with zipfile.ZipFile(SHIPPED_APK) as apk:
        jar = jar_of(apk.read("classes.dex"), tmp_path)
    classes = harness(stubs, jar, tmp_path)
    result = run("java", *VERIFY, "-cp", f"{stubs}:{jar}:{classes}", "com.firebridge.helper.Harness", str(sdk))
    assert result.stdout.startswith("OK ") and f"at API {sdk}" in result.stdout


MUTATIONS = {
    # a call on an object that was never constructed: the JVM verifier must reject the class
    "uninitialized": ("    invoke-direct {v3, v4}, Ljava/util/TreeSet;-><init>(Ljava/util/Collection;)V\n", "",
                      "VerifyError"),
    # an int passed as the title: enjarify's translation runs, and the harness's title check catches it
    "int-as-title": ("invoke-virtual {v1, v2}, Landroid/app/Notification$Builder;->setContentTitle",
                     "invoke-virtual {v1, v0}, Landroid/app/Notification$Builder;->setContentTitle",
                     "AssertionError: title/text"),
}


@pytest.mark.skipif(bool(missing_tools()), reason="smali missing (apt-get install libsmali-java)")
@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_negative_controls_a_broken_smali_fails(stubs, tmp_path, mutation):
    old, new, expected = MUTATIONS[mutation]
    source = tmp_path / "smali"
    shutil.copytree(HERE / "smali", source)
    poster = source / "com" / "firebridge" / "helper" / "Poster.smali"
    assert old in poster.read_text()
    poster.write_text(poster.read_text().replace(old, new))
    run("smali", "assemble", "-j", "1", "--api", "22", "-o", str(tmp_path / "bad.dex"), str(source))
    good_jar = tmp_path / "good"
    good_jar.mkdir()
    with zipfile.ZipFile(SHIPPED_APK) as apk:
        classes = harness(stubs, jar_of(apk.read("classes.dex"), good_jar), good_jar)
    bad = tmp_path / "bad"
    bad.mkdir()
    jar = jar_of((tmp_path / "bad.dex").read_bytes(), bad)
    result = run("java", *VERIFY, "-cp", f"{stubs}:{jar}:{classes}", "com.firebridge.helper.Harness", "28", check=False)
    assert result.returncode != 0 and expected in result.stderr, result.stderr
