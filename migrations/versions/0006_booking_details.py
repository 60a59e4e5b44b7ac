"""Consultation bookings: the details a person gave, and the slot staff booked.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 14:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handoffs") as batch_op:
        batch_op.add_column(sa.Column("booking", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("booked_slot", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("booked_by", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("booked_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("booking_note", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("handoffs") as batch_op:
        for name in ("booking_note", "booked_at", "booked_by", "booked_slot", "booking"):
            batch_op.drop_column(name)
