"""Fetching patients' media into the clinic's storage (channels/media_fetch.py), against local
fakes of the Graph API's media endpoints and Twilio's media URLs."""

import base64
import hashlib
from datetime import timedelta

import pytest

from channels.media_fetch import MediaFetch
from channels.twilio_whatsapp import TwilioWhatsAppInput
from channels.whatsapp_cloud import WhatsAppCloudInput, WhatsAppCloudSettings
from clinic_store.database import migrate, utcnow
from clinic_store.handoffs import HandoffStore
from clinic_store.media import IncomingMedia, MediaStore, file_path
from clinic_store.outbox import Outbox
from tests.channels.fakes import (
    TWILIO_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN,
    TWILIO_WHATSAPP_NUMBER,
    WHATSAPP_ACCESS_TOKEN,
    WHATSAPP_APP_SECRET,
    WHATSAPP_PHONE_NUMBER_ID,
    WHATSAPP_VERIFY_TOKEN,
    FakeGraphApi,
)

PHOTO = b"\xff\xd8\xff\xe0 a small photo of a cheek " * 40
LIMIT = 4096


@pytest.fixture
def media_dir(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    migrate(url)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("MEDIA_DIR", str(tmp_path / "media"))
    monkeypatch.setenv("MEDIA_MAX_BYTES", str(LIMIT))
    monkeypatch.setenv("HANDOFF_WEBHOOK_URL", "http://127.0.0.1:9/hook")  # queued, never sent
    return tmp_path / "media"


class Clock:
    """Now, moved on by `later` (a fetch retried after its back-off)."""

    def __init__(self) -> None:
        self.later = timedelta()

    def __call__(self):
        return utcnow() + self.later


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fetch(fake_graph_api: FakeGraphApi, clock: Clock) -> MediaFetch:
    cloud = WhatsAppCloudInput(
        WhatsAppCloudSettings(
            verify_token=WHATSAPP_VERIFY_TOKEN,
            app_secret=WHATSAPP_APP_SECRET,
            access_token=WHATSAPP_ACCESS_TOKEN,
            phone_number_id=WHATSAPP_PHONE_NUMBER_ID,
            graph_api_url=fake_graph_api.url,
        )
    )
    twilio = TwilioWhatsAppInput(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_WHATSAPP_NUMBER)
    return MediaFetch([cloud, twilio], clock=clock)


def record(channel: str, source: str, conversation: str = "447700900001", **details):
    item = IncomingMedia(kind="image", mime_type="image/jpeg", source=source, **details)
    (view,) = MediaStore().record(conversation, channel, [item])
    return view


async def test_a_cloud_api_photo_is_stored_with_the_checksum_meta_gave(
    media_dir, fetch, fake_graph_api
):
    meta_sha256 = base64.b64encode(hashlib.sha256(PHOTO).digest()).decode()  # as in webhooks
    media = record("whatsapp", fake_graph_api.add_file(PHOTO), expected_sha256=meta_sha256)
    await fetch.run_once()
    stored = MediaStore().get(media.id)
    assert (stored.status, stored.size, stored.sha256) == (
        "stored",
        len(PHOTO),
        hashlib.sha256(PHOTO).hexdigest(),
    )
    path = file_path(media_dir, stored)
    assert path.read_bytes() == PHOTO
    assert path.stat().st_mode & 0o077 == 0  # the patient's photo: readable by its owner only


async def test_bytes_that_do_not_match_metas_checksum_are_not_kept_and_fetched_again(
    media_dir, fetch, fake_graph_api
):
    media = record("whatsapp", fake_graph_api.add_file(PHOTO), expected_sha256="0" * 64)
    await fetch.run_once()
    stored = MediaStore().get(media.id)
    assert (stored.status, stored.attempts, stored.stored_name) == ("pending", 1, None)
    assert stored.last_error == "ChecksumMismatch"


async def test_a_twilio_photo_is_fetched_with_basic_auth_that_does_not_follow_the_redirect(
    media_dir, fetch, fake_twilio_api
):
    media_id = fake_twilio_api.add_file(PHOTO)
    media = record("twilio", fake_twilio_api.media_url(media_id), conversation="whatsapp:+4477")
    await fetch.run_once()
    stored = MediaStore().get(media.id)
    assert stored.status == "stored"
    assert file_path(media_dir, stored).read_bytes() == PHOTO
    asked, redirected = [g for g in fake_twilio_api.gets if g.path.endswith(media_id)][-2:]
    assert asked.headers["Authorization"].startswith("Basic ")
    assert redirected.path == f"/stored/{media_id}" and "Authorization" not in redirected.headers


async def test_a_failed_fetch_is_retried_later_and_then_stored(
    media_dir, fetch, fake_graph_api, clock
):
    media = record("whatsapp", fake_graph_api.add_file(PHOTO))
    fake_graph_api.get_failures = 1
    await fetch.run_once()
    failed = MediaStore().get(media.id)
    assert (failed.status, failed.attempts, failed.last_error) == (
        "pending",
        1,
        "ClientResponseError",
    )
    await fetch.run_once()  # not due yet: nothing is asked
    assert MediaStore().get(media.id).attempts == 1
    clock.later += timedelta(seconds=31)
    await fetch.run_once()
    assert MediaStore().get(media.id).status == "stored"


def open_handoff(conversation_id: str, reason: str):
    """An open WhatsApp hand-off in the conversation, so staff can be told about its files."""
    return HandoffStore().raise_handoff(
        conversation_id=conversation_id,
        channel="whatsapp",
        reasons=[reason],
        answers={},
        summary="",
        notify_channels=[],
    )


async def test_a_fetch_failing_every_time_is_given_up_and_staff_are_told(
    media_dir, fetch, fake_graph_api, clock
):
    handoff = open_handoff("447700900002", "human_requested")
    media = record("whatsapp", "no-such-media", conversation="447700900002")
    for _ in range(3):
        await fetch.run_once()
        clock.later += timedelta(minutes=10)
    assert MediaStore().get(media.id).status == "failed"
    kinds = [n.kind for n in Outbox().notifications(handoff.id)]
    assert kinds == ["media_not_stored"]


async def test_an_oversized_file_is_not_stored_and_staff_are_told(
    media_dir, fetch, fake_graph_api, fake_twilio_api
):
    handoff = open_handoff("447700900003", "post_treatment_review")
    big = b"x" * (LIMIT + 1)
    cloud = record("whatsapp", fake_graph_api.add_file(big), conversation="447700900003")
    twilio = record("twilio", fake_twilio_api.media_url(fake_twilio_api.add_file(big)))
    await fetch.run_once()
    for media in (cloud, twilio):
        refused = MediaStore().get(media.id)
        assert (refused.status, refused.stored_name) == ("too_large", None)
        assert "MEDIA_MAX_BYTES" in refused.last_error
    assert MediaStore().get(cloud.id).size == LIMIT + 1  # the Graph API said how large
    assert not media_dir.exists() or list(media_dir.iterdir()) == []
    assert [n.kind for n in Outbox().notifications(handoff.id)] == ["media_not_stored"]
