"""The JSON API, through a real server (see conftest.py), with and without the token."""

import pytest
import requests

from staff_console.auth import bearer_token_valid
from tests.staff_console.conftest import API_TOKEN, Console

AUTH = {"Authorization": f"Bearer {API_TOKEN}"}


def api(console: Console, method: str, path: str, **kwargs) -> requests.Response:
    headers = kwargs.pop("headers", AUTH)
    return requests.request(
        method, f"{console.url}/api{path}", headers=headers, timeout=10, **kwargs
    )


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": API_TOKEN},
        {"Authorization": "Basic x"},
    ],
)
@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/handoffs"), ("GET", "/handoffs/1"), ("POST", "/handoffs/1/claim")],
)
def test_every_request_without_the_token_is_refused(console: Console, headers, method, path):
    reply = api(console, method, path, headers=headers)
    assert reply.status_code == 401
    assert reply.headers["WWW-Authenticate"] == "Bearer"
    assert reply.json() == {"error": "a valid API token is required"}


def test_no_configured_token_lets_nobody_in():
    assert not bearer_token_valid("Bearer ", None)
    assert not bearer_token_valid("Bearer ", "")
    assert bearer_token_valid(f"bearer {API_TOKEN}", API_TOKEN)


def test_the_list_filters_by_status_and_shows_urgent_first(console: Console):
    normal = console.raise_handoff(["consultation_request"])
    urgent = console.raise_handoff(["post_treatment_concern"])
    claimed = console.raise_handoff(["human_requested"])
    console.store.claim(claimed.id, "Kim")

    every = [h["id"] for h in api(console, "GET", "/handoffs").json()["handoffs"]]
    assert every.index(urgent.id) < every.index(normal.id) and claimed.id in every
    open_ones = api(console, "GET", "/handoffs", params={"status": "open"}).json()["handoffs"]
    assert {h["status"] for h in open_ones} == {"open"}
    open_ids = {h["id"] for h in open_ones}
    assert {normal.id, urgent.id} <= open_ids and claimed.id not in open_ids
    assert api(console, "GET", "/handoffs", params={"status": "gone"}).status_code == 400


def test_one_handoff_comes_with_its_transcript(console: Console):
    handoff = console.raise_handoff(["herpes"], contact_phone="+44 7700 900123")
    console.add_messages(handoff.conversation_id, ("user", "I get cold sores"), ("bot", "Thanks."))

    data = api(console, "GET", f"/handoffs/{handoff.id}").json()
    assert data["reference"] == handoff.reference and data["reasons"] == ["herpes"]
    assert data["contact"]["phone"] == "+44 7700 900123"
    assert [(m["speaker"], m["text"]) for m in data["transcript"]] == [
        ("user", "I get cold sores"),
        ("bot", "Thanks."),
    ]
    assert api(console, "GET", "/handoffs/999999").status_code == 404


def test_claim_and_resolve_follow_the_state_machine(console: Console):
    handoff = console.raise_handoff(["pregnancy"])
    path = f"/handoffs/{handoff.id}"

    claimed = api(console, "POST", f"{path}/claim", json={"staff": "Nurse Kim"})
    assert claimed.status_code == 200
    assert (claimed.json()["status"], claimed.json()["claimed_by"]) == ("claimed", "Nurse Kim")
    again = api(console, "POST", f"{path}/claim", json={"staff": "Dr Lee"})
    assert again.status_code == 409 and "cannot become claimed" in again.json()["error"]

    resolved = api(console, "POST", f"{path}/resolve")
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    assert resolved.json()["claimed_by"] == "Nurse Kim"
    assert api(console, "POST", f"{path}/resolve").status_code == 409


def test_resolving_an_open_handoff_without_a_name_records_the_api(console: Console):
    handoff = console.raise_handoff(["eczema"])
    reply = api(console, "POST", f"/handoffs/{handoff.id}/resolve")
    assert (reply.json()["status"], reply.json()["claimed_by"]) == ("resolved", "api")


def test_unknown_ids_and_bad_bodies_are_refused(console: Console):
    assert api(console, "POST", "/handoffs/999999/claim").status_code == 404
    handoff = console.raise_handoff(["eczema"])
    for body in ({"staff": 7}, {"staff": "  "}, ["Kim"]):
        assert api(console, "POST", f"/handoffs/{handoff.id}/claim", json=body).status_code == 400
    assert console.store.get(handoff.id).status == "open"
