"""Clinic details: answered from the file staff edit, never guessed when a detail is empty."""

from pathlib import Path

import pytest
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_sdk.executor import CollectingDispatcher

from actions.clinic import (
    CLINIC_DETAILS_PATH,
    PATH_VARIABLE,
    ActionAnswerClinicDetails,
    load_clinic_details,
    parse_clinic_details,
)
from tests.actions.trackers import domain_dict, make_tracker
from tests.servers import REPO_ROOT

FILLED = """
name: "The Face Clinic"
city: "Multan, Pakistan"
dermatologist: "Dr. Sayyam Azam"
address: "12 Example Road, Gulgasht Colony"
opening_hours: "Monday to Saturday, 11am to 7pm"
phone: +92 61 1234567
whatsapp: +923001234567
map_link: "https://maps.example.com/face-clinic"
price_notes: "A full-face session starts from PKR 15,000."
"""
DOCUMENTS_COST = (
    "The cost depends on the size of the area being treated, "
    "so we give you the exact price at your consultation."
)


@pytest.fixture
def filled_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "clinic.yml"
    path.write_text(FILLED, encoding="utf-8")
    monkeypatch.setenv(PATH_VARIABLE, str(path))
    return path


async def replies(intent: str) -> list[dict]:
    """What the person sees: the action's responses rendered by Rasa's own NLG."""
    dispatcher = CollectingDispatcher()
    await ActionAnswerClinicDetails().run(
        dispatcher, make_tracker("x", intent=intent), domain_dict()
    )
    nlg = TemplatedNaturalLanguageGenerator(Domain.load(str(REPO_ROOT / "domain")).responses)
    tracker = DialogueStateTracker("test-user", [])
    rendered = []
    for message in dispatcher.messages:
        values = {k: v for k, v in message.items() if k.startswith("clinic_")}
        rendered.append(await nlg.generate(message["response"], tracker, "rest", **values))
    return rendered


def texts(messages: list[dict]) -> list[str]:
    return [m["text"] for m in messages]


async def test_a_filled_file_gives_the_address_and_the_map(filled_file):
    assert texts(await replies("clinic_location")) == [
        "The Face Clinic is at 12 Example Road, Gulgasht Colony, Multan, Pakistan.",
        "Here it is on the map: https://maps.example.com/face-clinic",
    ]


async def test_a_filled_file_gives_the_hours(filled_file):
    assert texts(await replies("clinic_hours")) == [
        "The Face Clinic's opening hours: Monday to Saturday, 11am to 7pm."
    ]


async def test_numbers_keep_their_plus_and_spaces_even_unquoted(filled_file):
    assert texts(await replies("clinic_contact")) == [
        "You can call The Face Clinic on +92 61 1234567.",
        "You can message The Face Clinic on WhatsApp at +923001234567.",
    ]


async def test_price_notes_follow_the_documents_cost_answer(filled_file):
    cost, notes = await replies("clinic_prices")
    assert cost["text"] == DOCUMENTS_COST
    assert [b["payload"] for b in cost["buttons"]] == ["/book_consultation"]
    assert notes["text"] == "A full-face session starts from PKR 15,000."


async def test_without_price_notes_only_the_documents_cost_answer():
    assert texts(await replies("clinic_prices")) == [DOCUMENTS_COST]


@pytest.mark.parametrize(
    ("intent", "start"),
    [
        (
            "clinic_location",
            "The Face Clinic is in Multan, Pakistan. I don't have the full address",
        ),
        ("clinic_hours", "I don't have The Face Clinic's opening hours here."),
        ("clinic_contact", "I don't have The Face Clinic's phone or WhatsApp number here."),
    ],
)
async def test_an_empty_detail_is_not_guessed_and_staff_are_offered(intent, start):
    (reply,) = await replies(intent)
    assert reply["text"].startswith(start)
    assert [b["payload"] for b in reply["buttons"]] == ["/request_human"]


async def test_the_dermatologist_comes_from_the_documents():
    assert texts(await replies("clinic_dermatologist")) == [
        "The Face Clinic in Multan, Pakistan is run by dermatologist Dr. Sayyam Azam."
    ]


async def test_a_map_link_alone_is_sent_without_the_staff_offer(tmp_path, monkeypatch):
    path = tmp_path / "clinic.yml"
    shipped = CLINIC_DETAILS_PATH.read_text(encoding="utf-8")
    path.write_text(shipped.replace('map_link: ""', 'map_link: "https://maps.example.com/x"'))
    monkeypatch.setenv(PATH_VARIABLE, str(path))
    assert texts(await replies("clinic_location")) == [
        "Here it is on the map: https://maps.example.com/x"
    ]


def test_an_edit_is_read_on_the_next_question(filled_file):
    assert load_clinic_details().opening_hours == "Monday to Saturday, 11am to 7pm"
    filled_file.write_text(FILLED.replace("11am", "10.30am"), encoding="utf-8")
    assert load_clinic_details().opening_hours == "Monday to Saturday, 10.30am to 7pm"


def test_a_missing_or_null_value_is_an_empty_detail():
    details = parse_clinic_details('name: "The Face Clinic"\nphone:\n')
    assert (details.name, details.phone, details.address) == ("The Face Clinic", "", "")
