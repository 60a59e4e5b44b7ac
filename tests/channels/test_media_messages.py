"""What the bot receives for media (channels/media_messages.py): the caption as the patient's
own message, then /send_media with the items recorded for staff."""

import pytest

from channels.media_messages import kind_of, pass_on, twilio_media
from clinic_store.database import migrate
from clinic_store.media import IncomingMedia, MediaStore


@pytest.mark.parametrize(
    ("mime_type", "kind"),
    [
        ("image/jpeg", "image"),
        ("audio/ogg; codecs=opus", "audio"),
        ("video/mp4", "video"),
        ("application/pdf", "document"),
        ("text/vcard", "document"),
    ],
)
def test_twilio_media_kinds_come_from_their_type(mime_type, kind):
    assert kind_of(mime_type) == kind


def test_twilio_fields_give_each_media_url_and_type_with_the_body_as_first_caption():
    form = {
        "NumMedia": "2",
        "MediaUrl0": "https://api.twilio.test/Media/ME1",
        "MediaContentType0": "image/jpeg",
        "MediaUrl1": "https://api.twilio.test/Media/ME2",
        "MediaContentType1": "audio/ogg",
    }
    assert twilio_media(form, "my cheek") == [
        IncomingMedia(
            "image", "image/jpeg", "https://api.twilio.test/Media/ME1", caption="my cheek"
        ),
        IncomingMedia("audio", "audio/ogg", "https://api.twilio.test/Media/ME2"),
    ]
    assert twilio_media({"NumMedia": "0"}, "hi") == []
    assert twilio_media({"NumMedia": "lots"}, "hi") == []


async def test_the_caption_comes_first_then_the_media_message_with_the_stored_ids(
    tmp_path, monkeypatch
):
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    migrate(url)
    monkeypatch.setenv("DATABASE_URL", url)
    sent = []

    async def send(text, metadata):
        sent.append((text, metadata))

    photo = IncomingMedia("image", "image/jpeg", "media-1", caption=" is this normal?\x00 ")
    await pass_on(send, "447700900900", "whatsapp", photo.caption, [photo], {"profile_name": "Sam"})
    (stored,) = MediaStore(url).for_conversation("447700900900")
    assert sent == [
        ("is this normal?", {"profile_name": "Sam"}),
        ("/send_media", {"profile_name": "Sam", "media": [{"id": stored.id, "kind": "image"}]}),
    ]


async def test_without_a_database_the_patient_is_still_answered(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'not-migrated.db'}")
    sent = []

    async def send(text, metadata):
        sent.append((text, metadata))

    photo = IncomingMedia("image", "image/jpeg", "media-1")
    await pass_on(send, "447700900901", "whatsapp", None, [photo], None)
    assert sent == [("/send_media", {"media": [{"kind": "image"}]})]
    assert "they are lost" in caplog.text
