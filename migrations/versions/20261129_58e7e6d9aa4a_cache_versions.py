"""cache versions

Revision ID: 58e7e6d9aa4a
Revises: 7d0472d5548d
Create Date: 2026-11-29 02:46:01.008316

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '58e7e6d9aa4a'
down_revision = '7d0472d5548d'
branch_labels = None
depends_on = None


def upgrade():
    # One version number per process-wide cache (app/cache.py): permissions, days off,
    # the unit tree with the roles that see only their own records.
    table = op.create_table('penkom_versi',
    sa.Column('nama', sa.String(length=40), nullable=False),
    sa.Column('versi', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('nama')
    )
    op.bulk_insert(table, [{'nama': 'izin', 'versi': 0}, {'nama': 'kalender', 'versi': 0},
                              {'nama': 'organisasi', 'versi': 0}])


def downgrade():
    op.drop_table('penkom_versi')
