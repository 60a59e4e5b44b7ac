"""Shared fixtures: the real domain and content, and one running bot per test session."""

import gc
import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.receivers import MailReceiver, WebhookReceiver, smtp_server, webhook_receiver
from tests.servers import REPO_ROOT, RunningBot, log_tail, running_bot

# Fakes of the Graph and Twilio APIs for the bot's WhatsApp channels (`whatsapp_env`).
pytest_plugins = ["tests.channels.fakes"]

STAFF_API_TOKEN = "test-staff-token"

# In-process imports of Rasa in the tests must not send telemetry or download anything.
os.environ["RASA_TELEMETRY_ENABLED"] = "false"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Iterator[None]:
    """Name every failure, with the log of any bot the failing test talked to.

    The garbage collector waits while pytest parses the failing test's source:
    on CPython 3.11 a finalizer that formats a traceback meanwhile (an unclosed
    aiohttp session, a dropped asyncio task) parses too, and the AST state they
    share aborts the whole run with "AST constructor recursion depth mismatch"
    (python/cpython#106905) instead of reporting the failure.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        outcome = yield
    finally:
        if collecting:
            gc.enable()
    report = outcome.get_result()
    if report.failed:
        for running in getattr(item, "funcargs", {}).values():
            if isinstance(running, RunningBot):
                report.sections.append(
                    (f"make run log ({running.rasa_url})", log_tail(running.log_path))
                )


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The project's model, trained by `make train` only if its data changed."""
    subprocess.run(["make", "--no-print-directory", "-s", "train"], cwd=REPO_ROOT, check=True)
    return REPO_ROOT / "models" / "clinic.tar.gz"


@pytest.fixture(scope="session")
def staff_webhook() -> Iterator[WebhookReceiver]:
    """Where the bot's hand-off webhook notifications arrive."""
    with webhook_receiver() as receiver:
        yield receiver


@pytest.fixture(scope="session")
def staff_mailbox() -> Iterator[MailReceiver]:
    """Where the bot's hand-off e-mails arrive."""
    with smtp_server() as receiver:
        yield receiver


@pytest.fixture(scope="session")
def notification_env(staff_webhook: WebhookReceiver, staff_mailbox: MailReceiver) -> dict[str, str]:
    return {
        "HANDOFF_WEBHOOK_URL": staff_webhook.url,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(staff_mailbox.port),
        "STAFF_NOTIFY_EMAILS": "staff@clinic.test",
        "STAFF_API_TOKEN": STAFF_API_TOKEN,
    }


@pytest.fixture(scope="session")
def bot(
    trained_model: Path,
    tmp_path_factory: pytest.TempPathFactory,
    notification_env: dict[str, str],
    whatsapp_env: dict[str, str],
) -> Iterator[RunningBot]:
    """The bot as `make run` starts it; shared because starting it takes ~40 s."""
    env = {**notification_env, **whatsapp_env}
    with running_bot(tmp_path_factory.mktemp("bot"), extra_env=env) as running:
        yield running


@pytest.fixture
def sender() -> str:
    """A fresh conversation id, so tests sharing the bot never share a conversation."""
    return f"test-{uuid.uuid4().hex[:12]}"
