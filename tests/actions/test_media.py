"""action_acknowledge_media: what the bot says to a photo, voice note or file, and when it
brings it to staff; and what staff hear of one while they hold the conversation."""

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.media import ActionAcknowledgeMedia
from actions.staff_hold import ActionPatientWroteToStaff
from clinic_store.database import migrate
from clinic_store.handoffs import HandoffStore
from clinic_store.media import IncomingMedia, MediaStore
from clinic_store.outbox import Outbox
from tests.actions.trackers import domain_dict, make_tracker, slot_events
from tests.clinic_store.test_handoffs import raise_for

PHOTO = IncomingMedia(kind="image", mime_type="image/jpeg", source="media-1")
STICKER = IncomingMedia(kind="sticker", mime_type="image/webp", source="media-2")


@pytest.fixture
def store(tmp_path, monkeypatch) -> HandoffStore:
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    migrate(url)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("HANDOFF_WEBHOOK_URL", "http://127.0.0.1:9/hook")  # queued, not reached
    monkeypatch.setenv("HANDOFF_SPOOL_DIR", str(tmp_path / "spool"))
    return HandoffStore(url)


def media_tracker(sender: str, item: IncomingMedia = PHOTO, **kwargs):
    """The channel's media message after recording `item`, as the action server gets it."""
    (media,) = MediaStore().record(sender, "whatsapp", [item])
    tracker = make_tracker("/send_media", intent="send_media", sender_id=sender, **kwargs)
    tracker.latest_message["metadata"] = {"media": [{"id": media.id, "kind": media.kind}]}
    for event in tracker.events:
        event["input_channel"] = "whatsapp"
    return tracker, media


async def run(tracker) -> tuple[list[str], list[dict], dict]:
    dispatcher = CollectingDispatcher()
    events = await ActionAcknowledgeMedia().run(dispatcher, tracker, domain_dict())
    return [m["response"] for m in dispatcher.messages], dispatcher.messages, slot_events(events)


async def test_without_a_problem_after_treatment_staff_contact_is_offered(store):
    tracker, _ = media_tracker("447700900101")
    responses, _, slots = await run(tracker)
    assert responses == ["utter_media_cannot_view", "utter_media_offer_staff"]
    assert slots == {} and store.open_for_conversation("447700900101") is None


@pytest.mark.parametrize("tier", ["expected", "review"])
async def test_after_a_report_after_treatment_a_handoff_is_raised_for_the_photo(store, tier):
    sender = f"4477009002{len(tier)}"
    tracker, media = media_tracker(
        sender,
        earlier_events=[{"event": "slot", "name": "triage_tier", "value": tier}],
        slots={"triage_tier": None},  # a later question does not undo the report
    )
    responses, messages, slots = await run(tracker)
    handoff = store.open_for_conversation(sender)
    assert responses == ["utter_media_cannot_view", "utter_media_passed_to_staff"]
    assert messages[-1]["handoff_reference"] == handoff.reference
    assert slots == {"handoff_open": True, "handoff_reference": handoff.reference}
    assert (handoff.reasons, handoff.priority) == (("post_treatment_media",), "normal")
    assert handoff.contact["phone"] == f"+{sender}"  # the WhatsApp number
    assert MediaStore().get(media.id).handoff_id == handoff.id
    assert [n.kind for n in Outbox().notifications(handoff.id)] == ["handoff"]


async def test_a_question_about_effects_is_no_report(store):
    tracker, _ = media_tracker("447700900301", slots={"triage_tier": "question"})
    responses, _, _ = await run(tracker)
    assert responses[-1] == "utter_media_offer_staff"


async def test_a_photo_joins_the_open_handoff_and_staff_are_told(store):
    sender = "447700900401"
    handoff = raise_for(store, sender, channel="whatsapp", reasons=["post_treatment_concern"])
    tracker, media = media_tracker(sender)
    responses, messages, _ = await run(tracker)
    assert responses == ["utter_media_cannot_view", "utter_media_passed_to_staff"]
    assert messages[-1]["handoff_reference"] == handoff.reference
    assert "same day" in messages[-1]["contact_time"]  # the urgent hand-off's contact time
    assert MediaStore().get(media.id).handoff_id == handoff.id
    kinds = [n.kind for n in Outbox().notifications(handoff.id) if n.channel == "webhook"]
    assert kinds == ["handoff", "media_received"]
    assert store.get(handoff.id).reasons == ("post_treatment_concern",)


async def test_a_sticker_is_only_acknowledged(store):
    sender = "447700900501"
    tracker, _ = media_tracker(
        sender,
        STICKER,
        earlier_events=[{"event": "slot", "name": "triage_tier", "value": "review"}],
    )
    responses, _, slots = await run(tracker)
    assert (responses, slots) == (["utter_media_sticker"], {})
    assert store.open_for_conversation(sender) is None


async def test_while_staff_hold_the_conversation_a_photo_is_news_for_them_not_a_reply(store):
    sender = "447700900601"
    handoff = store.claim(raise_for(store, sender, notify_channels=[]).id, "Nurse Kim")
    tracker, _ = media_tracker(sender)
    dispatcher = CollectingDispatcher()
    await ActionPatientWroteToStaff().run(dispatcher, tracker, domain_dict())
    assert dispatcher.messages == []
    assert [n.kind for n in Outbox().notifications(handoff.id)] == ["media_received"]
