"""Participant imports of many rows run on the job queue (issue 17 finding 5): the file, its progress
and its outcome per import.

Revision ID: 6b1f0e2c9a47
Revises: 5e5a1d0c7b2f
Create Date: 2026-12-07 19:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6b1f0e2c9a47'
down_revision = '5e5a1d0c7b2f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('impor_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kegiatan_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('kunci', sa.String(length=40), nullable=True),
    sa.Column('nama_berkas', sa.String(length=200), nullable=False),
    sa.Column('berkas', sa.LargeBinary(), nullable=True),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('diperiksa', sa.Integer(), nullable=False),
    sa.Column('jumlah', sa.Integer(), nullable=True),
    sa.Column('pesan', sa.Text(), nullable=True),
    sa.Column('kesalahan', sa.JSON(), nullable=True),
    sa.Column('token', sa.String(length=40), nullable=True),
    sa.Column('pekerja', sa.String(length=120), nullable=True),
    sa.Column('diklaim_at', sa.DateTime(), nullable=True),
    sa.Column('dibuat_oleh_id', sa.Integer(), nullable=True),
    sa.Column('dibuat_at', sa.DateTime(), nullable=False),
    sa.Column('selesai_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['dibuat_oleh_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['kegiatan_id'], ['kegiatan_penilaian.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kunci')
    )
    with op.batch_alter_table('impor_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_impor_job_kegiatan_id'), ['kegiatan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_impor_job_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('impor_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_impor_job_status'))
        batch_op.drop_index(batch_op.f('ix_impor_job_kegiatan_id'))
    op.drop_table('impor_job')
