"""The benchmark's visitors stay on the bot's happy path whatever they are drawn to say.

The load client does not read replies, so every sentence it may send must get
the answer the script expects: an FAQ question its FAQ answer (not another
answer, not a hand-off to staff), small talk its own reply.
"""

import asyncio
import random

import aiohttp

from bench.conversations import clinic_conversation, phrasings
from tests.content_files import domain_responses, faq_answer

SMALL_TALK_REPLIES = {
    "greet": "utter_greet",
    "bot_challenge": "utter_iamabot",
    "thank": "utter_thank",
    "goodbye": "utter_goodbye",
}
# Fresh conversations checked at once: enough to be quick, few enough not to time out.
CONCURRENT_CHECKS = 4


def _with_each_opener_and_closer(pools, question: str) -> list[str]:
    # The load draws an opener and a closer for each question (all pairs: 2,000+
    # sentences, 100 s of make test). Each opener and each closer is checked
    # with every question, the pairs of the two are not.
    return [
        *(f"{opener}{question}" for opener in pools.openers),
        *(f"{question}{closer}" for closer in pools.closers if closer),
    ]


def expected_replies() -> dict[str, str]:
    """Every question the load client may send with each of its openers and closers,
    and every small-talk sentence, with the reply it must get."""
    pools, responses = phrasings(), domain_responses()
    expected = {
        variant: faq_answer(topic)
        for question, topic in pools.faq
        for variant in _with_each_opener_and_closer(pools, question)
    }
    for intent, pool in pools.small_talk.items():
        expected.update(dict.fromkeys(pool, responses[SMALL_TALK_REPLIES[intent]][0]["text"]))
    return expected


async def replies_in_fresh_conversations(rasa_url: str, texts: list[str]) -> dict[str, list]:
    url = f"{rasa_url}/webhooks/rest/webhook"
    limit = asyncio.Semaphore(CONCURRENT_CHECKS)
    async with aiohttp.ClientSession() as session:

        async def reply(number: int, text: str) -> list:
            async with (
                limit,
                session.post(
                    url, json={"sender": f"phrasing-{number}", "message": text}
                ) as response,
            ):
                return [message.get("text") for message in await response.json()]

        replies = await asyncio.gather(*(reply(n, text) for n, text in enumerate(texts)))
    return dict(zip(texts, replies, strict=True))


async def test_every_sentence_the_load_may_send_gets_its_expected_reply(bot):
    expected = expected_replies()
    replies = await replies_in_fresh_conversations(bot.rasa_url, list(expected))
    wrong = {text: got for text, got in replies.items() if got != [expected[text]]}
    assert len(expected) > 500
    assert not wrong, f"{len(wrong)} of {len(expected)} off the happy path: {wrong}"


def test_a_drawn_conversation_reaches_the_goodbye_without_a_hand_off(bot, sender):
    responses = domain_responses()
    handoff_texts = {
        variations[0]["text"]
        for name, variations in responses.items()
        if name.startswith("utter_handoff")
    }
    replies = [bot.send(sender, text) for text in clinic_conversation(random.Random("test"))]
    texts = [message.get("text") for reply in replies for message in reply]
    assert not handoff_texts & set(texts)
    assert responses["utter_screening_clear"][0]["text"] in texts
    assert replies[-1][0]["text"] == responses["utter_goodbye"][0]["text"]


def test_conversations_are_drawn_anew_and_reproducibly():
    first = [clinic_conversation(random.Random("seed")) for _ in range(2)]
    rng = random.Random("seed")
    again = [clinic_conversation(rng) for _ in range(2)]
    assert first[0] == first[1] == again[0]
    assert again[1] != again[0]
    # Button answers are tapped, so they stay the same.
    assert again[0].count("No") == again[1].count("No") >= 9
