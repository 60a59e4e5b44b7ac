"""Fetching patients' media into the clinic's own storage, in the Rasa server's background.

Listed in credentials.yml like a channel (server_tasks.py), so every Rasa server
runs it: every second it takes the pending media (clinic_store/media.py) of the
WhatsApp channels it serves and asks the channel the patient wrote on to fetch
each (`fetch_media`: the Graph API with the access token, or Twilio's MediaUrl
with the account's credentials), checks the SHA-256 Meta gave, and keeps the
file under MEDIA_DIR. An item is leased while it is fetched, so another server
does not fetch it too. A failure is retried like staff notifications, then
marked failed; a file over MEDIA_MAX_BYTES is not kept. Either way staff are
told, in the transcript and, when the conversation has a hand-off, by a
notification.
"""

import asyncio
import base64
import hashlib
import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

import aiohttp
from rasa.core.channels.channel import InputChannel

from channels.server_tasks import ServerTaskInput
from clinic_store.background import PeriodicTask
from clinic_store.database import utcnow
from clinic_store.handoffs import HandoffStore
from clinic_store.media import MediaStore, MediaView, write_file
from clinic_store.models import MEDIA_NOT_STORED
from clinic_store.notifications import retry_delay
from clinic_store.outbox import Outbox
from clinic_store.settings import get_settings

logger = logging.getLogger(__name__)

INTERVAL_S = 1.0
FETCH_LEASE = timedelta(minutes=2)
MEDIA_TIMEOUT = aiohttp.ClientTimeout(total=60)
CHUNK_BYTES = 64 * 1024


class TooLarge(Exception):
    """The file is larger than MEDIA_MAX_BYTES (`size`, when the sender said so)."""

    def __init__(self, size: int | None) -> None:
        super().__init__(
            f"larger than the limit ({size} bytes)" if size else "larger than the limit"
        )
        self.size = size


class ChecksumMismatch(Exception):
    """The bytes fetched are not the ones Meta described: fetched again."""


async def download(
    session: aiohttp.ClientSession, url: str, max_bytes: int, **request: Any
) -> bytes:
    """GET `url` (redirects followed) and read at most `max_bytes`, else `TooLarge`."""
    async with session.get(url, **request) as answer:
        answer.raise_for_status()
        if (answer.content_length or 0) > max_bytes:
            raise TooLarge(answer.content_length)
        data = bytearray()
        async for chunk in answer.content.iter_chunked(CHUNK_BYTES):
            data.extend(chunk)
            if len(data) > max_bytes:
                raise TooLarge(None)
        return bytes(data)


def sha256_matches(digest: bytes, expected: str | None) -> bool:
    """Whether the SHA-256 `digest` is the one given (hex, or base64 as Meta's webhooks give it);
    true when none was given (Twilio)."""
    if not expected:
        return True
    return expected.lower() == digest.hex() or expected == base64.b64encode(digest).decode()


class MediaFetch(PeriodicTask):
    """Fetches the pending media of the WhatsApp channels among `channels`."""

    def __init__(
        self,
        channels: Sequence[InputChannel],
        interval_s: float = INTERVAL_S,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        super().__init__(interval_s)
        self.channels = {
            channel.name(): channel for channel in channels if hasattr(channel, "fetch_media")
        }
        self.clock = clock
        self.store = MediaStore()

    async def run_once(self) -> None:
        if not self.channels:
            return
        try:
            taken = await asyncio.to_thread(
                self.store.take_due, list(self.channels), self.clock(), FETCH_LEASE
            )
        except Exception as error:
            logger.warning("Could not read media to fetch: %s", type(error).__name__)
            return
        await asyncio.gather(*(self.fetch(media) for media in taken))

    async def fetch(self, media: MediaView) -> None:
        """One attempt at one item, recorded; never raises."""
        settings = get_settings()
        channel = self.channels[media.channel]
        try:
            data = await channel.fetch_media(media.source, settings.media_max_bytes)
            digest = hashlib.sha256(data).digest()
            if not sha256_matches(digest, media.expected_sha256):
                raise ChecksumMismatch("the SHA-256 differs from the one Meta gave")
            name = await asyncio.to_thread(write_file, settings.media_dir, data)
        except TooLarge as too_large:
            limit = settings.media_max_bytes
            logger.warning("Media %d of %s not kept: over %d bytes", media.id, media.channel, limit)
            error = f"larger than MEDIA_MAX_BYTES ({limit} bytes)"
            await asyncio.to_thread(self.store.record_too_large, media.id, too_large.size, error)
            await asyncio.to_thread(tell_staff, media)
            return
        except Exception as failure:  # the channel's API, the network, the disk: tried again
            await self._failed(media, failure)
            return
        await asyncio.to_thread(self.store.record_stored, media.id, name, len(data), digest.hex())
        logger.info("Media %d of %s stored (%d bytes)", media.id, media.channel, len(data))

    async def _failed(self, media: MediaView, failure: Exception) -> None:
        delay = retry_delay(media.attempts + 1)
        retry_at = None if delay is None else self.clock() + delay
        error = type(failure).__name__
        logger.error(
            "Media %d of %s not fetched (%s)%s",
            media.id,
            media.channel,
            error,
            "" if retry_at else ", giving up",
        )
        await asyncio.to_thread(self.store.record_failure, media.id, error, retry_at)
        if retry_at is None:
            await asyncio.to_thread(tell_staff, media)


def tell_staff(media: MediaView) -> None:
    """Notify staff that a file the patient sent could not be kept, if a hand-off is there to
    tell them through (the transcript says so either way)."""
    handoff_id = media.handoff_id
    if handoff_id is None:
        handoff = HandoffStore().open_for_conversation(media.conversation_id)
        handoff_id = handoff.id if handoff else None
    if handoff_id is not None:
        Outbox().notify(handoff_id, MEDIA_NOT_STORED, get_settings().notifier_channels)


class MediaFetchInput(ServerTaskInput):
    """Not a way in: runs `MediaFetch` in the Rasa server, with the server's channels."""

    @classmethod
    def name(cls) -> str:
        return "media_fetch"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(float((credentials or {}).get("interval_s") or INTERVAL_S))

    def __init__(self, interval_s: float = INTERVAL_S) -> None:
        super().__init__()
        self.interval_s = interval_s

    def task(self, channels: Sequence[InputChannel]) -> MediaFetch:
        return MediaFetch(channels, self.interval_s)
