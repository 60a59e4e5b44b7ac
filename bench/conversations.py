"""The scripted conversations the load client sends, one script per bot.

A script is what one visitor types, in order, drawn with the random generator
the load client gives each simulated visitor (seeded, so runs repeat); the
client sends it message by message and does not look at the replies, so a
script must follow the bot's happy path by itself.

This bot's visitors word their questions and small talk differently from one
conversation to the next (bench/phrasings.yml): this bot remembers the
sentence embeddings of messages it has seen, so a script that repeats the same
sentences would never run its language model, as real visitors' new sentences
do. Button answers ("No") stay the same, as people tap the same buttons.
"""

import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from actions.questionnaire import load_questionnaire

PHRASINGS = Path(__file__).with_name("phrasings.yml")
FAQ_QUESTIONS = Path(__file__).parents[1] / "tests" / "data" / "faq_questions.yml"
FAQ_PER_CONVERSATION = 4
SMALL_TALK = ("greet", "bot_challenge", "thank", "goodbye")


@dataclass(frozen=True)
class Phrasings:
    """The pools visitors' messages are drawn from."""

    # (question, its expected FAQ topic)
    faq: tuple[tuple[str, str], ...]
    openers: tuple[str, ...]
    closers: tuple[str, ...]
    small_talk: dict[str, tuple[str, ...]]


@cache
def phrasings() -> Phrasings:
    pools = yaml.safe_load(PHRASINGS.read_text(encoding="utf-8"))
    excluded = set(pools["faq_excluded"])
    questions = yaml.safe_load(FAQ_QUESTIONS.read_text(encoding="utf-8"))["questions"]
    return Phrasings(
        faq=tuple((q["text"], q["topic"]) for q in questions if q["text"] not in excluded),
        openers=tuple(pools["faq_openers"]),
        closers=tuple(pools["faq_closers"]),
        small_talk={intent: tuple(pools["small_talk"][intent]) for intent in SMALL_TALK},
    )


def clinic_conversation(rng: random.Random) -> tuple[str, ...]:
    """This bot: small talk, FAQ questions and the questionnaire answered "No" throughout."""
    pools = phrasings()
    faq = [
        f"{rng.choice(pools.openers)}{question}{rng.choice(pools.closers)}"
        for question, _ in rng.sample(pools.faq, FAQ_PER_CONVERSATION)
    ]
    said = {intent: rng.choice(pool) for intent, pool in pools.small_talk.items()}
    # One "No" per top-level question: follow-ups are only asked after a "yes",
    # so the questionnaire ends (clear) on the last "No".
    questionnaire = ("can I have microneedling?", *["No"] * len(load_questionnaire().items))
    return (
        said["greet"],
        faq[0],
        faq[1],
        said["bot_challenge"],
        *questionnaire,
        faq[2],
        faq[3],
        said["thank"],
        said["goodbye"],
    )


# The stock bot only knows the intents `rasa init` ships with; the phrases are
# its own training examples, through its sad stories and its happy one. The
# "no" comes early: further into a conversation than its stories go, its TED
# policy answers a "no" with silence. It caches nothing, so the same script
# every time costs it as much as new sentences would.
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


def stock_conversation(_rng: random.Random) -> tuple[str, ...]:
    """The stock bot: the same script every time."""
    return STOCK_CONVERSATION
