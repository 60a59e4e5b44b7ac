"""A staff console served by `python -m staff_console` on a free port, with its own database."""

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from actions.persistence import HandoffStore
from tests.servers import REPO_ROOT, free_port, stop_group, wait_until_up

API_TOKEN = "console-test-token"
PASSWORD = "correct horse battery staple"


@dataclass
class Console:
    url: str
    store: HandoffStore
    tracker_store_url: str

    def login(self, username: str = "alice", password: str = PASSWORD) -> requests.Session:
        session = requests.Session()
        session.post(f"{self.url}/login", data={"username": username, "password": password})
        return session

    def api(self, method: str, path: str, token: str | None = API_TOKEN, **kwargs) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return requests.request(method, f"{self.url}/api{path}", headers=headers, timeout=10, **kwargs)


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    workdir = tmp_path_factory.mktemp("console")
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO_ROOT),
        "DATABASE_URL": f"sqlite:///{workdir / 'clinic.db'}",
        "TRACKER_STORE_URL": f"sqlite:///{workdir / 'tracker.db'}",
        "STAFF_CONSOLE_PORT": str(port),
        "STAFF_API_TOKEN": API_TOKEN,
        "STAFF_SESSION_SECRET": "test-secret",
    }
    subprocess.run(
        [sys.executable, "-m", "staff_console", "create-user", "alice"],
        input=PASSWORD + "\n", text=True, env=env, cwd=REPO_ROOT, check=True, capture_output=True,
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "staff_console"], env=env, cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/login", process, 60)
        yield Console(f"http://127.0.0.1:{port}", HandoffStore(env["DATABASE_URL"]), env["TRACKER_STORE_URL"])
    finally:
        stop_group(process)


def raise_handoff(store: HandoffStore, conversation_id: str, reasons: list[str], **extra) -> int:
    """Store a hand-off as the bot would; returns its id."""
    view = store.raise_handoff(
        conversation_id=conversation_id,
        channel="rest",
        reasons=reasons,
        answers=extra.pop("answers", {"pregnancy": "no"}),
        summary=extra.pop("summary", "test"),
        **extra,
    )
    return view.id


@pytest.fixture
def tracker_db(console: Console) -> Path:
    return Path(console.tracker_store_url.removeprefix("sqlite:///"))
