"""Load client: N concurrent scripted conversations against Rasa's REST channel.

Each conversation is one visitor: it sends its script one message at a time,
waiting for the bot's answer before typing the next, as a person does. A
worker runs such conversations back to back, each under a fresh sender id and
with a script drawn anew from the worker's own random generator (seeded from
the level's seed and the worker's number, so a run sends the same sentences
every time), until its budget (a duration and/or a number of messages) is
spent; N workers run at once. Only answered messages count: messages/s is answered messages
over the wall time of the whole level.
"""

import asyncio
import math
import random
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import aiohttp

# A reply slower than this counts as failed (and stops that worker's wait).
REQUEST_TIMEOUT_S = 120.0

# Draws one visitor's conversation: the messages to send, in order.
Script = Callable[[random.Random], Sequence[str]]


@dataclass(frozen=True)
class Budget:
    """How long each worker keeps talking at one concurrency level; None: no limit."""

    duration_s: float | None = 30.0
    messages_per_worker: int | None = None

    def __post_init__(self) -> None:
        if self.duration_s is None and self.messages_per_worker is None:
            raise ValueError("a budget needs a duration or a number of messages")

    def describe(self) -> str:
        limits = []
        if self.duration_s is not None:
            limits.append(f"{self.duration_s:g} s")
        if self.messages_per_worker is not None:
            limits.append(f"at most {self.messages_per_worker} messages per conversation")
        return " and ".join(limits)


@dataclass
class LevelResult:
    """What one concurrency level measured."""

    concurrency: int
    wall_s: float = 0.0
    latencies_s: list[float] = field(default_factory=list)
    # Errors, timeouts and empty replies: a bot that stays silent is not fast.
    failures: int = 0

    @property
    def messages(self) -> int:
        return len(self.latencies_s)

    @property
    def messages_per_s(self) -> float:
        return self.messages / self.wall_s if self.wall_s else 0.0

    def latency_ms(self, q: float) -> float:
        """The q-th percentile of the answered messages' latencies, in milliseconds."""
        return percentile(self.latencies_s, q) * 1000


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), interpolating between closest ranks like numpy's default."""
    if not values:
        return math.nan
    if not 0 <= q <= 100:
        raise ValueError(f"percentile out of range: {q}")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


async def _send(session: aiohttp.ClientSession, url: str, sender: str, text: str) -> bool:
    """Send one message; True if the bot answered with at least one message."""
    try:
        async with session.post(url, json={"sender": sender, "message": text}) as response:
            return response.status == 200 and bool(await response.json())
    except (TimeoutError, aiohttp.ClientError):
        return False


async def _worker(
    session: aiohttp.ClientSession,
    url: str,
    script: Script,
    rng: random.Random,
    budget: Budget,
    deadline: float,
    result: LevelResult,
) -> None:
    sent = 0

    def spent() -> bool:
        return time.monotonic() >= deadline or (
            budget.messages_per_worker is not None and sent >= budget.messages_per_worker
        )

    while not spent():
        sender = f"bench-{uuid.uuid4().hex}"
        for text in script(rng):
            if spent():
                return
            started = time.monotonic()
            answered = await _send(session, url, sender, text)
            sent += 1
            if answered:
                result.latencies_s.append(time.monotonic() - started)
            else:
                result.failures += 1


async def run_level(
    rasa_url: str, script: Script, concurrency: int, budget: Budget, seed: str = "bench"
) -> LevelResult:
    """Run `concurrency` conversations at once until the budget is spent."""
    url = f"{rasa_url}/webhooks/rest/webhook"
    result = LevelResult(concurrency)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    # No connection cap: every simulated visitor has its own connection.
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        started = time.monotonic()
        deadline = started + (budget.duration_s if budget.duration_s is not None else math.inf)
        await asyncio.gather(
            *(
                _worker(
                    session, url, script, random.Random(f"{seed}/{n}"), budget, deadline, result
                )
                for n in range(concurrency)
            )
        )
        result.wall_s = time.monotonic() - started
    return result


def run_load(
    rasa_url: str, script: Script, levels: Sequence[int], budget: Budget
) -> list[LevelResult]:
    """Measure each concurrency level in turn, one after the other.

    Each level has its own seed: the conversations of the first level must not
    be sent again, word for word, at the next.
    """
    return [
        asyncio.run(run_level(rasa_url, script, level, budget, seed=f"level-{level}"))
        for level in levels
    ]
