"""content/booking.yml: every area and concern offered is one the clinic's documents name."""

import string

import pytest

from actions.booking_details import BOOKING_PATH, BOOKING_SLOTS, load_booking_content
from tests.content_files import SEEDS_DIR, load_yaml

RAW = load_yaml(BOOKING_PATH)
CONTENT = load_booking_content()
# The words of each option that the documents use for it (the rest are patients' words).
DOCUMENTED = {
    "booking_area": {
        "face": "face",
        "neck": "neck",
        "hands": "hands",
        "chest": "chest",
        "back": "back",
    },
    "booking_concern": {
        "acne_scars": "acne scars",
        "fine_lines": "fine lines",
        "pigmentation": "pigmentation",
        "pores": "pores",
        "stretch_marks": "stretch marks",
    },
}


def seeds(names: list[str]) -> str:
    return " ".join((SEEDS_DIR / name).read_text(encoding="utf-8").lower() for name in names)


def test_the_file_has_the_forms_questions_in_order():
    assert tuple(CONTENT.questions) == BOOKING_SLOTS


@pytest.mark.parametrize("slot", sorted(DOCUMENTED))
def test_every_option_but_other_is_named_by_the_cited_documents(slot):
    entry = RAW["questions"][slot]
    text = seeds(entry["sources"])
    options = set(entry["options"]) - {"other"}
    assert options == set(DOCUMENTED[slot])
    for key, wording in DOCUMENTED[slot].items():
        assert wording in text, f"{key}: '{wording}' is in none of {entry['sources']}"
    assert "other" in entry["options"]


def test_no_word_belongs_to_two_options_of_one_question():
    for question in CONTENT.questions.values():
        words = [w for option in question.options for w in option.words]
        assert len(words) == len(set(words)), question.slot


def test_the_confirmation_uses_only_the_placeholders_it_is_given():
    fields = {f for _, f, _, _ in string.Formatter().parse(CONTENT.confirmation) if f}
    assert fields <= {"day", "time", "clinic", "address", "reference"}
    assert {f for _, f, _, _ in string.Formatter().parse(CONTENT.confirmation_note) if f} == {
        "note"
    }
    assert "cleared" not in CONTENT.confirmation.lower()
