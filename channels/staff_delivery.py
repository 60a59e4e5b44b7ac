"""Staff messages pushed to patients on the channels that can send on their own.

Listed in credentials.yml like a channel, so every Rasa server runs it: every
second it takes the pending messages staff wrote (clinic_store/messages.py) for
the push channels and sends each through the patient's channel with Rasa's own
output channel for it (`InputChannel.get_output_channel()`), as Rasa's server
does for proactive messages:

- socket.io (web chat): emitted into the conversation's room, so it appears in
  the open widget (which keeps it after a reload). A Rasa server only takes the
  messages of conversations whose widget is connected to it: with two servers
  behind nginx, the one holding the widget's connection sends it, and a
  message for a closed widget waits until it reconnects;
- WhatsApp Cloud API and Twilio: sent as a normal message, or as the clinic's
  approved template when staff chose it outside WhatsApp's 24-hour window.

A message is leased while it is sent (no other server takes it meanwhile) and
a failed send is retried like staff notifications, then marked failed, which
the console shows. The REST channel needs none of this: it returns staff
messages with the patient's next message (staff_messages.py).
"""

import asyncio
import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel

from channels.server_tasks import ServerTaskInput
from clinic_store.background import PeriodicTask
from clinic_store.database import utcnow
from clinic_store.messages import ConversationMessages, MessageView
from clinic_store.models import STAFF
from clinic_store.notifications import retry_delay

logger = logging.getLogger(__name__)

SOCKETIO = "socketio"
PUSH_CHANNELS = (SOCKETIO, "whatsapp", "twilio")
INTERVAL_S = 1.0
SEND_LEASE = timedelta(minutes=1)
DEFAULT_TEMPLATE_LANGUAGE = "en"


def connected_conversations(channel: InputChannel) -> set[str]:
    """The conversations whose web-chat widget is connected to this server (socket.io rooms)."""
    sio = getattr(channel, "sio", None)
    if sio is None:
        return set()
    rooms = sio.manager.rooms.get(getattr(channel, "namespace", None) or "/", {})
    return {room for room in rooms if room is not None}


async def send(output: OutputChannel, message: MessageView, template_language: str) -> bool:
    """Send one message through a channel's output; whether the channel accepted it."""
    recipient = message.conversation_id
    if message.author == STAFF and message.response:  # the clinic's WhatsApp template
        return await output.deliver_template(recipient, message.response, template_language)
    if hasattr(output, "deliver_text"):  # the WhatsApp outputs say whether it was sent
        return await output.deliver_text(recipient, message.text or "")
    await output.send_text_message(recipient, message.text or "")
    return True


class StaffDelivery(PeriodicTask):
    """Sends the pending staff messages this server can deliver, every `interval_s` seconds."""

    def __init__(
        self,
        channels: Sequence[InputChannel],
        interval_s: float = INTERVAL_S,
        template_language: str = DEFAULT_TEMPLATE_LANGUAGE,
    ) -> None:
        super().__init__(interval_s)
        self.channels = {channel.name(): channel for channel in channels}
        self.template_language = template_language
        self.messages = ConversationMessages()

    async def run_once(self) -> None:
        try:
            taken = await asyncio.to_thread(self._take)
        except Exception as error:
            logger.warning("Could not read staff messages to send: %s", type(error).__name__)
            return
        await asyncio.gather(*(self._deliver(message) for message in taken))

    def _take(self) -> list[MessageView]:
        now = utcnow()
        channels = [name for name in PUSH_CHANNELS if name in self.channels and name != SOCKETIO]
        taken = self.messages.take_due(channels, now, SEND_LEASE) if channels else []
        if SOCKETIO in self.channels:
            here = connected_conversations(self.channels[SOCKETIO])
            if here:
                taken += self.messages.take_due([SOCKETIO], now, SEND_LEASE, among=here)
        return taken

    async def _deliver(self, message: MessageView) -> None:
        output = self.channels[message.channel].get_output_channel()
        try:
            sent = await send(output, message, self.template_language)
            error = "the channel did not accept it"
        except Exception as failure:  # a channel's own error: retried like any other
            sent, error = False, type(failure).__name__
        if sent:
            await asyncio.to_thread(self.messages.record_delivered, message.id)
            logger.info("Staff message %d sent on %s", message.id, message.channel)
            return
        delay = retry_delay(message.attempts + 1)
        retry_at = None if delay is None else utcnow() + delay
        logger.error(
            "Staff message %d on %s not sent (%s)%s",
            message.id,
            message.channel,
            error,
            "" if retry_at else ", giving up",
        )
        await asyncio.to_thread(self.messages.record_failure, message.id, error, retry_at)


class StaffDeliveryInput(ServerTaskInput):
    """Not a way in: runs `StaffDelivery` in the Rasa server, with the server's channels."""

    @classmethod
    def name(cls) -> str:
        return "staff_delivery"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        return cls(
            float(credentials.get("interval_s") or INTERVAL_S),
            str(credentials.get("template_language") or DEFAULT_TEMPLATE_LANGUAGE),
        )

    def __init__(self, interval_s: float = INTERVAL_S, template_language: str = "en") -> None:
        super().__init__()
        self.interval_s, self.template_language = interval_s, template_language

    def task(self, channels: Sequence[InputChannel]) -> StaffDelivery:
        return StaffDelivery(channels, self.interval_s, self.template_language)
