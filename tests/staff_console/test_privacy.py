"""Everything stored about one conversation can be exported, and deleted, by staff."""

import json
import os
import subprocess
import sys

import requests

from clinic_store.database import migrate
from clinic_store.handoffs import HandoffStore
from clinic_store.settings import get_settings
from clinic_store.spool import pending, spool_handoff
from staff_console.privacy import delete_conversation, export_conversation
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
    assert deleted == {"deleted": {"events": 4, "handoffs": 1, "media": 0}}
    assert console.store.get(handoff.id) is None
    again = requests.get(
        f"{console.url}/api/conversations/{conversation}/export", headers=AUTH, timeout=10
    ).json()
    assert again == {
        "conversation_id": conversation,
        "events": [],
        "handoffs": [],
        "staff_messages": [],
        "internal_notes": [],
        "case_history": [],
        "spooled_handoffs": [],
        "media": [],
    }
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


def test_hand_offs_spooled_while_the_database_was_down_are_exported_and_deleted(tmp_path):
    settings = get_settings(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'clinic.db'}",
            "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
            "HANDOFF_SPOOL_DIR": str(tmp_path / "spool"),
        }
    )
    migrate(settings.database_url)
    store = HandoffStore(settings.database_url)
    details = {"channel": "rest", "answers": {"pregnancy": "yes"}, "summary": "Summary."}
    for conversation in ("mine", "someone-else"):
        spool_handoff(
            settings.handoff_spool_dir,
            conversation_id=conversation,
            reasons=["pregnancy"],
            notify_channels=[],
            contact_name="Sam",
            contact_phone=None,
            contact_email=None,
            **details,
        )

    (spooled,) = export_conversation(settings, store, "mine")["spooled_handoffs"]
    assert spooled["answers"] == {"pregnancy": "yes"} and spooled["contact_name"] == "Sam"
    assert delete_conversation(settings, store, "mine") == {
        "events": 0,
        "handoffs": 1,
        "media": 0,
    }
    assert export_conversation(settings, store, "mine")["spooled_handoffs"] == []
    assert [r.conversation_id for _, r in pending(settings.handoff_spool_dir)] == ["someone-else"]
