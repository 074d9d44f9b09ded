"""courses: mark the pack files members may fetch; question files, surveys and manifests never

Revision ID: 5a9c3e7b1f24
Revises: e1f0a2b3c4d5
Create Date: 2026-12-03 18:30:00

Until the next import recomputes the exact set (the packs' checksums are
cleared so that it does), every file except manifests, YAML and GIFT stays
public: no lesson link breaks, and the answer keys close at once.
"""

import sqlalchemy as sa
from alembic import op

revision = "5a9c3e7b1f24"
down_revision = "e1f0a2b3c4d5"
branch_labels = None
depends_on = None

SERVER_ONLY_PATTERNS = ("%.yaml", "%.yml", "%.gift")


def upgrade():
    with op.batch_alter_table("pack_assets") as batch_op:
        batch_op.add_column(
            sa.Column("public", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    assets = sa.table("pack_assets", sa.column("path", sa.String), sa.column("public", sa.Boolean))
    server_only = sa.or_(*(sa.func.lower(assets.c.path).like(p) for p in SERVER_ONLY_PATTERNS))
    op.execute(assets.update().where(~server_only).values(public=True))
    packs = sa.table("packs", sa.column("checksum", sa.String))
    op.execute(packs.update().values(checksum=""))


def downgrade():
    with op.batch_alter_table("pack_assets") as batch_op:
        batch_op.drop_column("public")
