"""firebridge's pytest plugin: options, device selection per session, fixtures, markers, failure artifacts."""
