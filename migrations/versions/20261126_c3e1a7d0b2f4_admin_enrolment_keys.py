"""admin: self-enrolment keys

Revision ID: c3e1a7d0b2f4
Revises: a55cf571058a
Create Date: 2026-11-26 21:58:48.282543

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3e1a7d0b2f4'
down_revision = 'a55cf571058a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('enrolment_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('set_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_enrolment_keys_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], name=op.f('fk_enrolment_keys_set_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrolment_keys')),
    sa.UniqueConstraint('course_id', name=op.f('uq_enrolment_keys_course_id'))
    )


def downgrade():
    op.drop_table('enrolment_keys')
