"""The staff JSON API: bearer token, filters and the claim/resolve life cycle."""

import uuid

import pytest

from tests.staff_console.conftest import raise_handoff


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_without_a_valid_token_everything_is_401(console, token):
    assert console.api("GET", "/handoffs", token=token).status_code == 401
    assert console.api("POST", "/handoffs/1/claim", token=token).status_code == 401


def test_a_handoff_in_json_has_what_staff_tools_need(console):
    handoff_id = raise_handoff(console.store, f"c-{uuid.uuid4()}", ["pregnancy", "herpes"])
    body = console.api("GET", f"/handoffs/{handoff_id}").json()
    assert {"id", "reference", "conversation_id", "channel", "reasons", "priority", "status",
            "created_at", "summary"} <= set(body)
    assert body["reasons"] == ["pregnancy", "herpes"]
    assert body["priority"] == "normal" and body["status"] == "open"


def test_filter_by_status_and_life_cycle(console):
    handoff_id = raise_handoff(console.store, f"c-{uuid.uuid4()}", ["human_requested"])
    claimed = console.api("POST", f"/handoffs/{handoff_id}/claim", json={"staff": "bob"}).json()
    assert claimed["status"] == "claimed" and claimed["claimed_by"] == "bob"
    open_ids = {h["id"] for h in console.api("GET", "/handoffs?status=open").json()}
    assert handoff_id not in open_ids
    assert console.api("POST", f"/handoffs/{handoff_id}/claim").status_code == 409
    assert console.api("POST", f"/handoffs/{handoff_id}/resolve").json()["status"] == "resolved"
    assert console.api("POST", f"/handoffs/{handoff_id}/resolve").status_code == 409


def test_unknown_handoff_is_404(console):
    assert console.api("GET", "/handoffs/999999").status_code == 404
