"""The options the bot offered each person last, so a typed "2" or "not sure" counts as that button.

Twilio's WhatsApp has no reply buttons, and on the Cloud API people often type
instead of tapping: either way the bot should receive the button's payload.
"""

import json
import re

from channels.messages import Button, button_payload, button_title
from channels.stores import Store, store_from_env

REDIS_URL_VARIABLE = "WHATSAPP_OPTIONS_REDIS_URL"
KEY_PREFIX = "whatsapp:options:"
# A bare "2" a day after the question is unlikely to answer it.
TTL_S = 24 * 3600
MAX_PEOPLE = 10_000
_NUMBER = re.compile(r"[0-9]{1,3}")


def chosen_payload(buttons: list[Button], reply: str) -> str | None:
    """The payload of the button a typed reply names by number or by title, if any."""
    answer = " ".join(reply.split()).rstrip(".)").casefold()
    if _NUMBER.fullmatch(answer):
        number = int(answer)
        return button_payload(buttons[number - 1]) if 1 <= number <= len(buttons) else None
    for button in buttons:
        if button_title(button).casefold() == answer:
            return button_payload(button)
    return None


class OfferedOptions:
    """Remembers the buttons of each person's latest bot message (none if it had none)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    @classmethod
    def from_env(cls) -> "OfferedOptions":
        return cls(store_from_env(REDIS_URL_VARIABLE, KEY_PREFIX, MAX_PEOPLE, TTL_S))

    async def remember(self, person: str, buttons: list[Button]) -> None:
        options = [{"title": button_title(b), "payload": button_payload(b)} for b in buttons]
        await self._store.put(person, json.dumps(options))

    async def forget(self, person: str) -> None:
        """A message without buttons: a number typed next refers to nothing."""
        await self._store.delete(person)

    async def translate(self, person: str, text: str | None) -> str | None:
        """The chosen button's payload if `text` names one of the options offered, else `text`."""
        if not text:
            return text
        offered = await self._store.get(person)
        if offered is None:
            return text
        return chosen_payload(json.loads(offered), text) or text
