"""Android commands of the virtual Fire TV (collected by firebridge.virtual.fireos.personality)."""
