"""App management in the dev shell: ``vmsgr send``, ``vlcm``, ``vpm`` [D-APP][D-MSG].

Real outputs: ``vmsgr send`` of a missing component prints ``CLI Send Error for URI: <uri>: []: Failed
to send message, remote error`` and exits 255 (VVD); success is believed silent. ``vlcm launch-app``
prints ``Please migrate to 'vmsgr send' command.`` and still launches (stick). ``vlcm crash-history``
with no crash prints ``AppCrashInfoBuffer: Size: 0``; ``vlcm trigger-back --inst <id>`` gave ``Error
sending request (-7)`` (VVD).
"""

from __future__ import annotations

import io
import re
import tarfile

from firebridge.virtual.shell.interpreter import CommandContext, command
from firebridge.virtual.vega.apps import VegaApp
from firebridge.virtual.vega.uitree import SCREEN, Element, text


def _send_error(uri: str) -> str:
    return f"CLI Send Error for URI: {uri}: []: Failed to send message, remote error\n"


@command("vmsgr")
async def vmsgr(ctx: CommandContext, args: list[str]) -> int:
    # Returns once the message is delivered; the app shows up later (VegaDevice.send_message).
    await ctx.device.cost(ctx.device.timing.tool_call)
    if len(args) < 2 or args[0] != "send":
        return await ctx.fail("Usage: vmsgr send <uri>")
    uri = args[1]
    if not ctx.device.send_message(uri):
        await ctx.out(_send_error(uri))
        return 255
    return 0


# `vlcm list` columns [VVDT]; scripts read $1 (application), $3 (pid) and $5 (state).
# ASSUMPTION: a header line with these names and single-space separated rows (settle by: `vlcm list`
# on a device).
_LIST_HEADER = "application type pid id state lifespan timeout launch_args"


@command("vlcm")
async def vlcm(ctx: CommandContext, args: list[str]) -> int:
    device = ctx.device
    await device.cost(device.timing.tool_call)
    sub, rest = (args[0], args[1:]) if args else ("", [])
    if sub == "list":
        wanted = rest[rest.index("--app-id") + 1] if "--app-id" in rest[:-1] else None
        rows = [_LIST_HEADER]
        for instance in device.instances.values():
            if wanted is None or instance.component == wanted:
                rows.append(f"{instance.component} I {instance.pid} {instance.instance_id} {instance.state} "
                            f"-1 -1 {instance.launch_args or '-'}")
        await ctx.out("\n".join(rows) + "\n")
        return 0
    if sub == "launch-app" and rest:
        await ctx.out("Please migrate to 'vmsgr send' command.\n")
        if not device.send_message(rest[0]):
            await ctx.out(_send_error(rest[0]))
            return 255
        return 0
    if sub == "terminate-app":
        if "--pkg-id" in rest[:-1]:
            # ASSUMPTION: silent and exit 0 whether or not the package was running (settle by: running it
            # twice on a device).
            device.terminate(rest[rest.index("--pkg-id") + 1])
            return 0
        if "--pid" in rest[:-1]:
            pid = rest[rest.index("--pid") + 1]
            for instance in list(device.instances.values()):
                if str(instance.pid) == pid:
                    device.terminate(instance.component.rsplit(".", 1)[0])
            return 0
        return await ctx.fail("Usage: vlcm terminate-app --pkg-id <package-id> [--force] | --pid <pid>")
    if sub == "crash-history":
        await ctx.out("AppCrashInfoBuffer: Size: 0\n")
        return 0
    if sub == "trigger-back":
        await ctx.out("Error sending request (-7)\n")  # ASSUMPTION: exit status 1 (not recorded)
        return 1
    return await ctx.fail("Usage: vlcm <list|launch-app|terminate-app|crash-history> ...")


class SideloadedApp(VegaApp):
    """An app installed with ``vpm install``: a blank page with its name."""

    def __init__(self, device, package: str, slot: int) -> None:
        super().__init__(device)
        self.package = package
        self.name = package
        self.kepler_app_id = 10000 + slot
        self.slot = 100 + slot

    def on_key(self, key: str) -> None:
        if key == "KEY_BACK":
            self.device.go_home()

    def window(self) -> Element:
        return Element(0, 0, *SCREEN).add(text(80, 60, 1200, 60, self.package))


_ID = re.compile(r'^\s*id\s*=\s*"([A-Za-z0-9_.]+)"', re.M)
_VERSION = re.compile(r'^\s*version\s*=\s*"([^"]+)"', re.M)


def read_manifest(data: bytes) -> tuple[str, str] | None:
    """(package id, version) from a ``.vpkg``'s ``manifest.toml`` (a tar archive; ``[package] id = ...``).

    ASSUMPTION: only the manifest matters to the virtual device; a real .vpkg is a signed archive (settle
    by: unpacking one built by the Vega SDK)."""
    try:
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:
            member = next((m for m in archive.getmembers() if m.name.rsplit("/", 1)[-1] == "manifest.toml"), None)
            manifest = archive.extractfile(member).read().decode() if member else ""
    except (tarfile.TarError, OSError, AttributeError):
        return None
    found = _ID.search(manifest)
    if not found:
        return None
    version = _VERSION.search(manifest)
    return found.group(1), version.group(1) if version else "1.0.0"


@command("vpm")
async def vpm(ctx: CommandContext, args: list[str]) -> int:
    device = ctx.device
    await device.cost(device.timing.tool_call)
    sub, rest = (args[0], args[1:]) if args else ("", [])
    # `vpm list packages` and `vpm info <component>` follow Amazon's docs examples
    # (tests/samples/vega_cli_outputs.txt): "package ids:" then indented ids; `key: value` lines.
    # ASSUMPTION: `list components` mirrors `list packages` with "component ids:"; `info <package>`
    # prints id/version/components; install/uninstall print one short line (settle by: running them).
    if sub == "list":
        what = rest[0] if rest else "packages"
        if what in ("packages", "apps"):
            header, names = "package ids:", sorted(device.packages)
        elif what == "components":
            header, names = "component ids:", sorted(c for p in device.packages.values() for c in p.components)
        else:
            return await ctx.fail(f"vpm: unknown list type '{what}'")
        await ctx.out(header + "\n" + "".join(f"    {name}\n" for name in names))
        return 0
    if sub == "info" and rest:
        target = rest[0]
        package = device.packages.get(target)
        owner = next((p for p in device.packages.values() if target in p.components), None)
        if owner is not None and "--package" not in rest:
            await ctx.out(f"id: {target}\ntype: interactive\ncategories: com.amazon.category.main\n"
                          f"launch type: default\n")
            return 0
        package = package or owner
        if package is None:
            return await ctx.fail(f"Error: package or component '{target}' not found")
        await ctx.out(f"id: {package.package_id}\nversion: {package.version}\n"
                      f"components: {', '.join(package.components)}\n")
        return 0
    if sub == "install" and rest:
        path = rest[0]
        try:
            data = device.fs.read_bytes(path)
        except OSError as exc:
            return await ctx.fail(f"Error: cannot read {path}: {exc.strerror}")
        manifest = read_manifest(data)
        if manifest is None:
            return await ctx.fail(f"Error: {path} is not a valid vpkg")
        package_id, version = manifest
        if package_id.startswith("com.amazon"):
            # Only non-com.amazon packages can be sideloaded [KEL-DEV].
            return await ctx.fail(f"Error: installing {package_id} is not permitted")
        if package_id in device.packages and "--force" not in rest:
            return await ctx.fail(f"Error: {package_id} is already installed (use --force)")
        await device.cost(device.timing.vpm_install)
        device.terminate(package_id)
        device.install_app(SideloadedApp(device, package_id, len(device.packages)), version, system=False)
        await ctx.out(f"Installed {package_id}\n")
        return 0
    if sub == "uninstall" and rest:
        package = device.packages.get(rest[0])
        if package is None or package.system:
            return await ctx.fail(f"Error: cannot uninstall {rest[0]}")
        device.terminate(package.package_id)
        del device.packages[package.package_id]
        for component in package.components:
            device.apps.pop(component, None)
        await ctx.out(f"Uninstalled {package.package_id}\n")
        return 0
    return await ctx.fail("Usage: vpm <list|info|install|uninstall> ...")
