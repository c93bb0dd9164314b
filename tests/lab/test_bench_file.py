"""Bench files: loading, and every mistake reported with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from firebridge.lab.bench import (FIXTURES_DIR, BenchDevice, bench_from_text, host_port_problem, load_bench,
                              render_bench)
from firebridge.errors import ConfigError

GOOD = """\
bench: lab-a
defaults:
  adb_server: 10.0.0.5:5037
  app: reference
  tags: {os: "7"}
health:
  min_free_mb: 300
  reconnect_timeout: 12
devices:
  - name: cube
    serial: G070VM1234567890
    tags: {model: AFTGAZL}
  - name: stick
    address: 192.168.1.41:5555
    adb_server: bench-host-2:5037
    tags: {model: AFTKA, os: 7}
"""


def error(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        bench_from_text(text, "lab.yaml")
    return info.value


def test_a_good_bench_file():
    bench = bench_from_text(GOOD, "lab.yaml")
    assert bench.name == "lab-a" and bench.min_free_mb == 300 and bench.reconnect_timeout == 12
    cube, stick = bench.devices
    assert cube == BenchDevice("cube", "G070VM1234567890", "10.0.0.5:5037", False, {"os": "7", "model": "AFTGAZL"},
                               "reference")
    assert cube.line == 10
    assert stick.network and stick.serial == "192.168.1.41:5555" and stick.adb_server == "bench-host-2:5037"
    assert stick.tags == {"os": "7", "model": "AFTKA"}  # a number becomes the version string
    assert stick.key == "bench-host-2:5037/192.168.1.41:5555"


def test_every_shipped_example_loads():
    examples = sorted(FIXTURES_DIR.glob("*.yaml"))
    assert examples
    for path in examples:
        bench = load_bench(path)
        assert bench.devices
    assert load_bench("lab-example").name == "living-room-lab"  # a name in fixtures/benches/


def test_a_mixed_bench_tags_each_devices_platform():
    bench = bench_from_text(GOOD + "  - name: vega-stick\n    address: 192.168.1.43:5555\n"
                                   "    adb_server: bench-host-2:5037\n    tags: {platform: vega, os: '1.2'}\n", "lab.yaml")
    vega = bench.device("vega-stick")
    assert vega.tags == {"os": "1.2", "platform": "vega"}  # its own os replaces the default's
    assert load_bench("lab-example").device("stick-4k-select").tags["platform"] == "vega"
    err = error(GOOD.replace("tags: {model: AFTGAZL}", "tags: {model: AFTGAZL, platform: kepler}"))
    assert err.line == 12 and "platform must be fireos or vega, not 'kepler'" in str(err)
    err = error(GOOD.replace("    tags: {model: AFTGAZL}", "    platform: vega"))
    assert "unknown key 'platform'" in str(err) and "tags: {platform: vega}" in str(err)


def test_the_readme_example_loads():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    block = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    bench = bench_from_text(block, "README.md")
    assert [d.name for d in bench.devices] == ["stick-4k", "cube-3rd-gen", "stick-4k-select"]
    assert bench.devices[0].network and bench.device("stick-4k-select").tags == {"platform": "vega"}


def test_render_reads_back_to_the_same_bench(tmp_path: Path):
    bench = bench_from_text(GOOD, "lab.yaml")
    path = tmp_path / "copy.yaml"
    path.write_text(render_bench(bench, comment="written by a test"))
    again = load_bench(path)
    assert again.devices == bench.devices
    assert (again.name, again.min_free_mb, again.reconnect_timeout) == (bench.name, 300, 12)


def test_unknown_key_names_file_line_and_the_likely_key():
    err = error(GOOD.replace("    address: 192.168.1.41:5555", "    adress: 192.168.1.41:5555"))
    assert (err.path, err.line) == ("lab.yaml", 14)
    assert "unknown key 'adress'" in str(err) and "did you mean 'address'?" in str(err)
    assert str(err).startswith("lab.yaml:14: ")


def test_unknown_top_level_and_tag_keys():
    assert "did you mean 'devices'" in str(error(GOOD.replace("devices:", "device:")))
    err = error(GOOD.replace("{model: AFTKA, os: 7}", "{modle: AFTKA}"))
    assert err.line == 16 and "did you mean 'model'" in str(err)


def test_a_misplaced_model_gets_a_hint():
    err = error(GOOD.replace("    tags: {model: AFTGAZL}", "    model: AFTGAZL"))
    assert err.line == 12 and "tags: {model: AFTKA}" in str(err)


def test_duplicate_names_point_at_the_second_and_name_the_first():
    err = error(GOOD.replace("name: stick", "name: cube"))
    assert err.line == 13
    assert "'cube' is used twice (first at line 10)" in str(err)


def test_the_same_device_twice():
    text = GOOD + "  - name: cube-again\n    serial: G070VM1234567890\n"
    err = error(text)
    assert err.line == 17 and "same device as 'cube'" in str(err)


@pytest.mark.parametrize("bad, why", [
    ("bench-host-2", "no ':PORT'"),
    ("bench-host-2:", "no ':PORT'"),
    ("bench-host-2:50x7", "is not a number"),
    ("bench-host-2:70000", "outside 1-65535"),
    ("bench host:5037", "not a host name"),
    ("::1:5037", "in brackets"),
])
def test_bad_host_port(bad: str, why: str):
    err = error(GOOD.replace("adb_server: bench-host-2:5037", f"adb_server: '{bad}'"))
    assert err.line == 15
    assert "must be HOST:PORT" in str(err) and why in str(err)


def test_host_port_forms():
    assert host_port_problem("192.168.1.10:5037") is None
    assert host_port_problem("bench-host-1.lab:5037") is None
    assert host_port_problem("[::1]:5037") is None
    assert host_port_problem("localhost") == "it has no ':PORT'"


@pytest.mark.parametrize("edit, line, words", [
    (("    serial: G070VM1234567890\n", ""), 10, "needs 'serial'"),
    (("  - name: cube\n", "  - serial2: x\n"), 10, "unknown key 'serial2'"),
    (("  - name: stick\n    address", "  - address"), 13, "needs 'name'"),
    (("  adb_server: 10.0.0.5:5037\n", ""), 9, "needs 'adb_server'"),
    (("    serial: G070VM1234567890", "    serial: G070VM1234567890\n    address: 1.2.3.4:5555"), 12,
     "both 'serial' and"),
    (("    serial: G070VM1234567890", "    serial: 192.168.1.9:5555"), 11, "address: 192.168.1.9:5555"),
    (("  app: reference", "  app: no-such-app"), 4, "no app profile 'no-such-app'"),
    (("  min_free_mb: 300", "  min_free_mb: '300'"), 7, "remove the quotes"),
    (("  - name: cube", "  - name: my cube"), 10, "letters, digits"),
])
def test_missing_and_wrong_fields(edit: tuple[str, str], line: int, words: str):
    err = error(GOOD.replace(*edit))
    assert err.line == line, str(err)
    assert words in str(err)


def test_empty_and_broken_files(tmp_path: Path):
    assert "empty" in str(error(""))
    assert "devices is empty" in str(error("bench: x\ndevices: []\n"))
    assert error("devices:\n  - name: [\n").line == 3  # where the parser gave up
    with pytest.raises(ConfigError, match="cannot read"):
        load_bench(tmp_path / "missing.yaml")


def test_only_some_devices():
    bench = bench_from_text(GOOD, "lab.yaml")
    some = bench.only(["stick"])
    assert [d.name for d in some.devices] == ["stick"]
    # the rest of the bench comes along, and the original keeps every device
    assert (some.name, some.min_free_mb, some.reconnect_timeout, some.path) == (
        bench.name, bench.min_free_mb, bench.reconnect_timeout, bench.path)
    assert [d.name for d in bench.devices] == ["cube", "stick"]
    with pytest.raises(ConfigError, match="no device 'nope'"):
        bench.only(["nope"])
