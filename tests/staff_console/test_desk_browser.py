"""A member of staff at the desk in headless Chromium (tests/browser.py): search and filter
the list, open the case from the bookmarked URL, and write an internal note."""

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.browser import launch
from tests.servers import REPO_ROOT
from tests.staff_console.conftest import PASSWORD, USERNAME, Console

SCREENSHOTS = REPO_ROOT / "tests" / "screenshots"
TIMEOUT_MS = 15_000


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Page]:
    with sync_playwright() as playwright:
        context = launch(playwright, tmp_path / "profile", viewport={"width": 1280, "height": 900})
        page = context.pages[0] if context.pages else context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page
        context.close()
        assert errors == []


def test_staff_search_filter_and_note_a_case_in_the_browser(console: Console, page: Page):
    family = "Qureshi"  # no other test of the console's session uses it
    flagged = console.raise_handoff(
        ["pregnancy"], channel="whatsapp", profile_name=f"Hina {family}"
    )
    console.add_events(
        flagged.conversation_id,
        ("user", {"text": "Can I have it done while breastfeeding?"}),
        (
            "bot",
            {"text": "Are you pregnant?", "data": {"buttons": [{"title": "Yes"}, {"title": "No"}]}},
        ),
    )
    urgent = console.raise_handoff(["post_treatment_concern"], contact_name=f"Omar {family}")

    page.goto(f"{console.url}/login")
    page.get_by_label("Username").fill(USERNAME)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("Search name, phone, reference or message text").fill(family)
    page.get_by_label("Screening flag").check()
    page.get_by_role("button", name="Search").click()

    expect(page.get_by_role("link", name=flagged.reference)).to_be_visible()
    expect(page.get_by_role("link", name=urgent.reference)).to_have_count(0)
    query = parse_qs(urlsplit(page.url).query)
    assert query["q"] == [family] and query["priority"] == ["screening"]

    # The same address later (a bookmark) shows the same list.
    bookmark = page.url
    page.goto(f"{console.url}/")
    page.goto(bookmark)
    expect(page.get_by_role("link", name=flagged.reference)).to_be_visible()
    expect(page.get_by_role("link", name=urgent.reference)).to_have_count(0)
    expect(page.get_by_label("Screening flag")).to_be_checked()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "console-desk-list.png")

    page.get_by_role("link", name=flagged.reference).click()
    page.get_by_label("Add an internal note").fill("Breastfeeding: ask Dr Ahmed before booking.")
    page.get_by_role("button", name="Add note").click()
    notes = page.locator("#notes li")
    expect(notes).to_have_count(1)
    expect(notes.first).to_contain_text("Breastfeeding: ask Dr Ahmed")
    expect(notes.first).to_contain_text(USERNAME)
    transcript = page.locator("#transcript")
    expect(transcript).to_contain_text("while breastfeeding?")
    expect(transcript.locator(".option")).to_have_text(["Yes", "No"])
    expect(transcript).not_to_contain_text("ask Dr Ahmed")
    page.wait_for_timeout(2500)  # one poll of the transcript: it keeps the options
    expect(transcript.locator(".option")).to_have_text(["Yes", "No"])
    page.screenshot(path=SCREENSHOTS / "console-desk.png", full_page=True)
