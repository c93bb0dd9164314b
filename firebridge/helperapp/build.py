"""Build and sign the helper APK from the source in this directory, reproducibly.

The route (Debian packages only, no Android SDK): smali -> classes.dex; aapt compiles the manifest and
resources against Debian's framework-res.apk; the zip is rewritten with fixed timestamps; zipalign;
apksigner (v1+v2+v3). Two builds of the same source with the same key are byte-identical:
smali runs single-threaded (``-j 1``: multi-threaded smali orders the dex differently), every zip
entry gets the same DOS date (apksigner gives its own entries the newest input date), and RSA
PKCS#1 v1.5 signatures are deterministic.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from firebridge.errors import HelperBuildError
from firebridge.helperapp import APK_NAME, HERE

FRAMEWORK_RES = Path("/usr/share/android-framework-res/framework-res.apk")
DEBIAN_PACKAGES = "aapt zipalign apksigner android-framework-res libsmali-java"
INSTALL_HINT = f"install them with `apt-get install -y --no-install-recommends {DEBIAN_PACKAGES}` (Debian 12/Ubuntu)"
TOOLS = ("smali", "aapt", "zipalign", "apksigner")
MIN_SDK, TARGET_SDK = 22, 28
# The date AOSP's build gives every zip entry; DOS dates cannot go below 1980.
ZIP_DATE = (2008, 1, 1, 0, 0, 0)
TEST_KEYSTORE = HERE / "testkey" / "firebridge-test.p12"
TEST_KEY_PASSWORD = "firebridge-test"  # TEST KEY — NOT FOR RELEASE (testkey/README.md)
TEST_KEY_ALIAS = "firebridge-test"


@dataclass(frozen=True)
class SigningKey:
    """A keystore, its password (also the key's) and the key alias."""

    keystore: Path
    password: str
    alias: str


TEST_KEY = SigningKey(TEST_KEYSTORE, TEST_KEY_PASSWORD, TEST_KEY_ALIAS)


def missing_tools() -> list[str]:
    """Build tools (and framework-res.apk) that are not installed; empty when the build can run."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not FRAMEWORK_RES.is_file():
        missing.append(str(FRAMEWORK_RES))
    return missing


def _run(argv: list[str], cwd: Path | None = None) -> None:
    try:
        result = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=300)
    except OSError as exc:
        raise HelperBuildError(f"cannot run {argv[0]}: {exc}; {INSTALL_HINT}") from exc
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()[-2000:]
        raise HelperBuildError(f"`{' '.join(argv)}` exited with {result.returncode}: {detail}")


def _fixed_zip(source: Path, dex: Path, target: Path) -> None:
    """Copy aapt's zip with every entry dated ZIP_DATE and classes.dex added; keeps each entry's
    compression (aapt stores resources.arsc and PNGs uncompressed, so they can be mapped)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        entries = [(info.filename, info.compress_type, zin.read(info)) for info in zin.infolist()]
        entries.append(("classes.dex", zipfile.ZIP_DEFLATED, dex.read_bytes()))
        for name, compression, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = compression
            info.create_system = 0  # the same bytes whichever OS builds it
            info.external_attr = 0
            zout.writestr(info, data, compresslevel=9 if compression == zipfile.ZIP_DEFLATED else None)


def build(output_dir: Path, key: SigningKey = TEST_KEY, source: Path = HERE) -> Path:
    """Build, align and sign ``firebridge-helper.apk`` into ``output_dir``; returns its path.

    Raises HelperBuildError naming the Debian packages to install when a tool is missing.
    """
    missing = missing_tools()
    if missing:
        raise HelperBuildError(f"the helper APK build needs {', '.join(missing)}; {INSTALL_HINT}")
    if not key.keystore.is_file():
        raise HelperBuildError(f"keystore {key.keystore} not found; pass --keystore FILE (PKCS#12 or JKS), "
                               f"or leave it out to sign with the repository's test key")
    output_dir.mkdir(parents=True, exist_ok=True)
    out = output_dir / APK_NAME
    with tempfile.TemporaryDirectory(prefix="firebridge-helper-") as tmp:
        work = Path(tmp)
        dex = work / "classes.dex"
        _run(["smali", "assemble", "-j", "1", "--api", str(MIN_SDK), "-o", str(dex), str(source / "smali")])
        resources = work / "resources.apk"
        _run(["aapt", "package", "-f", "-M", str(source / "AndroidManifest.xml"), "-S", str(source / "res"),
              "-I", str(FRAMEWORK_RES), "--min-sdk-version", str(MIN_SDK), "--target-sdk-version", str(TARGET_SDK),
              "-F", str(resources)])
        unaligned = work / "unaligned.apk"
        _fixed_zip(resources, dex, unaligned)
        aligned = work / "aligned.apk"
        _run(["zipalign", "-f", "-p", "4", str(unaligned), str(aligned)])  # before v2/v3 signing
        signed = work / APK_NAME
        _sign(key, aligned, signed)
        shutil.copyfile(signed, out)
    return out


def _sign(key: SigningKey, unsigned: Path, signed: Path) -> None:
    """apksigner sign; the password goes through the environment, not the command line."""
    import os
    env = dict(os.environ, FIREBRIDGE_KS_PASS=key.password)
    argv = ["apksigner", "sign", "--ks", str(key.keystore), "--ks-pass", "env:FIREBRIDGE_KS_PASS",
            "--key-pass", "env:FIREBRIDGE_KS_PASS", "--ks-key-alias", key.alias, "--v4-signing-enabled", "false",
            "--out", str(signed), str(unsigned)]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=300, env=env)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()[-2000:]
        raise HelperBuildError(f"apksigner could not sign with {key.keystore} (alias {key.alias}): {detail}; "
                               f"check --ks-pass and --alias")
