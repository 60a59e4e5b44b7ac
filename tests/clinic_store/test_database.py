"""One engine and one session factory per database; migrations from anywhere."""

import sqlalchemy as sa

from clinic_store.database import engine_for, migrate, session_factory
from clinic_store.handoffs import HandoffStore
from clinic_store.outbox import Outbox
from clinic_store.staff_users import StaffUsers


def test_migrating_twice_is_harmless_and_the_schema_matches_the_models(store):
    migrate(store.engine.url.render_as_string(hide_password=False))
    tables = set(sa.inspect(store.engine).get_table_names())
    assert {"handoffs", "notifications", "staff_users", "alembic_version"} <= tables


def test_the_engine_is_shared_per_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    assert HandoffStore(url).engine is HandoffStore(url).engine is engine_for(url)


def test_migrations_run_from_any_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    migrate(f"sqlite:///{tmp_path / 'elsewhere.db'}")
    assert HandoffStore(f"sqlite:///{tmp_path / 'elsewhere.db'}").list() == []


def test_every_store_class_shares_the_one_session_factory_of_its_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'b.db'}"
    factory = session_factory(url)
    assert factory is session_factory(url) and factory.kw["bind"] is engine_for(url)
    for store in (HandoffStore(url), Outbox(url), StaffUsers(url)):
        with store.session() as session:
            assert session.get_bind() is engine_for(url)


def test_the_migrations_make_exactly_the_models_schema(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    import clinic_store.models  # noqa: F401  (the tables, on Base.metadata)
    from clinic_store.database import Base

    url = f"sqlite:///{tmp_path / 'c.db'}"
    migrate(url)
    with engine_for(url).connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
