"""Positions per agency, roles that see only their own records, first-login password change.

Revision ID: 5122049775dc
Revises: f3ecc8384a90
Create Date: 2026-11-29 00:41:49.963851

"""
from alembic import op
import sqlalchemy as sa


revision = '5122049775dc'
down_revision = 'f3ecc8384a90'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lingkup_peran',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('role_id', sa.Integer(), nullable=False),
    sa.Column('lingkup', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['role_id'], ['ab_role.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('role_id')
    )
    with op.batch_alter_table('ab_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('wajib_ganti_sandi', sa.Boolean(), nullable=True))

    with op.batch_alter_table('jabatan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('instansi_id', sa.Integer(), nullable=True))
        batch_op.drop_constraint('uq_jabatan_nama_jenjang', type_='unique')
        batch_op.create_index(batch_op.f('ix_jabatan_instansi_id'), ['instansi_id'], unique=False)
        batch_op.create_unique_constraint('uq_jabatan_instansi_nama_jenjang', ['instansi_id', 'nama', 'jenjang'])
        batch_op.create_foreign_key('fk_jabatan_instansi_id', 'instansi', ['instansi_id'], ['id'])

    # Structural and pelaksana positions held in exactly one agency become that agency's; functional
    # positions and positions shared by several agencies stay national (administrators keep them).
    op.execute(
        """
        UPDATE jabatan SET instansi_id = (
            SELECT MIN(u.instansi_id) FROM pegawai p JOIN unit_kerja u ON u.id = p.unit_kerja_id
            WHERE p.jabatan_id = jabatan.id)
        WHERE jenis <> 'fungsional' AND (
            SELECT COUNT(DISTINCT u.instansi_id) FROM pegawai p JOIN unit_kerja u ON u.id = p.unit_kerja_id
            WHERE p.jabatan_id = jabatan.id) = 1
        """
    )


def downgrade():
    with op.batch_alter_table('jabatan', schema=None) as batch_op:
        batch_op.drop_constraint('fk_jabatan_instansi_id', type_='foreignkey')
        batch_op.drop_constraint('uq_jabatan_instansi_nama_jenjang', type_='unique')
        batch_op.drop_index(batch_op.f('ix_jabatan_instansi_id'))
        batch_op.create_unique_constraint('uq_jabatan_nama_jenjang', ['nama', 'jenjang'])
        batch_op.drop_column('instansi_id')

    with op.batch_alter_table('ab_user', schema=None) as batch_op:
        batch_op.drop_column('wajib_ganti_sandi')

    op.drop_table('lingkup_peran')
