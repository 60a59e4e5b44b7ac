"""`python -m bench.profile`: where one message to this bot spends its time.

Loads the trained model in-process with the project's endpoints.yml (SQL
tracker store in a temporary SQLite file, the real action server started by
`make run`), sends the benchmark's conversation through `Agent.handle_text`
and times, per message: every node of Rasa's graphs (each NLU component, each
policy), the tracker store's reads and writes, and the round trips to the
action server and Rasa's check of their answers. What is left is Rasa's own
bookkeeping around them. The HTTP layer (Sanic, the REST channel) is not in
this picture: compare the total with the benchmark's latency at one
conversation to see it. `--cprofile` adds the functions that took the most
time (and slows everything down while it counts).
"""

import argparse
import asyncio
import cProfile
import os
import pstats
import random
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from functools import wraps
from pathlib import Path
from typing import Any
from unittest import mock

from rasa.core.actions.action import RemoteAction
from rasa.core.agent import Agent, load_agent
from rasa.core.utils import AvailableEndpoints
from rasa.engine.graph import GraphNode
from rasa.utils.common import configure_logging_and_warnings
from rasa.utils.endpoints import EndpointConfig
from rasa.utils.log_utils import configure_structlog

from bench.conversations import clinic_conversation
from rasa_extensions.tracker_store import ClinicSQLTrackerStore
from tests.servers import REPO_ROOT, process_environ, running_bot

MODEL = REPO_ROOT / "models" / "clinic.tar.gz"
TOTAL = "total (Agent.handle_text)"


class Timings:
    """Seconds spent per labelled part, summed over the measured messages."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.enabled = False

    def add(self, label: str, seconds: float) -> None:
        if self.enabled:
            self.seconds[label] += seconds
            self.calls[label] += 1

    def timed(self, label: Callable[[Any], str], function: Callable) -> Callable:
        """Wrap a method so that each call is added under `label(self)`."""

        @wraps(function)
        def wrapper(instance: Any, *args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(instance, *args, **kwargs)
            finally:
                self.add(label(instance), time.perf_counter() - started)

        return wrapper

    def timed_async(self, label: str, function: Callable[..., Awaitable]) -> Callable:
        @wraps(function)
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await function(*args, **kwargs)
            finally:
                self.add(label, time.perf_counter() - started)

        return wrapper


@contextmanager
def instrumented(timings: Timings) -> Iterator[None]:
    """Time Rasa's graph nodes, SQL tracker store and action server calls while inside."""
    patches = [
        (
            GraphNode,
            "__call__",
            timings.timed(lambda node: f"graph node {node._node_name}", GraphNode.__call__),
        ),
        # The tracker store endpoints.yml names.
        *(
            (
                ClinicSQLTrackerStore,
                name,
                timings.timed_async(f"tracker store {name}", getattr(ClinicSQLTrackerStore, name)),
            )
            for name in ("retrieve", "retrieve_full_tracker", "save")
        ),
        # The only remote endpoint in endpoints.yml is the action server.
        (
            EndpointConfig,
            "request",
            timings.timed_async("action server round trip", EndpointConfig.request),
        ),
        # Rasa checks each action server answer against a JSON schema, after the round trip.
        (
            RemoteAction,
            "_validate_action_result",
            timings.timed(
                lambda _: "action server answer validation", RemoteAction._validate_action_result
            ),
        ),
    ]
    with ExitStack() as stack:
        for owner, name, replacement in patches:
            stack.enter_context(mock.patch.object(owner, name, replacement))
        yield


async def _converse(agent: Agent, script: Sequence[str], timings: Timings) -> None:
    sender = f"profile-{uuid.uuid4().hex}"
    for text in script:
        started = time.perf_counter()
        await agent.handle_text(text, sender_id=sender)
        timings.add(TOTAL, time.perf_counter() - started)


async def profile(conversations: int, profiler: cProfile.Profile | None) -> Timings:
    """Send the conversation `conversations` times, after one unmeasured warm-up."""
    # endpoints.yml reads the action server and tracker store from the environment.
    endpoints = AvailableEndpoints.read_endpoints(str(REPO_ROOT / "endpoints.yml"))
    agent = await load_agent(model_path=str(MODEL), endpoints=endpoints)
    # Seeded as the benchmark's visitors are: each conversation words things anew.
    rng, timings = random.Random("profile"), Timings()
    with instrumented(timings):
        await _converse(agent, clinic_conversation(rng), timings)
        timings.enabled = True
        if profiler:
            profiler.enable()
        for _ in range(conversations):
            await _converse(agent, clinic_conversation(rng), timings)
        if profiler:
            profiler.disable()
    return timings


def print_breakdown(timings: Timings) -> None:
    messages, total = timings.calls[TOTAL], timings.seconds[TOTAL]
    print(f"{messages} messages; per message: ms, calls, share of the total")
    for label, seconds in sorted(timings.seconds.items(), key=lambda item: -item[1]):
        print(
            f"{seconds / messages * 1000:8.2f} ms {timings.calls[label] / messages:6.2f}"
            f" {seconds / total:6.1%}  {label}"
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("--conversations", type=int, default=5, help="measured conversations")
    parser.add_argument("--cprofile", action="store_true", help="also print the top functions")
    args = parser.parse_args(argv)
    # Rasa reads this whenever it would report; `make` exports it, `python -m` may not.
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"
    # Rasa's default log level, as `rasa run` sets it up: debug logging would be
    # a large part of what is measured.
    configure_logging_and_warnings()
    configure_structlog()
    profiler = cProfile.Profile() if args.cprofile else None
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp:
        workdir = Path(tmp)
        # Only its action server is used; its Rasa server idles meanwhile.
        with running_bot(workdir) as bot:
            # endpoints.yml names variables that `make run` defaults: take them from its server.
            rasa_pid = bot.pids_running("rasa run --model")[-1]
            for name, value in process_environ(rasa_pid).items():
                os.environ.setdefault(name, value)
            os.environ["ACTION_ENDPOINT_URL"] = f"{bot.action_url}/webhook"
            os.environ["TRACKER_STORE_URL"] = f"sqlite:///{workdir / 'profile-tracker.db'}"
            timings = asyncio.run(profile(args.conversations, profiler))
    print_breakdown(timings)
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
