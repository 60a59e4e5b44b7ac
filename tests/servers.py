"""Start the project's servers for tests: on loopback, on free ports, always stopped.

The bot is started exactly as a person starts it, through `make run`, so the
tests exercise the real launch path (Makefile environment, Procfile, honcho).
"""

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

REPO_ROOT = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT_S = 180


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout_s: float) -> None:
    """Poll `url` until it answers; fail early if the process died."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before {url} was up")
        try:
            requests.get(url, timeout=2)
            return
        except requests.ConnectionError:
            time.sleep(0.25)
    raise TimeoutError(f"{url} did not come up within {timeout_s} s")


def stop_group(process: subprocess.Popen) -> None:
    """Stop a process started in its own session, with all its children."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def descendant_pids(root: int) -> list[int]:
    """The pids of every process started, directly or not, by `root` (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def process_environ(pid: int) -> dict[str, str]:
    """The environment a running process was started with."""
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode(errors="replace").split("=", 1) for item in raw if b"=" in item)


def process_cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")


@dataclass
class RunningBot:
    """A bot started with `make run` for the duration of a test session."""

    process: subprocess.Popen
    rasa_url: str
    action_url: str
    webchat_url: str
    console_url: str
    tracker_store_url: str
    database_url: str
    log_path: Path

    def send(self, sender: str, text: str, **metadata: Any) -> list[dict[str, Any]]:
        """Send one message through the REST channel and return the bot's replies."""
        body: dict[str, Any] = {"sender": sender, "message": text}
        if metadata:
            body["metadata"] = metadata
        response = requests.post(f"{self.rasa_url}/webhooks/rest/webhook", json=body, timeout=60)
        response.raise_for_status()
        return response.json()

    def pids_running(self, fragment: str) -> list[int]:
        """Pids of this bot's processes whose command line contains `fragment`."""
        return [p for p in descendant_pids(self.process.pid) if fragment in process_cmdline(p)]


@contextmanager
def running_bot(workdir: Path, extra_env: dict[str, str] | None = None) -> Iterator[RunningBot]:
    """Run `make run` on free loopback ports with its own tracker database."""
    rasa_port, action_port, webchat_port, console_port = (free_port() for _ in range(4))
    tracker_store_url = f"sqlite:///{workdir / 'tracker.db'}"
    database_url = f"sqlite:///{workdir / 'clinic.db'}"
    env = {
        **os.environ,
        "RASA_HOST": "127.0.0.1",
        "RASA_PORT": str(rasa_port),
        "ACTION_SERVER_PORT": str(action_port),
        # Set, not derived: an outer `make test` has already exported the default one.
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
        "WEBCHAT_HOST": "127.0.0.1",
        "WEBCHAT_PORT": str(webchat_port),
        "RASA_PUBLIC_URL": f"http://127.0.0.1:{rasa_port}",
        "TRACKER_STORE_URL": tracker_store_url,
        "DATABASE_URL": database_url,
        "STAFF_CONSOLE_PORT": str(console_port),
        **(extra_env or {}),
        # A developer's .env (real secrets, real API URLs) must never reach the test bot.
        "ENV_FILE": "/dev/null",
    }
    # Nothing from the developer's shell may switch telemetry on behind the test's back.
    env.pop("RASA_TELEMETRY_ENABLED", None)
    log_path = workdir / "make-run.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "run"],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    bot = RunningBot(
        process=process,
        rasa_url=f"http://127.0.0.1:{rasa_port}",
        action_url=f"http://127.0.0.1:{action_port}",
        webchat_url=f"http://127.0.0.1:{webchat_port}",
        console_url=f"http://127.0.0.1:{console_port}",
        tracker_store_url=tracker_store_url,
        database_url=env["DATABASE_URL"],
        log_path=log_path,
    )
    try:
        wait_until_up(f"{bot.action_url}/health", process, STARTUP_TIMEOUT_S)
        wait_until_up(f"{bot.rasa_url}/", process, STARTUP_TIMEOUT_S)
        wait_until_up(f"{bot.webchat_url}/", process, STARTUP_TIMEOUT_S)
        wait_until_up(f"{bot.console_url}/login", process, STARTUP_TIMEOUT_S)
        yield bot
    except Exception:
        print(log_path.read_text(errors="replace")[-5000:])
        raise
    finally:
        stop_group(process)


def eventually(check, timeout_s: float = 20.0, interval_s: float = 0.2):
    """Poll `check()` until it returns something truthy; fail after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            assert result, f"still false after {timeout_s} s"
            return result
        time.sleep(interval_s)
