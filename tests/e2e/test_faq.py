"""People ask about the treatment in their own words and get the clinic's answer."""

from tests.content_files import REPO_ROOT, faq_answer, load_yaml

QUESTIONS = load_yaml(REPO_ROOT / "tests" / "data" / "faq_questions.yml")["questions"]


MIN_ACCURACY = 0.95


def test_paraphrased_questions_get_the_right_answer(bot, sender):
    """Each question in a fresh conversation; at least 95% must get exactly their answer."""
    misses = []
    for number, row in enumerate(QUESTIONS):
        replies = bot.send(f"{sender}-{number}", row["text"])
        if [r.get("text") for r in replies] != [faq_answer(row["topic"])]:
            misses.append(row["text"])
    accuracy = 1 - len(misses) / len(QUESTIONS)
    assert len(QUESTIONS) >= 60
    assert accuracy >= MIN_ACCURACY, f"{accuracy:.1%}; answered wrongly: {misses}"


def test_greeting_introduces_the_assistant_with_suggestions(bot, sender):
    (reply,) = bot.send(sender, "hello there")
    assert "automated assistant" in reply["text"]
    assert {b["payload"] for b in reply["buttons"]} >= {"/start_screening"}


def test_asking_if_it_is_a_bot_gets_an_honest_answer_and_offers_staff(bot, sender):
    (reply,) = bot.send(sender, "am I talking to a real person?")
    assert "automated assistant" in reply["text"]
    assert [b["payload"] for b in reply["buttons"]] == ["/request_human"]


def test_out_of_scope_question_is_politely_redirected(bot, sender):
    (reply,) = bot.send(sender, "what's the weather like in Paris tomorrow?")
    assert reply["text"].startswith("Sorry, I can only help with questions about microneedling")


def test_goodbye_and_thanks(bot, sender):
    assert "You're welcome" in bot.send(sender, "thanks a lot")[0]["text"]
    assert "Take care" in bot.send(sender, "bye for now")[0]["text"]


def test_no_to_anything_else_ends_the_conversation_instead_of_asking_again(bot, sender):
    (asked,) = bot.send(sender, "no")
    assert asked["text"] == "Is there anything else I can help you with?"
    assert "Take care" in bot.send(sender, "no")[0]["text"]


def test_gibberish_asks_to_rephrase_then_offers_staff(bot, sender):
    first = bot.send(sender, "blorp zzkq wibble fnord")
    assert first[0]["text"].startswith("Sorry, I didn't quite understand")
    assert "/start_screening" in {b["payload"] for b in first[0]["buttons"]}
    second = bot.send(sender, "qwxz plonk vrrrm")
    assert second[0]["text"].startswith("I'm sorry, I still couldn't understand")
    assert [b["payload"] for b in second[0]["buttons"]] == ["/request_human", "/deny"]


def test_the_conversation_carries_on_after_a_misunderstanding(bot, sender):
    bot.send(sender, "blorp zzkq wibble fnord")
    replies = bot.send(sender, "how long does a session take?")
    assert [r["text"] for r in replies] == [faq_answer("duration")]
