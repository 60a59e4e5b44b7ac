"""Tracker stores on each database the bot runs on: SQLite here, PostgreSQL in production."""

from collections.abc import Iterator

import pytest

from rasa_extensions.tracker_store import ClinicSQLTrackerStore
from tests.databases import postgres_database
from tests.rasa_extensions.test_tracker_store_concurrency import DOMAIN


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tracker.db'}"
    else:
        with postgres_database() as url:
            yield url


@pytest.fixture
def store(database_url) -> Iterator[ClinicSQLTrackerStore]:
    store = ClinicSQLTrackerStore(domain=DOMAIN, host=database_url)
    yield store
    store.engine.dispose()
