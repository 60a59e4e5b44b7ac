"""The scripted conversations the load client sends, one script per bot.

Each script is what one visitor types, in order; the load client sends it
message by message and does not look at the replies, so a script must follow
the bot's happy path by itself.
"""

from actions.questionnaire import load_questionnaire


def clinic_conversation() -> tuple[str, ...]:
    """This bot: small talk, FAQ questions and the questionnaire answered "No" throughout."""
    # One "No" per top-level question: follow-ups are only asked after a "yes",
    # so the questionnaire ends (clear) on the last "No".
    questionnaire = ("can I have microneedling?", *["No"] * len(load_questionnaire().items))
    return (
        "hi",
        "what is microneedling?",
        "does microneedling hurt?",
        "are you a robot?",
        *questionnaire,
        "how long is the recovery",
        "how many sessions will i need?",
        "thank you",
        "bye",
    )


# The stock bot only knows the intents `rasa init` ships with; the phrases are
# its own training examples, through its sad stories and its happy one. The
# "no" comes early: further into a conversation than its stories go, its TED
# policy answers a "no" with silence.
STOCK_CONVERSATION: tuple[str, ...] = (
    "hello",
    "my day was horrible",
    "no",
    "hi",
    "I am sad",
    "yes",
    "are you a bot?",
    "good morning",
    "I am feeling very good",
    "bye",
)
