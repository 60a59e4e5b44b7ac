"""The database down when a hand-off is raised: the person is told as usual, staff are
notified anyway, and the hand-off is stored exactly once when the database is back.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from tests.databases import POSTGRES_ADMIN_URL, postgres_database
from tests.e2e.conversation import response_text
from tests.e2e.test_handoff import REFERENCE, give_contact_details, staff_api
from tests.servers import eventually, running_bot


@contextmanager
def refusing_connections(database_url: str) -> Iterator[None]:
    """For the bot, the database is down: open connections are cut, new ones refused."""
    name = sa.engine.make_url(database_url).database
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false'))
            connection.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"
                ),
                {"n": name},
            )
        yield
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true'))
        admin.dispose()


def stored_rows(database_url: str, reference: str) -> tuple[int, int]:
    """How many hand-offs have `reference`, and how many notifications they queued."""
    engine = sa.create_engine(database_url, future=True)
    try:
        with engine.connect() as connection:
            return connection.execute(
                sa.text(
                    "SELECT COUNT(DISTINCT h.id), COUNT(n.id) FROM handoffs h "
                    "LEFT JOIN notifications n ON n.handoff_id = h.id WHERE h.reference = :r"
                ),
                {"r": reference},
            ).one()
    finally:
        engine.dispose()


def test_a_handoff_raised_while_the_database_is_down_is_kept_and_stored_later(
    trained_model: Path, tmp_path, notification_env, staff_webhook, staff_mailbox, sender
):
    spool_dir = tmp_path / "spool"
    with postgres_database() as database_url:
        env = {
            **notification_env,
            "DATABASE_URL": database_url,
            "HANDOFF_SPOOL_DIR": str(spool_dir),
        }
        with running_bot(tmp_path, extra_env=env) as bot:
            with refusing_connections(database_url):
                bot.send(sender, "I want to speak to a person")
                text = give_contact_details(bot, sender)
                reference = REFERENCE.search(text).group(0)
                assert text == response_text(
                    "utter_handoff_raised",
                    handoff_reference=reference,
                    contact_time="within one working day",
                )
                eventually(
                    lambda: [p for p in staff_webhook.received if p["reference"] == reference]
                )
                eventually(lambda: [m for m in staff_mailbox.messages if reference in m["Subject"]])
                assert [path.name for path in spool_dir.iterdir()] == [f"{reference}.json"]

            (handoff,) = eventually(
                lambda: [h for h in staff_api(bot, "/handoffs") if h["reference"] == reference],
                timeout_s=60,
            )
            assert handoff["contact"]["name"] == "Sam Taylor"
            assert handoff["reasons"] == ["human_requested"]
            eventually(lambda: not any(spool_dir.iterdir()))
            # Stored once, and staff were already told: nothing queued to tell them again.
            assert stored_rows(database_url, reference) == (1, 0)
