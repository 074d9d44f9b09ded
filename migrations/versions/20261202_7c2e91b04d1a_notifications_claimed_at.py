"""notifications: remember when a sender took an email, so one it left sending is reported

Revision ID: 7c2e91b04d1a
Revises: d631fe30f5ad
Create Date: 2026-12-02 05:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = "7c2e91b04d1a"
down_revision = "d631fe30f5ad"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("queued_emails") as batch_op:
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("queued_emails") as batch_op:
        batch_op.drop_column("claimed_at")
