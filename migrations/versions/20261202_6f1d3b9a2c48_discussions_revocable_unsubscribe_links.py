"""discussions: a user can cancel the unsubscribe links of emails already sent

Revision ID: 6f1d3b9a2c48
Revises: d97cb0901735
Create Date: 2026-12-02 02:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "6f1d3b9a2c48"
down_revision = "d97cb0901735"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("discussion_settings") as batch_op:
        batch_op.add_column(sa.Column("links_revoked_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("discussion_settings") as batch_op:
        batch_op.drop_column("links_revoked_at")
