"""surveys: a multiple-choice question may take up to a number of options

Revision ID: d576a365fdf0
Revises: 1735f2804452
Create Date: 2026-12-04 03:00:00

Questions stored so far have no limit (NULL), as before; the next import of a
pack that sets max_choices fills it in.
"""

import sqlalchemy as sa
from alembic import op

revision = "d576a365fdf0"
down_revision = "1735f2804452"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("survey_questions") as batch_op:
        batch_op.add_column(sa.Column("max_choices", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("survey_questions") as batch_op:
        batch_op.drop_column("max_choices")
