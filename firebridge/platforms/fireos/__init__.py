"""Fire OS (Android based): the driver (:mod:`.driver`) and the pure command builders and parsers it uses:
``keycodes`` (Android key codes), ``input`` (key events, text), ``uiautomator`` (UI tree), ``logcat``,
``activity`` (am start / force-stop, focus), ``notifications`` (am broadcast, dumpsys notification, pm path),
``power`` (screen state), ``props`` (getprop, features, Fire OS version)."""
