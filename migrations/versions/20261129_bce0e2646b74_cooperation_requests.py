"""Cooperation requests (kerja sama penilaian kompetensi): the register of incoming requests for
assessors, one per SOP case.

Revision ID: bce0e2646b74
Revises: 291a27da658d
Create Date: 2026-11-29 04:51:58.334232

"""
from alembic import op
import sqlalchemy as sa


revision = 'bce0e2646b74'
down_revision = '291a27da658d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('permintaan_kerjasama',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kasus_id', sa.Integer(), nullable=False),
    sa.Column('nomor_surat', sa.String(length=100), nullable=True),
    sa.Column('tanggal_surat', sa.Date(), nullable=True),
    sa.Column('instansi_peminta', sa.String(length=250), nullable=True),
    sa.Column('perihal', sa.String(length=250), nullable=True),
    sa.Column('tanggal_mulai', sa.Date(), nullable=True),
    sa.Column('tanggal_selesai', sa.Date(), nullable=True),
    sa.Column('tempat', sa.String(length=250), nullable=True),
    sa.Column('jumlah_asesor', sa.Integer(), nullable=True),
    sa.Column('jenis_asesor', sa.String(length=20), nullable=True),
    sa.Column('disposisi', sa.Text(), nullable=True),
    sa.Column('keputusan', sa.String(length=10), nullable=True),
    sa.Column('alasan_keputusan', sa.Text(), nullable=True),
    sa.Column('diputuskan_at', sa.DateTime(), nullable=True),
    sa.Column('diputuskan_oleh_id', sa.Integer(), nullable=True),
    sa.Column('dibuat_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('jumlah_asesor IS NULL OR jumlah_asesor >= 1', name='ck_permintaan_kerjasama_jumlah'),
    sa.CheckConstraint('tanggal_selesai IS NULL OR tanggal_mulai IS NULL OR tanggal_selesai >= tanggal_mulai', name='ck_permintaan_kerjasama_tanggal'),
    sa.ForeignKeyConstraint(['diputuskan_oleh_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['kasus_id'], ['kasus.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kasus_id')
    )
    with op.batch_alter_table('permintaan_kerjasama', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_permintaan_kerjasama_tanggal_mulai'), ['tanggal_mulai'], unique=False)
        batch_op.create_index(batch_op.f('ix_permintaan_kerjasama_tanggal_selesai'), ['tanggal_selesai'], unique=False)



def downgrade():
    with op.batch_alter_table('permintaan_kerjasama', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_permintaan_kerjasama_tanggal_selesai'))
        batch_op.drop_index(batch_op.f('ix_permintaan_kerjasama_tanggal_mulai'))

    op.drop_table('permintaan_kerjasama')
