"""Drive the questionnaire through the REST channel the way a patient would."""

from actions.booking_details import load_booking_content
from actions.questionnaire import load_questionnaire
from tests.content_files import domain_responses
from tests.servers import RunningBot

QUESTIONS = {
    variations[0]["text"]: name.removeprefix("utter_ask_screening_form_")
    for name, variations in domain_responses().items()
    if name.startswith("utter_ask_screening_form_")
}

# The booking questions (content/booking.yml): text -> slot.
BOOKING_QUESTIONS = {q.text: slot for slot, q in load_booking_content().questions.items()}


def response_text(name: str, **values: str) -> str:
    """The text of a domain response, with its {placeholders} filled in."""
    return domain_responses()[name][0]["text"].format(**values)


def asked_slot(replies: list[dict]) -> str | None:
    """The questionnaire slot the bot's last reply asks for, if any."""
    return QUESTIONS.get(replies[-1].get("text", "")) if replies else None


def run_questionnaire(
    bot: RunningBot,
    sender: str,
    answers: dict[str, str],
    opening: str = "can I have microneedling?",
) -> tuple[list[dict], list[str]]:
    """Answer every question, tapping the button titles given in `answers` (default "No").

    Returns the replies after the last answer and the slots asked, in order.
    """
    replies = bot.send(sender, opening)
    asked = []
    while (slot := asked_slot(replies)) is not None:
        asked.append(slot)
        replies = bot.send(sender, answers.get(slot, "No"))
        assert len(asked) <= len(load_questionnaire().slots), "the questionnaire does not end"
    return replies, asked
