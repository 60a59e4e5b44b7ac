"""The media store (clinic_store/media.py): rows as media arrive, joined to hand-offs, leased
to one fetcher, kept as owner-only files, and erased with the conversation."""

from datetime import timedelta

import pytest

from clinic_store.database import utcnow
from clinic_store.media import IncomingMedia, MediaStore, write_file
from tests.clinic_store.test_handoffs import raise_for

PHOTO = IncomingMedia(kind="image", mime_type="image/jpeg", source="media-1", caption="cheek")


@pytest.fixture
def media(store) -> MediaStore:
    return MediaStore(store.database_url)


def test_an_item_arriving_joins_the_active_handoff_and_waits_to_be_fetched(store, media):
    handoff = raise_for(store, "conv-m1", notify_channels=[])
    (item,) = media.record("conv-m1", "whatsapp", [PHOTO])
    assert (item.handoff_id, item.status, item.caption, item.attempts) == (
        handoff.id,
        "pending",
        "cheek",
        0,
    )
    (lonely,) = media.record("conv-m2", "twilio", [PHOTO])
    assert lonely.handoff_id is None


def test_a_handoff_raised_later_takes_the_conversations_earlier_media(store, media):
    (item,) = media.record("conv-m3", "whatsapp", [PHOTO])
    handoff = raise_for(store, "conv-m3", notify_channels=[])
    assert media.get(item.id).handoff_id == handoff.id


def test_each_due_item_goes_to_one_fetcher_at_a_time(media):
    (item,) = media.record("conv-m4", "whatsapp", [PHOTO])
    now = utcnow()
    assert media.take_due(["twilio"], now, timedelta(minutes=2)) == []
    assert [m.id for m in media.take_due(["whatsapp"], now, timedelta(minutes=2))] == [item.id]
    assert media.take_due(["whatsapp"], now, timedelta(minutes=2)) == []  # leased
    later = now + timedelta(minutes=3)
    assert [m.id for m in media.take_due(["whatsapp"], later, timedelta(minutes=2))] == [item.id]


def test_stored_files_are_owner_only_and_erased_with_their_conversation(media, tmp_path):
    (item,) = media.record("conv-m5", "whatsapp", [PHOTO])
    (other,) = media.record("conv-m6", "whatsapp", [PHOTO])
    for row in (item, other):
        name = write_file(tmp_path, b"bytes")
        media.record_stored(row.id, name, 5, "ab" * 32)
    stored = media.get(item.id)
    assert (stored.status, stored.size, stored.attempts) == ("stored", 5, 1)
    assert (tmp_path / stored.stored_name).stat().st_mode & 0o077 == 0
    assert media.delete_conversation("conv-m5", tmp_path) == 1
    assert not (tmp_path / stored.stored_name).exists()
    assert (tmp_path / media.get(other.id).stored_name).exists()
    assert media.for_conversation("conv-m5") == []


def test_retention_sees_when_each_conversation_last_sent_media(media):
    media.record("conv-m7", "whatsapp", [PHOTO])
    (last,) = media.record("conv-m7", "whatsapp", [PHOTO])
    assert media.last_received()["conv-m7"] == last.received_at
