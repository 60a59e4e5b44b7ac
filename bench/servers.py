"""Serve the bots on free loopback ports, time their start-up, always stop them.

Start-up is the time from starting the first process to the bot's first answer
through the REST channel: a Rasa server that listens but has not answered yet
(TensorFlow builds its graphs on the first message) is not ready for visitors.
"""

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from bench.load import REQUEST_TIMEOUT_S
from bench.projects import RASA, rasa_env
from tests.databases import postgres_database
from tests.servers import (
    STARTUP_TIMEOUT_S,
    free_port,
    running_bot,
    running_production,
    stop_group,
    wait_until_up,
)


@dataclass(frozen=True)
class ServedBot:
    """A bot that has answered its first message."""

    rasa_url: str
    # The process everything else was started from: its tree holds the servers.
    root_pid: int
    startup_s: float


def first_reply(rasa_url: str) -> None:
    """Send the first message of a conversation; fail unless the bot answers it."""
    response = requests.post(
        f"{rasa_url}/webhooks/rest/webhook",
        json={"sender": "bench-startup", "message": "hi"},
        timeout=REQUEST_TIMEOUT_S,
    )
    response.raise_for_status()
    if not response.json():
        raise RuntimeError(f"{rasa_url} answered its first message with nothing")


@contextmanager
def serve_clinic(workdir: Path) -> Iterator[ServedBot]:
    """This bot exactly as `make run` starts it, with its own SQLite tracker store."""
    started = time.monotonic()
    with running_bot(workdir) as bot:
        first_reply(bot.rasa_url)
        yield ServedBot(bot.rasa_url, bot.process.pid, time.monotonic() - started)


@contextmanager
def serve_production(workdir: Path) -> Iterator[ServedBot]:
    """This bot as `CLINIC_MODE=production make run` starts it: two Rasa servers and two
    action servers behind nginx, on throw-away PostgreSQL databases and Redis."""
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with (
        postgres_database() as tracker_store_url,
        postgres_database() as database_url,
        running_production(workdir, tracker_store_url, database_url) as bot,
    ):
        first_reply(bot.rasa_url)
        yield ServedBot(bot.rasa_url, bot.process.pid, time.monotonic() - started)


@contextmanager
def serve_stock(project: Path) -> Iterator[ServedBot]:
    """The `rasa init` bot with `rasa run`: REST channel, in-memory tracker store."""
    port = free_port()
    rasa_url = f"http://127.0.0.1:{port}"
    log_path = project.parent / "stock-run.log"
    started = time.monotonic()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [RASA, "run", "--port", str(port), "--interface", "127.0.0.1"],
            cwd=project,
            env=rasa_env(project),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        # Rasa loads the model before it accepts connections.
        wait_until_up(f"{rasa_url}/", process, STARTUP_TIMEOUT_S)
        first_reply(rasa_url)
        yield ServedBot(rasa_url, process.pid, time.monotonic() - started)
    except Exception:
        print(log_path.read_text(errors="replace")[-5000:])
        raise
    finally:
        stop_group(process)
