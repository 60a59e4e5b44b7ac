"""Reading contact details and names from what people type: a table, then properties."""

from pathlib import Path

import phonenumbers
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from actions.contact_details import is_decline, is_stop, parse_name
from clinic_store.contact_parsing import parse_contact
from tests.content_files import contact_formats

REGIONS = ("PK", "GB")


CONTACT_FORMATS = contact_formats()

NOT_CONTACT_DETAILS = ["tomorrow afternoon", "12", "no thanks", "sam at example", "@", "😀", ""]


@pytest.mark.parametrize(("text", "phone", "email"), CONTACT_FORMATS)
def test_contact_formats(text, phone, email):
    contact = parse_contact(text, REGIONS)
    assert (contact.phone, contact.email) == (phone, email)


@pytest.mark.parametrize("text", NOT_CONTACT_DETAILS)
def test_replies_without_contact_details(text):
    assert not parse_contact(text, REGIONS)


def test_the_regions_decide_how_a_national_number_is_read():
    assert parse_contact("0300 1234567", ("GB",)).phone == "+443001234567"  # UK 03 number
    # A mobile wins over a UK non-geographic number or a Pakistani landline.
    assert parse_contact("0300 1234567", ("GB", "PK")).phone == "+923001234567"
    assert parse_contact("07456 123456", ("PK", "GB")).phone == "+447456123456"
    assert parse_contact("0321 7654321", ("GB", "PK")).phone == "+923217654321"  # only PK
    assert parse_contact("061 4512345", ("PK", "GB")).phone == "+92614512345"  # Multan landline


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Jo Bloggs", "Jo Bloggs"),
        ("Sarah Jones", "Sarah Jones"),
        ("my name is Sarah Jones", "Sarah Jones"),
        ("my name is sarah jones", "Sarah Jones"),
        ("it's Jo", "Jo"),
        ("It’s Jo", "Jo"),
        ("I'm Ann", "Ann"),
        ("i am Ann Smith", "Ann Smith"),
        ("this is Sam here", "Sam"),
        ("Sam, thanks", "Sam"),
        ("Will Smith", "Will Smith"),
        ("Zoë O'Neill-Brown", "Zoë O'Neill-Brown"),
        ("Muhammad Ali Khan", "Muhammad Ali Khan"),
        ("McDonald", "McDonald"),
        ("Sarah.", "Sarah"),
        ("it's Ali, Ali Raza", "Ali Raza"),  # the fuller name given after the first
        ("you can use Hina, thanks", "Hina"),
        ("put me down as Farah Iqbal", "Farah Iqbal"),
        ("Sana Malik pls", "Sana Malik"),
        ("Ann, Jo Smith", "Ann"),
        # A longer reply that speaks of a name, the name in a clause of its own.
        ("can you put the booking under my sister's name, Amna Tariq", "Amna Tariq"),
    ],
)
def test_names(text, name):
    assert parse_name(text) == name


@pytest.mark.parametrize(
    "text",
    [
        "yes",
        "no",
        "help",
        "stop",
        "why do you need my name",
        "not sure",
        "no thanks",
        "hello there",
        "I want to talk to a person",
        "can I speak to someone",
        "😀",
        "07700 900123",
        "my number is 07700 900777",
        "sarah@example.com",
        "I have an infection",
        "actually my face has pus and yellow crusts since the treatment",
        "actually my face is swollen",
        "what does microneedling cost",
        "why do you need my name and what will you do with it",
        "12345",
        "",
    ],
)
def test_replies_that_are_not_names(text):
    assert parse_name(text, parse_contact(text, REGIONS)) is None


def test_a_name_beside_contact_details_is_found():
    text = "Sarah Jones, 07700 900888"
    assert parse_name(text, parse_contact(text, REGIONS)) == "Sarah Jones"
    text = "I'm Ali and my number is 0300 1234567"
    assert parse_name(text, parse_contact(text, REGIONS)) == "Ali"
    text = "ann@gmail.com - Ann Smith"
    assert parse_name(text, parse_contact(text, REGIONS)) == "Ann Smith"


@pytest.mark.parametrize(
    "text",
    ["I'd rather not", "I’d rather not say", "no thanks", "skip", "Skip.", "prefer not to say"],
)
def test_declines(text):
    assert is_decline(text)


@pytest.mark.parametrize("text", ["Sarah", "07700 900123", "no idea what you mean", "stop"])
def test_not_declines(text):
    assert not is_decline(text)


@pytest.mark.parametrize("text", ["stop", "Stop!", "cancel", "never mind", "I want to stop"])
def test_stops(text):
    assert is_stop(text)


@pytest.mark.parametrize("text", ["Sarah", "no", "don't stop the treatment", "stop sign"])
def test_not_stops(text):
    assert not is_stop(text)


REALISTIC = st.sampled_from(
    [c[0] for c in CONTACT_FORMATS] + ["Jo Bloggs", "my name is", "+", "00", "0", "(", "@@"]
)
ANY_TEXT = st.one_of(st.text(max_size=80), REALISTIC, st.lists(REALISTIC).map(" ".join))


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT, st.sampled_from([("PK", "GB"), ("GB",), ("US", "PK"), ("PK",)]))
def test_contact_parsing_never_fails_and_every_number_is_e164(text, regions):
    contact = parse_contact(text, regions)
    for phone in contact.phones:
        number = phonenumbers.parse(phone)
        assert phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == phone
        assert phonenumbers.is_possible_number(number)
    assert all("@" in email for email in contact.emails)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_names_are_never_contact_details_and_never_long(text):
    name = parse_name(text, parse_contact(text, REGIONS))
    is_decline(text), is_stop(text)  # never raise either
    if name is not None:
        assert not any(ch.isdigit() for ch in name) and "@" not in name
        assert 1 <= len(name.split()) <= 4 and len(name) <= 100


URDU_TABLE = Path(__file__).resolve().parents[1] / "data" / "urdu_contact_replies.yml"
URDU_REPLIES = yaml.safe_load(URDU_TABLE.read_text(encoding="utf-8"))["replies"]


def test_the_urdu_table_has_phones_names_declines_and_stops():
    assert len(URDU_REPLIES) >= 10
    assert all(
        any(row.get(key) for row in URDU_REPLIES) for key in ("phone", "name", "decline", "stop")
    )


@pytest.mark.parametrize("text", ["Ji Yeon", "Nam", "Mai", "Han"])
def test_urdu_lead_ins_and_answer_words_leave_names_that_are_the_same_words(text):
    assert parse_name(text) == text


@pytest.mark.parametrize("row", URDU_REPLIES, ids=[row["text"] for row in URDU_REPLIES])
def test_urdu_replies(row):
    contact = parse_contact(row["text"], REGIONS)
    assert contact.phone == row["phone"]
    assert parse_name(row["text"], contact) == row["name"]
    assert is_decline(row["text"]) == row.get("decline", False)
    assert is_stop(row["text"]) == row.get("stop", False)
