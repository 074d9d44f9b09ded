"""courses: index modules and items by their place, for a lesson's neighbours

Revision ID: b4d2e8f61a37
Revises: a55cf571058a
Create Date: 2026-11-27 01:30:00

"""
from alembic import op

revision = "b4d2e8f61a37"
down_revision = "a55cf571058a"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_modules_track_id_position", "modules", ["track_id", "position"])
    op.drop_index("ix_modules_track_id", table_name="modules")
    op.create_index("ix_items_module_id_position", "items", ["module_id", "position"])
    op.drop_index("ix_items_module_id", table_name="items")


def downgrade():
    op.create_index("ix_items_module_id", "items", ["module_id"])
    op.drop_index("ix_items_module_id_position", table_name="items")
    op.create_index("ix_modules_track_id", "modules", ["track_id"])
    op.drop_index("ix_modules_track_id_position", table_name="modules")
