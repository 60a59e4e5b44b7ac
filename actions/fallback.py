"""Low-confidence fallback: ask to rephrase first, offer staff on the second miss in a row."""

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

FALLBACK_INTENT = "nlu_fallback"
MISSES_BEFORE_STAFF_OFFER = 2


def consecutive_fallbacks(events: List[Dict[str, Any]]) -> int:
    """Count the user messages not understood since the last one that was."""
    misses = 0
    for event in reversed(events):
        if event.get("event") != "user":
            continue
        if (event.get("parse_data") or {}).get("intent", {}).get("name") != FALLBACK_INTENT:
            break
        misses += 1
    return misses


class ActionHandleFallback(Action):
    """Asks to rephrase with suggestions; after two misses in a row offers staff."""

    def name(self) -> str:
        return "action_handle_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        if consecutive_fallbacks(tracker.events) >= MISSES_BEFORE_STAFF_OFFER:
            dispatcher.utter_message(response="utter_offer_staff")
        else:
            dispatcher.utter_message(response="utter_ask_rephrase")
        # The misunderstood message is taken out of the dialogue history so the
        # conversation carries on from where it was; the event stays in the
        # tracker, which is how the next miss is counted.
        return [UserUtteranceReverted()]
