"""What people write, and what the bot answers, never reaches the logs at INFO level.

`make run` logs every process (Rasa, actions, console, web chat) at INFO into one
stream; the test bot writes it to `bot.log_path`.
"""

import re
import uuid

from tests.content_files import faq_answer
from tests.servers import eventually

REFERENCE = re.compile(r"\bMN-[A-Z0-9]{6}\b")


def test_messages_and_contact_details_are_not_logged(bot, sender, staff_webhook):
    marker = f"zq{uuid.uuid4().hex[:10]}"
    bot.send(sender, f"does the {marker} treatment hurt?")
    assert bot.send(sender, "how long does a session take?")[0]["text"] == faq_answer("duration")

    handoff = f"{sender}-handoff"
    bot.send(handoff, "can I speak to a real person please")
    bot.send(handoff, f"Sam {marker}")
    (reply,) = bot.send(handoff, f"{marker}@example.org")
    reference = REFERENCE.search(reply["text"]).group(0)
    # The console has sent the staff notification, so its side is in the log too.
    eventually(lambda: [p for p in staff_webhook.received if p["reference"] == reference])

    log = bot.log_path.read_text(errors="replace")
    assert marker not in log
    assert faq_answer("duration") not in log
    assert reply["text"] not in log
