"""The language of a patient's message and the reply language they ask for."""

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from clinic_nlp.language import (
    conversation_languages,
    detect_language,
    load_language_words,
    requested_reply_language,
    written_language,
)
from clinic_nlp.language_components import LanguageExtractor, LanguageSwitchOverride

ENGLISH = [
    "does it hurt?",
    "What is microneedling?",
    "Can you tell me how long it takes?",
    "I want to book a consultation",
    "Send me the price list please",
    "How long do I have to wait to wear makeup?",
    "he said it would be fine to go to the gym",
    "Is it safe for me to do it at home?",
    "My sister told me to ask about aftercare",
    "Give it to me straight, is it painful?",
    "He is pregnant? no, I mean my wife is pregnant",
    "I had it done 3 days ago, can I wear makeup now?",
    "Me and my friend want to come in",
    "talk to a human",
    "so is it ok to use retinol after?",
    "what are the side effects",
    "Is there any downtime after the treatment?",
    "Assalam o alaikum, where is your clinic in Multan exactly?",
    "Salam, how long does a session take?",
    # Glossary words English uses too (content/urdu_gloss.yml's also_english).
    "I had a bad day and my face is red, is that normal?",
    "my main worry is the pain",
    "can I go to the salon in a week",
]
ROMAN_URDU = [
    "kya is mein dard hota hai?",
    "mujhe acne scars hain",
    "dard hai?",
    "price kya hai",
    "microneedling ka kitna kharcha hai",
    "kal karwaya tha, ab makeup laga sakti hoon?",
    "aap ka clinic kahan hai",
    "mera chehra bohat red ho gaya hai",
    "shukriya",
    "Assalam o alaikum",
    "nahi mujhe koi skin problem nahi",
    "kitne sessions chahiye honge",
    "is it safe? mujhe darr lagta hai",
    "theek hai",
    "doctor sahab se baat karni hai",
    # Words of the Urdu glossary only, none in languages.yml's own list.
    "farq kab nazar aayega",
    "aapka clinic kis jagah pe hai",
]
URDU = [
    "کیا اس میں درد ہوتا ہے؟",
    "السلام علیکم",
    "مائیکرونیڈلنگ کیا ہے؟",
    "میرا چہرہ سرخ ہو گیا ہے",
    "قیمت کتنی ہے",
    "کیا microneedling محفوظ ہے؟",
    "شکریہ",
    "مجھے acne scars ہیں",
    "آپ کا کلینک کہاں ہے",
    "اُردو",
]
# Names with a word of the Urdu glossary ("jo", "zara") say nothing either.
TOO_SHORT = [
    "Yes",
    "No",
    "Not sure",
    "ok",
    "0300 1234567",
    "1",
    "👍",
    "",
    "me too",
    "hi",
    "Jo Bloggs",
    "Zara Ahmed",
]


@pytest.fixture(scope="module")
def words():
    return load_language_words()


@pytest.mark.parametrize("text", ENGLISH)
def test_english_messages_stay_english_even_with_me_to_he(text, words):
    assert detect_language(text, words) == "en"


@pytest.mark.parametrize("text", ROMAN_URDU)
def test_roman_urdu_messages(text, words):
    assert detect_language(text, words) == "roman_ur"


@pytest.mark.parametrize("text", URDU)
def test_urdu_script_messages_even_mixed_with_english(text, words):
    assert detect_language(text, words) == "ur"


@pytest.mark.parametrize("text", TOO_SHORT)
def test_short_replies_say_nothing_about_the_language(text, words):
    assert detect_language(text, words) is None


@pytest.mark.parametrize(
    "text, language",
    [
        ("urdu", "ur"),
        ("Urdu mein", "ur"),
        ("urdu me please", "ur"),
        ("اردو میں", "ur"),
        ("اُردو میں جواب دیں", "ur"),
        ("mujhe urdu mein jawab chahiye", "ur"),
        ("can you reply in Urdu?", "ur"),
        ("English please", "en"),
        ("in English", "en"),
        ("english", "en"),
        ("Can you switch back to English?", "en"),
        ("انگریزی میں", "en"),
    ],
)
def test_switch_phrases(text, language, words):
    assert requested_reply_language(text, words) == language


@pytest.mark.parametrize(
    "text",
    [
        "does the doctor speak urdu and english?",
        "is the aftercare leaflet in english?",
        "kya is mein dard hota hai?",
        "what is microneedling?",
        "urdu english",
    ],
)
def test_messages_that_only_name_a_language_do_not_switch(text, words):
    assert requested_reply_language(text, words) is None


def test_the_extractor_adds_only_the_requested_reply_language():
    switch, question = Message(data={TEXT: "urdu mein"}), Message(data={TEXT: "does it hurt?"})
    LanguageExtractor().process([switch, question])
    assert [(e["entity"], e["value"]) for e in switch.get(ENTITIES)] == [("reply_language", "ur")]
    assert not question.get(ENTITIES)


def test_the_written_language_is_that_of_the_latest_message_long_enough_to_tell():
    events = [
        {"event": "user", "text": "کیا اس میں درد ہوتا ہے؟"},
        {"event": "bot", "text": "Microneedling is generally well tolerated."},
        {"event": "user", "text": "Yes"},  # too short to tell
    ]
    assert written_language(events) == "ur"
    events.append({"event": "user", "text": "and how long does a session take?"})
    assert written_language(events) == "en"
    assert written_language([]) is None
    slots = conversation_languages({"reply_language": "ur"}, events)
    assert slots == {"reply_language": "ur", "language": "en"}


def test_a_switch_phrase_becomes_switch_language_whatever_was_classified():
    switch = Message(data={TEXT: "English please", INTENT: {"name": "thank", "confidence": 0.6}})
    question = Message(data={TEXT: "does it hurt?", INTENT: {"name": "faq", "confidence": 0.9}})
    LanguageSwitchOverride({}).process([switch, question])
    assert switch.get(INTENT)["name"] == "switch_language"
    assert switch.get("classified_intent")["name"] == "thank"
    assert question.get(INTENT)["name"] == "faq"
