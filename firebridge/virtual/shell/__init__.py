"""The device shell: a parser and interpreter of the shell language adb clients send, and its builtins."""
