"""Workflow engine gaps: co-actors' parts and comments, branch memory, printed step numbers, step
outputs, the agency's document kinds, the SOP's "mengetahui" official.

Revision ID: 7d0472d5548d
Revises: 62f2e6e4c652
Create Date: 2026-11-29 01:13:18.250809

"""
from alembic import op
import sqlalchemy as sa


revision = '7d0472d5548d'
down_revision = '62f2e6e4c652'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('jenis_dokumen',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instansi_id', sa.Integer(), nullable=True),
    sa.Column('kode', sa.String(length=60), nullable=False),
    sa.Column('nama', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['instansi_id'], ['instansi.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('instansi_id', 'kode', name='uq_jenis_dokumen_instansi_kode')
    )
    with op.batch_alter_table('jenis_dokumen', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jenis_dokumen_instansi_id'), ['instansi_id'], unique=False)

    op.create_table('kasus_tanggapan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kasus_id', sa.Integer(), nullable=False),
    sa.Column('langkah_no', sa.Integer(), nullable=False),
    sa.Column('masuk_at', sa.DateTime(), nullable=False),
    sa.Column('pelaksana_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('jenis', sa.String(length=12), nullable=False),
    sa.Column('komentar', sa.Text(), nullable=True),
    sa.Column('waktu', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['kasus_id'], ['kasus.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pelaksana_id'], ['sop_pelaksana.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['ab_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('kasus_tanggapan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kasus_tanggapan_kasus_id'), ['kasus_id'], unique=False)

    with op.batch_alter_table('sop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mengetahui_jabatan', sa.String(length=250), nullable=True))
        batch_op.add_column(sa.Column('mengetahui_nama', sa.String(length=150), nullable=True))
        batch_op.add_column(sa.Column('mengetahui_pangkat', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('mengetahui_nip', sa.String(length=18), nullable=True))

    with op.batch_alter_table('sop_langkah', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nomor', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('bersama', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('ya_jika', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('tidak_jika', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('label_lanjut', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('keluaran', sa.String(length=400), nullable=True))



def downgrade():
    with op.batch_alter_table('sop_langkah', schema=None) as batch_op:
        batch_op.drop_column('keluaran')
        batch_op.drop_column('label_lanjut')
        batch_op.drop_column('tidak_jika')
        batch_op.drop_column('ya_jika')
        batch_op.drop_column('bersama')
        batch_op.drop_column('nomor')

    with op.batch_alter_table('sop', schema=None) as batch_op:
        batch_op.drop_column('mengetahui_nip')
        batch_op.drop_column('mengetahui_pangkat')
        batch_op.drop_column('mengetahui_nama')
        batch_op.drop_column('mengetahui_jabatan')

    with op.batch_alter_table('kasus_tanggapan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kasus_tanggapan_kasus_id'))

    op.drop_table('kasus_tanggapan')
    with op.batch_alter_table('jenis_dokumen', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jenis_dokumen_instansi_id'))

    op.drop_table('jenis_dokumen')
