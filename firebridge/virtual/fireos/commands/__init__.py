"""Device commands; importing this package registers them all with the shell."""

from firebridge.virtual.fireos.commands import activity
from firebridge.virtual.fireos.commands import cmd
from firebridge.virtual.fireos.commands import android_io
from firebridge.virtual.shell import builtins as basic
from firebridge.virtual.shell import files
from firebridge.virtual.fireos.commands import input
from firebridge.virtual.fireos.commands import logcat
from firebridge.virtual.fireos.commands import notification
from firebridge.virtual.fireos.commands import packages
from firebridge.virtual.fireos.commands import power
from firebridge.virtual.fireos.commands import props
from firebridge.virtual.fireos.commands import settings
from firebridge.virtual.fireos.commands import storage
