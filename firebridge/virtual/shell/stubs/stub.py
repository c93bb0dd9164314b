"""An Android command inside the device sandbox: hands argv, env, cwd and fds 0-2 to the device model.

Every Android tool of the sandbox (getprop, am, pm, dumpsys, ...) is a symlink to this script. It
connects to the session's stub socket, sends one request (4-byte length + JSON) with its stdin, stdout
and stderr attached as SCM_RIGHTS, then waits for the 4-byte exit status. The device model writes
to the very same open files, so pipes and redirections behave as for any process.
Runs with ``python3 -I -S``: standard library only, nothing from the host's site-packages.
"""

import array
import json
import os
import signal
import socket
import struct
import sys

SOCKET = "/dev/socket/firebridge"


def main() -> None:
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    request = json.dumps({
        "argv": [os.path.basename(sys.argv[0])] + sys.argv[1:],
        "env": dict(os.environ),
        "cwd": os.getcwd() if os.path.isdir(".") else "/",
    }).encode()
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(SOCKET)
    except OSError as exc:
        sys.stderr.write(f"{os.path.basename(sys.argv[0])}: device model unreachable: {exc.strerror}\n")
        os._exit(1)
    fds = array.array("i", [0, 1, 2])
    conn.sendmsg([struct.pack("<I", len(request)) + request],
                 [(socket.SOL_SOCKET, socket.SCM_RIGHTS, fds.tobytes())])
    reply = b""
    while len(reply) < 4:
        chunk = conn.recv(4 - len(reply))
        if not chunk:
            os._exit(1)
        reply += chunk
    status = struct.unpack("<i", reply)[0]
    if status > 128 and status - 128 in (signal.SIGPIPE, signal.SIGINT, signal.SIGTERM):
        # Die of the signal, as the real tool would: the shell reports 128+N and stops a pipeline.
        signal.signal(status - 128, signal.SIG_DFL)
        os.kill(os.getpid(), status - 128)
    os._exit(status & 0xFF)


if __name__ == "__main__":
    main()
