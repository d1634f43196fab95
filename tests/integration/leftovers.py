"""Finds processes the integration tests started and did not stop: every child the
harness starts holds a marker file open (PIXMILL_TEST_OWNER), an inherited descriptor
that survives exec and the setproctitle of nginx and redis-server.

  python3 tests/integration/leftovers.py MARKER   # ctest's integration.leftovers

Run after the suite (a ctest fixture clean-up): lists each process still holding the
marker, ends it, and exits 1 if there was any."""

import os
import signal
import sys


def holders(marker, exclude=()):
    """(pid, command line) of every process with `marker` open, except those in `exclude`."""
    marker = os.path.realpath(marker)
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) in exclude:
            continue
        pid = int(name)
        try:
            fds = os.listdir("/proc/%d/fd" % pid)
        except OSError:  # gone, or another user's
            continue
        for fd in fds:
            try:
                if os.readlink("/proc/%d/fd/%s" % (pid, fd)) == marker:
                    found.append((pid, command_line(pid)))
                    break
            except OSError:
                continue
    return found


def command_line(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
    except OSError:
        return "?"


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    left = holders(argv[1], exclude={os.getpid()})
    for pid, cmd in left:
        print("left running by a test: pid %d: %s" % (pid, cmd))
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    if not left:
        print("no process started by the integration tests is still running")
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
