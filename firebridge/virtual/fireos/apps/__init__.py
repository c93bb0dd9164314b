"""The apps and system services of a virtual Fire TV (installed by firebridge.virtual.fireos.personality)."""
