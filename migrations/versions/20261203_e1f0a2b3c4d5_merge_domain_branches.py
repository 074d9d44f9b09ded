"""merge the per-domain branches into one head

Revision ID: e1f0a2b3c4d5
Revises: 0148ee0ad1ce, 45d7dfc052d7, 5e0c2a9d41b7, 92bce859a0cc,
    b5c4ad3b98ad, c3e1a7d0b2f4, cfc7a7b2cb35, d81f4c2e9a6b
Create Date: 2026-12-03 18:00:00

"""

revision = "e1f0a2b3c4d5"
down_revision = (
    "0148ee0ad1ce",
    "45d7dfc052d7",
    "5e0c2a9d41b7",
    "92bce859a0cc",
    "b5c4ad3b98ad",
    "c3e1a7d0b2f4",
    "cfc7a7b2cb35",
    "d81f4c2e9a6b",
)
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
