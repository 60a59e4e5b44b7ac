"""One engine and one session factory per database, the Alembic migrations, and stored times.

Every store class (hand-offs, outbox, staff users, messages) opens its short
sessions through `Repository.session()`, which uses the single `sessionmaker`
of its database URL, so the whole process shares one connection pool per database.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, declarative_base, sessionmaker

from clinic_store.settings import get_settings

ALEMBIC_INI = Path(__file__).resolve().parent.parent / "alembic.ini"

Base = declarative_base(
    metadata=sa.MetaData(
        # Named constraints, so later migrations (batch mode on SQLite) can refer to them.
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_name)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
)


_reported: set[tuple[str, type]] = set()


def report_unreadable(logger: logging.Logger, error: Exception, message: str, *args: Any) -> None:
    """Log that the database could not be used, at WARNING the first time for this message
    and kind of error, then at DEBUG: a server without the clinic database (`rasa test`)
    would otherwise say it on every message. The error's type only, never its text (it
    can quote the statement's parameters)."""
    key = (message, type(error))
    level = logging.DEBUG if key in _reported else logging.WARNING
    _reported.add(key)
    logger.log(level, message, *args, type(error).__name__)


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware UTC datetime on every database: SQLite stores no zone."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime: every stored time must be timezone-aware")
        return None if value is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def sql_in(column: str, values: Sequence[str]) -> sa.TextClause:
    """`column IN (...)` as SQL text, for check constraints and partial indexes."""
    return sa.text(f"{column} IN ({', '.join(repr(value) for value in values)})")


@functools.cache
def engine_for(database_url: str) -> Engine:
    """One engine (and connection pool) per database for the whole process."""
    url = sa.engine.make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        # The default lives in var/, which a fresh checkout does not have.
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    return sa.create_engine(url, future=True, pool_pre_ping=True)


@functools.cache
def session_factory(database_url: str) -> sessionmaker[Session]:
    """The one session factory of a database, for every store class in the process."""
    return sessionmaker(engine_for(database_url), future=True, expire_on_commit=False)


def migrate(database_url: str | None = None) -> None:
    """Bring the database's schema up to date (`alembic upgrade head`)."""
    config = Config(str(ALEMBIC_INI))
    config.attributes["database_url"] = database_url or get_settings().database_url
    # Alembic's own logging set-up would replace the running server's.
    config.attributes["configure_logging"] = False
    command.upgrade(config, "head")


class Repository:
    """A store class bound to one database (DATABASE_URL by default)."""

    def __init__(self, database_url: str | None = None) -> None:
        self._database_url = database_url

    @property
    def database_url(self) -> str:
        return self._database_url or get_settings().database_url

    @property
    def engine(self) -> Engine:
        return engine_for(self.database_url)

    def session(self) -> Session:
        """A new session; use as `with self.session() as s, s.begin():`."""
        return session_factory(self.database_url)()
