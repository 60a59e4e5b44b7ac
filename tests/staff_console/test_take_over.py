"""Staff take a conversation over in the console and the API, write to the patient, hand back.

Against a real console (conftest.py); Rasa's side (the bot pausing, the message
reaching the patient) is tested end to end in tests/e2e/test_take_over.py.
"""

import re
import time

import requests

from tests.staff_console.conftest import Console, csrf_token
from tests.staff_console.test_api import api


def test_the_api_takes_over_replies_lists_the_transcript_and_hands_back(console: Console):
    handoff = console.raise_handoff(["human_requested"])
    conversation = handoff.conversation_id
    console.add_messages(conversation, ("user", "Can I speak to someone?"), ("bot", "Of course."))
    path = f"/handoffs/{handoff.id}"

    refused = api(console, "POST", f"{path}/reply", json={"text": "Hi", "staff": "Nurse Kim"})
    assert refused.status_code == 409 and "claim" in refused.json()["error"]

    claimed = api(console, "POST", f"{path}/claim", json={"staff": "Nurse Kim"}).json()
    assert claimed["bot_paused"] is True
    sent = api(
        console, "POST", f"{path}/reply", json={"text": "Hi, Kim here.", "staff": "Nurse Kim"}
    )
    assert sent.status_code == 201
    assert (sent.json()["author"], sent.json()["staff_name"]) == ("staff", "Nurse Kim")
    console.add_messages(conversation, ("user", "Thanks Kim"))

    transcript = api(console, "GET", f"/conversations/{conversation}/messages").json()
    assert [(m["author"], m["staff_name"], m["text"]) for m in transcript["messages"]] == [
        ("patient", None, "Can I speak to someone?"),
        ("bot", None, "Of course."),
        ("staff", "Nurse Kim", "Hi, Kim here."),
        ("patient", None, "Thanks Kim"),
    ]
    assert all(m["sent_at"] for m in transcript["messages"])

    released = api(console, "POST", f"{path}/release", json={"staff": "Nurse Kim"})
    assert released.status_code == 200
    assert (released.json()["status"], released.json()["bot_paused"]) == ("claimed", False)
    assert api(console, "POST", f"{path}/release", json={}).status_code == 409
    last = api(console, "GET", f"/conversations/{conversation}/messages").json()["messages"][-1]
    assert last["author"] == "bot" and last["text"].startswith("You're back with the clinic's")

    exported = api(console, "GET", f"/conversations/{conversation}/export").json()
    assert [(m["author"], m["staff_name"]) for m in exported["staff_messages"]] == [
        ("staff", "Nurse Kim"),
        ("assistant", None),
    ]


def test_bad_replies_and_unknown_handoffs_are_refused(console: Console):
    handoff = console.raise_handoff(["human_requested"])
    api(console, "POST", f"/handoffs/{handoff.id}/claim", json={"staff": "Kim"})
    path = f"/handoffs/{handoff.id}/reply"
    assert api(console, "POST", path, json={"text": "  "}).status_code == 400
    assert api(console, "POST", path, json={"text": 5}).status_code == 400
    assert api(console, "POST", path, json={"text": "x" * 4001}).status_code == 400
    assert api(console, "POST", "/handoffs/999999/reply", json={"text": "Hi"}).status_code == 404
    assert api(console, "POST", path, json={"text": "Hi"}, headers={}).status_code == 401
    assert api(console, "GET", "/conversations/x/messages", headers={}).status_code == 401


def form_post(staff: requests.Session, console: Console, path: str, page: str, **fields):
    return staff.post(
        f"{console.url}{path}",
        data={"csrf_token": csrf_token(page), **fields},
        allow_redirects=False,
        timeout=10,
    )


def test_the_console_takes_over_shows_new_patient_messages_and_hands_back(
    console: Console, staff: requests.Session
):
    handoff = console.raise_handoff(["human_requested"])
    page_path = f"/handoffs/{handoff.id}"
    page = staff.get(f"{console.url}{page_path}", timeout=10).text
    assert "Claim and take over" in page and f'action="{page_path}/reply"' not in page

    assert form_post(staff, console, f"{page_path}/claim", page).status_code == 303
    listed = staff.get(f"{console.url}/", timeout=10).text
    assert f"{handoff.reference}</a>" in listed and "nurse.kim holds the conversation" in listed
    page = staff.get(f"{console.url}{page_path}", timeout=10).text
    assert "holds this conversation: the assistant is not answering" in page
    assert "Hand back to the assistant" in page
    assert '<script src="/static/console.js"' in page
    reply = form_post(staff, console, f"{page_path}/reply", page, text="Hello, this is Kim.")
    assert reply.status_code == 303

    # What the page's script polls: a patient message stored meanwhile shows up there.
    console.add_messages(handoff.conversation_id, ("user", "Hi Kim, thank you"))
    polled = staff.get(f"{console.url}{page_path}/transcript", timeout=10).json()
    assert polled["held"] is True
    assert [(line["speaker"], line["text"], line["delivery"]) for line in polled["lines"]] == [
        ("staff", "Hello, this is Kim.", "pending"),  # no Rasa here to deliver it
        ("user", "Hi Kim, thank you", None),
    ]
    script = staff.get(f"{console.url}/static/console.js", timeout=10)
    assert script.status_code == 200 and "textContent" in script.text

    page = staff.get(f"{console.url}{page_path}", timeout=10).text
    assert re.search(
        r'<li class="staff" dir="auto"><span class="who">nurse\.kim \(staff\), not delivered yet',
        page,
    )
    assert form_post(staff, console, f"{page_path}/release", page).status_code == 303
    page = staff.get(f"{console.url}{page_path}", timeout=10).text
    assert "Handed back to the assistant" in page and "Hand back to the assistant<" not in page
    refused = form_post(staff, console, f"{page_path}/reply", page, text="late")
    assert refused.status_code == 409


def test_the_transcript_poll_needs_a_login(console: Console):
    handoff = console.raise_handoff(["human_requested"])
    reply = requests.get(
        f"{console.url}/handoffs/{handoff.id}/transcript", allow_redirects=False, timeout=10
    )
    assert reply.status_code == 303 and reply.headers["Location"].startswith("/login")


def test_a_conversation_left_idle_comes_back_to_the_open_list(console: Console):
    handoff = console.raise_handoff(["human_requested"])
    api(console, "POST", f"/handoffs/{handoff.id}/claim", json={"staff": "Kim"})
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        current = api(console, "GET", f"/handoffs/{handoff.id}").json()
        if current["status"] == "open":
            break
        time.sleep(0.5)
    assert (current["status"], current["claimed_by"], current["bot_paused"]) == (
        "open",
        None,
        False,
    )
    assert current["transcript"][-1]["text"].startswith("You're back with the clinic's")
