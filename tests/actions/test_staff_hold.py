"""action_patient_wrote_to_staff: while staff hold a conversation, they hear of each message,
and an urgent report after treatment is urgent however it is held."""

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.staff_hold import ActionPatientWroteToStaff
from clinic_store.database import migrate
from clinic_store.handoffs import HandoffStore
from clinic_store.outbox import Outbox
from tests.actions.trackers import domain_dict, make_tracker
from tests.clinic_store.test_handoffs import raise_for

PUS = {"entity": "treatment_effect", "value": "infection", "role": "positive"}
REDNESS = {"entity": "treatment_effect", "value": "redness", "role": "positive"}


@pytest.fixture
def store(tmp_path, monkeypatch) -> HandoffStore:
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    migrate(url)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("HANDOFF_WEBHOOK_URL", "http://127.0.0.1:9/hook")  # never reached here
    return HandoffStore(url)


def held_handoff(store: HandoffStore, sender: str):
    handoff = raise_for(store, sender, reasons=["human_requested"], notify_channels=[])
    return store.claim(handoff.id, "Nurse Kim")


async def run(text: str, sender: str, entities: list[dict], intent: str) -> list:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text, intent=intent, entities=entities, sender_id=sender)
    events = await ActionPatientWroteToStaff().run(dispatcher, tracker, domain_dict())
    assert dispatcher.messages == []  # the patient hears nothing from the bot
    return events


async def test_staff_are_told_the_patient_wrote_once_until_it_is_sent(store):
    handoff = held_handoff(store, "held-a")
    await run("hello?", "held-a", [], "greet")
    await run("anyone?", "held-a", [], "nlu_fallback")
    assert [(n.kind, n.status) for n in Outbox(store.database_url).notifications(handoff.id)] == [
        ("patient_message", "pending")
    ]
    assert store.get(handoff.id).priority == "normal"


async def test_an_expected_effect_is_not_urgent(store):
    handoff = held_handoff(store, "held-b")
    await run("my face is a bit red today", "held-b", [REDNESS], "post_treatment_concern")
    assert store.get(handoff.id).priority == "normal"


async def test_an_urgent_report_makes_the_handoff_urgent_and_tells_staff_so(store):
    handoff = held_handoff(store, "held-c")
    await run(
        "there is pus on my cheek since the treatment", "held-c", [PUS], "post_treatment_concern"
    )
    current = store.get(handoff.id)
    assert current.priority == "urgent" and "post_treatment_concern" in current.reasons
    assert (current.status, current.claimed_by, current.bot_paused) == (
        "claimed",
        "Nurse Kim",
        True,
    )
    kinds = [n.kind for n in Outbox(store.database_url).notifications(handoff.id)]
    assert kinds == ["urgent_message"]


async def test_nothing_happens_once_the_conversation_was_handed_back(store):
    handoff = held_handoff(store, "held-d")
    store.release(handoff.id, "Nurse Kim")
    assert await run("hello?", "held-d", [], "greet") == []
    assert Outbox(store.database_url).notifications(handoff.id) == []
