"""One device: the object tests hold, its shell results, UI tree, log tail and typed errors."""
