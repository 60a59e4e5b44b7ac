"""Peak memory of the servers a bot runs, from Linux's /proc.

The kernel keeps each process's peak resident set size (VmHWM), so reading it
once, after the load and before the servers stop, gives the peak over the
whole run without sampling. A server may be several processes (Sanic workers),
so a server's figure is the sum of its processes' peaks: an upper bound, as
pages that forked workers share are counted once per worker.
"""

from enum import Enum
from pathlib import Path

from tests.servers import descendant_pids, process_cmdline

# The action server's command lines: this bot's (actions/__main__.py) and the stock bot's.
ACTION_SERVER_COMMANDS = ("-m actions", "rasa run actions")


class Server(Enum):
    """The command line that tells a bot's servers apart."""

    RASA = "rasa run"
    ACTIONS = "actions"

    def runs(self, cmdline: str) -> bool:
        # The Rasa server's command line is a prefix of the stock action server's.
        is_actions = any(command in cmdline for command in ACTION_SERVER_COMMANDS)
        return is_actions if self is Server.ACTIONS else self.value in cmdline and not is_actions


def _peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _is_python(cmdline: str) -> bool:
    # honcho starts each Procfile line through `sh -c "... rasa run ..."`: that
    # shell's command line names the server too, but it is not the server.
    return Path(cmdline.split(" ", 1)[0]).name.startswith("python")


def peak_memory_mb(root_pid: int, server: Server) -> float | None:
    """Peak RSS in MB of `server`'s processes: `root_pid` and those below it; None if none."""
    peaks = []
    # The root is the stock bot's Rasa server itself; for this bot it is `make`.
    for pid in [root_pid, *descendant_pids(root_pid)]:
        try:
            cmdline = process_cmdline(pid)
            if _is_python(cmdline) and server.runs(cmdline):
                peaks.append(_peak_kib(pid))
        except (FileNotFoundError, ProcessLookupError):
            continue  # exited while we looked
    return sum(peaks) / 1024 if peaks else None
