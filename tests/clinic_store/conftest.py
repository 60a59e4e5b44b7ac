"""Databases for the clinic store's tests (hand-offs, outbox, staff users, messages).

`store` runs each test on a fresh, migrated SQLite file and, for the hand-off
tests, again on PostgreSQL (see `backend`): a throw-away database created for the
test session and dropped at its end. Without a reachable PostgreSQL those runs are
skipped, except in CI (the `CI` variable set), where they fail instead.
"""

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from clinic_store import staff_users
from clinic_store.database import engine_for, migrate
from clinic_store.handoffs import HandoffStore
from clinic_store.outbox import Outbox
from clinic_store.staff_users import StaffUsers
from tests.databases import postgres_database

TABLES = ("notifications", "handoffs", "staff_users")


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """bcrypt's cheapest cost: the tests check behaviour, not resistance to guessing."""
    monkeypatch.setattr(staff_users, "BCRYPT_ROUNDS", 4)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database, copied for each test (faster than migrating each time)."""
    path = tmp_path_factory.mktemp("template") / "clinic.db"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A new, migrated PostgreSQL database for this test session, dropped afterwards."""
    with postgres_database() as database_url:
        migrate(database_url)
        try:
            yield database_url
        finally:
            engine_for(database_url).dispose()


@pytest.fixture(params=["sqlite"])
def backend(request: pytest.FixtureRequest) -> str:
    """Which database a test runs on; test modules widen this to PostgreSQL as well."""
    return request.param


@pytest.fixture
def store(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[HandoffStore]:
    if backend == "sqlite":
        path = tmp_path / f"clinic-{uuid.uuid4().hex[:8]}.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield HandoffStore(f"sqlite:///{path}")
        return
    database_url = request.getfixturevalue("postgres_url")
    yield HandoffStore(database_url)
    # One database for the session, emptied after each test (DELETE: quicker than
    # TRUNCATE on tables this small).
    with engine_for(database_url).begin() as connection:
        for table in TABLES:
            connection.execute(sa.text(f"DELETE FROM {table}"))


@pytest.fixture
def outbox(store: HandoffStore) -> Outbox:
    """The notification outbox of the same database."""
    return Outbox(store.database_url)


@pytest.fixture
def staff_logins(store: HandoffStore) -> StaffUsers:
    """Console logins in the same database."""
    return StaffUsers(store.database_url)
