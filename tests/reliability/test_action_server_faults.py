"""The action server down or too slow: the person still gets a polite reply, the failure
is logged, and the conversation carries on once the action server is back.

One bot for the module, whose Rasa server calls an action server on a port the
tests control: a real action server (`python -m actions`) they start and kill, or nothing, or a
stand-in that never answers. (The action server `make run` starts cannot be
killed: honcho then stops every other process too.)
"""

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.e2e.conversation import asked_slot, response_text, run_questionnaire
from tests.servers import (
    STARTUP_TIMEOUT_S,
    RunningBot,
    eventually,
    free_port,
    process_environ,
    running_bot,
    started,
    wait_until_up,
)

ACTION_SERVER_TIMEOUT_S = "3"
# Longer than the REST request in RunningBot.send waits (60 s): without the
# timeout, the slow test fails instead of getting its reply.
SILENCE_S = 120


@pytest.fixture(scope="module")
def action_port() -> int:
    """Where the bot's Rasa server calls its actions."""
    return free_port()


@pytest.fixture(scope="module")
def bot(trained_model: Path, tmp_path_factory, action_port: int) -> Iterator[RunningBot]:
    env = {
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
        "ACTION_SERVER_TIMEOUT_S": ACTION_SERVER_TIMEOUT_S,
    }
    with running_bot(tmp_path_factory.mktemp("bot"), extra_env=env) as running:
        yield running


@contextmanager
def action_server(bot: RunningBot, port: int) -> Iterator[subprocess.Popen]:
    """An action server like the bot's own (its command and environment) on `port`."""
    env = {**process_environ(bot.pids_running("-m actions")[-1]), "SANIC_HOST": "127.0.0.1"}
    command = [sys.executable, "-m", "actions", "--port", str(port)]
    with started(command, env, bot.log_path.with_name(f"actions-{port}.log")) as process:
        wait_until_up(f"http://127.0.0.1:{port}/health", process, STARTUP_TIMEOUT_S)
        yield process


@contextmanager
def silent_action_server(port: int) -> Iterator[None]:
    """Takes every action call and answers none of them (until the test is over)."""
    over = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            over.wait(SILENCE_S)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"events": [], "responses": []}')

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield
    finally:
        over.set()
        server.shutdown()
        server.server_close()


def texts(replies: list[dict]) -> list[str]:
    return [reply.get("text") for reply in replies]


def logged_error(bot: RunningBot, *fragments: str) -> list[str]:
    """The bot's ERROR log lines that contain every fragment."""
    lines = bot.log_path.read_text(errors="replace").splitlines()
    return [line for line in lines if "ERROR" in line and all(f in line for f in fragments)]


def test_action_server_down_gets_an_apology_and_the_questionnaire_carries_on_when_back(
    bot, action_port, sender
):
    with action_server(bot, action_port) as server:
        assert asked_slot(bot.send(sender, "can I have microneedling?")) == "pregnancy"
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
        replies = bot.send(sender, "No")

    assert texts(replies) == [response_text("utter_technical_problem")]
    eventually(lambda: logged_error(bot, "validate_screening_form", sender, "could not connect"))

    # Back: the person sends the same answer again, as the apology asks, and goes on.
    with action_server(bot, action_port):
        replies, asked = run_questionnaire(bot, sender, {}, opening="No")
    assert asked[0] == "skin_condition" and "pregnancy" not in asked
    assert texts(replies)[0] == response_text("utter_screening_clear")


def test_a_slow_action_server_gets_an_apology_within_the_timeout(bot, action_port, sender):
    with silent_action_server(action_port):
        replies = bot.send(sender, "can I have microneedling?")

    assert texts(replies) == [
        response_text("utter_screening_intro"),
        response_text("utter_technical_problem"),
    ]
    no_answer = f"no answer within {ACTION_SERVER_TIMEOUT_S} s"
    eventually(lambda: logged_error(bot, "action_reset_screening", sender, no_answer))
