"""courses: store each item's neighbours in the learners' reading order

Revision ID: 0148ee0ad1ce
Revises: b4d2e8f61a37
Create Date: 2026-12-02 05:00:00

"""
from itertools import groupby

import sqlalchemy as sa
from alembic import op

revision = "0148ee0ad1ce"
down_revision = "b4d2e8f61a37"
branch_labels = None
depends_on = None

items = sa.table(
    "items",
    sa.column("id", sa.Integer),
    sa.column("module_id", sa.Integer),
    sa.column("position", sa.Integer),
    sa.column("archived", sa.Boolean),
    sa.column("previous_item_id", sa.Integer),
    sa.column("next_item_id", sa.Integer),
)
modules = sa.table(
    "modules",
    sa.column("id", sa.Integer),
    sa.column("track_id", sa.Integer),
    sa.column("position", sa.Integer),
    sa.column("archived", sa.Boolean),
)


def upgrade():
    op.add_column("items", sa.Column("previous_item_id", sa.Integer(), nullable=True))
    op.add_column("items", sa.Column("next_item_id", sa.Integer(), nullable=True))
    _store_reading_order()


def _store_reading_order():
    """Fill the new columns for the items already imported, as an import now would."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(modules.c.track_id, items.c.id)
        .join(modules, modules.c.id == items.c.module_id)
        .where(~items.c.archived, ~modules.c.archived)
        .order_by(modules.c.track_id, modules.c.position, items.c.position)
    ).all()
    links = []
    for _track, track_rows in groupby(rows, key=lambda row: row.track_id):
        ids = [row.id for row in track_rows]
        for before, item, after in zip([None, *ids[:-1]], ids, [*ids[1:], None], strict=True):
            links.append({"item": item, "before": before, "after": after})
    if links:
        connection.execute(
            items.update()
            .where(items.c.id == sa.bindparam("item"))
            .values(previous_item_id=sa.bindparam("before"), next_item_id=sa.bindparam("after")),
            links,
        )


def downgrade():
    # Plain ALTER TABLE also on SQLite (3.35+): a batch copy of items would cascade
    # its drop to every table that refers to items.
    op.drop_column("items", "next_item_id")
    op.drop_column("items", "previous_item_id")
