"""Start the project's servers for tests: on loopback, on free ports, always stopped.

The bot is started exactly as a person starts it, through `make run`, so the
tests exercise the real launch path (Makefile environment, Procfile, honcho).
"""

import os
import re
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis
import requests

REPO_ROOT = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT_S = 180
# The end of a server's log shown with a failure: enough for its last tracebacks.
LOG_SHOWN_CHARS = 5000


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log_tail(log_path: Path) -> str:
    """The end of a server's log, to show with a failure."""
    return log_path.read_text(errors="replace")[-LOG_SHOWN_CHARS:]


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
    """Stop a process started in its own session, with all its children.

    Children that moved to process groups of their own (supervisord's) are
    stopped too: whatever outlives the group's SIGTERM gets SIGKILL.
    """
    if process.poll() is not None:
        return
    children = descendant_pids(process.pid)
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    for pid in children:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


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
        return send_rest(self.rasa_url, sender, text, **metadata)

    def pids_running(self, fragment: str) -> list[int]:
        """Pids of this bot's processes whose command line contains `fragment`."""
        return [p for p in descendant_pids(self.process.pid) if fragment in process_cmdline(p)]


def send_rest(base_url: str, sender: str, text: str, **metadata: Any) -> list[dict[str, Any]]:
    """Send one message to the REST channel at `base_url`; the bot's replies."""
    body: dict[str, Any] = {"sender": sender, "message": text}
    if metadata:
        body["metadata"] = metadata
    response = requests.post(f"{base_url}/webhooks/rest/webhook", json=body, timeout=60)
    response.raise_for_status()
    return response.json()


def makefile_settings() -> set[str]:
    """The variables the Makefile gives defaults to (`export NAME ?= ...`)."""
    text = (REPO_ROOT / "Makefile").read_text()
    return set(re.findall(r"^export (\w+) \?=", text, flags=re.MULTILINE))


def make_run_env(extra_env: dict[str, str]) -> dict[str, str]:
    """The environment for a `make run` under test: the Makefile computes its own
    defaults (an outer `make test` has exported the single-machine ones), the
    test's settings win, and a developer's .env (real secrets, real API URLs)
    never reaches the test bot.
    """
    inherited = set(makefile_settings()) | {"RASA_TELEMETRY_ENABLED"}
    env = {name: value for name, value in os.environ.items() if name not in inherited}
    return {**env, **extra_env, "ENV_FILE": "/dev/null"}


@contextmanager
def started(command: list[str], env: dict[str, str], log_path: Path) -> Iterator[subprocess.Popen]:
    """`command` in its own session, from the repository, logging to `log_path`;
    stopped with all its processes at the end (its log shown if the test failed)."""
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    except Exception:
        print(log_tail(log_path))
        raise
    finally:
        stop_group(process)


def started_make_run(env: dict[str, str], log_path: Path):
    """`make run` with `env` (see `started`)."""
    return started(["make", "--no-print-directory", "run"], env, log_path)


@contextmanager
def running_bot(workdir: Path, extra_env: dict[str, str] | None = None) -> Iterator[RunningBot]:
    """Run `make run` on free loopback ports with its own tracker database."""
    rasa_port, action_port, webchat_port, console_port = (free_port() for _ in range(4))
    tracker_store_url = f"sqlite:///{workdir / 'tracker.db'}"
    database_url = f"sqlite:///{workdir / 'clinic.db'}"
    env = {
        "RASA_HOST": "127.0.0.1",
        "RASA_PORT": str(rasa_port),
        "ACTION_SERVER_PORT": str(action_port),
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
        "WEBCHAT_HOST": "127.0.0.1",
        "WEBCHAT_PORT": str(webchat_port),
        "RASA_PUBLIC_URL": f"http://127.0.0.1:{rasa_port}",
        "TRACKER_STORE_URL": tracker_store_url,
        "DATABASE_URL": database_url,
        # Never the checkout's var/spool: the test bot would store a developer's spooled hand-offs.
        "HANDOFF_SPOOL_DIR": str(workdir / "spool"),
        # Nor its var/media: patients' photos of the test bot stay with it.
        "MEDIA_DIR": str(workdir / "media"),
        "STAFF_CONSOLE_PORT": str(console_port),
        **(extra_env or {}),
    }
    env = make_run_env(env)
    log_path = workdir / "make-run.log"
    with started_make_run(env, log_path) as process:
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
        for url in (
            f"{bot.action_url}/health",
            f"{bot.rasa_url}/",
            f"{bot.webchat_url}/",
            f"{bot.console_url}/login",
        ):
            wait_until_up(url, process, STARTUP_TIMEOUT_S)
        yield bot


def eventually(check, timeout_s: float = 20.0, interval_s: float = 0.2):
    """Poll `check()` until it returns something truthy; fail after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            assert result, f"still false after {timeout_s} s"
            return result
        time.sleep(interval_s)


@dataclass
class ProductionBot(RunningBot):
    """The production layout: `rasa_url` is nginx's public entry, and each Rasa
    instance can also be reached directly."""

    instance_urls: tuple[str, ...]
    redis_key_prefix: str

    def send_to(self, instance: int, sender: str, text: str) -> list[dict[str, Any]]:
        """Send one message straight to one Rasa instance, past the load balancer."""
        return send_rest(self.instance_urls[instance], sender, text)

    def rasa_pid(self, instance: int) -> int | None:
        """The pid of one Rasa server process, None while it is not running."""
        port = self.instance_urls[instance].rsplit(":", 1)[1]
        pids = [
            p
            for p in self.pids_running(f"--port {port}")
            if "rasa run --model" in process_cmdline(p)
        ]
        return pids[0] if pids else None


@contextmanager
def running_production(
    workdir: Path,
    tracker_store_url: str,
    database_url: str,
    extra_env: dict[str, str] | None = None,
) -> Iterator[ProductionBot]:
    """`CLINIC_MODE=production make run` on free loopback ports: nginx, two Rasa
    instances, two action servers, PostgreSQL and a Redis key prefix of its own."""
    ports = {
        name: str(free_port())
        for name in (
            "PROXY_PORT",
            "RASA_PORT",
            "RASA_PORT_2",
            "ACTION_PROXY_PORT",
            "ACTION_SERVER_PORT",
            "ACTION_SERVER_PORT_2",
            "WEBCHAT_PORT",
            "STAFF_CONSOLE_PORT",
        )
    }
    proxy_url = f"http://127.0.0.1:{ports['PROXY_PORT']}"
    prefix = f"clinictest{uuid.uuid4().hex[:12]}"
    env = make_run_env(
        {
            "CLINIC_MODE": "production",
            **ports,
            "TRACKER_STORE_URL": tracker_store_url,
            "DATABASE_URL": database_url,
            "HANDOFF_SPOOL_DIR": str(workdir / "spool"),
            "REDIS_KEY_PREFIX": prefix,
            "NGINX_DIR": str(workdir / "nginx"),
            "SUPERVISOR_DIR": str(workdir / "supervisor"),
            **(extra_env or {}),
        }
    )
    log_path = workdir / "make-run.log"
    try:
        with started_make_run(env, log_path) as process:
            bot = ProductionBot(
                process=process,
                rasa_url=proxy_url,
                action_url=f"http://127.0.0.1:{ports['ACTION_PROXY_PORT']}",
                webchat_url=proxy_url,
                console_url=f"http://127.0.0.1:{ports['STAFF_CONSOLE_PORT']}",
                tracker_store_url=tracker_store_url,
                database_url=database_url,
                log_path=log_path,
                instance_urls=tuple(
                    f"http://127.0.0.1:{ports[name]}" for name in ("RASA_PORT", "RASA_PORT_2")
                ),
                redis_key_prefix=prefix,
            )
            for url in (
                f"http://127.0.0.1:{ports['ACTION_SERVER_PORT']}/health",
                f"http://127.0.0.1:{ports['ACTION_SERVER_PORT_2']}/health",
                *(f"{url}/" for url in bot.instance_urls),
                f"{proxy_url}/",
                f"{bot.console_url}/login",
            ):
                wait_until_up(url, process, STARTUP_TIMEOUT_S)
            yield bot
    finally:
        delete_redis_keys(f"{prefix}:*")


def delete_redis_keys(pattern: str) -> None:
    """Remove a test's own keys from the shared Redis, and nothing else."""
    client = redis.Redis(host="127.0.0.1", port=6379, db=0)
    with suppress(redis.ConnectionError):
        for key in client.scan_iter(match=pattern):
            client.delete(key)
