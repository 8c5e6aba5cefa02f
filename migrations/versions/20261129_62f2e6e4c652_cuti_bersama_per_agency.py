"""Cuti bersama are days off per agency (on unless the agency works on them).

Revision ID: 62f2e6e4c652
Revises: 538954cdc31c
Create Date: 2026-11-29 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '62f2e6e4c652'
down_revision = '538954cdc31c'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('instansi', schema=None) as batch_op:
        batch_op.add_column(sa.Column('libur_cuti_bersama', sa.Boolean(), server_default=sa.true(), nullable=True))


def downgrade():
    with op.batch_alter_table('instansi', schema=None) as batch_op:
        batch_op.drop_column('libur_cuti_bersama')
