"""Low-confidence fallback: rephrase first, staff on the second miss in a row."""

from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionHandleFallback
from tests.actions.trackers import domain_dict, make_tracker


def user(intent: str) -> dict:
    return {"event": "user", "text": "x", "parse_data": {"intent": {"name": intent}}}


async def run_fallback(earlier_events: list[dict]) -> tuple[list[str], list[dict]]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("wibble", intent="nlu_fallback", earlier_events=earlier_events)
    events = await ActionHandleFallback().run(dispatcher, tracker, domain_dict())
    return [m["response"] for m in dispatcher.messages], events


async def test_first_miss_asks_to_rephrase_and_forgets_the_message():
    responses, events = await run_fallback([user("greet")])
    assert responses == ["utter_ask_rephrase"]
    assert [e["event"] for e in events] == ["rewind"]


async def test_second_miss_in_a_row_offers_staff():
    responses, _ = await run_fallback([user("greet"), user("nlu_fallback")])
    assert responses == ["utter_offer_staff"]


async def test_a_miss_after_an_understood_message_starts_counting_again():
    responses, _ = await run_fallback([user("nlu_fallback"), user("faq")])
    assert responses == ["utter_ask_rephrase"]
