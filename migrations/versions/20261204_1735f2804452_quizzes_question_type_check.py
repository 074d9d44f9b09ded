"""quizzes: a question's type must be one the engine knows

Revision ID: 1735f2804452
Revises: 5a9c3e7b1f24
Create Date: 2026-12-04 02:00:00

The column keeps its strings; only a CHECK constraint is added. Every type
stored so far passed the importer's check, so no row can fail it.
"""

from alembic import op

revision = "1735f2804452"
down_revision = "5a9c3e7b1f24"
branch_labels = None
depends_on = None

CONSTRAINT = "ck_quiz_questions_quiz_question_type"
# The types as this revision knows them, not as the models may later.
QUESTION_TYPES = ("single", "multiple", "truefalse", "short", "numerical", "matching", "essay")


def upgrade():
    allowed = ", ".join(f"'{name}'" for name in QUESTION_TYPES)
    with op.batch_alter_table("quiz_questions") as batch_op:
        batch_op.create_check_constraint(op.f(CONSTRAINT), f"type IN ({allowed})")


def downgrade():
    with op.batch_alter_table("quiz_questions") as batch_op:
        batch_op.drop_constraint(op.f(CONSTRAINT), type_="check")
