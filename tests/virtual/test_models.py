"""Checks on the virtual Fire TV model table (firebridge.virtual.fireos.models); no device needed."""

from __future__ import annotations

import re

import pytest

from firebridge.virtual.fireos.models import (
    DEFAULT_MODEL,
    MODELS,
    DeviceModel,
    generate_serial,
    get_model,
)

REQUIRED_CODES = ("AFTMM", "AFTKA", "AFTKM", "AFTKRT", "AFTSS", "AFTSSS", "AFTGAZL", "AFTT", "AFTR")
BANNER_KEYS = ("ro.product.name", "ro.product.model", "ro.product.device")
SERIAL = "G070QQ0474470HT4"  # the real AFTT DSN from the sample getprop
ALL = sorted(MODELS.values(), key=lambda model: model.code)


def _ids(model: DeviceModel) -> str:
    return model.code


@pytest.fixture(params=ALL, ids=_ids)
def model(request: pytest.FixtureRequest) -> DeviceModel:
    return request.param


def test_required_models_present_and_default() -> None:
    for code in REQUIRED_CODES:
        assert code in MODELS
    assert DEFAULT_MODEL == "AFTMM"
    assert get_model(DEFAULT_MODEL).device == "mantis"


def test_keys_match_codes(model: DeviceModel) -> None:
    assert MODELS[model.code] is model


def test_manufacturer_and_brand_are_amazon(model: DeviceModel) -> None:
    props = model.properties(SERIAL)
    assert props["ro.product.manufacturer"] == "Amazon"
    assert props["ro.product.brand"] == "Amazon"


def test_model_code_starts_with_aft(model: DeviceModel) -> None:
    assert model.code.startswith("AFT")
    assert model.properties(SERIAL)["ro.product.model"] == model.code


def test_sdk_and_identity_fields_match_properties(model: DeviceModel) -> None:
    props = model.properties(SERIAL)
    assert props["ro.build.version.sdk"] == str(model.sdk)
    assert props["ro.build.version.release"] == model.release
    assert props["ro.build.version.name"] == model.fire_os
    assert props["ro.build.id"] == model.build_id
    assert props["ro.build.version.incremental"] == model.incremental
    assert props["ro.product.name"] == model.product
    assert props["ro.product.device"] == model.device
    assert props["ro.build.fingerprint"] == model.fingerprint
    assert model.fire_os.startswith(f"Fire OS {model.fire_os_major}.")


def test_api_level_matches_fire_os_generation(model: DeviceModel) -> None:
    # Fire OS 5 = API 22, 6 = 25, 7 = 28, 8 = 29/30 (Amazon's "Identify Fire TV devices").
    expected = {5: {22}, 6: {25}, 7: {28}, 8: {29, 30}}
    assert model.sdk in expected[model.fire_os_major]


def test_fingerprint_shape(model: DeviceModel) -> None:
    fingerprint = model.fingerprint
    match = re.fullmatch(r"Amazon/([^/]+)/([^:]+):([^/]+)/([^/]+)/([^:]+):user/(amz-p,)?release-keys", fingerprint)
    assert match, fingerprint
    product, device, _release, build_id, _incremental = match.group(1, 2, 3, 4, 5)
    assert product == model.product
    assert device == model.device
    assert build_id == model.build_id


def test_banner_values_are_clean(model: DeviceModel) -> None:
    props = model.properties(SERIAL)
    for key in BANNER_KEYS:
        value = props[key]
        assert value, key
        assert not set(value) & set(":;=,"), (key, value)
        assert value == value.strip() and " " not in value, (key, value)
    assert model.banner_fields() == {key: props[key] for key in BANNER_KEYS}


def test_properties_sorted_and_large(model: DeviceModel) -> None:
    props = model.properties(SERIAL)
    assert list(props) == sorted(props)
    assert len(props) >= 120
    assert all(isinstance(key, str) and isinstance(value, str) for key, value in props.items())


def test_properties_of_a_booted_production_tv(model: DeviceModel) -> None:
    props = model.properties(SERIAL)
    expected = {
        "ro.serialno": SERIAL,
        "ro.boot.serialno": SERIAL,
        "ro.debuggable": "0",
        "ro.secure": "1",
        "ro.adb.secure": "1",
        "service.adb.tcp.port": "5555",
        "sys.boot_completed": "1",
        "dev.bootcomplete": "1",
        "init.svc.bootanim": "stopped",
        "init.svc.adbd": "running",
        "ro.build.characteristics": "tv",
        "ro.build.type": "user",
        "ro.sf.lcd_density": "320",
    }
    for key, value in expected.items():
        assert props.get(key) == value, key
    for key in ("ro.build.date", "ro.build.date.utc", "ro.build.description", "ro.build.host", "ro.build.tags",
                "ro.hardware", "ro.board.platform", "ro.product.board", "ro.product.cpu.abi",
                "ro.product.cpu.abilist", "ro.product.locale", "persist.sys.timezone", "net.hostname",
                "ro.opengles.version", "dalvik.vm.heapsize", "wifi.interface"):
        assert key in props, key
    assert props["ro.build.date.utc"].isdigit()
    assert props["ro.build.description"].startswith(f"{model.product}-user ")


def test_no_emulator_or_telephony_properties(model: DeviceModel) -> None:
    props = model.properties(SERIAL)
    assert "ro.kernel.qemu" not in props
    assert "ro.boot.qemu" not in props
    assert not [key for key in props if key.startswith(("gsm.", "ril.", "ro.ril."))]


def test_generation_specific_properties(model: DeviceModel) -> None:
    props = model.properties(SERIAL)
    if model.sdk >= 24:
        assert props["persist.sys.locale"] == "en-US"
    if model.sdk >= 23:
        assert "ro.build.version.security_patch" in props
    if model.sdk >= 28:
        for suffix in ("brand", "manufacturer", "model", "name", "device"):
            assert props[f"ro.product.vendor.{suffix}"] == props[f"ro.product.{suffix}"]
        assert props["ro.product.first_api_level"].isdigit()
    else:
        assert not [key for key in props if key.startswith("ro.product.vendor.")]


def test_properties_depend_on_serial_only_where_expected(model: DeviceModel) -> None:
    first = model.properties("G000AA00000000AA")
    second = model.properties("G000BB11111111BB")
    changed = {key for key in first if first[key] != second.get(key)}
    assert changed == {"ro.serialno", "ro.boot.serialno", "net.hostname", "ro.runtime.firstboot"}
    assert model.properties(SERIAL) == model.properties(SERIAL)


def test_features(model: DeviceModel) -> None:
    features = model.features()
    assert features == sorted(features)
    assert len(features) == len(set(features))
    for name in ("amazon.hardware.fire_tv", "android.software.leanback", "android.software.leanback_only",
                 "android.hardware.type.television"):
        assert name in features
    assert "android.hardware.touchscreen" not in features
    assert "android.hardware.telephony" not in features
    assert not [name for name in features if name.startswith("feature:") or "=" in name]
    if model.sdk < 24:
        assert "android.software.picture_in_picture" not in features


def test_pm_list_features_output(model: DeviceModel) -> None:
    lines = model.pm_list_features().splitlines()
    assert lines[0] == f"feature:reqGlEsVersion=0x{model.gles_version:x}"
    assert lines[1:] == [f"feature:{name}" for name in model.features()]
    assert model.properties(SERIAL)["ro.opengles.version"] == str(model.gles_version)


def test_get_model_is_case_insensitive() -> None:
    assert get_model("aftmm") is MODELS["AFTMM"]
    assert get_model(" AftKa ") is MODELS["AFTKA"]


def test_get_model_unknown_code_names_code_and_known_models() -> None:
    with pytest.raises(ValueError) as excinfo:
        get_model("AFTXYZ")
    message = str(excinfo.value)
    assert "AFTXYZ" in message
    for code in REQUIRED_CODES:
        assert code in message


def test_generate_serial_shape_and_determinism(model: DeviceModel) -> None:
    serial = generate_serial(model, 42)
    assert re.fullmatch(r"G[0-9A-Z]{15}", serial), serial
    assert serial.startswith(model.serial_prefix)
    assert re.fullmatch(r"G[0-9A-Z]{5}[0-9]{8}[0-9A-Z]{2}", serial), serial
    assert generate_serial(model, 42) == serial
    assert generate_serial(model, "42") == serial  # an int seed and its string form are the same seed
    assert generate_serial(model, 43) != serial
    assert generate_serial(model, "/tmp/some/workdir") == generate_serial(model, "/tmp/some/workdir")


def test_serials_differ_across_models() -> None:
    serials = {generate_serial(model, 7) for model in ALL}
    assert len(serials) == len(ALL)


def test_models_are_immutable_and_hashable() -> None:
    model = get_model("AFTMM")
    with pytest.raises(AttributeError):
        model.code = "AFTX"  # type: ignore[misc]
    assert hash(model) == hash(get_model("aftmm"))


def test_real_captured_values_kept() -> None:
    """Values copied from real devices must not drift."""
    mantis = get_model("AFTMM").properties(SERIAL)
    assert mantis["ro.build.fingerprint"] == "Amazon/mantis/mantis:6.0/NS6711/5908N:user/amz-p,release-keys"
    assert mantis["ro.build.version.incremental"] == "0011644900484"
    assert mantis["ro.build.version.sdk"] == "25"
    tank = get_model("AFTT").properties(SERIAL)
    assert tank["ro.product.name"] == "full_tank"
    assert tank["ro.nrdp.modelgroup"] == "FIRETVSTICK2016"
    assert tank["ro.board.platform"] == tank["ro.hardware"] == "mt8127"
    assert tank["ro.build.version.sdk"] == "22"
    sheldon = get_model("AFTSS").properties(SERIAL)
    assert sheldon["ro.vendor.build.fingerprint"] == "Amazon/sheldon/sheldon:7.0/PS7249/2719N:user/amz-p,release-keys"
    assert sheldon["ro.vendor.build.date.utc"] == "1624772719"
    assert sheldon["ro.vendor.build.date"] == "Sun Jun 27 05:45:19 UTC 2021"
    assert sheldon["ro.amazon.sys.fbs-size"] == "1920x1080"
