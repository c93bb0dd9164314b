"""Content Personalization, shared by the Fire OS and Vega personalities (platform-free rules + service).

The service needs from its device only ``clock``, ``system_log(level, tag, message, process=)`` and the
two consents (:mod:`consent`); each OS writes the log line in its own log (logcat or the journal).
"""
