"""Why a hand-off starts, and how the person can be reached, per channel."""

from actions.handoff import reasons_for_request, whatsapp_number, whatsapp_profile_name
from tests.actions.trackers import make_tracker, mention


def offered_staff() -> list[dict]:
    return [{"event": "bot", "text": "...", "metadata": {"utter_action": "utter_offer_staff"}}]


def test_reasons_by_what_the_person_said():
    assert reasons_for_request(make_tracker(intent="request_human")) == (
        ["human_requested"],
        "utter_handoff_human_requested",
    )
    assert reasons_for_request(make_tracker(intent="post_treatment_concern"))[0] == [
        "post_treatment_concern"
    ]
    assert reasons_for_request(make_tracker(intent="book_consultation"))[0] == [
        "consultation_request"
    ]


def test_accepting_staff_after_two_misunderstandings_is_a_repeated_fallback():
    tracker = make_tracker(intent="request_human", earlier_events=offered_staff())
    assert reasons_for_request(tracker)[0] == ["repeated_fallback"]


def test_disclosed_and_mentioned_codes_are_reasons_too():
    disclosure = make_tracker(
        intent="disclose_contraindication", entities=[mention("pregnancy", "uncertain")]
    )
    assert reasons_for_request(disclosure) == (["pregnancy"], "utter_handoff_disclosure")
    urgent = make_tracker(intent="post_treatment_concern", entities=[mention("herpes", "positive")])
    assert reasons_for_request(urgent)[0] == ["post_treatment_concern", "herpes"]


def test_a_whatsapp_number_is_the_contact_in_one_format():
    meta = make_tracker(channel="whatsapp", sender_id="447700900123")
    twilio = make_tracker(channel="twilio", sender_id="whatsapp:+447700900123")
    web = make_tracker(channel="socketio", sender_id="f3a1")
    assert whatsapp_number(meta) == whatsapp_number(twilio) == "+447700900123"
    assert whatsapp_number(web) is None


def test_the_whatsapp_profile_name_is_read_from_the_messages_metadata():
    named = {"event": "user", "text": "hi", "metadata": {"profile_name": "  Ayesha   Khan "}}
    tracker = make_tracker(channel="whatsapp", sender_id="923001234567", earlier_events=[named])
    assert whatsapp_profile_name(tracker) == "Ayesha Khan"
    assert whatsapp_profile_name(make_tracker(channel="whatsapp")) is None
