"""The bridge-side launcher knows the virtual device's fault switches only through its interface
(the property name and ``firebridge virtual --list-faults``); these keep the two sides equal."""

from __future__ import annotations

from firebridge.adb.virtual_process import FAULT_PROPERTY, list_faults, parse_fault_list
from firebridge.virtual.fireos.apps.reference import FAULTS, PROPERTY


def test_the_bridge_names_the_fault_property_as_the_device_does() -> None:
    assert FAULT_PROPERTY == PROPERTY


def test_list_faults_is_the_reference_apps_table() -> None:
    assert list_faults() == FAULTS


def test_parse_fault_list_reads_name_and_description_per_line() -> None:
    text = "wrong-cdf-id          sends the internal id\nno-seek-events        sends nothing on seek\n\n"
    assert parse_fault_list(text) == {"wrong-cdf-id": "sends the internal id", "no-seek-events": "sends nothing on seek"}
