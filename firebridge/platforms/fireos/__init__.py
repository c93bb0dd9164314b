"""Fire OS (Android based): key codes, command builders and pure parsers of Android output."""
