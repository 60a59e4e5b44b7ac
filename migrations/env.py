"""Alembic environment: migrates the database named by DATABASE_URL (or the given URL)."""

from alembic import context

from actions.persistence import Base, create_db_engine
from actions.settings import get_settings

url = context.config.get_main_option("sqlalchemy.url") or get_settings().database_url

with create_db_engine(url).connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
