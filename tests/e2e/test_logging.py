"""What people write, and what the bot answers, never reaches the logs at INFO level.

`make run` logs every process (Rasa, actions, console, web chat) at INFO into one
stream; the test bot writes it to `bot.log_path`.
"""

import re
import uuid

from tests.content_files import faq_answer
from tests.servers import eventually

REFERENCE = re.compile(r"\bMN-[A-Z0-9]{6}\b")
DIGITS_TO_LETTERS = str.maketrans("0123456789", "ghijklmnop")


def test_messages_and_contact_details_are_not_logged(bot, sender, staff_webhook):
    # Letters only: a run of digits in the name would be read as a phone number.
    marker = "zq" + uuid.uuid4().hex[:10].translate(DIGITS_TO_LETTERS)
    bot.send(sender, f"does the {marker} treatment hurt?")
    assert bot.send(sender, "how long does a session take?")[0]["text"] == faq_answer("duration")

    handoff = f"{sender}-handoff"
    bot.send(handoff, "can I speak to a real person please")
    bot.send(handoff, f"Sam {marker}")
    replies = bot.send(handoff, f"{marker}@example.org")
    assert len(replies) == 1, replies
    (reply,) = replies
    assert (found := REFERENCE.search(reply["text"])), reply["text"]
    reference = found.group(0)
    # The console has sent the staff notification, so its side is in the log too.
    eventually(lambda: [p for p in staff_webhook.received if p["reference"] == reference])

    log = bot.log_path.read_text(errors="replace")
    assert marker not in log
    assert faq_answer("duration") not in log
    assert reply["text"] not in log
