"""Photos, voice notes and files patients sent, as staff see them in the console and the API,
only behind the login or the token; exported, deleted and purged with the conversation."""

import base64
from datetime import timedelta
from pathlib import Path

import requests

from clinic_store.database import utcnow
from clinic_store.handoffs import HandoffStore
from clinic_store.media import IncomingMedia, MediaStore, MediaView, write_file
from clinic_store.settings import get_settings
from staff_console.retention import purge_expired
from tests.staff_console.conftest import API_TOKEN, Console
from tests.staff_console.test_retention import databases

AUTH = {"Authorization": f"Bearer {API_TOKEN}"}
PHOTO = b"\xff\xd8\xff\xe0 photo bytes" * 50
VOICE = b"OggS voice note bytes" * 50
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def add_media(
    console: Console,
    conversation_id: str,
    kind: str,
    mime_type: str,
    data: bytes | None,
    filename: str | None = None,
) -> MediaView:
    """A media item as the Rasa server leaves it: stored (or too large when `data` is None)."""
    return stored_media(
        console.store.database_url,
        console.media_dir,
        conversation_id,
        kind,
        mime_type,
        data,
        filename,
    )


def stored_media(
    database_url: str,
    media_dir: Path,
    conversation_id: str,
    kind: str,
    mime_type: str,
    data: bytes | None,
    filename: str | None = None,
) -> MediaView:
    store = MediaStore(database_url)
    item = IncomingMedia(kind=kind, mime_type=mime_type, source="media-x", filename=filename)
    (media,) = store.record(conversation_id, "whatsapp", [item])
    if data is None:
        store.record_too_large(media.id, 20_000_000, "larger than MEDIA_MAX_BYTES")
    else:
        name = write_file(media_dir, data)
        store.record_stored(media.id, name, len(data), "ab" * 32)
    return store.get(media.id)


def test_the_transcript_shows_photos_voice_notes_files_and_what_was_not_kept(console, staff):
    handoff = console.raise_handoff(["post_treatment_media"], channel="whatsapp")
    conversation = handoff.conversation_id
    console.add_messages(conversation, ("user", "/send_media"), ("bot", "Thank you for this."))
    photo = add_media(console, conversation, "image", "image/jpeg", PHOTO)
    voice = add_media(console, conversation, "audio", "audio/ogg; codecs=opus", VOICE)
    letter = add_media(console, conversation, "document", "application/pdf", b"%PDF", "gp.pdf")
    add_media(console, conversation, "video", "video/mp4", None)

    page = staff.get(f"{console.url}/handoffs/{handoff.id}", timeout=10).text
    assert f'<img class="media" src="/media/{photo.id}" alt="Photo from the patient">' in page
    assert f'<audio controls preload="none" src="/media/{voice.id}">' in page
    assert f'<a href="/media/{letter.id}">Document: gp.pdf</a>' in page
    assert "Video: not kept: larger than the clinic&#39;s limit" in page
    assert "/send_media" not in page  # the channel's message to the bot is not the patient's
    policy = staff.get(f"{console.url}/handoffs/{handoff.id}", timeout=10).headers
    assert "img-src 'self'" in policy["Content-Security-Policy"]

    polled = staff.get(f"{console.url}/handoffs/{handoff.id}/transcript", timeout=10).json()
    kinds = [(line["media"] or {}).get("kind") for line in polled["lines"]]
    assert kinds == [None, "image", "audio", "document", "video"]  # the bot's line first


def test_media_are_served_to_logged_in_staff_only(console, staff):
    photo = add_media(console, "console-media-a", "image", "image/jpeg", PHOTO)
    url = f"{console.url}/media/{photo.id}"
    anonymous = requests.get(url, allow_redirects=False, timeout=10)
    assert (anonymous.status_code, anonymous.headers["Location"]) == (
        303,
        f"/login?next=/media/{photo.id}",
    )
    shown = staff.get(url, timeout=10)
    assert (shown.status_code, shown.content, shown.headers["Content-Type"]) == (
        200,
        PHOTO,
        "image/jpeg",
    )
    assert shown.headers["Cache-Control"] == "no-store"
    assert staff.get(f"{console.url}/media/999999", timeout=10).status_code == 404


def test_a_file_a_browser_could_run_is_only_ever_downloaded(console, staff):
    drawing = add_media(console, "console-media-b", "document", "image/svg+xml", SVG, "a.svg")
    served = staff.get(f"{console.url}/media/{drawing.id}", timeout=10)
    assert served.headers["Content-Type"] == "application/octet-stream"
    assert served.headers["Content-Disposition"] == 'attachment; filename="a.svg"'


def test_the_api_lists_and_serves_media_behind_its_token(console):
    photo = add_media(console, "console-media-c", "image", "image/jpeg", PHOTO)
    listed = requests.get(
        f"{console.url}/api/conversations/console-media-c/messages", headers=AUTH, timeout=10
    ).json()["messages"]
    assert [(m["author"], m["media"]["id"], m["media"]["status"]) for m in listed] == [
        ("patient", photo.id, "stored")
    ]
    url = f"{console.url}/api/media/{photo.id}"
    assert requests.get(url, timeout=10).status_code == 401
    assert requests.get(url, headers=AUTH, timeout=10).content == PHOTO


def test_media_are_exported_and_deleted_with_the_conversation(console):
    photo = add_media(console, "console-media-d", "image", "image/jpeg", PHOTO)
    kept = add_media(console, "console-media-e", "image", "image/jpeg", PHOTO)
    base = f"{console.url}/api/conversations/console-media-d"
    (item,) = requests.get(f"{base}/export", headers=AUTH, timeout=10).json()["media"]
    assert (item["id"], base64.b64decode(item["content_base64"])) == (photo.id, PHOTO)

    deleted = requests.delete(base, headers=AUTH, timeout=10).json()["deleted"]
    assert deleted["media"] == 1
    assert not (console.media_dir / photo.stored_name).exists()
    assert MediaStore(console.store.database_url).get(photo.id) is None
    assert (console.media_dir / kept.stored_name).read_bytes() == PHOTO  # someone else's


def test_media_are_purged_with_an_expired_conversation(tmp_path):
    settings = databases(f"sqlite:///{tmp_path / 'c.db'}", f"sqlite:///{tmp_path / 't.db'}")
    settings = get_settings(
        {
            "DATABASE_URL": settings.database_url,
            "TRACKER_STORE_URL": settings.tracker_store_url,
            "RETENTION_DAYS": str(settings.retention_days),
            "MEDIA_DIR": str(tmp_path / "media"),
        }
    )
    photo = stored_media(
        settings.database_url, settings.media_dir, "old-chat", "image", "image/jpeg", PHOTO
    )
    store = HandoffStore(settings.database_url)
    assert purge_expired(settings, store, utcnow()) == []  # sent just now: kept
    later = utcnow() + timedelta(days=settings.retention_days + 1)
    assert purge_expired(settings, store, later) == ["old-chat"]
    assert not (settings.media_dir / photo.stored_name).exists()
    assert MediaStore(settings.database_url).for_conversation("old-chat") == []
