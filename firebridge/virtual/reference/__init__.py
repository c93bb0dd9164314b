"""Reference TV's platform-free model: its catalog and demo accounts, and its fault switches.

The Fire OS app (firebridge.virtual.fireos.apps.reference) and the Vega app
(firebridge.virtual.vega.apps) both use them.
"""
