"""Device commands; importing this package registers them all with the shell."""

from . import (activity, android_io, basic, files, input, logcat, notification, packages,  # noqa: F401
               power, props, settings, storage)
