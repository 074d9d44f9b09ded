"""certificates: remember the stored PDF of each certificate

Revision ID: c8f2a61d9e07
Revises: d576a365fdf0
Create Date: 2026-12-04 03:00:00

Certificates issued before have no stored PDF yet; the first download
renders and stores it.
"""

import sqlalchemy as sa
from alembic import op

revision = "c8f2a61d9e07"
down_revision = "d576a365fdf0"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("certificates") as batch_op:
        batch_op.add_column(sa.Column("pdf_name", sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table("certificates") as batch_op:
        batch_op.drop_column("pdf_name")
