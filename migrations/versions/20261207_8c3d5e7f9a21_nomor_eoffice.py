"""Agencies that number their letters in the national e-office (SRIKANDI) record that number on the
document, and the PDF prints it instead of Penkom's (issue 19, item 7).

Revision ID: 8c3d5e7f9a21
Revises: 6b1f0e2c9a47
Create Date: 2026-12-07 21:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8c3d5e7f9a21'
down_revision = '6b1f0e2c9a47'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('instansi', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nomor_eoffice', sa.Boolean(), server_default=sa.false(), nullable=True))
    with op.batch_alter_table('naskah_dinas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nomor_eoffice', sa.String(length=120), nullable=True))


def downgrade():
    with op.batch_alter_table('naskah_dinas', schema=None) as batch_op:
        batch_op.drop_column('nomor_eoffice')
    with op.batch_alter_table('instansi', schema=None) as batch_op:
        batch_op.drop_column('nomor_eoffice')
