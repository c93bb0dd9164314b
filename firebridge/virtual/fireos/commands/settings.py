"""``settings get|put|delete|list NAMESPACE ...`` (the SettingsProvider shell command)."""

from __future__ import annotations

from firebridge.virtual.shell.interpreter import CommandContext, command

_USAGE = """Settings provider (settings) commands:
  help
      Print this help text.
  get [--user <USER_ID> | current] NAMESPACE KEY
      Retrieve the current value of KEY.
  put [--user <USER_ID> | current] NAMESPACE KEY VALUE [TAG] [default]
      Change the contents of KEY to VALUE.
  delete NAMESPACE KEY
      Delete the entry for KEY.
  list NAMESPACE
      Print all defined keys.
      NAMESPACE is one of {system, secure, global}, case-insensitive
"""


@command("settings")
async def settings(ctx: CommandContext, args: list[str]) -> int:
    args = list(args)
    if "--user" in args:  # single-user device: accept and ignore
        at = args.index("--user")
        del args[at:at + 2]
    if not args or args[0] in ("help", "-h"):
        await ctx.out(_USAGE)
        return 0
    verb, rest = args[0], args[1:]
    if verb not in ("get", "put", "delete", "list"):
        return await ctx.fail(f"Invalid command: {verb}\n{_USAGE}".rstrip("\n"))
    if not rest:
        return await ctx.fail(_USAGE.rstrip("\n"))
    namespace = rest[0].lower()
    table = ctx.device.settings.get(namespace)
    if table is None:
        return await ctx.fail(f"Invalid namespace '{rest[0]}'")
    if verb == "list":
        await ctx.out("".join(f"{key}={table[key]}\n" for key in sorted(table)))
        return 0
    if len(rest) < 2:
        return await ctx.fail(_USAGE.rstrip("\n"))
    key = rest[1]
    if verb == "get":
        await ctx.out(table.get(key, "null") + "\n")
    elif verb == "delete":
        existed = table.pop(key, None) is not None
        await ctx.out(f"Deleted {1 if existed else 0} rows\n")
        if existed:
            ctx.device.setting_changed(namespace, key, None)
    else:
        if len(rest) < 3:
            return await ctx.fail(_USAGE.rstrip("\n"))
        table[key] = rest[2]
        ctx.device.setting_changed(namespace, key, rest[2])
    return 0
