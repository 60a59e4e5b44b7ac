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


def test_migration_0005_gives_stored_screening_flags_their_priority(tmp_path):
    from alembic import command
    from alembic.config import Config

    from clinic_store.database import ALEMBIC_INI

    url = f"sqlite:///{tmp_path / 'd.db'}"
    config = Config(str(ALEMBIC_INI))
    config.attributes.update(database_url=url, configure_logging=False)
    command.upgrade(config, "0002")
    with engine_for(url).begin() as connection:
        for reference, reasons, priority in (
            ("MN-AAAAAA", '["eczema"]', "normal"),
            ("MN-BBBBBB", '["human_requested"]', "normal"),
            ("MN-CCCCCC", '["post_treatment_concern", "herpes"]', "urgent"),
        ):
            connection.execute(
                sa.text(
                    "INSERT INTO handoffs (reference, conversation_id, channel, reasons, priority,"
                    " status, answers, summary, created_at, updated_at, bot_paused) VALUES"
                    " (:reference, :reference, 'rest', :reasons, :priority, 'open', '{}', '',"
                    " '2026-12-01 10:00:00', '2026-12-01 10:00:00', 0)"
                ),
                {"reference": reference, "reasons": reasons, "priority": priority},
            )
    command.upgrade(config, "head")
    priorities = {h.reference: h.priority for h in HandoffStore(url).list()}
    assert priorities == {"MN-AAAAAA": "screening", "MN-BBBBBB": "normal", "MN-CCCCCC": "urgent"}
    command.downgrade(config, "0002")
    with engine_for(url).connect() as connection:
        rows = connection.execute(sa.text("SELECT priority FROM handoffs ORDER BY reference"))
        assert [priority for (priority,) in rows] == ["normal", "normal", "urgent"]
