"""The ``firebridge`` command line."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from pathlib import Path

from firebridge import __version__
from firebridge.text import plain, plural


# The adb server probes 5555-5585 for emulators (each odd port as emulator-<port-1>), so a virtual
# device there shows up uninvited as emulator-5554 and `--device auto` may pick it. Stay outside.
_EMULATOR_PORTS = range(5555, 5586)
VIRTUAL_DEFAULT_PORT = 15555


def _virtual(args: argparse.Namespace) -> int:
    from firebridge.virtual.adbd.protocol import AuthMode, ConnectionLimits
    from firebridge.virtual.fireos.models import MODELS
    from firebridge.virtual.server import VirtualFireTV, serve_forever

    if args.list_faults:
        from firebridge.virtual.fireos.apps.reference import FAULTS
        if args.os == "vega":  # the Vega build applies the faults its player and screens can have
            from firebridge.virtual.vega.reference import FAULTS as VEGA_FAULTS
            FAULTS = {name: what for name, what in FAULTS.items() if name in VEGA_FAULTS}
        width = max(map(len, FAULTS))
        for name, what_breaks in FAULTS.items():
            print(f"{name:<{width}}  {what_breaks}")
        return 0
    if args.list_models:
        for code, model in sorted(MODELS.items()):
            print(f"{code:<10} {model.marketing_name} — {model.fire_os}, API {model.sdk}")
        return 0
    bad = [item for item in args.prop if "=" not in item]
    if bad:
        print(f"firebridge virtual: --prop needs KEY=VALUE, got {bad[0]!r}", file=sys.stderr)
        return 2
    limits = ConnectionLimits(handshake_timeout=args.handshake_timeout, max_connections=args.max_connections)
    try:
        if args.vvd and args.os != "vega":
            raise ValueError("--vvd (the Vega Virtual Device) needs --os vega")
        if args.no_helper and args.os != "fireos":
            raise ValueError("--no-helper is for --os fireos (the PMR helper is an Android app)")
        tv = VirtualFireTV(port=args.port, host=args.host, auth=AuthMode(args.auth), model=args.model,
                           speed=args.speed, adb_keys=args.adb_keys, accept_delay=args.accept_delay,
                           properties=dict(item.split("=", 1) for item in args.prop), limits=limits,
                           os=args.os, flavour="vvd" if args.vvd else None, faults=args.fault,
                           timing=args.timing)
    except ValueError as exc:
        print(f"firebridge virtual: {exc}", file=sys.stderr)
        return 2
    if args.no_helper:  # before the device listens: as if the helper APK had never been installed
        from firebridge.virtual.fireos.installer import remove_package
        remove_package(tv.device, "com.firebridge.helper")

    async def run() -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        task = asyncio.ensure_future(serve_forever(tv, stop))
        while not tv.port and not task.done():
            await asyncio.sleep(0.01)  # the listening socket is bound inside serve_forever
        if task.done():
            await task  # re-raises the bind error
        interactive = sys.stdin is not None and sys.stdin.isatty()
        if interactive:
            _offer_allow_prompt(tv, loop)
        auth_note = {
            AuthMode.REQUIRED: f"authentication required (trusted keys: {tv.adb_keys})",
            AuthMode.ACCEPT: f"new keys are accepted after {tv.accept_delay:g} s, as if Allow were pressed",
            AuthMode.NONE: "no authentication",
        }[tv.auth]
        if args.os == "vega":
            identity = tv.device.identity
            kind = "Vega Virtual Device" if identity.vvd else f"Vega OS Fire TV {identity.model}"
            print(f"Virtual {kind} (host {identity.hostname}), serial {tv.serial}, clock x{args.speed:g}, "
                  f"{args.timing} timing")
        else:
            model = tv.device.model
            print(f"Virtual Fire TV {model.code} ({model.marketing_name}, {model.fire_os}), "
                  f"serial {tv.serial}, clock x{args.speed:g}, {args.timing} timing")
        print(f"Listening on {tv.address}; {auth_note}.")
        if tv.port in _EMULATOR_PORTS and tv.port % 2:
            print(f"Note: port {tv.port} is in 5555-5585, which the adb server scans for emulators: it may also "
                  f"list this device as emulator-{tv.port - 1}, and --device auto "
                  f"may pick it. Use a port outside that range (default {VIRTUAL_DEFAULT_PORT}).")
        if args.os == "vega":
            # The sandboxed mksh + toybox is Fire OS's shell; a Vega device answers with the personality's
            # own POSIX shell and Vega tools.
            print("Shell: built-in POSIX shell with the Vega tools (app_user, uid 5000).")
        else:
            from firebridge.virtual.shell.sandbox import shell_in_use
            print(f"Shell: {shell_in_use()}.")
        print(f"Connect with:  adb connect {tv.address}")
        if tv.auth is AuthMode.REQUIRED:
            print("An unknown adb key stays unauthorized until allowed: "
                  + ("press Enter here when asked (the TV's \"Allow USB debugging?\"), or "
                     if interactive else "") + "start with --adb-keys ~/.android/adbkey.pub or --auth accept.")
        print("Press Ctrl-C to stop.", flush=True)
        await task
        return 0

    try:
        return asyncio.run(run())
    except OSError as exc:
        print(f"firebridge virtual: cannot listen on {args.host}:{args.port}: {exc.strerror}. "
              f"Choose another port with --port (0 picks a free one).", file=sys.stderr)
        return 1
    finally:
        tv.stop()
        print("Virtual Fire TV stopped.", flush=True)


def _offer_allow_prompt(tv, loop: asyncio.AbstractEventLoop) -> None:
    """Play the TV's "Allow USB debugging?" dialog on this terminal: Enter allows the waiting hosts."""
    def ask(key_line: str) -> None:
        who = key_line.split(None, 1)[1].strip() if " " in key_line.strip() else "an unnamed host"
        print(f"Allow USB debugging? The computer's RSA key is from {who}. Press Enter to allow.", flush=True)

    def answer() -> None:
        sys.stdin.readline()
        if tv._daemon is not None and tv._daemon.pending_keys:
            count = tv._daemon.allow_pending()
            print(f"Allowed {count} host{'s' if count != 1 else ''}.", flush=True)

    assert tv._daemon is not None
    tv._daemon.on_pending_key = ask
    loop.add_reader(sys.stdin.fileno(), answer)


# -- commands on an attached device -----------------------------------------------------------------
def _server(args: argparse.Namespace):
    """--adb-server, else adb's own variables ($ADB_SERVER_SOCKET, $ANDROID_ADB_SERVER_ADDRESS/PORT), else 5037."""
    from firebridge.adb.env import choose_server
    from firebridge.adb.wire import AdbServerClient
    address = choose_server(args.adb_server).address
    host, _, port = address.rpartition(":")
    return address, AdbServerClient(host or "127.0.0.1", int(port))


def _attached_device(args: argparse.Namespace):
    """-s/--device, else $ANDROID_SERIAL (made ready: adb connect, probe), else the first attached Fire TV
    (never starts a device)."""
    from firebridge.adb.connect import connect_and_probe
    from firebridge.adb.env import choose_serial
    from firebridge.device.firetv import FireTV
    from firebridge.errors import DeviceUnavailable
    address, server = _server(args)
    serial = choose_serial(args.device)
    if serial:
        connect_and_probe(server, serial, timeout=15.0)
        return FireTV(serial, adb_server=address)
    wanted = getattr(args, "platform", None)
    for entry in server.devices():
        if entry.state == "device":
            candidate = FireTV(entry.serial, adb_server=address)
            if candidate.is_fire_tv and (wanted is None or candidate.platform.value == wanted):
                return candidate
    raise DeviceUnavailable(f"no {'Fire TV' if wanted is None else wanted + ' device'} attached to the adb server at {address}; attach one, `adb connect IP:5555`, "
                            f"or start `firebridge virtual` and connect to it")


def _devices(args: argparse.Namespace) -> int:
    from firebridge.device.firetv import FireTV
    address, server = _server(args)
    entries = server.devices()
    if not entries:
        print(f"no devices on the adb server at {address}")
        return 0
    print(f"{'serial':<24} {'state':<13} {'model':<10} {'Fire TV':<8} {'platform':<9} OS version")
    for entry in entries:
        model = entry.properties.get("model", "?")
        fire_tv = platform = version = "?"
        if entry.state == "device":
            tv = FireTV(entry.serial, adb_server=address)
            try:
                platform, version = tv.platform.value, tv.identity.os_version or "-"
            except Exception:  # not a platform firebridge knows (an Android phone): say so, list it anyway
                platform = "-"
            if platform == "vega":
                model = tv.identity.model
            fire_tv = "yes" if tv.is_fire_tv else "no"
            if platform == "fireos":
                version = tv.fire_os or version
        print(f"{entry.serial:<24} {entry.state:<13} {model:<10} {fire_tv:<8} {platform:<9} {version}")
    return 0


def _doctor(args: argparse.Namespace) -> int:
    from firebridge.adb.env import choose_serial
    from firebridge.doctor import FAIL, Check, check_adb, check_device, check_listed, check_named
    from firebridge.errors import FirebridgeError
    _, server = _server(args)
    checks = list(check_adb(server))
    if all(check.status != FAIL for check in checks):
        serial = choose_serial(args.device)
        blocked = check_named(server, serial) if serial else None  # unauthorized/offline: said now, not waited on
        if blocked is not None:
            checks.append(blocked)
        else:
            try:
                firetv = _attached_device(args)
            except FirebridgeError as exc:
                # No usable Fire TV: why each listed device cannot be used (unauthorized, offline...).
                checks.extend((not serial and check_listed(server)) or [Check(FAIL, "device", str(exc))])
            else:
                package = _app_package(args)
                checks.extend(check_device(firetv, package, consent=_consent_reader()))
    for check in checks:
        print(check.render())
    return 1 if any(check.status == FAIL for check in checks) else 0


def _app_package(args: argparse.Namespace) -> str | None:
    try:
        from firebridge.capabilities.apps import load_profile
    except ImportError:
        return None
    return load_profile(args.app).package if args.app else None


def _consent_reader():
    try:
        from firebridge.capabilities.privacy import read_consent
    except ImportError:
        return None
    return read_consent


def _press(args: argparse.Namespace) -> int:
    from firebridge.capabilities.remote import Remote, parse_key
    keys = [parse_key(name) for name in args.keys]  # unknown names fail here, before anything is sent
    firetv = _attached_device(args)
    remote = Remote(firetv)
    firetv.driver.dismiss_screensaver()  # a running screensaver would swallow the first key
    if args.longpress:
        remote.longpress(*keys)
    else:
        remote.press(*keys)
    print(f"{firetv.serial} ({firetv.platform.value}): pressed {' '.join(key.name for key in keys)}")
    return 0


def _rows(args: argparse.Namespace) -> int:
    from firebridge.capabilities.home import Home
    firetv = _attached_device(args)
    print(f"{firetv.serial} ({firetv.identity.describe()}):")
    firetv.driver.dismiss_screensaver()  # the screensaver's window would hide the rows
    snapshot = Home(firetv).snapshot(all_rows=args.all)
    if not snapshot.rows:
        print("the home screen shows no rows" + ("" if snapshot.on_home else " (the launcher is not in front)"))
        return 1
    for row in snapshot.rows:
        print(f"{row.title}:")
        for index, tile in enumerate(row.tiles, 1):
            print(tile_line(index, tile))
    return 0


def tile_line(index: int, tile) -> str:
    """One tile of ``firebridge rows``: ``   3. Title  [PG13 PIN]  (focused)``."""
    marks = " ".join(filter(None, [tile.rating, "PIN" if tile.pin_required else ""]))
    return f"  {index:>2}. {tile.title}" + (f"  [{marks}]" if marks else "") + ("  (focused)" if tile.focused else "")


def _logs(args: argparse.Namespace) -> int:
    """Follow the device log; with --playback, only the Content Personalization calls the platform's
    evidence shows (Vega OS: the data service's lines; Fire OS: the --app profile's log_patterns), decoded."""
    import tempfile

    from firebridge.adb.server import adb_binary
    from firebridge.capabilities.apps import load_profile
    from firebridge.capabilities.cpevidence import evidence_for
    from firebridge.device.logs import LogTail
    firetv = _attached_device(args)
    path = args.output or Path(tempfile.mkdtemp(prefix="firebridge-logs-")) / "device.log"
    driver = firetv.driver
    evidence = evidence_for(driver.platform, load_profile(args.app).for_platform(driver.platform.value))
    print(f"following {firetv.serial} ({driver.platform.value}: {' '.join(driver.log_command()[1:])}); the whole "
          f"log goes to {path} (Ctrl-C to stop)", file=sys.stderr, flush=True)
    with LogTail(firetv.serial, path, adb=adb_binary(), adb_server=firetv.adb_server,
                 stream_args=driver.log_command(), parser=driver.parse_log_line) as tail:
        try:
            for line in tail.follow():
                if not args.playback:
                    print(line, flush=True)
                elif (call := evidence.parse_line(line)) is None:
                    continue
                elif (report := call.playback) is not None:
                    state = getattr(report.playback_state, "name", report.playback_state)
                    print(f"{line[:18]}  playback  {report.content_id}  state={state}  duration_ms={report.duration_ms}"
                          f"  credits_ms={report.credits_position_ms}", flush=True)
                else:
                    print(f"{line[:18]}  {call.describe()}", flush=True)
        except KeyboardInterrupt:
            pass
    return 0


def _pmr(args: argparse.Namespace) -> int:
    from firebridge.capabilities.pmr import PMR, describe_result, plan_post
    plan = plan_post(args.file)  # every error names the file and line
    problems = plan.problems(args.strict)
    if problems:  # --strict: the whole file is checked before anything is posted
        print(f"firebridge pmr: nothing posted; --strict refuses what Fire TV would change in {args.file}:",
              file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    if plan.generated:
        print(f"{plural(len(plan.generated), 'recommendation')} in {args.file} had no id; numbered "
              + ", ".join(f"{plan.recommendations[i].title!r} id {n}" for i, n in plan.generated.items()))
    firetv = _attached_device(args)
    pmr = PMR(firetv)
    pmr.require_helper()
    for rec in plan.recommendations:
        result = pmr.post(rec, strict=args.strict, log_warnings=False)  # shown once, here
        warnings = "; ".join(rec.warnings())
        print(f"id {rec.id}: {rec.title!r} {describe_result(result)} (result={result.code}"
              + (f", {result.data}" if result.data else "") + ")"
              + (f"; warning: {warnings}" if warnings else ""))
    active = len(pmr.active())
    print(f"{plural(active, 'active recommendation')} from the helper on {firetv.serial}")
    return 0


def _helper_build(args: argparse.Namespace) -> int:
    from firebridge.helperapp.build import TEST_KEY, SigningKey, build
    if args.keystore and not args.alias:
        print("firebridge helper build: --keystore needs --alias (and --ks-pass)", file=sys.stderr)
        return 2
    key = SigningKey(args.keystore, args.ks_pass, args.alias) if args.keystore else TEST_KEY
    print(build(args.output, key))
    return 0


def _pmr_install_helper(args: argparse.Namespace) -> int:
    from firebridge.capabilities.helper_app import install_helper
    firetv = _attached_device(args)
    version = install_helper(firetv, args.apk)
    print(f"{firetv.serial}: installed {version}")
    return 0


def _add_device_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-s", "--device", default=None, metavar="SERIAL", help="device serial or HOST:PORT, as adb -s "
                        "(default: $VEGA_SERIAL, $VDA_SERIAL or $ANDROID_SERIAL, else the first attached Fire TV)")
    parser.add_argument("--platform", default=None, choices=["fireos", "vega"],
                        help="without -s: the first attached device of this platform only")
    parser.add_argument("--adb-server", default=None, metavar="HOST:PORT", help="adb server (default: $ADB_SERVER_SOCKET "
                        "tcp:HOST:PORT, else $ANDROID_ADB_SERVER_ADDRESS and $ANDROID_ADB_SERVER_PORT, else 127.0.0.1:5037)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="firebridge", description=plain(__doc__))
    parser.add_argument("--version", action="version", version=f"firebridge {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True)

    virtual = sub.add_parser("virtual", help="run a virtual Fire TV in the foreground",
                             description="Run a virtual Fire TV that a real adb server accepts as a device.")
    virtual.add_argument("--port", type=int, default=VIRTUAL_DEFAULT_PORT,
                         help=f"TCP port to listen on (default {VIRTUAL_DEFAULT_PORT}, 0 = any free). Outside "
                              f"5555-5585 on purpose: the adb server scans that range for emulators, so a device "
                              f"there would also appear as emulator-5554 and --device auto could pick it")
    virtual.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    virtual.add_argument("--auth", choices=[m.value for m in _auth_modes()], default="required",
                         help="required: unknown host keys stay unauthorized (default, like a real Fire TV); "
                              "accept: accept a new key after --accept-delay seconds; none: no authentication")
    virtual.add_argument("--accept-delay", type=float, default=0.5, metavar="SECONDS",
                         help="with --auth accept: how long the person takes to press Allow")
    virtual.add_argument("--adb-keys", type=Path, default=None, metavar="FILE",
                         help="the device's trusted keys file (default: a fresh one per run)")
    virtual.add_argument("--model", default="AFTMM", help="Fire TV model code (default AFTMM); see --list-models")
    virtual.add_argument("--list-models", action="store_true", help="list the model codes and exit")
    virtual.add_argument("--prop", action="append", default=[], metavar="KEY=VALUE",
                         help="set a system property at boot (repeatable), e.g. --prop debug.firebridge.fault=NAME")
    virtual.add_argument("--fault", default=None, metavar="A,B",
                         help="reference app faults to boot with, on either OS (Fire OS: the debug.firebridge.fault "
                              "property; Vega: the app's firebridge.fault file, which it reads at launch)")
    virtual.add_argument("--list-faults", action="store_true",
                         help="list the reference app's fault switches (setprop debug.firebridge.fault NAME,...) and exit")
    virtual.add_argument("--speed", type=float, default=1.0, help="device clock speed factor (default 1.0)")
    virtual.add_argument("--timing", choices=["fast", "hardware"], default="fast",
                         help="fast: every call answers at once (default, the developer loop); hardware: as slow "
                              "as a real Fire TV (input ~0.8 s, uiautomator 2 s and sometimes a null root, am start, "
                              "HOME transition dropping keys, screensaver after idle, log chatter; on --os vega: "
                              "adb shell ~30 ms, inputd-cli ~70 ms plus the key's ~260 ms hold, app launch 1.5 s "
                              "cold / 0.5 s warm, toolkit page source 1 s), in device seconds divided by --speed "
                              "(docs/timing.md)")
    virtual.add_argument("--handshake-timeout", type=float, default=10.0, metavar="SECONDS",
                         help="close a connection whose host has not done its part of the adb handshake "
                              "in this time (default 10)")
    virtual.add_argument("--max-connections", type=int, default=128, metavar="N",
                         help="close TCP connections beyond N at once (default 128)")
    virtual.add_argument("--os", choices=["fireos", "vega"], default="fireos",
                         help="operating system of the device (default fireos; vega = a Vega OS stick)")
    virtual.add_argument("--vvd", action="store_true",
                         help="with --os vega: the Vega Virtual Device (no Content Personalization, "
                              "placeholder launcher, developer mode off until `vsm developer-mode enable`)")
    virtual.add_argument("--no-helper", action="store_true",
                         help="(fireos) start without the PMR helper app; install it with `adb install` or `firebridge pmr "
                              "install-helper`")
    virtual.set_defaults(handler=_virtual)

    devices = sub.add_parser("devices", help="list devices on the adb server, with Fire TV identity")
    _add_device_options(devices)
    devices.set_defaults(handler=_devices)

    doctor = sub.add_parser("doctor", help="check adb, the server, the device, consent and the app; say how to fix")
    _add_device_options(doctor)
    doctor.add_argument("--app", default="reference", help="app profile whose package must be installed")
    doctor.set_defaults(handler=_doctor)

    press = sub.add_parser("press", help="press remote keys (one device call)")
    _add_device_options(press)
    press.add_argument("keys", nargs="+", metavar="KEY", help="HOME, BACK, MENU, UP, SELECT, PLAY_PAUSE, ... (names; see firebridge.driver.keys)")
    press.add_argument("--longpress", action="store_true", help="send them as long presses")
    press.set_defaults(handler=_press)

    rows = sub.add_parser("rows", help="go Home and print the rows and tiles (Continue Watching, PMR, Your Apps)")
    _add_device_options(rows)
    rows.add_argument("--all", action="store_true", help="also read rows below the fold (moves focus down and back)")
    rows.set_defaults(handler=_rows)

    logs = sub.add_parser("logs", help="follow the device log")
    _add_device_options(logs)
    logs.add_argument("--playback", action="store_true",
                      help="only Content Personalization calls, decoded (Vega OS: the data service's lines; Fire OS: "
                           "the app's own lines, by the --app profile's log_patterns)")
    logs.add_argument("--app", default="reference", help="app profile whose log_patterns name the app's lines "
                                                         "(Fire OS; default reference)")
    logs.add_argument("--output", type=Path, default=None, help="where to keep the whole log (default: a temp file)")
    logs.set_defaults(handler=_logs)

    pmr = sub.add_parser("pmr", help="Partner-Managed Row recommendations")
    pmr_sub = pmr.add_subparsers(dest="pmr_command", required=True)
    post = pmr_sub.add_parser("post", help="post the recommendations of a YAML file through the helper app")
    _add_device_options(post)
    post.add_argument("file", type=Path, help="YAML: one recommendation, a list, or recommendations: [...]")
    post.add_argument("--strict", action="store_true", help="refuse what Fire TV would change (e.g. names over 15 chars)")
    post.set_defaults(handler=_pmr)
    install = pmr_sub.add_parser("install-helper", help="install the helper app (the APK shipped with firebridge) "
                                 "and open it once")
    _add_device_options(install)
    install.add_argument("--apk", type=Path, default=None, help="install this APK instead of the shipped one")
    install.set_defaults(handler=_pmr_install_helper)

    helper = sub.add_parser("helper", help="the PMR helper app com.firebridge.helper (docs/helper-app.md)")
    helper_sub = helper.add_subparsers(dest="helper_command", required=True)
    helper_build = helper_sub.add_parser("build", help="build and sign firebridge-helper.apk from its source")
    helper_build.add_argument("-o", "--output", type=Path, required=True, metavar="DIR", help="output directory")
    helper_build.add_argument("--keystore", type=Path, default=None,
                              help="sign with this keystore (default: the repository's TEST key, not for release)")
    helper_build.add_argument("--ks-pass", default="", help="the keystore's (and key's) password")
    helper_build.add_argument("--alias", default="", help="the key's alias in --keystore")
    helper_build.set_defaults(handler=_helper_build)

    from firebridge.lab.cli import add_lab_commands
    add_lab_commands(sub)  # nightly, bench up, bench check (firebridge/lab/cli.py)
    return parser


def _auth_modes():
    from firebridge.virtual.adbd.protocol import AuthMode
    return list(AuthMode)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    from firebridge.errors import FirebridgeError
    try:
        return args.handler(args)
    except FirebridgeError as exc:
        print(f"firebridge {args.command}: {exc}", file=sys.stderr)
        return 1
