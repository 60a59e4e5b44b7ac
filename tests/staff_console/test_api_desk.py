"""The desk in the JSON API: search and filters on the list, reopen, assign, notes, contact
edits (a real server: conftest.py)."""

import uuid

from tests.staff_console.conftest import COLLEAGUE, Console
from tests.staff_console.test_api import api


def ids(reply) -> list[int]:
    assert reply.status_code == 200, reply.text
    return [h["id"] for h in reply.json()["handoffs"]]


def test_the_list_searches_and_filters_like_the_console(console: Console):
    name = f"Imran{uuid.uuid4().hex[:6]}"
    urgent = console.raise_handoff(["post_treatment_concern"], contact_name=name)
    flagged = console.raise_handoff(["sunburn"], channel="twilio", contact_name=name)
    resolved = console.raise_handoff(["sunburn"], channel="twilio", contact_name=name)
    console.store.resolve(resolved.id, "Kim")

    assert ids(api(console, "GET", "/handoffs", params={"q": name})) == [
        urgent.id,
        flagged.id,
        resolved.id,
    ]
    both = {"q": name.lower(), "priority": "screening", "channel": "twilio", "status": "active"}
    assert ids(api(console, "GET", "/handoffs", params=both)) == [flagged.id]
    several = [("q", name), ("priority", "urgent"), ("priority", "screening")]
    assert ids(api(console, "GET", "/handoffs", params=several + [("status", "open")])) == [
        urgent.id,
        flagged.id,
    ]
    listed = api(console, "GET", "/handoffs", params={"q": name}).json()["handoffs"]
    assert [h["priority"] for h in listed] == ["urgent", "screening", "screening"]
    refused = api(console, "GET", "/handoffs", params={"priority": "soon"})
    assert refused.status_code == 400 and "priority must be one of" in refused.json()["error"]


def test_reopen_assign_and_notes_through_the_api(console: Console):
    handoff = console.raise_handoff(["eczema"])
    path = f"/handoffs/{handoff.id}"
    assert api(console, "POST", f"{path}/reopen").status_code == 409
    api(console, "POST", f"{path}/resolve", json={"staff": "Kim"})

    reopened = api(console, "POST", f"{path}/reopen", json={"staff": "Dr Lee"})
    assert reopened.status_code == 200 and reopened.json()["status"] == "open"

    assigned = api(console, "POST", f"{path}/assign", json={"assignee": COLLEAGUE})
    assert assigned.json()["assigned_to"] == COLLEAGUE
    unknown = api(console, "POST", f"{path}/assign", json={"assignee": "nobody.here"})
    assert unknown.status_code == 400
    assert api(console, "POST", f"{path}/assign", json={"staff": "Kim"}).status_code == 400
    assert ids(api(console, "GET", "/handoffs", params={"assigned": COLLEAGUE})) == [handoff.id]

    note = api(console, "POST", f"{path}/notes", json={"text": "Needs a call", "staff": "Kim"})
    assert note.status_code == 201
    assert (note.json()["author"], note.json()["internal"]) == ("Kim", True)
    assert api(console, "POST", f"{path}/notes", json={"staff": "Kim"}).status_code == 400
    listed = api(console, "GET", f"{path}/notes").json()["notes"]
    assert [n["text"] for n in listed] == ["Needs a call"]

    detail = api(console, "GET", path).json()
    assert [n["text"] for n in detail["notes"]] == ["Needs a call"]
    assert [(e["kind"], e["staff_name"]) for e in detail["history"]] == [
        ("reopened", "Dr Lee"),
        ("assigned", "api"),
    ]
    assert "Needs a call" not in str(detail["transcript"])
    assert api(console, "POST", "/handoffs/999999/reopen").status_code == 404
    assert api(console, "GET", "/handoffs/999999/notes").status_code == 404
    assert api(console, "POST", "/handoffs/999999/notes", json={"text": "x"}).status_code == 404


def test_contact_edits_keep_the_fields_not_sent_and_check_the_rest(console: Console):
    handoff = console.raise_handoff(
        ["human_requested"], contact_name="Sana", contact_email="sana@example.org"
    )
    path = f"/handoffs/{handoff.id}/contact"

    edited = api(console, "PATCH", path, json={"phone": "0300-1234567", "staff": "Kim"})

    assert edited.status_code == 200
    assert edited.json()["contact"] == {
        "name": "Sana",
        "phone": "+923001234567",
        "email": "sana@example.org",
    }
    cleared = api(console, "PATCH", path, json={"email": None}).json()
    assert cleared["contact"]["email"] is None
    bad = api(console, "PATCH", path, json={"email": "sana@@example"})
    assert bad.status_code == 400 and "e-mail" in bad.json()["error"]
    assert api(console, "PATCH", path, json={"phone": 300}).status_code == 400
    assert api(console, "PATCH", path, json={"staff": "Kim"}).status_code == 400
    assert api(console, "PATCH", "/handoffs/999999/contact", json={"name": "x"}).status_code == 404
    assert console.store.get(handoff.id).contact_phone == "+923001234567"
