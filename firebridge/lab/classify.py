"""Failure classes (infrastructure or product) live in :mod:`firebridge.plugin.classify`, where plain
runs class their failures too; re-exported here for the bench's callers."""

from firebridge.plugin.classify import (INFRA, PRODUCT, SETUP_INFRA_TYPES, classify, infra_reason,  # noqa: F401
                                        setup_reason)
