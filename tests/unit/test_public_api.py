"""The public API of ``import firebridge``: every exported name resolves, is documented, and importing the
package loads none of it until used."""

from __future__ import annotations

import subprocess
import sys

import firebridge


def test_every_exported_name_resolves_and_has_a_docstring():
    for name in firebridge.__all__:
        value = getattr(firebridge, name)
        if name != "__version__":
            assert (getattr(value, "__doc__", None) or "").strip(), f"firebridge.{name} has no docstring"


def test_an_unknown_name_is_an_attribute_error():
    try:
        firebridge.NoSuchThing  # noqa: B018
    except AttributeError as exc:
        assert "NoSuchThing" in str(exc)
    else:
        raise AssertionError("firebridge.NoSuchThing resolved")


def test_import_firebridge_loads_no_layer_until_used():
    code = ("import sys, firebridge; print(sorted(m for m in sys.modules if m.startswith('firebridge.')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
