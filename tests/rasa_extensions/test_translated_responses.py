"""Responses in the patient's language, and the one offer of Urdu to Roman Urdu writers."""

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_extensions.translated_responses import OFFER_MARK, TranslatedResponses
from tests.content_files import domain_responses

DOMAIN = Domain.load("domain")
ENGLISH = domain_responses()
OFFER = ENGLISH["utter_offer_urdu"][0]["text"]


def nlg(roman_urdu_reply: str = "en") -> TranslatedResponses:
    return TranslatedResponses(domain=DOMAIN, roman_urdu_reply=roman_urdu_reply)


# A first message written in each language ("hello" is too short to tell).
WRITTEN = {
    "en": "how long does a session take?",
    "roman_ur": "kya is mein dard hota hai",
    "ur": "کیا اس میں درد ہوتا ہے؟",
}


def tracker(*events, language: str | None = None, **slots) -> DialogueStateTracker:
    """A conversation whose person wrote in `language`, with these slots and events."""
    first = UserUttered(WRITTEN.get(language, "hello"))
    slot_events = [SlotSet(name, value) for name, value in slots.items()]
    return DialogueStateTracker.from_events(
        "patient", [first, *slot_events, *events], slots=DOMAIN.slots
    )


async def text(generator: TranslatedResponses, name: str, conversation, **kwargs) -> str:
    return (await generator.generate(name, conversation, "rest", **kwargs))["text"]


@pytest.mark.parametrize(
    "slots, language",
    [
        ({}, "en"),
        ({"language": "en"}, "en"),
        ({"language": "ur"}, "ur"),
        ({"language": "roman_ur", "reply_language": "en"}, "en"),
        ({"language": "en", "reply_language": "ur"}, "ur"),
        ({"language": "ur", "reply_language": "en"}, "en"),
        ({"language": "roman_ur", "reply_language": "ur"}, "ur"),
    ],
)
async def test_the_reply_is_in_the_language_asked_for_else_the_one_written(slots, language):
    greeting = await text(nlg(), "utter_greet", tracker(**slots))
    assert greeting.startswith("السلام علیکم") == (language == "ur")
    assert OFFER not in greeting


async def test_urdu_buttons_keep_the_english_payloads():
    response = await nlg().generate("utter_greet", tracker(language="ur"), "rest")
    assert [b["payload"] for b in response["buttons"]] == [
        b["payload"] for b in ENGLISH["utter_greet"][0]["buttons"]
    ]
    assert response["buttons"][0]["title"] == "مائیکرونیڈلنگ کیا ہے"


async def test_faq_answers_are_translated():
    answer = await text(nlg(), "utter_faq/makeup", tracker(language="ur"))
    assert "48 گھنٹے" in answer


async def test_a_variations_conditions_still_choose_among_the_urdu_texts():
    generator = nlg()
    asked = "utter_ask_contact_form_contact_details"
    with_name = await text(generator, asked, tracker(language="ur", contact_name="Ayesha"))
    without = await text(generator, asked, tracker(language="ur"))
    assert with_name.startswith("شکریہ، Ayesha۔")
    assert without.startswith("آپ سے رابطے")


async def test_roman_urdu_writers_get_the_clinics_choice_of_language():
    assert (await text(nlg("ur"), "utter_thank", tracker(language="roman_ur"))).startswith("آپ")
    english = await text(nlg("en"), "utter_thank", tracker(language="roman_ur"))
    assert english == f"{ENGLISH['utter_thank'][0]['text']}\n\n{OFFER}"


async def test_urdu_is_offered_once_per_conversation_even_with_several_replies_in_a_turn():
    generator = nlg()
    conversation = tracker(language="roman_ur")
    first = await generator.generate("utter_greet", conversation, "rest")
    second = await text(generator, "utter_anything_else", conversation)
    assert first["text"].endswith(OFFER) and first[OFFER_MARK] is True
    assert OFFER not in second
    later = tracker(
        BotUttered(first["text"], metadata={OFFER_MARK: True}),
        UserUttered("aur kya hai"),
        language="roman_ur",
    )
    assert OFFER not in await text(nlg(), "utter_greet", later)


async def test_no_offer_once_english_was_asked_for_or_urdu_is_the_reply():
    assert OFFER not in await text(
        nlg(), "utter_thank", tracker(language="roman_ur", reply_language="en")
    )
    assert OFFER not in await text(nlg("ur"), "utter_thank", tracker(language="roman_ur"))


async def test_a_response_with_no_translation_is_sent_in_english():
    generator = TranslatedResponses(domain=DOMAIN, translations={}, roman_urdu_reply="en")
    assert (
        await text(generator, "utter_thank", tracker(language="ur"))
        == (ENGLISH["utter_thank"][0]["text"])
    )


async def test_slot_values_fill_the_urdu_texts():
    reference = await text(
        nlg(),
        "utter_handoff_raised",
        tracker(language="ur"),
        handoff_reference="MN-123",
        contact_time="جلد",
    )
    assert "MN-123" in reference and "{" not in reference
