"""The staff console's JSON API as the take-over tests use it, on a running bot's console."""

from typing import Any

import requests

from tests.conftest import STAFF_API_TOKEN

AUTH = {"Authorization": f"Bearer {STAFF_API_TOKEN}"}


def staff_api(bot: Any, method: str, path: str, **body: Any) -> requests.Response:
    """One API request (`path` after /api), with `body` as JSON when given."""
    return requests.request(
        method, f"{bot.console_url}/api{path}", headers=AUTH, json=body or None, timeout=10
    )


def staff(bot: Any, method: str, path: str, **body: Any) -> dict:
    """One API request that must succeed; its JSON answer."""
    reply = staff_api(bot, method, path, **body)
    reply.raise_for_status()
    return reply.json()


def take_over(bot: Any, reference: str, name: str = "Nurse Kim") -> str:
    """Claim the hand-off with `reference` as `name`; its API path."""
    (handoff,) = [
        h for h in staff(bot, "GET", "/handoffs")["handoffs"] if h["reference"] == reference
    ]
    path = f"/handoffs/{handoff['id']}"
    assert staff(bot, "POST", f"{path}/claim", staff=name)["bot_paused"] is True
    return path


def transcript(bot: Any, conversation_id: str) -> list[dict]:
    """The conversation's messages as the API lists them."""
    return staff(bot, "GET", f"/conversations/{conversation_id}/messages")["messages"]
