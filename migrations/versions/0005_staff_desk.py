"""The staff desk: screening-flag priority, assignment, WhatsApp profile name, notes, history.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 14:20:00
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The contraindication codes of ../shared/spec/contraindications.md when this revision was
# written: stored hand-offs that raised one become "screening" (clinic_store/priorities.py
# reads them from content/questionnaire.yml for new ones).
SCREENING_CODES = frozenset(
    {
        *("pregnancy", "psoriasis", "eczema", "rosacea", "chronic_skin_disorder"),
        *("skin_inflammation", "active_skin_infection", "open_wound", "sunburn", "herpes"),
        *("keloid_history", "acne_medication", "recent_radiation", "bleeding_disorder"),
        *("poor_healing", "solar_keratosis", "raised_moles_warts"),
    }
)
HANDOFFS = sa.table(
    "handoffs", sa.column("id"), sa.column("priority"), sa.column("reasons", sa.JSON)
)


def _set_priority(check: str) -> None:
    with op.batch_alter_table("handoffs") as batch_op:
        batch_op.drop_constraint(op.f("ck_handoffs_priority"), type_="check")
        batch_op.create_check_constraint(op.f("ck_handoffs_priority"), sa.text(check))


def _screening_ids(connection: sa.engine.Connection) -> list[int]:
    rows = connection.execute(
        sa.select(HANDOFFS.c.id, HANDOFFS.c.reasons).where(HANDOFFS.c.priority == "normal")
    )
    return [
        handoff_id
        for handoff_id, reasons in rows
        if SCREENING_CODES.intersection(json.loads(reasons) if isinstance(reasons, str) else reasons)
    ]


def _case_table(name: str, *columns: sa.schema.SchemaItem) -> None:
    """A table of rows about one hand-off each, deleted with it."""
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handoff_id", sa.Integer(), nullable=False),
        *columns,
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["handoff_id"],
            ["handoffs.id"],
            name=op.f(f"fk_{name}_handoff_id_handoffs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    )
    with op.batch_alter_table(name) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{name}_handoff_id"), ["handoff_id"])


def upgrade() -> None:
    _set_priority("priority IN ('urgent', 'screening', 'normal')")
    with op.batch_alter_table("handoffs") as batch_op:
        batch_op.add_column(sa.Column("assigned_to", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("profile_name", sa.String(length=200), nullable=True))
    connection = op.get_bind()
    ids = _screening_ids(connection)
    if ids:
        connection.execute(
            sa.update(HANDOFFS).where(HANDOFFS.c.id.in_(ids)).values(priority="screening")
        )

    _case_table(
        "handoff_notes",
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
    )
    _case_table(
        "handoff_events",
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("staff_name", sa.String(length=100), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('reopened', 'assigned', 'contact_edited')",
            name=op.f("ck_handoff_events_kind"),
        ),
    )


def downgrade() -> None:
    op.drop_table("handoff_events")
    op.drop_table("handoff_notes")
    op.execute(HANDOFFS.update().where(HANDOFFS.c.priority == "screening").values(priority="normal"))
    with op.batch_alter_table("handoffs") as batch_op:
        batch_op.drop_column("profile_name")
        batch_op.drop_column("assigned_to")
    _set_priority("priority IN ('urgent', 'normal')")
