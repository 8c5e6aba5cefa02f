"""In-app notifications (tasks, returns, documents to initial or sign, overdue steps).

Revision ID: 538954cdc31c
Revises: 88d384b03fe6
Create Date: 2026-11-29 01:02:55.218819

"""
from alembic import op
import sqlalchemy as sa


revision = '538954cdc31c'
down_revision = '88d384b03fe6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notifikasi',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('jenis', sa.String(length=20), nullable=False),
    sa.Column('kunci', sa.String(length=120), nullable=False),
    sa.Column('kasus_id', sa.Integer(), nullable=True),
    sa.Column('naskah_id', sa.Integer(), nullable=True),
    sa.Column('langkah_no', sa.Integer(), nullable=True),
    sa.Column('langkah_nama', sa.String(length=250), nullable=True),
    sa.Column('subjek', sa.String(length=500), nullable=True),
    sa.Column('catatan', sa.Text(), nullable=True),
    sa.Column('oleh', sa.String(length=200), nullable=True),
    sa.Column('due_at', sa.DateTime(), nullable=True),
    sa.Column('dibuat_at', sa.DateTime(), nullable=False),
    sa.Column('dibaca_at', sa.DateTime(), nullable=True),
    sa.Column('email_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['kasus_id'], ['kasus.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['naskah_id'], ['naskah_dinas.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['ab_user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'kunci', name='uq_notifikasi_user_kunci')
    )
    with op.batch_alter_table('notifikasi', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifikasi_dibuat_at'), ['dibuat_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifikasi_kasus_id'), ['kasus_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifikasi_naskah_id'), ['naskah_id'], unique=False)
        batch_op.create_index('ix_notifikasi_user_dibaca', ['user_id', 'dibaca_at'], unique=False)



def downgrade():
    with op.batch_alter_table('notifikasi', schema=None) as batch_op:
        batch_op.drop_index('ix_notifikasi_user_dibaca')
        batch_op.drop_index(batch_op.f('ix_notifikasi_naskah_id'))
        batch_op.drop_index(batch_op.f('ix_notifikasi_kasus_id'))
        batch_op.drop_index(batch_op.f('ix_notifikasi_dibuat_at'))

    op.drop_table('notifikasi')
