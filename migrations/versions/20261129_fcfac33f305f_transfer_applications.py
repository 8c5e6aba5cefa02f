"""Transfer-in applications (mutasi masuk): the application of a case with its document checklist, and the
document kinds an agency requires of a transfer.

Revision ID: fcfac33f305f
Revises: 12c8c1bfa321
Create Date: 2026-11-29 04:51:53.360784

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fcfac33f305f'
down_revision = '12c8c1bfa321'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('permohonan_mutasi',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kasus_id', sa.Integer(), nullable=False),
    sa.Column('nip', sa.String(length=18), nullable=True),
    sa.Column('nama', sa.String(length=150), nullable=False),
    sa.Column('gelar_depan', sa.String(length=40), nullable=True),
    sa.Column('gelar_belakang', sa.String(length=80), nullable=True),
    sa.Column('instansi_asal', sa.String(length=200), nullable=True),
    sa.Column('jabatan_asal', sa.String(length=200), nullable=True),
    sa.Column('pangkat_id', sa.Integer(), nullable=True),
    sa.Column('jabatan_target_id', sa.Integer(), nullable=True),
    sa.Column('formasi', sa.String(length=250), nullable=True),
    sa.Column('alasan', sa.Text(), nullable=True),
    sa.Column('dibuat_oleh_id', sa.Integer(), nullable=True),
    sa.Column('dibuat_at', sa.DateTime(), nullable=False),
    sa.Column('diverifikasi_oleh_id', sa.Integer(), nullable=True),
    sa.Column('diverifikasi_at', sa.DateTime(), nullable=True),
    sa.Column('diserahkan_kepada', sa.Text(), nullable=True),
    sa.Column('diserahkan_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['dibuat_oleh_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['diverifikasi_oleh_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['jabatan_target_id'], ['jabatan.id'], ),
    sa.ForeignKeyConstraint(['kasus_id'], ['kasus.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pangkat_id'], ['pangkat.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kasus_id')
    )
    with op.batch_alter_table('permohonan_mutasi', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_permohonan_mutasi_jabatan_target_id'), ['jabatan_target_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_permohonan_mutasi_nip'), ['nip'], unique=False)

    op.create_table('permohonan_mutasi_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('permohonan_id', sa.Integer(), nullable=False),
    sa.Column('urutan', sa.Integer(), nullable=False),
    sa.Column('jenis', sa.String(length=60), nullable=False),
    sa.Column('nama', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=14), nullable=False),
    sa.Column('catatan', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['permohonan_id'], ['permohonan_mutasi.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('permohonan_id', 'jenis', name='uq_permohonan_mutasi_item_jenis')
    )
    with op.batch_alter_table('permohonan_mutasi_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_permohonan_mutasi_item_permohonan_id'), ['permohonan_id'], unique=False)

    with op.batch_alter_table('jenis_dokumen', schema=None) as batch_op:
        batch_op.add_column(sa.Column('syarat_mutasi', sa.Boolean(), server_default=sa.false(), nullable=True))
    # Tangerang's kinds of the transfer file (data/dokumen/jenis_dokumen.toml) on existing databases.
    op.execute(
        "UPDATE jenis_dokumen SET syarat_mutasi = " + ("1" if op.get_bind().dialect.name == "sqlite" else "true")
        + " WHERE instansi_id IN (SELECT id FROM instansi WHERE kode = 'TNG') AND kode IN ('surat_permohonan', "
        "'surat_persetujuan', 'sk_cpns_pns', 'sk_pangkat_terakhir', 'ijazah', 'skp', 'surat_pernyataan')"
    )



def downgrade():
    with op.batch_alter_table('jenis_dokumen', schema=None) as batch_op:
        batch_op.drop_column('syarat_mutasi')

    with op.batch_alter_table('permohonan_mutasi_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_permohonan_mutasi_item_permohonan_id'))

    op.drop_table('permohonan_mutasi_item')
    with op.batch_alter_table('permohonan_mutasi', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_permohonan_mutasi_nip'))
        batch_op.drop_index(batch_op.f('ix_permohonan_mutasi_jabatan_target_id'))

    op.drop_table('permohonan_mutasi')
