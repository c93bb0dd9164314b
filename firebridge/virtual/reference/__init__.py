"""Reference TV's platform-free model: its catalog and demo accounts (catalog), its fault switches
(faults), what it keeps between runs (data), the Content Personalization call each customer trigger
makes (reporting) and what its screens' buttons do (actions).

The Fire OS app (firebridge.virtual.fireos.apps.reference) and the Vega app
(firebridge.virtual.vega.reference) both use them; each only draws its screens and routes its keys.
"""
