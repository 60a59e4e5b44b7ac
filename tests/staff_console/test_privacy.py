"""Everything stored about one conversation can be exported, and deleted, by staff."""

import json
import os
import subprocess
import sys

import requests

from tests.servers import REPO_ROOT
from tests.staff_console.conftest import API_TOKEN

AUTH = {"Authorization": f"Bearer {API_TOKEN}"}


def test_export_then_delete_through_the_api(console):
    handoff = console.raise_handoff(["pregnancy"], answers={"pregnancy": "yes"}, contact_name="Sam")
    conversation = handoff.conversation_id
    console.add_messages(conversation, ("user", "I'm 12 weeks pregnant"), ("bot", "Thank you"))
    other = console.raise_handoff(["eczema"])

    exported = requests.get(
        f"{console.url}/api/conversations/{conversation}/export", headers=AUTH, timeout=10
    ).json()
    assert [h["reference"] for h in exported["handoffs"]] == [handoff.reference]
    assert exported["handoffs"][0]["answers"] == {"pregnancy": "yes"}
    assert [e.get("text") for e in exported["events"] if "text" in e] == [
        "I'm 12 weeks pregnant",
        "Thank you",
    ]

    deleted = requests.delete(
        f"{console.url}/api/conversations/{conversation}", headers=AUTH, timeout=10
    ).json()
    assert deleted == {"deleted": {"events": 4, "handoffs": 1}}
    assert console.store.get(handoff.id) is None
    again = requests.get(
        f"{console.url}/api/conversations/{conversation}/export", headers=AUTH, timeout=10
    ).json()
    assert again == {"conversation_id": conversation, "events": [], "handoffs": []}
    assert console.store.get(other.id) is not None


def test_privacy_needs_the_token(console):
    assert requests.delete(f"{console.url}/api/conversations/x", timeout=10).status_code == 401


def test_staff_command_exports_a_conversation(console):
    handoff = console.raise_handoff(["herpes"])
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO_ROOT),
        "DATABASE_URL": console.store.engine.url.render_as_string(hide_password=False),
        "TRACKER_STORE_URL": console.tracker_store_url,
    }
    result = subprocess.run(
        [sys.executable, "-m", "staff_console", "export-conversation", handoff.conversation_id],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout)["handoffs"][0]["reasons"] == ["herpes"]
