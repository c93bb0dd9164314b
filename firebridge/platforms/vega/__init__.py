"""Vega OS (Linux based Fire TV OS, formerly "Kepler"): commands, pure parsers and the Vega driver.

Modules: ``detect`` (is it Vega? default serial), ``identity`` (/etc/os-release, VVD signs), ``keys``
(inputd-cli), ``logs`` (loggingctl), ``apps`` (vmsgr/vlcm/vpm), ``toolkit`` (automation toolkit
JSON-RPC and page source), ``driver`` (``VegaDriver``, the only module that does I/O).
"""

from firebridge.platforms.vega.detect import PROBE_COMMAND, default_serial, looks_like_vega

__all__ = ["PROBE_COMMAND", "default_serial", "looks_like_vega"]
