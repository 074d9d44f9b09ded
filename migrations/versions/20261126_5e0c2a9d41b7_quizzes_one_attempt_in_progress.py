"""quizzes: at most one attempt in progress per learner

Revision ID: 5e0c2a9d41b7
Revises: 783596fd8697
Create Date: 2026-11-26 23:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "5e0c2a9d41b7"
down_revision = "783596fd8697"
branch_labels = None
depends_on = None

IN_PROGRESS = sa.text("state = 'in_progress'")


def upgrade():
    op.create_index(
        "uq_quiz_attempts_one_in_progress",
        "quiz_attempts",
        ["quiz_id", "user_id"],
        unique=True,
        sqlite_where=IN_PROGRESS,
        postgresql_where=IN_PROGRESS,
    )


def downgrade():
    op.drop_index("uq_quiz_attempts_one_in_progress", table_name="quiz_attempts")
