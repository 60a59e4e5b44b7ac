"""Alembic environment: migrates DATABASE_URL, or the URL `clinic_store.database.migrate` passes.

The models' metadata is the target, so `alembic revision --autogenerate` compares
the database with `clinic_store/models.py`.
"""

from logging.config import fileConfig

import sqlalchemy as sa
from alembic import context

import clinic_store.models  # noqa: F401  (the tables, on Base.metadata)
from clinic_store.database import Base, engine_for
from clinic_store.settings import get_settings

# Keep any two processes from migrating the same PostgreSQL database at once
# (the action server and the console both migrate at start-up).
MIGRATION_LOCK_ID = 7_340_551

config = context.config
if config.attributes.get("configure_logging", True) and config.config_file_name:
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def render_item(kind: str, obj: object, autogen_context: object) -> str | bool:
    """Autogenerate writes a custom column type as its plain type: migrations never import
    the models, which will have changed by the time an old migration runs."""
    if kind == "type" and isinstance(obj, sa.types.TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


def run_offline() -> None:
    """`alembic upgrade head --sql`: print the SQL instead of running it."""
    context.configure(
        url=config.attributes.get("database_url") or get_settings().database_url,
        target_metadata=Base.metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    url = config.attributes.get("database_url") or get_settings().database_url
    with engine_for(url).connect() as connection:
        # Batch mode: SQLite cannot ALTER most things in place, so Alembic copies the table.
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=True,
            render_item=render_item,
        )
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                connection.execute(sa.text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_ID})"))
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
