"""What staff see in the console, and that only staff can act there."""

import json
import sqlite3
import uuid

from tests.staff_console.conftest import PASSWORD, raise_handoff

SCRIPT = "<script>alert(1)</script>"


def test_pages_need_a_login(console):
    response = console.login(password="wrong").get(f"{console.url}/")
    assert response.url.endswith("/login")
    assert "Wrong username or password" in console.login(password="wrong").post(
        f"{console.url}/login", data={"username": "alice", "password": "nope"}
    ).text


def test_session_cookie_is_httponly_and_same_site_strict(console):
    import requests

    response = requests.post(
        f"{console.url}/login", data={"username": "alice", "password": PASSWORD}, allow_redirects=False
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_list_shows_urgent_first_with_plain_reason_labels(console):
    normal = raise_handoff(console.store, f"c-{uuid.uuid4()}", ["eczema"])
    urgent = raise_handoff(console.store, f"c-{uuid.uuid4()}", ["post_treatment_concern"])
    page = console.login().get(f"{console.url}/?status=open").text
    assert page.index(f"/handoffs/{urgent}\"") < page.index(f"/handoffs/{normal}\"")
    assert "Post-treatment concern (urgent)" in page and "Eczema" in page


def test_patient_text_is_escaped_everywhere(console, tracker_db):
    conversation = f"c-{uuid.uuid4()}"
    handoff_id = raise_handoff(
        console.store, conversation, ["human_requested"], contact_name=SCRIPT, summary=SCRIPT
    )
    with sqlite3.connect(tracker_db) as db:
        db.execute(
            "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT,"
            " timestamp REAL, intent_name TEXT, action_name TEXT, data TEXT)"
        )
        db.execute(
            "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, 'user', 1, ?)",
            (conversation, json.dumps({"text": SCRIPT})),
        )
    page = console.login().get(f"{console.url}/handoffs/{handoff_id}").text
    assert SCRIPT not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 3  # contact, summary, transcript


def test_claim_and_resolve_with_the_form_token(console):
    handoff_id = raise_handoff(console.store, f"c-{uuid.uuid4()}", ["keloid_history"])
    session = console.login()
    page = session.get(f"{console.url}/handoffs/{handoff_id}").text
    token = page.split('name="csrf" value="')[1].split('"')[0]
    session.post(f"{console.url}/handoffs/{handoff_id}/claim", data={"csrf": token})
    assert console.store.get(handoff_id).status == "claimed"
    assert console.store.get(handoff_id).claimed_by == "alice"
    session.post(f"{console.url}/handoffs/{handoff_id}/resolve", data={"csrf": token})
    assert console.store.get(handoff_id).status == "resolved"


def test_a_form_post_without_the_token_is_refused(console):
    handoff_id = raise_handoff(console.store, f"c-{uuid.uuid4()}", ["sunburn"])
    response = console.login().post(f"{console.url}/handoffs/{handoff_id}/claim", data={})
    assert response.status_code == 403
    assert console.store.get(handoff_id).status == "open"


def test_logins_are_rate_limited(console):
    import requests

    for _ in range(5):
        requests.post(f"{console.url}/login", data={"username": "mallory", "password": "x"})
    blocked = requests.post(f"{console.url}/login", data={"username": "alice", "password": PASSWORD})
    assert "Too many attempts" in blocked.text
