"""The clinic's own details (address, hours, contact, prices) answered from content/clinic.yml.

Staff edit the file; every question reads it again (cached by modification time),
so a change is answered from the next question on. A detail left empty is never
guessed: the person is told it is not here and offered staff contact instead.
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

CLINIC_DETAILS_PATH = Path(__file__).resolve().parent.parent / "content" / "clinic.yml"
# Lets a test (or a second clinic) answer from another file.
PATH_VARIABLE = "CLINIC_DETAILS_PATH"


@dataclass(frozen=True)
class ClinicDetails:
    """The editable values of content/clinic.yml; an empty string is an unknown detail."""

    name: str
    city: str
    dermatologist: str
    address: str
    opening_hours: str
    phone: str
    whatsapp: str
    map_link: str
    price_notes: str

    def template_values(self) -> dict[str, str]:
        """The values for the responses' placeholders: `{clinic_<field>}`."""
        return {f"clinic_{field.name}": getattr(self, field.name) for field in fields(self)}


@dataclass(frozen=True)
class Answer:
    """How one kind of question is answered from the details."""

    # (field, response sent when the field is filled), in the order they are sent.
    parts: tuple[tuple[str, str], ...]
    # Sent when none of the parts' fields is filled; it offers staff contact.
    unknown: str | None = None
    # Sent first whatever is filled (the documents' own answer).
    lead: str | None = None


ANSWERS = {
    "clinic_location": Answer(
        parts=(("address", "utter_clinic_address"), ("map_link", "utter_clinic_map_link")),
        unknown="utter_clinic_address_unknown",
    ),
    "clinic_hours": Answer(
        parts=(("opening_hours", "utter_clinic_hours"),), unknown="utter_clinic_hours_unknown"
    ),
    "clinic_contact": Answer(
        parts=(("phone", "utter_clinic_phone"), ("whatsapp", "utter_clinic_whatsapp")),
        unknown="utter_clinic_contact_unknown",
    ),
    "clinic_dermatologist": Answer(
        parts=(("dermatologist", "utter_clinic_dermatologist"),),
        unknown="utter_clinic_dermatologist_unknown",
    ),
    # The documents' cost answer already says the price is given at the consultation;
    # the clinic's notes, when there are any, follow it.
    "clinic_prices": Answer(
        parts=(("price_notes", "utter_clinic_price_notes"),), lead="utter_clinic_cost"
    ),
}


def details_path(env: Mapping[str, str] | None = None) -> Path:
    """content/clinic.yml, or the file CLINIC_DETAILS_PATH names."""
    env = os.environ if env is None else env
    return Path(env.get(PATH_VARIABLE) or CLINIC_DETAILS_PATH)


def parse_clinic_details(text: str) -> ClinicDetails:
    """The details from the file's YAML text.

    Read with BaseLoader so every value stays the text staff typed: a safe_load
    would turn an unquoted +923001234567 into a number and drop its "+".
    """
    raw = yaml.load(text, Loader=yaml.BaseLoader) or {}
    return ClinicDetails(**{f.name: (raw.get(f.name) or "").strip() for f in fields(ClinicDetails)})


@lru_cache(maxsize=4)
def _details_at(path: Path, modified_ns: int, size: int) -> ClinicDetails:
    return parse_clinic_details(path.read_text(encoding="utf-8"))


def load_clinic_details(path: Path | None = None) -> ClinicDetails:
    """The current details: read again only when the file has changed."""
    path = path or details_path()
    # The size too: two writes within one clock tick can leave the same mtime.
    stat = path.stat()
    return _details_at(path, stat.st_mtime_ns, stat.st_size)


def responses_for(intent: str, details: ClinicDetails) -> list[str]:
    """The responses that answer `intent` from `details`, in the order they are sent."""
    answer = ANSWERS[intent]
    known = [response for field, response in answer.parts if getattr(details, field)]
    lead = [answer.lead] if answer.lead else []
    if known or answer.unknown is None:
        return lead + known
    return lead + [answer.unknown]


class ActionAnswerClinicDetails(Action):
    """Answers a question about the clinic itself from content/clinic.yml."""

    def name(self) -> str:
        return "action_answer_clinic_details"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        details = load_clinic_details()
        for response in responses_for(intent, details):
            dispatcher.utter_message(response=response, **details.template_values())
        return []
