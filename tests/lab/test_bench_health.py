"""Bench health checks: the parsers on real captured formats, and the checks against virtual Fire TVs."""

from __future__ import annotations

from pathlib import Path

import pytest

from firebridge.lab.bench import BenchDevice
from firebridge.lab.health import check_device, parse_df, tag_mismatch
from firebridge.lab.identity import describe_identity, platform_value
from firebridge.platforms.fireos.power import parse_wakefulness, parse_window_awake
from firebridge.virtual.process import VirtualFireTVProcess

# toybox df, Android 7.0 (Nexus 5X), nonylene.hatenablog.jp/entry/2016/10/09/014419 (first lines).
TOYBOX_7 = """\
Filesystem                                            1K-blocks    Used Available Use% Mounted on
tmpfs                                                    922680     428    922252   1% /dev
tmpfs                                                    922680       0    922680   0% /mnt
/dev/block/dm-0                                         2999516 2430552    552580  82% /system
/dev/block/dm-1                                          241908  184160     52752  78% /vendor
/dev/block/platform/soc.0/f9824900.sdhci/by-name/cache    92656    4504     86188   5% /cache
"""
# toybox df -h, Android 14, hk.pswp.cn/diannao/70894.shtml (excerpt).
TOYBOX_H_14 = """\
Filesystem            Size Used Avail Use% Mounted on
/dev/block/dm-5       692M 690M  2.0M 100% /
tmpfs                 911M 3.1M  908M   1% /dev
/dev/block/dm-43       24G  23G  1.0G  96% /data
/dev/block/loop8       22M  22M   28K 100% /apex/com.android.extservices@340090000
"""
# toolbox df, Android 6.0 (SO-02H), same blog post (excerpt, with its inline permission errors).
TOOLBOX_6 = """\
Filesystem               Size     Used     Free   Blksize
/dev                   889.4M   104.0K   889.3M   4096
/sys/fs/cgroup/memory: Permission denied
/system                  4.9G     3.9G     1.1G   4096
/data                   21.9G    12.1G     9.8G   4096
/cache                 341.0M   304.0K   340.7M   4096
"""
# dumpsys power, an Android TV box while dozing, blog.csdn.net/yush34/article/details/104040075 (excerpt).
POWER_DOZING = """\
POWER MANAGER (dumpsys power)

Power Manager State:
  Settings power_manager_constants:
    no_cached_wake_locks=true
  mDirty=0x0
  mWakefulness=Dozing
  mWakefulnessChanging=false
  mIsPowered=true
"""


def test_df_toybox():
    space = parse_df(TOYBOX_7, "/system")
    assert (space.size_kb, space.used_kb, space.available_kb) == (2999516, 2430552, 552580)
    assert parse_df(TOYBOX_7, "/data") is None  # not in the output, and more than one line: no guess


def test_df_toybox_human_sizes():
    space = parse_df(TOYBOX_H_14, "/data")
    assert space.available_kb == 1024 * 1024 and space.available_mb == 1024
    assert parse_df(TOYBOX_H_14, "/apex/com.android.extservices@340090000").available_kb == 28


def test_df_toolbox_fire_os_5_era():
    space = parse_df(TOOLBOX_6, "/data")
    assert space.mount == "/data"
    assert space.available_mb == int(9.8 * 1024)


def test_df_single_line_and_wrapped_names():
    only = "Filesystem 1K-blocks Used Available Use% Mounted on\n/dev/block/dm-1 5313344 1503172 3810172 29% /data\n"
    assert parse_df(only, "/data").available_kb == 3810172
    wrapped = ("Filesystem 1K-blocks Used Available Use% Mounted on\n/dev/block/platform/very/long/name\n"
               "   5313344 1503172 3810172 29% /data\n")
    assert parse_df(wrapped, "/data").available_kb == 3810172
    assert parse_df("/system/bin/sh: df: not found\n") is None


def test_wakefulness_and_window_awake():
    assert parse_wakefulness(POWER_DOZING) == "Dozing"
    assert parse_wakefulness("  mWakefulness=Asleep\n") == "Asleep"  # a Fire TV Stick (homebridge-adb #103)
    assert parse_wakefulness("Can't find service: power\n") is None
    assert parse_window_awake("    mAwake=false mScreenOnEarly=false\n") is False
    assert parse_window_awake("nothing here") is None


def test_tag_mismatch():
    ident = {"model": "AFTMM", "fire_os": "6.7.1.1"}
    assert tag_mismatch({"model": "AFTMM", "os": "6"}, ident) is None
    assert "says model AFTKA" in tag_mismatch({"model": "AFTKA"}, ident)
    assert "says Fire OS 7" in tag_mismatch({"os": "7"}, ident)
    assert tag_mismatch({"os": "6.7"}, ident) is None
    assert tag_mismatch({"platform": "fireos", "os": "6"}, ident) is None  # no platform in it: Fire OS


def test_tag_mismatch_on_a_mixed_bench():
    fire = {"platform": "fireos", "model": "AFTMM", "fire_os": "6.7.1.1", "os_version": "6.7.1.1"}
    vega = {"platform": "vega", "model": "Vega device", "fire_os": None, "os_version": "1.2"}
    assert tag_mismatch({"platform": "vega", "os": "1"}, vega) is None
    assert tag_mismatch({"platform": "vega", "os": "1.2"}, vega) is None
    assert tag_mismatch({"platform": "vega"}, fire) == "the bench file says platform vega, the device runs Fire OS"
    assert tag_mismatch({"platform": "fireos"}, vega) == "the bench file says platform fireos, the device runs Vega OS"
    assert tag_mismatch({"os": "7"}, vega) == "the bench file says Vega OS 7, the device runs 1.2"
    assert tag_mismatch({"os": "7"}, {**vega, "os_version": None}) == "the bench file says Vega OS 7, the device runs no Vega OS"


def test_identity_for_people():
    assert describe_identity({"platform": "fireos", "model": "AFTMM", "fire_os": "6.7.1.1", "sdk": 25}) == \
        "AFTMM Fire OS 6.7.1.1 API 25"
    assert describe_identity({"platform": "vega", "model": "Vega Virtual Device", "os_version": "1.2", "sdk": 0}) == \
        "Vega Virtual Device Vega OS 1.2"
    assert describe_identity({"platform": "Vega OS", "model": "x", "os_version": "1.2"}) == "x Vega OS 1.2"
    assert platform_value({"platform": "Fire OS"}) == "fireos" and platform_value({}) == "fireos"


def _bench_device(session, **tags) -> BenchDevice:
    return BenchDevice("tv", session.serial, session.adb_server.address, True, tags)


def test_a_healthy_virtual_fire_tv(virtual_device):
    health = check_device(_bench_device(virtual_device, model="AFTMM", os="6"), virtual_device.firetv(), 200)
    assert health.ok, health.checks
    assert [c.name for c in health.checks] == ["state", "authorized", "shell", "tags", "storage", "screen"]
    assert health.identity["model"] == "AFTMM" and health.identity["sdk"] == 25
    storage = next(c for c in health.checks if c.name == "storage")
    assert "MB free on /data" in storage.detail
    assert "mWakefulness=Awake" in next(c for c in health.checks if c.name == "screen").detail


def test_too_little_storage_and_wrong_tags_are_unhealthy(virtual_device):
    tv = virtual_device.firetv()
    full = check_device(_bench_device(virtual_device), tv, min_free_mb=10 ** 7)
    assert not full.ok and full.problem.startswith("storage:") and "below the bench's" in full.problem
    wrong = check_device(_bench_device(virtual_device, model="AFTKA"), tv, 200)
    assert not wrong.ok and "says model AFTKA, the device reports AFTMM" in wrong.problem


def test_fire_os_5_prints_toolbox_df(start_virtual_device):
    session = start_virtual_device(model="AFTT")
    out = session.adb("shell", "df", "/data").stdout.decode()
    assert out.splitlines()[0].split() == ["Filesystem", "Size", "Used", "Free", "Blksize"]
    health = check_device(_bench_device(session), session.firetv(), 200)
    assert health.ok, health.checks


def test_a_healthy_virtual_vega_device_and_its_platform_tag(start_virtual_device):
    session = start_virtual_device(os="vega")
    health = check_device(_bench_device(session, platform="vega", os="1"), session.firetv(), 200)
    assert health.ok, health.checks
    assert [c.name for c in health.checks] == ["state", "authorized", "shell", "tags", "storage", "screen"]
    ident = health.identity
    assert (ident["platform"], ident["os_version"], ident["fire_os"], ident["sdk"]) == ("vega", "1.2", None, 0)
    assert ident["build"].startswith("OS 1.2")  # os-release BUILD_DESC
    # Vega has no /data: the space that counts is where app data lives (/home/app_user/packages/<pkg>/data)
    assert next(c for c in health.checks if c.name == "storage").detail.endswith(" MB free on /home")
    assert health.summary() == f"tv: {ident['model']} Vega OS 1.2 — healthy"
    wrong = check_device(_bench_device(session, platform="fireos"), session.firetv(), 200)
    assert not wrong.ok and wrong.problem == "tags: the bench file says platform fireos, the device runs Vega OS; " \
                                             "fix the bench file (the history compares devices by name)"


def test_the_virtual_vega_df(start_virtual_device):
    session = start_virtual_device(os="vega")
    out = session.adb("shell", "df -k /home/app_user /tmp").stdout.decode()
    header, home, tmp = out.splitlines()
    assert header.split() == ["Filesystem", "1K-blocks", "Used", "Available", "Use%", "Mounted", "on"]
    assert (home.split()[-1], tmp.split()[-1]) == ("/home", "/tmp")
    missing = session.adb("shell", "df -k /data; echo status=$?")
    assert "df: /data: No such file or directory" in (missing.stdout + missing.stderr).decode()
    assert "status=1" in missing.stdout.decode()


def test_unauthorized_and_absent_devices(adb_server, tmp_path: Path):
    stranger = VirtualFireTVProcess(auth="required", adb_keys=tmp_path / "empty_keys").start()
    try:
        device = BenchDevice("tv", stranger.address, adb_server.address, True)
        from firebridge.device.firetv import FireTV
        health = check_device(device, FireTV(stranger.address, adb_server=adb_server.address), 200,
                              connect_timeout=10)
        assert not health.ok and health.problem.startswith("authorized: unauthorized")
    finally:
        adb_server.client().disconnect(stranger.address)
        stranger.stop()
    absent = BenchDevice("gone", "127.0.0.1:9", adb_server.address, True)
    from firebridge.device.firetv import FireTV
    health = check_device(absent, FireTV(absent.serial, adb_server=adb_server.address), 200)
    assert not health.ok and health.problem.startswith("state:") and "ADB debugging" in health.problem


@pytest.mark.parametrize("mount", ["/data", "/sdcard"])
def test_the_virtual_device_df_matches_the_toybox_format(virtual_device, mount: str):
    out = virtual_device.adb("shell", "df", mount).stdout.decode()
    header, line = out.splitlines()
    assert header.split() == ["Filesystem", "1K-blocks", "Used", "Available", "Use%", "Mounted", "on"]
    assert parse_df(out, line.split()[-1]) is not None
