"""Hand-off databases for the persistence and notification tests.

`store` runs each test on a fresh, migrated SQLite file and, for the persistence
tests, again on PostgreSQL (see `backend`): a throw-away database created for the
test session and dropped at its end. Without a reachable PostgreSQL those runs are
skipped, except in CI (the `CI` variable set), where they fail instead.
"""

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from actions import persistence
from actions.persistence import HandoffStore, engine_for, migrate

# An administrative connection, used only to create and drop the test database.
POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
TABLES = ("notifications", "handoffs", "staff_users")


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """bcrypt's cheapest cost: the tests check behaviour, not resistance to guessing."""
    monkeypatch.setattr(persistence, "BCRYPT_ROUNDS", 4)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database, copied for each test (faster than migrating each time)."""
    path = tmp_path_factory.mktemp("template") / "clinic.db"
    migrate(f"sqlite:///{path}")
    return path


def _admin_engine() -> sa.engine.Engine:
    return sa.create_engine(POSTGRES_ADMIN_URL, future=True, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A new, migrated PostgreSQL database for this test session, dropped afterwards."""
    admin = _admin_engine()
    try:
        with admin.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as error:
        admin.dispose()
        message = f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {error.orig}"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (CI is set, so this is not skipped)")
        pytest.skip(f"{message}; set TEST_POSTGRES_URL to run the PostgreSQL tests")
    name = f"clinic_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    database_url = admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        migrate(database_url)
        yield database_url
    finally:
        engine_for(database_url).dispose()
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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
