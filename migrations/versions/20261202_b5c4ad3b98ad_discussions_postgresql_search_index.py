"""discussions: index posts for full-text search on PostgreSQL

Revision ID: b5c4ad3b98ad
Revises: 7c2e91b04d1a
Create Date: 2026-12-02 06:00:00

SQLite searches its FTS5 table (posts_fts); PostgreSQL gets an expression
index that discussions.services.reading.search matches word for word.
"""
from alembic import op

revision = "b5c4ad3b98ad"
down_revision = "7c2e91b04d1a"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_posts_body_search ON posts "
            "USING gin (to_tsvector('simple'::regconfig, body))"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_posts_body_search")
