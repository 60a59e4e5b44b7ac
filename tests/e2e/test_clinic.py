"""Questions about the clinic itself, over REST, with the shipped content/clinic.yml.

Only the name, city and dermatologist are filled in there: every other question gets
the documents' answer or an honest "I don't have that here" with the staff offer.
"""

from actions.clinic import ANSWERS, load_clinic_details, responses_for
from tests.content_files import REPO_ROOT, domain_responses, load_yaml
from tests.e2e.conversation import response_text

QUESTIONS = load_yaml(REPO_ROOT / "tests" / "data" / "clinic_questions.yml")["questions"]
MIN_ACCURACY = 0.95


def expected_texts(intent: str) -> list[str]:
    """What the shipped file makes the bot say for `intent`."""
    values = load_clinic_details().template_values()
    return [response_text(name, **values) for name in responses_for(intent, load_clinic_details())]


def test_questions_about_the_clinic_get_their_answer(bot, sender):
    misses = []
    for number, row in enumerate(QUESTIONS):
        replies = bot.send(f"{sender}-{number}", row["text"])
        if [r.get("text") for r in replies] != expected_texts(row["intent"]):
            misses.append((row["text"], [r.get("text") for r in replies]))
    assert {row["intent"] for row in QUESTIONS} == set(ANSWERS)
    assert 1 - len(misses) / len(QUESTIONS) >= MIN_ACCURACY, misses


def test_without_an_address_the_city_and_the_staff_offer(bot, sender):
    (reply,) = bot.send(sender, "where exactly is your clinic located?")
    assert reply["text"].startswith(
        "The Face Clinic is in Multan, Pakistan. I don't have the full address here"
    )
    assert [b["payload"] for b in reply["buttons"]] == ["/request_human"]


def test_the_staff_offer_starts_a_hand_off(bot, sender):
    (reply,) = bot.send(sender, "what are your opening times?")
    assert reply["text"] == expected_texts("clinic_hours")[0]
    replies = bot.send(sender, reply["buttons"][0]["payload"])
    assert [r["text"] for r in replies] == [
        response_text("utter_handoff_human_requested"),
        response_text("utter_ask_contact_form_contact_name"),
    ]


def test_a_cost_question_gets_the_documents_answer_only(bot, sender):
    (reply,) = bot.send(sender, "how much does a microneedling session cost here?")
    cost = domain_responses()["utter_clinic_cost"][0]
    assert reply["text"] == cost["text"]
    assert [b["payload"] for b in reply["buttons"]] == ["/book_consultation"]
