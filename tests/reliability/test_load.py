"""A few hundred conversations at once through the production layout: every
message answered and stored, and the Rasa servers' memory levels off."""

import asyncio
import uuid
from pathlib import Path

import aiohttp

from tests.e2e.stored import user_messages_per_conversation
from tests.servers import ProductionBot

CONVERSATIONS = 200
SCRIPT = ["hello", "What is microneedling?", "is there any downtime?", "thanks, bye"]
# Bounds the whole test: a stuck request fails it instead of hanging CI.
ROUND_TIMEOUT_S = 300
# Between two equal rounds, after the first has warmed every cache up.
MAX_MEMORY_GROWTH = 1.15


async def converse(session: aiohttp.ClientSession, url: str, sender: str) -> list[str]:
    """One visitor's conversation; the problems it met."""
    problems = []
    for text in SCRIPT:
        async with session.post(url, json={"sender": sender, "message": text}) as response:
            if response.status != 200:
                problems.append(f"{sender}: HTTP {response.status} for {text!r}")
            elif not [reply for reply in await response.json() if reply.get("text")]:
                problems.append(f"{sender}: no answer to {text!r}")
    return problems


async def load_round(bot: ProductionBot, senders: list[str]) -> list[str]:
    url = f"{bot.rasa_url}/webhooks/rest/webhook"
    timeout = aiohttp.ClientTimeout(total=ROUND_TIMEOUT_S)
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        results = await asyncio.wait_for(
            asyncio.gather(*(converse(session, url, sender) for sender in senders)),
            ROUND_TIMEOUT_S,
        )
    return [problem for problems in results for problem in problems]


def rasa_memory_kb(bot: ProductionBot) -> int:
    """Resident memory of both Rasa servers together."""
    total = 0
    for instance in range(len(bot.instance_urls)):
        status = Path(f"/proc/{bot.rasa_pid(instance)}/status").read_text()
        total += int(
            next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1]
        )
    return total


def test_a_few_hundred_conversations_at_once_lose_nothing(production):
    rounds = [[f"load-{uuid.uuid4().hex[:12]}" for _ in range(CONVERSATIONS)] for _ in range(2)]
    memory = []
    for senders in rounds:
        assert asyncio.run(load_round(production, senders)) == []
        memory.append(rasa_memory_kb(production))
    stored = user_messages_per_conversation(production.tracker_store_url)
    assert {sender: stored.get(sender) for senders in rounds for sender in senders} == {
        sender: len(SCRIPT) for senders in rounds for sender in senders
    }
    assert memory[1] < memory[0] * MAX_MEMORY_GROWTH, f"memory after each round (kB): {memory}"
