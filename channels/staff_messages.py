"""Staff messages (and the assistant's "I'm back") as Rasa channel messages.

What staff write in the console is stored by clinic_store/messages.py. A
channel that answers each request (REST) hands the conversation's pending ones
to the patient with its answer: those written before the patient's message
first, then the bot's reply (none while staff hold the conversation), then any
written meanwhile. Each is marked delivered when taken, so it reaches the
patient once, whichever Rasa server takes the message.
"""

import asyncio
import logging
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel

from clinic_store.database import report_unreadable
from clinic_store.messages import ConversationMessages, MessageView

logger = logging.getLogger(__name__)


def as_channel_message(recipient_id: str, message: MessageView) -> dict[str, Any]:
    """The REST form of a message, like the bot's, with who wrote it in `custom`."""
    custom = {"author": message.author, "staff_name": message.staff_name}
    return CollectingOutputChannel._message(recipient_id, text=message.text, custom=custom)


async def take_pending(conversation_id: str) -> list[MessageView]:
    """The conversation's undelivered messages, now marked delivered; none if the database
    cannot be read (they wait for the next message)."""
    try:
        return await asyncio.to_thread(ConversationMessages().take_pending, conversation_id)
    except Exception as error:
        report_unreadable(
            logger, error, "Could not read staff messages for conversation %s (%s)", conversation_id
        )
        return []


async def hand_over(collector: CollectingOutputChannel, conversation_id: str) -> int:
    """Add the conversation's pending messages to a collected answer; returns how many."""
    taken = await take_pending(conversation_id)
    for message in taken:
        await collector._persist_message(as_channel_message(conversation_id, message))
    if taken:
        logger.info("Handed %d staff message(s) to conversation %s", len(taken), conversation_id)
    return len(taken)
