"""Shared fixtures: the real domain and content, and one running bot per test session."""

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import REPO_ROOT, RunningBot, running_bot

# In-process imports of Rasa in the tests must not send telemetry either.
os.environ["RASA_TELEMETRY_ENABLED"] = "false"


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The project's model, trained by `make train` only if its data changed."""
    subprocess.run(["make", "--no-print-directory", "-s", "train"], cwd=REPO_ROOT, check=True)
    return REPO_ROOT / "models" / "clinic.tar.gz"


@pytest.fixture(scope="session")
def bot(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBot]:
    """The bot as `make run` starts it; shared because starting it takes ~40 s."""
    with running_bot(tmp_path_factory.mktemp("bot")) as running:
        yield running


@pytest.fixture
def sender() -> str:
    """A fresh conversation id, so tests sharing the bot never share a conversation."""
    return f"test-{uuid.uuid4().hex[:12]}"
