"""The console as a desk, as staff use it in a browser (a real server: conftest.py): search
and filters in the URL, reopen, assign, internal notes, contact edits, the screening-flag
label, the WhatsApp profile name and the options the bot offered."""

import re
import uuid

import requests

from tests.staff_console.conftest import COLLEAGUE, Console, csrf_token
from tests.staff_console.test_api import api
from tests.staff_console.test_console import list_card


def post(staff: requests.Session, console: Console, path: str, **form: str) -> requests.Response:
    """A form on the case's page, submitted with its CSRF token."""
    page = staff.get(f"{console.url}/", timeout=10).text
    return staff.post(
        f"{console.url}{path}",
        data={"csrf_token": csrf_token(page), **form},
        allow_redirects=False,
        timeout=10,
    )


def listing(staff: requests.Session, console: Console, **params) -> str:
    return staff.get(f"{console.url}/", params=params, timeout=10).text


def test_search_and_filters_combine_and_stay_in_the_url(console: Console, staff):
    surname = f"Tariq{uuid.uuid4().hex[:6]}"
    urgent = console.raise_handoff(["post_treatment_concern"], contact_name=f"Sana {surname}")
    flagged = console.raise_handoff(
        ["pregnancy"], channel="whatsapp", contact_name=f"Sana {surname}"
    )
    other = console.raise_handoff(["pregnancy"], contact_name="Someone Else")
    console.add_messages(other.conversation_id, ("user", f"my friend {surname} sent me"))

    everyone = listing(staff, console, q=surname.lower())
    assert all(h.reference in everyone for h in (urgent, flagged, other))
    assert everyone.index(urgent.reference) < everyone.index(flagged.reference)

    bookmarked = listing(staff, console, q=surname, priority="screening", channel="whatsapp")
    assert flagged.reference in bookmarked
    assert urgent.reference not in bookmarked and other.reference not in bookmarked
    # The form shows the search it made, so staff see (and bookmark) what they asked for.
    assert f'value="{surname}"' in bookmarked
    assert re.search(r'value="screening" checked', bookmarked)
    assert re.search(r'value="whatsapp" checked', bookmarked)
    assert "q=" + surname in bookmarked  # the status links keep the search

    phone = console.raise_handoff(["human_requested"], contact_phone="+923001234599")
    assert phone.reference in listing(staff, console, q="0300 1234599")
    assert "No case matches" in listing(staff, console, q=f"nobody {uuid.uuid4().hex}")
    bad = staff.get(f"{console.url}/", params={"priority": "soon"}, allow_redirects=False)
    assert bad.status_code == 303 and bad.headers["Location"] == "/"


def test_a_resolved_case_is_reopened_back_onto_the_open_list(console: Console, staff):
    handoff = console.raise_handoff(["eczema"])
    console.store.resolve(handoff.id, "nurse.kim")
    detail = f"/handoffs/{handoff.id}"
    assert handoff.reference not in listing(staff, console)
    assert "Reopen" in staff.get(f"{console.url}{detail}", timeout=10).text

    reply = post(staff, console, f"{detail}/reopen")

    assert reply.status_code == 303 and reply.headers["Location"] == detail
    assert handoff.reference in listing(staff, console, show="open")
    page = staff.get(f"{console.url}{detail}", timeout=10).text
    assert "nurse.kim reopened the case" in page and "Claim and take over" in page
    again = post(staff, console, f"{detail}/reopen")
    assert again.status_code == 409 and "cannot become reopened" in again.text


def test_a_case_is_assigned_to_a_colleague_and_shown_as_theirs(console: Console, staff):
    handoff = console.raise_handoff(["herpes"])
    detail = f"/handoffs/{handoff.id}"
    page = staff.get(f"{console.url}{detail}", timeout=10).text
    assert f'<option value="{COLLEAGUE}"' in page

    post(staff, console, f"{detail}/assign", assignee=COLLEAGUE)

    assert console.store.get(handoff.id).assigned_to == COLLEAGUE
    page = staff.get(f"{console.url}{detail}", timeout=10).text
    assert f"nurse.kim assigned it to {COLLEAGUE}" in page
    assert f'<option value="{COLLEAGUE}" selected>' in page
    card = list_card(listing(staff, console), handoff.reference)
    assert f"assigned to {COLLEAGUE}" in card
    assert handoff.reference in listing(staff, console, assigned=COLLEAGUE)
    assert handoff.reference not in listing(staff, console, assigned="nurse.kim")

    refused = post(staff, console, f"{detail}/assign", assignee="nobody.here")
    assert refused.status_code == 400 and "no staff user" in refused.text
    assert console.store.get(handoff.id).assigned_to == COLLEAGUE


def test_internal_notes_are_shown_apart_and_never_reach_the_patient(console: Console, staff):
    handoff = console.raise_handoff(["pregnancy"])
    console.add_messages(handoff.conversation_id, ("user", "Am I OK to book?"))
    detail = f"/handoffs/{handoff.id}"

    post(staff, console, f"{detail}/notes", note="Rang her <b>twice</b>, no answer.")

    page = staff.get(f"{console.url}{detail}", timeout=10).text
    notes = page[page.index('id="notes"') : page.index("Add an internal note")]
    assert "Rang her &lt;b&gt;twice&lt;/b&gt;, no answer." in notes and "nurse.kim" in notes
    transcript = page[page.index('id="transcript"') :]
    assert "Rang her" not in transcript
    polled = staff.get(f"{console.url}{detail}/transcript", timeout=10).json()
    assert [line["text"] for line in polled["lines"]] == ["Am I OK to book?"]
    conversation = handoff.conversation_id
    messages = api(console, "GET", f"/conversations/{conversation}/messages").json()
    assert "Rang her" not in str(messages)
    exported = api(console, "GET", f"/conversations/{conversation}/export").json()
    assert [(n["author"], n["internal"]) for n in exported["internal_notes"]] == [
        ("nurse.kim", True)
    ]
    assert exported["staff_messages"] == []
    assert post(staff, console, f"{detail}/notes", note="  ").status_code == 400


def test_contact_details_are_corrected_and_checked(console: Console, staff):
    handoff = console.raise_handoff(["human_requested"], contact_name="sana")
    detail = f"/handoffs/{handoff.id}"

    reply = post(
        staff, console, f"{detail}/contact", name="Sana Tariq", phone="0300 1234567", email=""
    )

    assert reply.status_code == 303
    assert console.store.get(handoff.id).contact == {
        "name": "Sana Tariq",
        "phone": "+923001234567",
        "email": None,
    }
    page = staff.get(f"{console.url}{detail}", timeout=10).text
    assert 'href="tel:+923001234567"' in page
    assert "nurse.kim edited the contact details: name, phone" in page
    for field, value in (("phone", "call me later"), ("email", "sana@")):
        refused = post(staff, console, f"{detail}/contact", name="Sana", **{field: value})
        assert refused.status_code == 400 and "Not saved" in refused.text
    assert console.store.get(handoff.id).contact_phone == "+923001234567"


def test_screening_flags_whatsapp_names_and_offered_options_are_shown(console: Console, staff):
    flagged = console.raise_handoff(["rosacea"], channel="whatsapp", profile_name="Ayesha K")
    console.add_events(
        flagged.conversation_id,
        ("user", {"text": "hi"}),
        (
            "bot",
            {
                "text": "Do you have a skin condition?",
                "data": {"buttons": [{"title": "Yes", "payload": "/affirm"}, {"title": "No"}]},
            },
        ),
        ("bot", {"data": {"buttons": [{"title": "Rosacea"}, {"title": "Eczema"}]}}),
    )
    card = list_card(listing(staff, console), flagged.reference)
    assert "Screening flag" in card and "Ayesha K" in card

    page = staff.get(f"{console.url}/handoffs/{flagged.id}", timeout=10).text
    assert '<span class="badge screening">Screening flag</span>' in page
    assert 'Ayesha K <span class="muted">(WhatsApp profile name' in page
    assert re.findall(r'<span class="option">([^<]+)</span>', page) == [
        "Yes",
        "No",
        "Rosacea",
        "Eczema",
    ]
    polled = staff.get(f"{console.url}/handoffs/{flagged.id}/transcript", timeout=10).json()
    assert [line["options"] for line in polled["lines"]] == [
        [],
        ["Yes", "No"],
        ["Rosacea", "Eczema"],
    ]
