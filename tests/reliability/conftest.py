"""The production layout (nginx, two Rasa instances, PostgreSQL, Redis), started once
for the reliability tests that share it."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tests.databases import postgres_database
from tests.servers import ProductionBot, running_production


def require_redis() -> None:
    """Skip without Redis on 127.0.0.1:6379, except under CI, where it must run."""
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_timeout=2).ping()
    except redis.ConnectionError as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"Redis is not reachable at 127.0.0.1:6379: {error}")


@pytest.fixture(scope="session")
def production(
    trained_model: Path,
    tmp_path_factory: pytest.TempPathFactory,
    notification_env: dict[str, str],
) -> Iterator[ProductionBot]:
    """`CLINIC_MODE=production make run` against throw-away PostgreSQL databases."""
    require_redis()
    with postgres_database() as tracker_store_url, postgres_database() as database_url:
        workdir = tmp_path_factory.mktemp("production")
        with running_production(
            workdir, tracker_store_url, database_url, extra_env=notification_env
        ) as bot:
            yield bot
