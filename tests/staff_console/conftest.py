"""One staff console, started as `python -m staff_console` on a free loopback port.

It is shared by the console and API tests (starting it takes a few seconds) and
always stopped at the end. Tests add their own hand-offs through a `HandoffStore`
on the same SQLite file, and their own messages to a Rasa-style tracker store, so
each test uses conversation ids of its own.
"""

import json
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from clinic_store import staff_users
from clinic_store.database import engine_for, migrate
from clinic_store.handoffs import HandoffStore
from clinic_store.staff_users import StaffUsers
from clinic_store.views import HandoffView
from tests.servers import REPO_ROOT, free_port, stop_group, wait_until_up

USERNAME, PASSWORD = "nurse.kim", "correct horse battery"
COLLEAGUE = "dr.lee"  # another login, for cases assigned to a colleague
API_TOKEN = "test-api-token"
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')
# The columns of Rasa's SQL tracker store table that the console reads.
RASA_EVENTS_TABLE = """
CREATE TABLE events (
    id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, type_name VARCHAR(255) NOT NULL,
    timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT
)
"""
NOTIFIER_VARIABLES = ("HANDOFF_WEBHOOK_URL", "SMTP_HOST", "STAFF_NOTIFY_EMAILS")


@dataclass
class Console:
    """A running console, its databases, and helpers to put data in them."""

    url: str
    store: HandoffStore
    tracker_store_url: str
    media_dir: Path

    def raise_handoff(self, reasons: list[str], **details) -> HandoffView:
        """A hand-off in a conversation of its own."""
        arguments = {
            "conversation_id": f"console-{uuid.uuid4().hex[:10]}",
            "channel": "rest",
            "reasons": reasons,
            "answers": {},
            "summary": "Summary.",
            "notify_channels": [],
            **details,
        }
        return self.store.raise_handoff(**arguments)

    def add_messages(self, conversation_id: str, *messages: tuple[str, str]) -> None:
        """(speaker, text) pairs stored as Rasa does, with events staff never see in between."""
        for speaker, text in messages:
            self.add_events(conversation_id, (speaker, {"text": text}), ("action", {"name": "x"}))

    def add_events(self, conversation_id: str, *events: tuple[str, dict]) -> None:
        """(type name, event data) pairs stored as Rasa's SQL tracker store does."""
        with engine_for(self.tracker_store_url).begin() as connection:
            for type_name, data in events:
                connection.execute(
                    sa.text(
                        "INSERT INTO events (sender_id, type_name, timestamp, data)"
                        " VALUES (:sender, :type, :timestamp, :data)"
                    ),
                    {
                        "sender": conversation_id,
                        "type": type_name,
                        "timestamp": time.time(),
                        "data": json.dumps(data),
                    },
                )


@pytest.fixture(scope="session")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    workdir = tmp_path_factory.mktemp("console")
    database_url = f"sqlite:///{workdir / 'clinic.db'}"
    tracker_store_url = f"sqlite:///{workdir / 'tracker.db'}"
    migrate(database_url)
    store = HandoffStore(database_url)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(staff_users, "BCRYPT_ROUNDS", 4)  # quick logins
        StaffUsers(database_url).create(USERNAME, PASSWORD)
        StaffUsers(database_url).create(COLLEAGUE, PASSWORD)
    with engine_for(tracker_store_url).begin() as connection:
        connection.execute(sa.text(RASA_EVENTS_TABLE))

    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in NOTIFIER_VARIABLES},
        "DATABASE_URL": database_url,
        "TRACKER_STORE_URL": tracker_store_url,
        "STAFF_CONSOLE_HOST": "127.0.0.1",
        "STAFF_CONSOLE_PORT": str(port),
        "STAFF_API_TOKEN": API_TOKEN,
        "STAFF_SESSION_SECRET": "test-session-secret",
        # Taken-over hand-offs come back to the open list after 6 s idle (test_take_over.py).
        "HANDOFF_IDLE_MINUTES": "0.1",
        # Never the developer's own var/spool: the console stores what it finds there.
        "HANDOFF_SPOOL_DIR": str(workdir / "spool"),
        "MEDIA_DIR": str(workdir / "media"),
        # As behind a proxy: lets the rate-limit test be a client of its own.
        "SANIC_REAL_IP_HEADER": "x-real-ip",
    }
    log_path = workdir / "console.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "staff_console"],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/health", process, timeout_s=30)
        yield Console(
            url=url, store=store, tracker_store_url=tracker_store_url, media_dir=workdir / "media"
        )
    except Exception:
        print(log_path.read_text(errors="replace")[-5000:])
        raise
    finally:
        stop_group(process)


def csrf_token(page: str) -> str:
    return CSRF_INPUT.search(page).group(1)


def log_in(
    console: Console,
    username: str = USERNAME,
    password: str = PASSWORD,
    next_path: str = "/",
    **headers: str,
) -> tuple[requests.Session, requests.Response]:
    """A browser-like session after submitting the login form, and the form's answer."""
    browser = requests.Session()
    browser.headers.update(headers)
    form = browser.get(f"{console.url}/login", params={"next": next_path}, timeout=10)
    reply = browser.post(
        f"{console.url}/login",
        data={
            "csrf_token": csrf_token(form.text),
            "username": username,
            "password": password,
            "next": next_path,
        },
        allow_redirects=False,
        timeout=10,
    )
    return browser, reply


@pytest.fixture
def staff(console: Console) -> Iterator[requests.Session]:
    """A logged-in member of staff."""
    browser, reply = log_in(console)
    assert reply.status_code == 303, reply.text
    with browser:
        yield browser
