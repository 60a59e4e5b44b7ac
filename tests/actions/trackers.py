"""Build Rasa SDK trackers and load the real domain for action tests."""

from functools import lru_cache
from typing import Any

from rasa.shared.core.domain import Domain
from rasa_sdk import Tracker

from tests.servers import REPO_ROOT


@lru_cache(maxsize=1)
def domain_dict() -> dict[str, Any]:
    """The project's real domain, as the action server receives it."""
    return Domain.load(str(REPO_ROOT / "domain")).as_dict()


def make_tracker(
    text: str = "",
    *,
    intent: str = "nlu_fallback",
    entities: list[dict] | None = None,
    slots: dict[str, Any] | None = None,
    set_by_message: dict[str, Any] | None = None,
    active_loop: str | None = None,
    channel: str = "rest",
    sender_id: str = "test-user",
    earlier_events: list[dict] | None = None,
    response_selector: dict | None = None,
) -> Tracker:
    """A tracker whose latest user message is `text`.

    `set_by_message` are the slots the message filled (SlotSet events after it),
    which is what a form validator sees as slots to validate.
    """
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "entities": entities or [],
        "response_selector": response_selector or {},
    }
    events = [
        *(earlier_events or []),
        {"event": "user", "text": text, "parse_data": latest, "input_channel": channel},
        *({"event": "slot", "name": k, "value": v} for k, v in (set_by_message or {}).items()),
    ]
    return Tracker(
        sender_id=sender_id,
        slots={**(slots or {}), **(set_by_message or {})},
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def mention(code: str, role: str, start: int = 0, end: int = 0) -> dict:
    """A contraindication entity as the clinic_nlp component adds it."""
    return {"entity": "contraindication", "value": code, "role": role, "start": start, "end": end}


def slot_events(events: list[dict]) -> dict[str, Any]:
    """slot name -> value, for the SlotSet events an action returned."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
