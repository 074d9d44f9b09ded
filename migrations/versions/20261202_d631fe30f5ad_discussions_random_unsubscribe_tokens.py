"""discussions: unsubscribe links carry random tokens, stored per user and thread or forum

Revision ID: d631fe30f5ad
Revises: 6f1d3b9a2c48
Create Date: 2026-12-02 05:00:00

Links of emails sent before this revision (signed, with ids inside) stop
working; cancelling links now deletes them, so the time of the last
cancelling is no longer kept.
"""
import sqlalchemy as sa
from alembic import op

revision = "d631fe30f5ad"
down_revision = "6f1d3b9a2c48"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "unsubscribe_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("target", sa.Enum("thread", "forum", name="unsubscribe_target"), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_unsubscribe_links_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unsubscribe_links")),
        sa.UniqueConstraint("token", name=op.f("uq_unsubscribe_links_token")),
        sa.UniqueConstraint(
            "user_id",
            "target",
            "target_id",
            name=op.f("uq_unsubscribe_links_user_id_target_target_id"),
        ),
    )
    with op.batch_alter_table("discussion_settings") as batch_op:
        batch_op.drop_column("links_revoked_at")


def downgrade():
    with op.batch_alter_table("discussion_settings") as batch_op:
        batch_op.add_column(sa.Column("links_revoked_at", sa.DateTime(), nullable=True))
    op.drop_table("unsubscribe_links")
    if op.get_bind().dialect.name == "postgresql":
        sa.Enum(name="unsubscribe_target").drop(op.get_bind(), checkfirst=True)
