"""Vega shell commands (collected by firebridge.virtual.vega.personality)."""
