"""The clinic's page in a real headless Chromium, against the bot `make run` starts.

Needs Debian's Chromium at /usr/bin/chromium (`make browser`, a dependency of
`make test`); Playwright only drives it, it never downloads a browser. Screenshots
go to tests/screenshots/ (git-ignored).
"""

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect, sync_playwright

from actions.questionnaire import load_questionnaire
from clinic_store.staff_users import StaffUsers
from tests.browser import launch
from tests.content_files import faq_answer
from tests.e2e.conversation import response_text
from tests.servers import REPO_ROOT, RunningBot

SCREENSHOTS = REPO_ROOT / "tests" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 667}
# Replies can wait on the action server and on the widget's display delay.
TIMEOUT_MS = 30_000
REFERENCE = re.compile(r"\bMN-[A-Z0-9]{6}\b")

expect.set_options(timeout=TIMEOUT_MS)


class ChatPage:
    """The clinic page, used the way a visitor uses it: typing, tapping, reading."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.hosts: set[str] = set()
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("response", lambda response: self.hosts.add(urlsplit(response.url).hostname))

    @property
    def message_box(self) -> Locator:
        return self.page.get_by_role("textbox", name="Your message")

    def say(self, text: str) -> None:
        self.message_box.fill(text)
        self.message_box.press("Enter")

    def choose(self, title: str) -> None:
        """Tap a quick-reply button of the latest message."""
        self.page.locator(".rw-replies").last.get_by_role("button", name=title, exact=True).click()

    def expect_reply(self, text: str | re.Pattern) -> Locator:
        reply = self.page.locator(".rw-response").filter(has_text=text).last
        expect(reply).to_be_visible()
        return reply

    def messages(self) -> list[str]:
        return self.page.locator(".rw-message").all_inner_texts()

    def screenshot(self, name: str) -> None:
        # Off every button, so none shows its hover colour as if it had been chosen.
        self.page.mouse.move(0, 0)
        SCREENSHOTS.mkdir(exist_ok=True)
        self.page.screenshot(path=SCREENSHOTS / f"{name}.png")


@pytest.fixture
def open_chat(tmp_path: Path) -> Iterator[Callable[..., ChatPage]]:
    """Opens a URL in Chromium with a fresh profile; options are Playwright context options."""
    with sync_playwright() as playwright:
        contexts = []

        def open_(url: str, **context_options: Any) -> ChatPage:
            context = launch(playwright, tmp_path / f"profile-{len(contexts)}", **context_options)
            contexts.append(context)
            page = context.pages[0] if context.pages else context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            chat = ChatPage(page)
            page.goto(url)
            return chat

        yield open_
        for context in contexts:
            context.close()


def test_faqs_questionnaire_and_reload_on_desktop(bot: RunningBot, open_chat) -> None:
    chat = open_chat(bot.webchat_url, viewport=DESKTOP)
    chat.expect_reply(response_text("utter_greet"))

    chat.say("what is microneedling?")
    chat.expect_reply(faq_answer("what_is"))
    chat.say("how long does a session take?")
    chat.expect_reply(faq_answer("duration"))
    chat.screenshot("webchat-desktop-faq")

    # Every question answered by its button: "Yes" to keloids (a flag), "No" to the rest.
    chat.say("can I have microneedling?")
    for item in load_questionnaire().items:
        chat.expect_reply(response_text(f"utter_ask_screening_form_{item.slot}"))
        if item.slot == "keloids":
            chat.screenshot("webchat-desktop-questionnaire")
        chat.choose("Yes" if item.slot == "keloids" else "No")
    chat.expect_reply(response_text("utter_screening_flagged"))
    chat.expect_reply(response_text("utter_ask_contact_form_contact_name"))
    chat.screenshot("webchat-desktop-flagged")

    name = "Sam Taylor"
    chat.say(name)
    chat.expect_reply(response_text("utter_ask_contact_form_contact_details", contact_name=name))
    chat.say("07700 900123")
    reference = REFERENCE.search(chat.expect_reply(REFERENCE).inner_text()).group(0)
    chat.screenshot("webchat-desktop-handoff")

    # After a reload the widget shows the same conversation, and Rasa continues it:
    # the hand-off raised before the reload is still open.
    shown = chat.messages()
    chat.page.reload()
    expect(chat.page.locator(".rw-message")).to_have_count(len(shown))
    assert chat.messages() == shown
    chat.say("can I have microneedling?")
    chat.expect_reply(response_text("utter_handoff_already_open", handoff_reference=reference))
    chat.screenshot("webchat-desktop-reloaded")

    assert chat.hosts == {"127.0.0.1"}, "the page fetched something from elsewhere"
    assert chat.errors == []


def test_usable_on_a_phone_sized_screen(bot: RunningBot, open_chat) -> None:
    chat = open_chat(bot.webchat_url, viewport=PHONE, is_mobile=True, has_touch=True)
    chat.expect_reply(response_text("utter_greet"))
    chat.choose("What is microneedling?")
    chat.expect_reply(faq_answer("what_is"))

    # A long answer keeps its "- " lines as separate, readable lines.
    chat.say("what are the side effects?")
    lines = faq_answer("side_effects").splitlines()
    bullets = [line for line in lines if line.startswith("- ")]
    expect(chat.expect_reply(lines[0]).locator("li")).to_have_count(len(bullets))

    expect(chat.message_box).to_be_in_viewport(ratio=1)
    scroll_width = chat.page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], "the page scrolls sideways"
    chat.screenshot("webchat-phone")
    assert chat.errors == []


def test_quick_replies_work_from_the_keyboard(bot: RunningBot, open_chat) -> None:
    chat = open_chat(bot.webchat_url, viewport=DESKTOP)
    chat.expect_reply(response_text("utter_greet"))
    chat.page.get_by_role("button", name="Aftercare", exact=True).press("Enter")
    chat.expect_reply(faq_answer("aftercare").splitlines()[0])
    assert chat.errors == []


def test_staff_take_over_the_chat_from_the_console(bot: RunningBot, open_chat) -> None:
    """Two browsers: a patient in the widget, a member of staff in the console."""
    username, password = "kim.ahmed", "correct horse battery"
    StaffUsers(bot.database_url).create(username, password)
    patient = open_chat(bot.webchat_url, viewport=DESKTOP)
    patient.expect_reply(response_text("utter_greet"))
    patient.say("can I speak to a real person please")
    patient.expect_reply(response_text("utter_ask_contact_form_contact_name"))
    patient.say("Sam Taylor")
    patient.expect_reply(
        response_text("utter_ask_contact_form_contact_details", contact_name="Sam Taylor")
    )
    patient.say("07700 900123")
    reference = REFERENCE.search(patient.expect_reply(REFERENCE).inner_text()).group(0)

    console = open_chat(f"{bot.console_url}/login", viewport=DESKTOP).page
    console.get_by_label("Username").fill(username)
    console.get_by_label("Password").fill(password)
    console.get_by_role("button", name="Log in").click()
    console.get_by_role("link", name=reference).click()
    console.get_by_role("button", name="Claim and take over").click()
    expect(console.get_by_text("holds this conversation")).to_be_visible()

    # The bot is silent; what the patient writes appears in the console without a reload.
    replies_before = patient.page.locator(".rw-response").count()
    patient.say("hello, is someone there?")
    transcript = console.locator("#transcript li.user").filter(has_text="is someone there?")
    expect(transcript).to_be_visible()
    console.get_by_label(re.compile("Write to the patient")).fill("Hi Sam, this is Kim.")
    console.get_by_role("button", name="Send").click()
    patient.expect_reply("Hi Sam, this is Kim.")
    assert patient.page.locator(".rw-response").count() == replies_before + 1  # no bot reply
    patient.say("thank you Kim")
    expect(console.locator("#transcript li.user").filter(has_text="thank you Kim")).to_be_visible()
    patient.screenshot("webchat-staff-reply")
    SCREENSHOTS.mkdir(exist_ok=True)
    console.screenshot(path=SCREENSHOTS / "console-take-over.png", full_page=True)

    # After a reload the staff message is still in the widget.
    patient.page.reload()
    patient.expect_reply("Hi Sam, this is Kim.")

    console.get_by_role("button", name="Resolve").click()
    patient.expect_reply(response_text("utter_assistant_back"))
    patient.say("how long does a session take?")
    patient.expect_reply(faq_answer("duration"))
    assert patient.errors == []
