"""The real device shell: each shell session runs mksh (Fire OS's /system/bin/sh) in a bubblewrap sandbox.

Per session: own mount, pid, network, IPC and UTS namespaces (and user namespace, uid 2000 "shell",
where the host allows it); no network; no host file visible but the runtime libraries (read-only);
the device's files (:class:`~firebridge.virtual.fs.DeviceFileSystem`) bind-mounted at their Android
places, writable only where a shell user can write (the device filesystem's writable places: /sdcard,
/data/local/tmp, the Shell app's bug reports); toybox applets of the
device's generation in /system/bin; the Android commands (getprop, am, pm, dumpsys, ...) as stubs
that hand argv, env and fds 0-2 to the device model over a per-session Unix socket
(:mod:`~firebridge.virtual.shell.stubserver`); process count, CPU time, memory and file size bounded.

Entry points: :func:`support` (is it usable here, and if not what is missing) and
:func:`sandbox_for` (the device's :class:`DeviceSandbox`, whose :meth:`DeviceSandbox.run` runs one
session). Hosts without mksh, toybox or bwrap (macOS) keep the built-in interpreter.
Install on Debian/Ubuntu: ``apt-get install -y mksh toybox bubblewrap``.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import fcntl
import functools
import logging
import os
import pty as ptys
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import termios
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeGuard

from firebridge.virtual.shell.interpreter import Shell, ShellHost
from firebridge.virtual.shell.streams import EmptySource, NullSink, Sink, Source
from firebridge.virtual.shell.stubserver import StubServer

log = logging.getLogger(__name__)

INSTALL_HINT = "apt-get install -y mksh toybox bubblewrap"
SHELL_UID = 2000  # AID_SHELL

#: Device-model commands that the sandbox's mksh and toybox provide for real instead (toybox and toolbox
#: are the sandbox's own: the host toybox, and a toolbox script).
SHELL_UTILITIES = frozenset({"echo", "true", "false", "sleep", "seq", "yes", "sh", "grep", "cat", "ls", "rm",
                             "mkdir", "touch", "printf", "head", "tail", "toybox", "toolbox"})

#: Where the host toybox is mounted: /system/bin/toybox from Fire OS 6 (Android 6+ has toybox); on Fire OS 5
#: (Android 5.1, toolbox only) out of PATH, so that `toybox` is not found there as on the device.
TOYBOX_PATH = "/system/bin/toybox"
TOYBOX_PATH_FIRE_OS_5 = "/system/etc/firebridge/toybox"

# `toolbox TOOL ARGS` (every Fire OS has toolbox; lollipop toolbox.c): runs the tool; "Toolbox!" alone.
# ASSUMPTION: wording and status of an unknown tool from lollipop toolbox.c as remembered (settle by:
# `toolbox nosuch; echo $?` on a stick).
_TOOLBOX = """#!/system/bin/sh
[ $# -eq 0 ] && { echo 'Toolbox!'; exit 0; }
case $1 in */*|toolbox|toybox|sh) echo "$1: no such tool" >&2; exit 255;; esac
[ -x "/system/bin/$1" ] || { echo "$1: no such tool" >&2; exit 255; }
exec "/system/bin/$@"
"""

# The toybox command set of Android 7.1 (AOSP nougat-mr2 toybox/Android.mk, "ALL_TOOLS"), plus ps and
# grep, which were toolbox tools there (same names, toybox's implementation here).
_TOYBOX_N = """acpi base64 basename blockdev bzcat cal cat chcon chgrp chmod chown chroot cksum clear comm cmp cp
cpio cut date dd df dirname dmesg dos2unix du echo egrep env expand expr fallocate false fgrep find flock free
getenforce groups grep head hostname hwclock id ifconfig inotifyd insmod ionice iorenice kill killall
load_policy ln logname losetup ls lsmod lsof lsusb md5sum mkdir mknod mkswap mktemp modinfo more mount
mountpoint mv netstat nice nl nohup od paste patch pgrep pidof pkill pmap printenv printf ps pwd readlink
realpath renice restorecon rm rmdir rmmod route runcon sed seq setenforce setsid sha1sum sha224sum sha256sum
sha384sum sha512sum sleep sort split stat swapoff swapon sync sysctl tac tail tar taskset tee time timeout
top touch tr true truncate tty ulimit umount uname uniq unix2dos uptime usleep vmstat wc which whoami xargs
xxd yes""".split()
# Android 9/11 (Fire OS 7/8) added these (AOSP pie/r toybox Android.bp).
_TOYBOX_P = _TOYBOX_N + """diff file gunzip gzip lspci microcom mkfifo modprobe nproc readelf rtcwake sendevent
sha3sum uudecode uuencode watch xargs zcat""".split()
# Fire OS 5 (Android 5.1) had toolbox, not toybox: the toolbox command names that toybox also implements.
# ASSUMPTION: toybox's output stands in for toolbox's (settle by: captures of Fire OS 5 toolbox output).
_TOOLBOX_L = """cat chmod chown cmp date dd df dmesg du grep hostname id ifconfig insmod ionice kill ln ls lsmod
lsof mkdir mknod mount mv netstat nohup printenv ps readlink renice restorecon rm rmdir rmmod route runcon
sendevent setenforce sleep sync top touch umount uptime vmstat""".split()


def applets_for(fire_os_major: int) -> list[str]:
    """The shell tool names of a Fire OS generation (toybox applets linked in /system/bin)."""
    if fire_os_major <= 5:
        return sorted(set(_TOOLBOX_L))
    return sorted(set(_TOYBOX_N if fire_os_major == 6 else _TOYBOX_P))


@dataclass(frozen=True)
class Support:
    """Whether the real shell can run on this host, and with what."""

    available: bool
    missing: tuple[str, ...] = ()
    reason: str = ""
    bwrap: str = ""
    mksh: str = ""
    toybox: str = ""
    python: str = ""
    user_namespace: bool = False
    cgroup: str = ""  # a pids-controller directory we may create device cgroups in ("" = rlimits only)
    toybox_applets: frozenset[str] = field(default_factory=frozenset)
    #: Tools of the command sets that this host's toybox build leaves out (Debian's omits tr, dd, expr,
    #: diff, ...: toybox "pending"), taken from the host instead: name -> host path.
    host_tools: tuple[tuple[str, str], ...] = ()

    def describe(self) -> str:
        """One line for banners: which shell the virtual device runs."""
        if self.available:
            user = "uid 2000" if self.user_namespace else "root, no user namespace"
            return f"real mksh + toybox in a bubblewrap sandbox ({user})"
        why = f"missing {', '.join(self.missing)}" if self.missing else self.reason
        return f"built-in shell ({why}; for the real one: {INSTALL_HINT})"


def _stub_python() -> str:
    """A Python for the stubs: the system one (small, no site needed) or the running one."""
    for candidate in ("/usr/bin/python3",):
        if os.access(candidate, os.X_OK):
            return os.path.realpath(candidate)
    return os.path.realpath(sys.executable)


def _runtime_binds(python: str) -> list[str]:
    """bwrap arguments that make the host's dynamic loader, libraries and the stub Python visible."""
    args: list[str] = []
    for path in ("/usr/lib", "/usr/lib64", "/usr/lib32"):
        if os.path.isdir(path) and not os.path.islink(path):
            args += ["--ro-bind", path, path]
    for path in ("/lib", "/lib64", "/lib32"):
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    prefix = os.path.dirname(os.path.dirname(python))
    if prefix not in ("/usr", "/"):  # e.g. a pyenv Python: its own lib directory
        args += ["--ro-bind", prefix, prefix]
    else:
        args += ["--ro-bind", python, python]
    return args


def _find_cgroup() -> str:
    """A directory of the pids controller where device cgroups can be made (v1, then v2)."""
    candidates = ["/sys/fs/cgroup/pids"]
    try:
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            hierarchy, _, path = line.split(":", 2)
            if hierarchy == "0":
                candidates.append("/sys/fs/cgroup" + path.rstrip("/"))
    except OSError:
        pass
    for base in candidates:
        probe = os.path.join(base, f"firebridge-probe-{os.getpid()}")
        try:
            os.mkdir(probe)
        except OSError:
            continue
        usable = os.path.exists(os.path.join(probe, "pids.max"))
        with contextlib.suppress(OSError):
            os.rmdir(probe)
        if usable:
            return base
    return ""


@functools.lru_cache(maxsize=None)
def support() -> Support:
    """Probe once: are mksh, toybox and a working bubblewrap here?"""
    found = {name: shutil.which(name) or "" for name in ("bwrap", "mksh", "toybox")}
    missing = tuple(name for name, path in found.items() if not path)
    if sys.platform != "linux":
        return Support(False, missing, reason=f"needs Linux namespaces, this is {sys.platform}")
    if missing:
        return Support(False, missing)
    python = _stub_python()
    base = [found["bwrap"], "--die-with-parent", "--unshare-all", *_runtime_binds(python), "--proc", "/proc",
            "--dev", "/dev", "--ro-bind", found["mksh"], "/bin/sh"]
    user_namespace = True
    reason = ""
    for extra in (["--unshare-user", "--uid", str(SHELL_UID), "--gid", str(SHELL_UID)], []):
        try:
            result = subprocess.run([*base, *extra, "/bin/sh", "-c", "echo ok"], capture_output=True, timeout=20)
        except (OSError, subprocess.TimeoutExpired) as exc:
            reason = str(exc)
            continue
        if result.stdout == b"ok\n":
            break
        reason = result.stderr.decode(errors="replace").strip() or f"bwrap exited {result.returncode}"
        user_namespace = False
    else:
        return Support(False, reason=f"bubblewrap cannot make a sandbox here: {reason}")
    applets = frozenset(subprocess.run([found["toybox"]], capture_output=True).stdout.decode().split())
    # ASSUMPTION: GNU tr/dd/expr/diff answer as toybox's for what scripts use (settle by: a toybox
    # build with those applets enabled, e.g. Alpine's or a static toybox release binary).
    host_tools = tuple((name, path) for name in sorted(set(_TOYBOX_P) - applets)
                       if (path := _host_tool(name)))
    return Support(True, bwrap=found["bwrap"], mksh=found["mksh"], toybox=found["toybox"], python=python,
                   user_namespace=user_namespace, cgroup=_find_cgroup(), toybox_applets=applets,
                   host_tools=host_tools)


def _host_tool(name: str) -> str:
    for directory in ("/usr/bin", "/bin"):
        path = os.path.join(directory, name)
        if os.access(path, os.X_OK) and os.path.realpath(path).startswith("/usr/"):
            return os.path.realpath(path)
    return ""


_announced = False


def announce(stream=None) -> None:
    """Say once per process which shell the virtual devices run (and what is missing, if anything)."""
    global _announced
    if _announced:
        return
    _announced = True
    info = support()
    message = f"firebridge virtual device shell: {info.describe()}"
    if info.available:
        log.info(message)
    else:
        print(message, file=stream or sys.stderr, flush=True)


# --- the per-device sandbox ------------------------------------------------------------------------

_STUB = Path(__file__).with_name("stubs") / "stub.py"

# /system/etc/mkshrc of Android 7.1 (AOSP external/mksh/mkshrc, the parts that apply to `adb shell`).
_MKSHRC = r"""# Copyright (c) 2010, 2012, 2013, 2014 Thorsten Glaser <tg@mirbsd.org>
# This file is provided under the same terms as mksh.
: ${HOSTNAME:=$(getprop ro.product.device)}
: ${HOSTNAME:=android}
: ${TMPDIR:=/data/local/tmp}
export HOSTNAME TMPDIR
if (( USER_ID )); then PS1='$'; else PS1='#'; fi
PS4='[$EPOCHREALTIME] '; PS1='${|
	local e=$?

	(( e )) && REPLY+="$e|"

	return $e
}$HOSTNAME:${PWD:-?} '"$PS1 "
"""

# Android ids (system/core/include/private/android_filesystem_config.h) so that toybox names owners.
_PASSWD = "".join(f"{name}:x:{uid}:{uid}::/:/system/bin/sh\n" for name, uid in (
    ("root", 0), ("system", 1000), ("radio", 1001), ("log", 1007), ("sdcard_rw", 1015), ("media_rw", 1023),
    ("shell", 2000), ("u0_a0", 10000)))
_GROUP = "".join(f"{name}:x:{gid}:\n" for name, gid in (
    ("root", 0), ("system", 1000), ("input", 1004), ("log", 1007), ("adb", 1011), ("sdcard_rw", 1015),
    ("media_rw", 1023), ("sdcard_r", 1028), ("shell", 2000), ("everybody", 9997), ("u0_a0", 10000)))

# `ps` as Android's toybox prints it (TOYBOX_ON_ANDROID changes the default columns).
_PS_TOYBOX = """#!/system/bin/sh
for a in "$@"; do case $a in -o*|-O*|-[a-zA-Z]*[oO]*) exec -a ps /system/bin/toybox "$@";; esac; done
exec -a ps /system/bin/toybox -o USER,PID,PPID,VSZ,RSS,WCHAN,ADDR,S,NAME "$@"
"""
# Fire OS 5/6 (Android 5.1/7.1): toolbox ps, every process, its column names.
# ASSUMPTION: toolbox ps columns approximated with toybox fields (settle by: a Fire OS 6 `ps` capture).
_PS_TOOLBOX = """#!/system/bin/sh
for a in "$@"; do case $a in -o*|-O*|-[a-zA-Z]*[oO]*) exec -a ps /system/bin/toybox -A "$@";; esac; done
exec -a ps /system/bin/toybox -A -o USER,PID,PPID,VSZ=VSIZE,RSS,WCHAN,ADDR=PC,S,NAME "$@"
"""

#: Limits: processes of one device (its cgroup's pids.max; per session RLIMIT_NPROC where no cgroup can be
#: made), and per process CPU seconds, address space and file size.
#: A Fire TV runs a few hundred processes of its own, and an `adb shell` session's processes are reaped a
#: moment after its client hangs up: at 128, fast back-to-back sessions (bench/shell_latency.py) failed
#: with "bwrap: Can't fork for pid 1". ASSUMPTION: 1024 is generous enough for any test's work and still
#: stops a fork bomb on a shared CI host (settle by: `ps -A | wc -l` on a busy stick).
MAX_PROCESSES = 1024
CPU_SECONDS = 120
MEMORY_BYTES = 2 * 1024 ** 3
FILE_BYTES = 4 * 1024 ** 3


class AndroidBuild(Protocol):
    """The Android generation whose toybox applets and commands the sandbox mirrors (a Fire OS model)."""

    @property
    def fire_os_major(self) -> int: ...

    @property
    def sdk(self) -> int: ...


class SandboxHost(ShellHost, Protocol):
    """What the sandbox needs from a device: the shell's host, plus the Android build it mirrors."""

    @property
    def model(self) -> AndroidBuild: ...


def _is_android(device: ShellHost) -> TypeGuard[SandboxHost]:
    return hasattr(getattr(device, "model", None), "fire_os_major")


class DeviceSandbox:
    """The sandbox parts of one virtual device (its /system/bin and /system/etc), and its sessions."""

    def __init__(self, device: SandboxHost, info: Support) -> None:
        self.device = device
        self.info = info
        self.dir = Path(tempfile.mkdtemp(prefix="firebridge-sandbox-"))
        self._finalizer = weakref.finalize(self, shutil.rmtree, str(self.dir), True)
        self._build()
        self._spare: tuple[tuple, asyncio.Future] | None = None  # the next session's sandbox, made ahead
        self._discarding: set[asyncio.Future] = set()
        self.cgroup = ""
        if info.cgroup:
            _sweep_cgroups(info.cgroup)
            self.cgroup = self._make_cgroup()
            if self.cgroup:
                weakref.finalize(self, _remove_cgroup_now, self.cgroup)

    def close(self) -> None:
        self._finalizer()

    def _build(self) -> None:
        era = self.device.model.fire_os_major
        bin_dir, etc_dir = self.dir / "bin", self.dir / "etc"
        (etc_dir / "firebridge").mkdir(parents=True)
        bin_dir.mkdir()
        toybox = self.toybox_path = TOYBOX_PATH if era >= 6 else TOYBOX_PATH_FIRE_OS_5
        (bin_dir / "sh").touch()  # mount points for the host binaries
        (self.dir / toybox.replace("/system/", "", 1)).touch()
        host_tools = dict(self.info.host_tools)
        self._tool_binds: list[str] = []
        for name in applets_for(era):
            if name in self.info.toybox_applets:
                (bin_dir / name).symlink_to(toybox)
            elif name in host_tools:
                (bin_dir / name).touch()  # a mount point for the host's tool
                self._tool_binds += ["--ro-bind", host_tools[name], "/system/bin/" + name]
        ps = bin_dir / "ps"
        with contextlib.suppress(FileNotFoundError):
            ps.unlink()
        ps.write_text((_PS_TOOLBOX if era <= 6 else _PS_TOYBOX).replace(TOYBOX_PATH, toybox))
        ps.chmod(0o755)
        (bin_dir / "toolbox").write_text(_TOOLBOX)
        (bin_dir / "toolbox").chmod(0o755)
        stub = etc_dir / "firebridge" / "stub"
        stub.write_text(f"#!{self.info.python} -IS\n" + _STUB.read_text())
        stub.chmod(0o755)
        for name in sorted(set(self.device.commands.names()) - SHELL_UTILITIES):
            if name == "cmd" and self.device.model.sdk < 24:
                continue
            target = bin_dir / name
            if target.is_symlink() or target.exists():
                target.unlink()
            target.symlink_to("/system/etc/firebridge/stub")
        (etc_dir / "mkshrc").write_text(_MKSHRC)
        (etc_dir / "passwd").write_text(_PASSWD)
        (etc_dir / "group").write_text(_GROUP)
        (etc_dir / "hosts").write_text("127.0.0.1       localhost\n::1             ip6-localhost\n")

    def bwrap_args(self, session_dir: Path, env: dict[str, str]) -> list[str]:
        """The bwrap options of one session (the command follows them)."""
        info = self.info
        root = self.device.fs.root
        args = ["--die-with-parent", "--unshare-all", "--hostname", "localhost"]
        if info.user_namespace:
            args += ["--unshare-user", "--uid", str(SHELL_UID), "--gid", str(SHELL_UID)]
        args += _runtime_binds(info.python)
        for entry in sorted(os.listdir(root)):
            if entry in ("proc", "dev", "system", "etc", "sdcard", "storage", "mnt", "usr", "lib", "lib64"):
                continue
            args += ["--ro-bind", str(root / entry), "/" + entry]
        args += ["--dir", "/system"]
        system = root / "system"
        for entry in sorted(os.listdir(system)) if system.is_dir() else []:
            if entry not in ("bin", "etc"):
                args += ["--ro-bind", str(system / entry), "/system/" + entry]
        args += ["--ro-bind", str(self.dir / "bin"), "/system/bin",
                 "--ro-bind", str(self.dir / "etc"), "/system/etc",
                 "--ro-bind", info.mksh, "/system/bin/sh",
                 "--ro-bind", info.toybox, self.toybox_path,
                 *self._tool_binds,
                 "--symlink", "/system/etc", "/etc",
                 "--symlink", "/system/bin", "/bin"]
        # Writable places under /data (/data/local/tmp, the Shell app's bug reports) once they exist.
        for place in getattr(self.device.fs, "writable", ("/data/local/tmp",)):
            if place.startswith("/data/") and (root / place.lstrip("/")).is_dir():
                args += ["--bind", str(root / place.lstrip("/")), place]
        if (root / "storage").is_dir():
            args += ["--ro-bind", str(root / "storage"), "/storage",
                     "--bind", str(root / "storage/emulated/0"), "/storage/emulated/0"]
        args += ["--symlink", "/storage/emulated/0", "/sdcard",
                 "--dir", "/mnt", "--symlink", "/storage/emulated/0", "/mnt/sdcard",
                 "--proc", "/proc", "--dev", "/dev",
                 "--ro-bind", str(session_dir), "/dev/socket",
                 "--remount-ro", "/",
                 "--chdir", "/", "--clearenv"]
        for key, value in env.items():
            args += ["--setenv", key, value]
        return args

    async def run(self, command: str | None, stdin: Source, stdout: Sink, stderr: Sink, pty: bool,
                  env: dict[str, str] | None = None) -> int:
        """Run one shell session: ``sh -c COMMAND``, or an interactive ``sh`` when ``command`` is empty.

        With ``pty`` the session gets a real terminal (echo, line editing, ^C and \\r\\n come from the
        terminal, so the sinks must pass bytes unchanged); otherwise pipes, stdout and stderr kept
        apart unless they are the same sink (adb shell v1 mixes them).

        A ``sh -c`` session runs in a sandbox made while the previous one ran (a spare, made for the same
        environment and stream layout): each session still has its own, fresh namespaces.
        """
        merged = stdout is stderr
        if not command or pty:
            prepared = await self._prepare(env, merged, pty, command or None)
            return await prepared.run(command or "", stdin, stdout, stderr)
        key = (tuple(sorted((env or {}).items())), merged)
        spare, self._spare = self._spare, None
        if spare is not None and spare[1].get_loop() is not asyncio.get_running_loop():
            spare = None  # made by another event loop (gone with it)
        prepared = None
        if spare is not None and spare[0] == key:
            with contextlib.suppress(Exception):
                prepared = await spare[1]
                if prepared.session.process.returncode is not None:  # it died waiting
                    await prepared.discard()
                    prepared = None
        elif spare is not None:
            self._discard_later(spare[1])
        if prepared is None:
            prepared = await self._prepare(env, merged, False, None)
        self._spare = (key, asyncio.ensure_future(self._prepare(env, merged, False, None)))
        return await prepared.run(command, stdin, stdout, stderr)

    def _discard_later(self, task: asyncio.Future) -> None:
        async def discard() -> None:
            with contextlib.suppress(Exception):
                await (await task).discard()
        self._discarding.add(asyncio.ensure_future(discard()))
        for done in [t for t in self._discarding if t.done()]:
            self._discarding.discard(done)

    async def _prepare(self, env: dict[str, str] | None, merged: bool, pty: bool,
                       command: str | None) -> "_Prepared":
        """A started sandbox for one session, waiting to run.

        Without ``command`` (and no pty) it runs the script written into its socket directory at
        :meth:`_Prepared.run`, through ``exec sh -c "$(<script)"``: the same ``sh -c`` as adbd's.
        """
        shell = Shell(self.device, env)
        shell_env = dict(shell.env)
        shell_env.setdefault("ENV", "/system/etc/mkshrc")
        shell_env.setdefault("TMPDIR", "/data/local/tmp")
        if pty:
            shell_env.setdefault("TERM", "xterm")
        if command:
            argv = ["/system/bin/sh", "-c", command]
        elif pty:
            argv = ["/system/bin/sh"]
        else:
            argv = ["/system/bin/sh", "-c", 'exec /system/bin/sh -c "$(</dev/socket/script)"']
        session_dir = Path(tempfile.mkdtemp(prefix="session-", dir=self.dir))
        os.chmod(session_dir, 0o755)
        server = StubServer(shell, session_dir / "firebridge")
        session = _Session(self.info.bwrap, self.bwrap_args(session_dir, shell_env), argv, pty, self.cgroup,
                           merged)
        prepared = _Prepared(session, server, session_dir, needs_script=not command and not pty)
        try:
            await session.start()
        except BaseException:
            await prepared.cleanup()
            raise
        return prepared

    def _make_cgroup(self) -> str:
        """The device's cgroup: every session's processes count against one pids.max, like one device's
        process table (one cgroup per device, not per session: joining a v1 cgroup costs milliseconds)."""
        path = os.path.join(self.info.cgroup, f"firebridge-{os.getpid()}-{self.dir.name}")
        try:
            os.mkdir(path)
            Path(path, "pids.max").write_text(str(MAX_PROCESSES))
        except OSError as exc:
            log.debug("no device cgroup: %s", exc)
            with contextlib.suppress(OSError):
                os.rmdir(path)
            return ""
        return path


def _sweep_cgroups(base: str) -> None:
    """Remove the cgroups that killed virtual devices left behind."""
    for entry in os.listdir(base):
        match = re.fullmatch(r"firebridge-(\d+)-.*", entry)
        if match and not os.path.exists(f"/proc/{match.group(1)}"):
            with contextlib.suppress(OSError):
                os.rmdir(os.path.join(base, entry))


def _join(cgroup: str, pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(OSError):
            with open(os.path.join(cgroup, "cgroup.procs"), "w") as procs:
                procs.write(str(pid))


def _remove_cgroup_now(path: str) -> None:
    """Remove the device's cgroup (its sessions are over; stragglers are killed first)."""
    with contextlib.suppress(OSError, ValueError):
        for pid in Path(path, "cgroup.procs").read_text().split():
            os.kill(int(pid), signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.rmdir(path)


@dataclass
class _Prepared:
    """A started session sandbox with its stub server and socket directory."""

    session: "_Session"
    server: StubServer
    directory: Path
    needs_script: bool

    async def run(self, command: str, stdin: Source, stdout: Sink, stderr: Sink) -> int:
        try:
            if self.needs_script:
                (self.directory / "script").write_text(command)
            return await self.session.finish(stdin, stdout, stderr)
        finally:
            await self.cleanup()

    async def discard(self) -> None:
        try:
            await self.session.discard()
        finally:
            await self.cleanup()

    async def cleanup(self) -> None:
        await self.server.close()
        shutil.rmtree(self.directory, ignore_errors=True)


class _Session:
    """One bwrap process and the pumps between it and the adb service's streams.

    :meth:`start` makes the sandbox, which then waits on ``--block-fd`` (where it can) until
    :meth:`finish` lets it run and connects the streams: a session can be made ahead of time.
    """

    def __init__(self, bwrap: str, args: list[str], argv: list[str], pty: bool, cgroup: str,
                 merged: bool) -> None:
        self.bwrap = bwrap
        self.prlimit = shutil.which("prlimit") or ""
        self.args = args
        self.argv = argv
        self.pty = pty
        self.cgroup = cgroup
        self.merged = merged  # stdout and stderr are one stream (adb shell v1)
        self.process: asyncio.subprocess.Process | None = None
        self._block = -1
        self._master = -1
        self._in = self._out = self._err = -1

    async def _join_cgroup(self, pid: int, info_fd: int) -> None:
        """Put the namespace's first process (every sandboxed process descends from it) into the device's
        cgroup before it runs anything."""
        info = _AsyncFd(info_fd)
        data = b""
        while not data.rstrip().endswith(b"}"):
            chunk = await info.read()
            if not chunk:
                break
            data += chunk
        match = re.search(rb'"child-pid":\s*(\d+)', data)
        pids = [int(match.group(1))] if match else [pid]
        # A v1 cgroup migration waits for an RCU grace period (milliseconds): not on the event loop.
        await asyncio.get_running_loop().run_in_executor(None, _join, self.cgroup, pids)

    def _preexec(self) -> None:  # runs in the child, before bwrap starts
        for limit, value in ((resource.RLIMIT_NPROC, MAX_PROCESSES), (resource.RLIMIT_CPU, CPU_SECONDS),
                             (resource.RLIMIT_AS, MEMORY_BYTES), (resource.RLIMIT_FSIZE, FILE_BYTES),
                             (resource.RLIMIT_CORE, 0)):
            with contextlib.suppress(ValueError, OSError):
                resource.setrlimit(limit, (value, value))
        if self.cgroup:
            with open(os.path.join(self.cgroup, "cgroup.procs"), "w") as procs:
                procs.write(str(os.getpid()))
        if self.pty:
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)

    async def start(self) -> None:
        """Make the sandbox; it waits for :meth:`finish` before running anything (where it can)."""
        args_read, args_write = os.pipe()
        payload = b"\0".join(a.encode() for a in self.args) + b"\0"
        own: list[int] = [args_read]  # the child's ends, closed here once it started
        mine: list[int] = [args_write]  # this side's ends, closed here if it cannot start
        info_read = -1
        # Without a terminal to attach, limits come from prlimit(1) and the cgroup is joined while bwrap
        # waits on --block-fd: no preexec_fn, so the spawn can use vfork (about 15 ms less per session).
        fast = not self.pty and bool(self.prlimit)
        command = [self.bwrap, "--args", str(args_read)]
        try:
            if fast:
                command[:0] = [self.prlimit, f"--nproc={MAX_PROCESSES}", f"--cpu={CPU_SECONDS}",
                               f"--as={MEMORY_BYTES}", f"--fsize={FILE_BYTES}", "--core=0"]
                block_read, self._block = os.pipe()
                own.append(block_read)
                mine.append(self._block)
                command += ["--block-fd", str(block_read)]
                if self.cgroup:
                    info_read, info_write = os.pipe()
                    own.append(info_write)
                    mine.append(info_read)
                    command += ["--info-fd", str(info_write)]
            if self.pty:
                self._master, slave = ptys.openpty()
                mine.append(self._master)
                own.append(slave)
                child_in = child_out = child_err = slave
            else:
                child_in, self._in = os.pipe()
                self._out, child_out = os.pipe()
                own += [child_in, child_out]
                mine += [self._in, self._out]
                if self.merged:
                    child_err = child_out
                else:
                    self._err, child_err = os.pipe()
                    own.append(child_err)
                    mine.append(self._err)
            writer = _start_args_writer(args_write, payload)
            mine.remove(args_write)
            self.process = await asyncio.create_subprocess_exec(
                *command, "--", *self.argv, stdin=child_in, stdout=child_out, stderr=child_err,
                pass_fds=tuple(fd for fd in own if fd not in (child_in, child_out, child_err)),
                preexec_fn=None if fast else self._preexec, start_new_session=True, close_fds=True)
        except BaseException:
            for fd in own + mine:
                with contextlib.suppress(OSError):
                    os.close(fd)
            self._block = self._master = self._in = self._out = self._err = -1
            raise
        finally:
            for fd in own:
                with contextlib.suppress(OSError):
                    os.close(fd)
        await writer
        if info_read >= 0:
            try:
                await self._join_cgroup(self.process.pid, info_read)
            finally:
                os.close(info_read)

    def _release(self) -> None:
        if self._block >= 0:
            with contextlib.suppress(OSError):
                os.write(self._block, b"go")
            os.close(self._block)
            self._block = -1

    async def discard(self) -> None:
        """Stop a session that was started and never used."""
        self._release()
        await self.finish(EmptySource(), NullSink(), NullSink(), kill=True)

    async def finish(self, stdin: Source, stdout: Sink, stderr: Sink, kill: bool = False) -> int:
        """Let the sandbox run, connect its streams, wait for it; its exit status."""
        process = self.process
        assert process is not None, "start() first"
        if kill:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
        self._release()
        pumps: list[asyncio.Future] = []
        feeder: asyncio.Future | None = None
        try:
            if self.pty:
                reader = _AsyncFd(self._master)  # closed below, once both pumps using it are gone
                pumps.append(asyncio.ensure_future(_pump_out(reader, stdout, close=False)))
                feeder = asyncio.ensure_future(_pump_in(stdin, reader, close_at_end=False))
            else:
                pumps.append(asyncio.ensure_future(_pump_out(_AsyncFd(self._out), stdout)))
                if self._err >= 0:
                    pumps.append(asyncio.ensure_future(_pump_out(_AsyncFd(self._err), stderr)))
                feeder = asyncio.ensure_future(_pump_in(stdin, _AsyncFd(self._in), close_at_end=True))
            self._out = self._err = self._in = -1  # the pumps own them now
            status = await process.wait()
            # Every process of the session is gone with its pid namespace: the outputs end.
            await asyncio.gather(*pumps, return_exceptions=True)
            return 128 - status if status < 0 else status
        finally:
            if process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
            for task in [*pumps, feeder]:
                if task is not None:
                    task.cancel()
            await asyncio.gather(*pumps, *([feeder] if feeder else []), return_exceptions=True)
            for fd in (self._master, self._in, self._out, self._err):
                if fd >= 0:
                    with contextlib.suppress(OSError):
                        os.close(fd)
            self._master = self._in = self._out = self._err = -1


def _start_args_writer(fd: int, payload: bytes) -> asyncio.Future:
    """Write bwrap's argument list into its pipe (larger than a pipe buffer is fine) and close it."""
    def write() -> None:
        try:
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
    if len(payload) < 60000:
        write()
        done: asyncio.Future = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done
    return asyncio.get_running_loop().run_in_executor(None, write)


class _AsyncFd:
    """A host-owned pipe or pty master, non-blocking, closed when done."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        os.set_blocking(fd, False)

    async def _wait(self, writable: bool) -> None:
        loop = asyncio.get_running_loop()
        ready = loop.create_future()
        add, remove = (loop.add_writer, loop.remove_writer) if writable else (loop.add_reader, loop.remove_reader)
        add(self.fd, lambda: ready.done() or ready.set_result(None))
        try:
            await ready
        finally:
            remove(self.fd)

    async def read(self) -> bytes:
        while True:
            try:
                return os.read(self.fd, 65536)
            except BlockingIOError:
                await self._wait(writable=False)
            except OSError as exc:
                if exc.errno == errno.EIO:  # pty: every slave closed
                    return b""
                raise

    async def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            try:
                view = view[os.write(self.fd, view):]
            except BlockingIOError:
                await self._wait(writable=True)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


_SEVERITY = re.compile(rb"(?m)^[EW]: (?=(?:/system/bin/)?sh(?:\[\d+\])?: )")
_SEVERITY_HEADS = (b"E: /system/bin/sh", b"W: /system/bin/sh", b"E: sh", b"W: sh")


class SeverityFilter:
    """Drops the ``E: ``/``W: `` that mksh R59 puts before its own messages.

    The mksh of Fire OS 6-8 (R52-R57) writes ``/system/bin/sh: x: inaccessible or not found``; the
    host's newer mksh writes ``E: /system/bin/sh: ...``. Only lines that start with the prefix followed
    by the shell's name change; a line start split across reads is held back until it can be decided.
    """

    def __init__(self) -> None:
        self._held = b""

    def feed(self, data: bytes) -> bytes:
        data = self._held + data
        self._held = b""
        start = data.rfind(b"\n") + 1
        tail = data[start:]
        if tail and len(tail) < 20 and any(head.startswith(tail) for head in _SEVERITY_HEADS):
            self._held, data = tail, data[:start]
        return _SEVERITY.sub(b"", data)

    def flush(self) -> bytes:
        held, self._held = self._held, b""
        return held


async def _pump_out(source: _AsyncFd, sink: Sink, close: bool = True) -> None:
    messages = SeverityFilter()
    try:
        while data := await source.read():
            if out := messages.feed(data):
                await sink.write(out)
        if rest := messages.flush():
            await sink.write(rest)
    finally:
        if close:
            source.close()


async def _pump_in(source: Source, target: _AsyncFd, close_at_end: bool) -> None:
    try:
        while data := await source.read():
            await target.write(data)
    except OSError:  # the session stopped reading (EPIPE)
        pass
    finally:
        if close_at_end:
            target.close()


def enabled() -> bool:
    """Will virtual Fire TVs started now run the real shell? (``FIREBRIDGE_VIRTUAL_SHELL=builtin`` says no.)"""
    return os.environ.get("FIREBRIDGE_VIRTUAL_SHELL") != "builtin" and support().available


def shell_in_use() -> str:
    """For banners: the shell virtual Fire TVs run here, and why not the real one if they do not."""
    if os.environ.get("FIREBRIDGE_VIRTUAL_SHELL") == "builtin":
        return "built-in shell (FIREBRIDGE_VIRTUAL_SHELL=builtin)"
    return support().describe()


_sandboxes: "weakref.WeakKeyDictionary[SandboxHost, DeviceSandbox]" = weakref.WeakKeyDictionary()


def sandbox_for(device: ShellHost) -> DeviceSandbox | None:
    """The device's sandbox, or None where the real shell cannot run (then use the built-in shell)."""
    if os.environ.get("FIREBRIDGE_VIRTUAL_SHELL") == "builtin":
        return None  # asked for explicitly (comparisons, hosts where bwrap misbehaves)
    if not _is_android(device):
        return None  # not a Fire OS device (a Vega personality has its own shell)
    info = support()
    if not info.available:
        announce()
        return None
    sandbox = _sandboxes.get(device)
    if sandbox is None:
        sandbox = _sandboxes[device] = DeviceSandbox(device, info)
    return sandbox


async def run_sandboxed(device: ShellHost, command: str | None, stdin: Source, stdout: Sink,
                        stderr: Sink, pty: bool, env: dict[str, str] | None = None) -> int:
    """Run one shell session of ``device`` in its sandbox; its exit status. Needs :func:`support`."""
    sandbox = sandbox_for(device)
    if sandbox is None:
        raise RuntimeError(f"the real device shell is not available: {support().describe()}")
    return await sandbox.run(command, stdin, stdout, stderr, pty, env)
