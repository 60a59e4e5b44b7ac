"""Staff write to the patient: the rules the console's form and the API's reply share.

A reply needs a hand-off staff have taken over. On WhatsApp, outside the 24-hour
window (whatsapp_window.py) free text is refused with the reason, and the
clinic's template is sent instead when staff ask for it.
"""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from clinic_store.database import utcnow
from clinic_store.errors import HandoffNotFound, InvalidTransition, NotHeld
from clinic_store.messages import ConversationMessages, MessageView
from clinic_store.settings import Settings
from clinic_store.views import HandoffView
from staff_console.transcripts import conversation_transcript
from staff_console.whatsapp_window import Window, window

T = TypeVar("T")


class ReplyRefused(Exception):
    """Why a reply was not stored, with the HTTP status that says so."""

    def __init__(self, status: int, message: str, window: Window | None = None) -> None:
        super().__init__(message)
        self.status, self.window = status, window


@dataclass(frozen=True)
class Reply:
    """What staff asked to send: free text, or the clinic's template."""

    text: str | None = None
    template: bool = False


def current_window(settings: Settings, handoff: HandoffView) -> Window:
    transcript = conversation_transcript(
        settings.tracker_store_url, settings.database_url, handoff.conversation_id
    )
    return window(handoff.channel, transcript, utcnow(), settings)


def _store(settings: Settings, handoff: HandoffView, staff: str, reply: Reply) -> MessageView:
    messages = ConversationMessages(settings.database_url)
    if not handoff.bot_paused:  # checked again, under lock, when it is stored
        raise NotHeld("take the conversation over (claim it) before writing to the patient")
    now_open = current_window(settings, handoff)
    if reply.template:
        if now_open.template is None:
            raise ReplyRefused(409, "no WhatsApp template is configured for this channel")
        return messages.add_staff_message(handoff.id, staff, template=now_open.template)
    if not now_open.open:
        raise ReplyRefused(
            409,
            "WhatsApp only delivers free-form messages within 24 hours of the patient's last "
            "message; send the clinic's approved template instead",
            now_open,
        )
    return messages.add_staff_message(handoff.id, staff, reply.text)


async def refusing(
    write: Callable[..., T], settings: Settings, handoff: HandoffView | None, *args: Any
) -> T:
    """`write(settings, handoff, *args)` off the event loop; what the store refuses becomes
    ReplyRefused: 404 for no hand-off, 409 for its state, 400 for what staff typed."""
    if handoff is None:
        raise ReplyRefused(404, "no such hand-off")
    try:
        return await asyncio.to_thread(write, settings, handoff, *args)
    except HandoffNotFound as missing:
        raise ReplyRefused(404, "no such hand-off") from missing
    except (NotHeld, InvalidTransition) as state:
        raise ReplyRefused(409, str(state)) from state
    except ValueError as invalid:
        raise ReplyRefused(400, str(invalid)) from invalid


async def send_reply(
    settings: Settings, handoff: HandoffView | None, staff: str, reply: Reply
) -> MessageView:
    """Store the reply for delivery; ReplyRefused (404, 409, 400) when it cannot be sent."""
    return await refusing(_store, settings, handoff, staff, reply)
