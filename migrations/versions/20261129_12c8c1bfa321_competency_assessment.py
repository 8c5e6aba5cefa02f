"""Competency assessment: dictionary, potential aspects, methods, standards, rules, assessor register,
events with team, waves, sessions, methods, matrix and standards snapshot, participants with intake files
and attendance, assignments with scores, consensus, potential ratings, results and their log.

Revision ID: 12c8c1bfa321
Revises: 58e7e6d9aa4a
Create Date: 2026-11-29 01:04:21.422647

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '12c8c1bfa321'
down_revision = '58e7e6d9aa4a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('metode_tingkat',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kode', sa.String(length=20), nullable=False),
    sa.Column('nama', sa.String(length=60), nullable=False),
    sa.Column('keterangan', sa.Text(), nullable=True),
    sa.Column('urutan', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kode')
    )
    op.create_table('potensi_aspek',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kode', sa.String(length=10), nullable=False),
    sa.Column('nama', sa.String(length=150), nullable=False),
    sa.Column('definisi', sa.Text(), nullable=True),
    sa.Column('indikator', sa.Text(), nullable=True),
    sa.Column('urutan', sa.Integer(), nullable=False),
    sa.Column('aktif', sa.Boolean(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kode')
    )
    op.create_table('potensi_skala',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nilai', sa.Integer(), nullable=False),
    sa.Column('kode', sa.String(length=5), nullable=False),
    sa.Column('nama', sa.String(length=40), nullable=False),
    sa.Column('keterangan', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('nilai')
    )
    op.create_table('standar_bawaan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('jenis', sa.String(length=20), nullable=False),
    sa.Column('jenjang', sa.String(length=60), nullable=False),
    sa.Column('level', sa.Numeric(precision=3, scale=1, asdecimal=False), nullable=False),
    sa.Column('keterangan', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('jenis', 'jenjang', name='uq_standar_bawaan')
    )
    op.create_table('aturan_penilaian',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instansi_id', sa.Integer(), nullable=True),
    sa.Column('maks_peserta_gelombang', sa.Integer(), nullable=False),
    sa.Column('maks_peserta_per_asesor', sa.Integer(), nullable=False),
    sa.Column('maks_peserta_per_admin', sa.Integer(), nullable=False),
    sa.Column('min_asesor_per_peserta', sa.Integer(), nullable=False),
    sa.Column('min_metode_per_kompetensi', sa.Integer(), nullable=False),
    sa.Column('setengah_level', sa.Boolean(), nullable=True),
    sa.Column('ambang_sebaran', sa.Numeric(precision=3, scale=1, asdecimal=False), nullable=False),
    sa.Column('rumus_jpm', sa.String(length=20), nullable=False),
    sa.Column('bobot_kompetensi', sa.Integer(), nullable=False),
    sa.Column('bobot_potensi', sa.Integer(), nullable=False),
    sa.Column('pengisian_ms_min', sa.Numeric(precision=6, scale=2, asdecimal=False), nullable=False),
    sa.Column('pengisian_mms_min', sa.Numeric(precision=6, scale=2, asdecimal=False), nullable=False),
    sa.Column('pemetaan_optimal_min', sa.Numeric(precision=6, scale=2, asdecimal=False), nullable=False),
    sa.Column('pemetaan_cukup_min', sa.Numeric(precision=6, scale=2, asdecimal=False), nullable=False),
    sa.Column('skema_seleksi_jpt', sa.String(length=20), nullable=False),
    sa.Column('skema_mutasi', sa.String(length=20), nullable=False),
    sa.Column('potensi_menengah_min', sa.Numeric(precision=6, scale=2, asdecimal=False), nullable=False),
    sa.Column('potensi_tinggi_min', sa.Numeric(precision=6, scale=2, asdecimal=False), nullable=False),
    sa.Column('predikat_kinerja_tinggi', sa.String(length=200), nullable=False),
    sa.Column('predikat_kinerja_sesuai', sa.String(length=200), nullable=False),
    sa.Column('masa_berlaku_tahun', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['instansi_id'], ['instansi.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('instansi_id', name='uq_aturan_penilaian_instansi')
    )
    op.create_table('metode',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kode', sa.String(length=40), nullable=False),
    sa.Column('nama', sa.String(length=150), nullable=False),
    sa.Column('tingkat_id', sa.Integer(), nullable=True),
    sa.Column('deskripsi', sa.Text(), nullable=True),
    sa.Column('durasi_menit', sa.Integer(), nullable=True),
    sa.Column('aktif', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['tingkat_id'], ['metode_tingkat.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kode')
    )
    with op.batch_alter_table('metode', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_metode_tingkat_id'), ['tingkat_id'], unique=False)

    op.create_table('kompetensi',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kode', sa.String(length=20), nullable=False),
    sa.Column('nama', sa.String(length=150), nullable=False),
    sa.Column('jenis', sa.String(length=20), nullable=False),
    sa.Column('definisi', sa.Text(), nullable=True),
    sa.Column('instansi_id', sa.Integer(), nullable=True),
    sa.Column('jabatan_id', sa.Integer(), nullable=True),
    sa.Column('urutan', sa.Integer(), nullable=False),
    sa.Column('aktif', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['instansi_id'], ['instansi.id'], ),
    sa.ForeignKeyConstraint(['jabatan_id'], ['jabatan.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('instansi_id', 'kode', name='uq_kompetensi_instansi_kode')
    )
    with op.batch_alter_table('kompetensi', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kompetensi_instansi_id'), ['instansi_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kompetensi_jabatan_id'), ['jabatan_id'], unique=False)

    op.create_table('metode_potensi',
    sa.Column('metode_id', sa.Integer(), nullable=False),
    sa.Column('aspek_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['aspek_id'], ['potensi_aspek.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['metode_id'], ['metode.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('metode_id', 'aspek_id')
    )
    op.create_table('kompetensi_level',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kompetensi_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('deskripsi', sa.Text(), nullable=False),
    sa.Column('indikator', sa.Text(), nullable=True),
    sa.CheckConstraint('level BETWEEN 1 AND 5', name='ck_kompetensi_level_1_5'),
    sa.ForeignKeyConstraint(['kompetensi_id'], ['kompetensi.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kompetensi_id', 'level', name='uq_kompetensi_level')
    )
    with op.batch_alter_table('kompetensi_level', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kompetensi_level_kompetensi_id'), ['kompetensi_id'], unique=False)

    op.create_table('metode_kompetensi',
    sa.Column('metode_id', sa.Integer(), nullable=False),
    sa.Column('kompetensi_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['kompetensi_id'], ['kompetensi.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['metode_id'], ['metode.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('metode_id', 'kompetensi_id')
    )
    op.create_table('register_asesor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instansi_id', sa.Integer(), nullable=False),
    sa.Column('pegawai_id', sa.Integer(), nullable=False),
    sa.Column('jenis', sa.String(length=20), nullable=False),
    sa.Column('jenjang', sa.String(length=60), nullable=True),
    sa.Column('nomor_sertifikat', sa.String(length=100), nullable=True),
    sa.Column('berlaku_sampai', sa.Date(), nullable=True),
    sa.Column('aktif', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['instansi_id'], ['instansi.id'], ),
    sa.ForeignKeyConstraint(['pegawai_id'], ['pegawai.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('instansi_id', 'pegawai_id', name='uq_register_asesor')
    )
    with op.batch_alter_table('register_asesor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_register_asesor_instansi_id'), ['instansi_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_register_asesor_pegawai_id'), ['pegawai_id'], unique=False)

    op.create_table('standar_kompetensi',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('jabatan_id', sa.Integer(), nullable=False),
    sa.Column('kompetensi_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Numeric(precision=3, scale=1, asdecimal=False), nullable=False),
    sa.ForeignKeyConstraint(['jabatan_id'], ['jabatan.id'], ),
    sa.ForeignKeyConstraint(['kompetensi_id'], ['kompetensi.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('jabatan_id', 'kompetensi_id', name='uq_standar_kompetensi')
    )
    with op.batch_alter_table('standar_kompetensi', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_standar_kompetensi_jabatan_id'), ['jabatan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_standar_kompetensi_kompetensi_id'), ['kompetensi_id'], unique=False)

    op.create_table('kegiatan_penilaian',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nama', sa.String(length=250), nullable=False),
    sa.Column('tujuan', sa.String(length=30), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('unit_kerja_id', sa.Integer(), nullable=False),
    sa.Column('instansi_peminta_id', sa.Integer(), nullable=True),
    sa.Column('jabatan_target_id', sa.Integer(), nullable=True),
    sa.Column('tempat', sa.String(length=250), nullable=True),
    sa.Column('tanggal_mulai', sa.Date(), nullable=True),
    sa.Column('tanggal_selesai', sa.Date(), nullable=True),
    sa.Column('kasus_id', sa.Integer(), nullable=True),
    sa.Column('dibuat_at', sa.DateTime(), nullable=False),
    sa.Column('dibuat_oleh_id', sa.Integer(), nullable=True),
    sa.Column('dimulai_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['dibuat_oleh_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['instansi_peminta_id'], ['instansi.id'], ),
    sa.ForeignKeyConstraint(['jabatan_target_id'], ['jabatan.id'], ),
    sa.ForeignKeyConstraint(['kasus_id'], ['kasus.id'], ),
    sa.ForeignKeyConstraint(['unit_kerja_id'], ['unit_kerja.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kasus_id')
    )
    with op.batch_alter_table('kegiatan_penilaian', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kegiatan_penilaian_instansi_peminta_id'), ['instansi_peminta_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kegiatan_penilaian_jabatan_target_id'), ['jabatan_target_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kegiatan_penilaian_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_kegiatan_penilaian_unit_kerja_id'), ['unit_kerja_id'], unique=False)

    op.create_table('gelombang',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kegiatan_id', sa.Integer(), nullable=False),
    sa.Column('nomor', sa.Integer(), nullable=False),
    sa.Column('tanggal_mulai', sa.Date(), nullable=True),
    sa.Column('tanggal_selesai', sa.Date(), nullable=True),
    sa.Column('tempat', sa.String(length=250), nullable=True),
    sa.ForeignKeyConstraint(['kegiatan_id'], ['kegiatan_penilaian.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kegiatan_id', 'nomor', name='uq_gelombang_nomor')
    )
    with op.batch_alter_table('gelombang', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gelombang_kegiatan_id'), ['kegiatan_id'], unique=False)

    op.create_table('kegiatan_kompetensi',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kegiatan_id', sa.Integer(), nullable=False),
    sa.Column('kompetensi_id', sa.Integer(), nullable=False),
    sa.Column('urutan', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['kegiatan_id'], ['kegiatan_penilaian.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['kompetensi_id'], ['kompetensi.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kegiatan_id', 'kompetensi_id', name='uq_kegiatan_kompetensi')
    )
    with op.batch_alter_table('kegiatan_kompetensi', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kegiatan_kompetensi_kegiatan_id'), ['kegiatan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kegiatan_kompetensi_kompetensi_id'), ['kompetensi_id'], unique=False)

    op.create_table('kegiatan_metode',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kegiatan_id', sa.Integer(), nullable=False),
    sa.Column('metode_id', sa.Integer(), nullable=False),
    sa.Column('urutan', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['kegiatan_id'], ['kegiatan_penilaian.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['metode_id'], ['metode.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kegiatan_id', 'metode_id', name='uq_kegiatan_metode')
    )
    with op.batch_alter_table('kegiatan_metode', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kegiatan_metode_kegiatan_id'), ['kegiatan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kegiatan_metode_metode_id'), ['metode_id'], unique=False)

    op.create_table('kegiatan_standar',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kegiatan_id', sa.Integer(), nullable=False),
    sa.Column('jabatan_id', sa.Integer(), nullable=False),
    sa.Column('kompetensi_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Numeric(precision=3, scale=1, asdecimal=False), nullable=False),
    sa.ForeignKeyConstraint(['jabatan_id'], ['jabatan.id'], ),
    sa.ForeignKeyConstraint(['kegiatan_id'], ['kegiatan_penilaian.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['kompetensi_id'], ['kompetensi.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kegiatan_id', 'jabatan_id', 'kompetensi_id', name='uq_kegiatan_standar')
    )
    with op.batch_alter_table('kegiatan_standar', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kegiatan_standar_jabatan_id'), ['jabatan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kegiatan_standar_kegiatan_id'), ['kegiatan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kegiatan_standar_kompetensi_id'), ['kompetensi_id'], unique=False)

    op.create_table('tim_penilai',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kegiatan_id', sa.Integer(), nullable=False),
    sa.Column('pegawai_id', sa.Integer(), nullable=False),
    sa.Column('peran', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['kegiatan_id'], ['kegiatan_penilaian.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pegawai_id'], ['pegawai.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kegiatan_id', 'pegawai_id', name='uq_tim_penilai')
    )
    with op.batch_alter_table('tim_penilai', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tim_penilai_kegiatan_id'), ['kegiatan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tim_penilai_pegawai_id'), ['pegawai_id'], unique=False)

    op.create_table('kegiatan_matriks',
    sa.Column('metode_kegiatan_id', sa.Integer(), nullable=False),
    sa.Column('kompetensi_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['kompetensi_id'], ['kompetensi.id'], ),
    sa.ForeignKeyConstraint(['metode_kegiatan_id'], ['kegiatan_metode.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('metode_kegiatan_id', 'kompetensi_id')
    )
    op.create_table('peserta',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kegiatan_id', sa.Integer(), nullable=False),
    sa.Column('gelombang_id', sa.Integer(), nullable=False),
    sa.Column('nomor', sa.Integer(), nullable=False),
    sa.Column('pegawai_id', sa.Integer(), nullable=True),
    sa.Column('nip', sa.String(length=18), nullable=False),
    sa.Column('gelar_depan', sa.String(length=40), nullable=True),
    sa.Column('nama', sa.String(length=150), nullable=False),
    sa.Column('gelar_belakang', sa.String(length=80), nullable=True),
    sa.Column('pangkat_id', sa.Integer(), nullable=True),
    sa.Column('jabatan_id', sa.Integer(), nullable=True),
    sa.Column('jabatan_target_id', sa.Integer(), nullable=True),
    sa.Column('instansi_nama', sa.String(length=200), nullable=True),
    sa.Column('unit_nama', sa.String(length=200), nullable=True),
    sa.Column('unit_kerja_id', sa.Integer(), nullable=True),
    sa.Column('predikat_kinerja', sa.String(length=30), nullable=True),
    sa.Column('intake_drh', sa.Boolean(), nullable=True),
    sa.Column('intake_qcom', sa.Boolean(), nullable=True),
    sa.Column('intake_ci', sa.Boolean(), nullable=True),
    sa.Column('ditambah_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['gelombang_id'], ['gelombang.id'], ),
    sa.ForeignKeyConstraint(['jabatan_id'], ['jabatan.id'], ),
    sa.ForeignKeyConstraint(['jabatan_target_id'], ['jabatan.id'], ),
    sa.ForeignKeyConstraint(['kegiatan_id'], ['kegiatan_penilaian.id'], ),
    sa.ForeignKeyConstraint(['pangkat_id'], ['pangkat.id'], ),
    sa.ForeignKeyConstraint(['pegawai_id'], ['pegawai.id'], ),
    sa.ForeignKeyConstraint(['unit_kerja_id'], ['unit_kerja.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kegiatan_id', 'nip', name='uq_peserta_nip')
    )
    with op.batch_alter_table('peserta', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_peserta_gelombang_id'), ['gelombang_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_peserta_jabatan_id'), ['jabatan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_peserta_jabatan_target_id'), ['jabatan_target_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_peserta_kegiatan_id'), ['kegiatan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_peserta_pegawai_id'), ['pegawai_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_peserta_unit_kerja_id'), ['unit_kerja_id'], unique=False)

    op.create_table('sesi_penilaian',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gelombang_id', sa.Integer(), nullable=False),
    sa.Column('metode_id', sa.Integer(), nullable=False),
    sa.Column('mulai', sa.DateTime(), nullable=False),
    sa.Column('selesai', sa.DateTime(), nullable=False),
    sa.Column('ruang', sa.String(length=100), nullable=True),
    sa.CheckConstraint('selesai > mulai', name='ck_sesi_waktu'),
    sa.ForeignKeyConstraint(['gelombang_id'], ['gelombang.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['metode_id'], ['metode.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sesi_penilaian', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sesi_penilaian_gelombang_id'), ['gelombang_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sesi_penilaian_metode_id'), ['metode_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sesi_penilaian_mulai'), ['mulai'], unique=False)

    op.create_table('hasil_penilaian',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('peserta_id', sa.Integer(), nullable=False),
    sa.Column('kegiatan_id', sa.Integer(), nullable=False),
    sa.Column('pegawai_id', sa.Integer(), nullable=True),
    sa.Column('tujuan', sa.String(length=30), nullable=False),
    sa.Column('jabatan_id', sa.Integer(), nullable=True),
    sa.Column('rumus', sa.String(length=20), nullable=False),
    sa.Column('jpm', sa.Numeric(precision=6, scale=2, asdecimal=False), nullable=False),
    sa.Column('kategori', sa.String(length=20), nullable=False),
    sa.Column('skor_potensi', sa.Numeric(precision=6, scale=2, asdecimal=False), nullable=True),
    sa.Column('kelas_potensi', sa.String(length=10), nullable=True),
    sa.Column('tingkat_kinerja', sa.String(length=10), nullable=True),
    sa.Column('kotak', sa.Integer(), nullable=True),
    sa.Column('rincian', sa.JSON(), nullable=True),
    sa.Column('tanggal', sa.Date(), nullable=False),
    sa.Column('berlaku_sampai', sa.Date(), nullable=False),
    sa.Column('dikunci_at', sa.DateTime(), nullable=False),
    sa.Column('dikunci_oleh_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['dikunci_oleh_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['jabatan_id'], ['jabatan.id'], ),
    sa.ForeignKeyConstraint(['kegiatan_id'], ['kegiatan_penilaian.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pegawai_id'], ['pegawai.id'], ),
    sa.ForeignKeyConstraint(['peserta_id'], ['peserta.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('peserta_id')
    )
    with op.batch_alter_table('hasil_penilaian', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hasil_penilaian_berlaku_sampai'), ['berlaku_sampai'], unique=False)
        batch_op.create_index(batch_op.f('ix_hasil_penilaian_kegiatan_id'), ['kegiatan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hasil_penilaian_pegawai_id'), ['pegawai_id'], unique=False)

    op.create_table('konsensus',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('peserta_id', sa.Integer(), nullable=False),
    sa.Column('kompetensi_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Numeric(precision=3, scale=1, asdecimal=False), nullable=False),
    sa.Column('alasan', sa.Text(), nullable=True),
    sa.Column('diubah_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['kompetensi_id'], ['kompetensi.id'], ),
    sa.ForeignKeyConstraint(['peserta_id'], ['peserta.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('peserta_id', 'kompetensi_id', name='uq_konsensus')
    )
    with op.batch_alter_table('konsensus', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_konsensus_kompetensi_id'), ['kompetensi_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_konsensus_peserta_id'), ['peserta_id'], unique=False)

    op.create_table('nilai_potensi',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('peserta_id', sa.Integer(), nullable=False),
    sa.Column('aspek_id', sa.Integer(), nullable=False),
    sa.Column('nilai', sa.Integer(), nullable=False),
    sa.Column('catatan', sa.Text(), nullable=True),
    sa.CheckConstraint('nilai BETWEEN 1 AND 5', name='ck_nilai_potensi_1_5'),
    sa.ForeignKeyConstraint(['aspek_id'], ['potensi_aspek.id'], ),
    sa.ForeignKeyConstraint(['peserta_id'], ['peserta.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('peserta_id', 'aspek_id', name='uq_nilai_potensi')
    )
    with op.batch_alter_table('nilai_potensi', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nilai_potensi_aspek_id'), ['aspek_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nilai_potensi_peserta_id'), ['peserta_id'], unique=False)

    op.create_table('penugasan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kegiatan_id', sa.Integer(), nullable=False),
    sa.Column('peserta_id', sa.Integer(), nullable=False),
    sa.Column('metode_id', sa.Integer(), nullable=False),
    sa.Column('asesor_id', sa.Integer(), nullable=False),
    sa.Column('sesi_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('dikirim_at', sa.DateTime(), nullable=True),
    sa.Column('catatan', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['asesor_id'], ['pegawai.id'], ),
    sa.ForeignKeyConstraint(['kegiatan_id'], ['kegiatan_penilaian.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['metode_id'], ['metode.id'], ),
    sa.ForeignKeyConstraint(['peserta_id'], ['peserta.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sesi_id'], ['sesi_penilaian.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('peserta_id', 'metode_id', 'asesor_id', name='uq_penugasan')
    )
    with op.batch_alter_table('penugasan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_penugasan_asesor_id'), ['asesor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_penugasan_kegiatan_id'), ['kegiatan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_penugasan_metode_id'), ['metode_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_penugasan_peserta_id'), ['peserta_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_penugasan_sesi_id'), ['sesi_id'], unique=False)

    op.create_table('peserta_berkas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('peserta_id', sa.Integer(), nullable=False),
    sa.Column('jenis', sa.String(length=10), nullable=False),
    sa.Column('nama_file', sa.String(length=200), nullable=False),
    sa.Column('mime', sa.String(length=100), nullable=False),
    sa.Column('isi', sa.LargeBinary(), nullable=False),
    sa.Column('diunggah_at', sa.DateTime(), nullable=False),
    sa.Column('diunggah_oleh_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['diunggah_oleh_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['peserta_id'], ['peserta.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('peserta_berkas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_peserta_berkas_peserta_id'), ['peserta_id'], unique=False)

    op.create_table('peserta_kehadiran',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sesi_id', sa.Integer(), nullable=False),
    sa.Column('peserta_id', sa.Integer(), nullable=False),
    sa.Column('hadir', sa.Boolean(), nullable=True),
    sa.Column('catatan', sa.String(length=250), nullable=True),
    sa.ForeignKeyConstraint(['peserta_id'], ['peserta.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sesi_id'], ['sesi_penilaian.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('sesi_id', 'peserta_id', name='uq_kehadiran')
    )
    with op.batch_alter_table('peserta_kehadiran', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_peserta_kehadiran_peserta_id'), ['peserta_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_peserta_kehadiran_sesi_id'), ['sesi_id'], unique=False)

    op.create_table('nilai',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('penugasan_id', sa.Integer(), nullable=False),
    sa.Column('kompetensi_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Numeric(precision=3, scale=1, asdecimal=False), nullable=False),
    sa.Column('bukti', sa.Text(), nullable=True),
    sa.Column('diubah_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['kompetensi_id'], ['kompetensi.id'], ),
    sa.ForeignKeyConstraint(['penugasan_id'], ['penugasan.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('penugasan_id', 'kompetensi_id', name='uq_nilai')
    )
    with op.batch_alter_table('nilai', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nilai_kompetensi_id'), ['kompetensi_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nilai_penugasan_id'), ['penugasan_id'], unique=False)

    op.create_table('penilaian_riwayat',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kegiatan_id', sa.Integer(), nullable=False),
    sa.Column('peserta_id', sa.Integer(), nullable=True),
    sa.Column('penugasan_id', sa.Integer(), nullable=True),
    sa.Column('aksi', sa.String(length=30), nullable=False),
    sa.Column('keterangan', sa.Text(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('waktu', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['kegiatan_id'], ['kegiatan_penilaian.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['penugasan_id'], ['penugasan.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['peserta_id'], ['peserta.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['ab_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('penilaian_riwayat', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_penilaian_riwayat_kegiatan_id'), ['kegiatan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_penilaian_riwayat_peserta_id'), ['peserta_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_penilaian_riwayat_waktu'), ['waktu'], unique=False)



def downgrade():
    with op.batch_alter_table('penilaian_riwayat', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_penilaian_riwayat_waktu'))
        batch_op.drop_index(batch_op.f('ix_penilaian_riwayat_peserta_id'))
        batch_op.drop_index(batch_op.f('ix_penilaian_riwayat_kegiatan_id'))

    op.drop_table('penilaian_riwayat')
    with op.batch_alter_table('nilai', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nilai_penugasan_id'))
        batch_op.drop_index(batch_op.f('ix_nilai_kompetensi_id'))

    op.drop_table('nilai')
    with op.batch_alter_table('peserta_kehadiran', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_peserta_kehadiran_sesi_id'))
        batch_op.drop_index(batch_op.f('ix_peserta_kehadiran_peserta_id'))

    op.drop_table('peserta_kehadiran')
    with op.batch_alter_table('peserta_berkas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_peserta_berkas_peserta_id'))

    op.drop_table('peserta_berkas')
    with op.batch_alter_table('penugasan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_penugasan_sesi_id'))
        batch_op.drop_index(batch_op.f('ix_penugasan_peserta_id'))
        batch_op.drop_index(batch_op.f('ix_penugasan_metode_id'))
        batch_op.drop_index(batch_op.f('ix_penugasan_kegiatan_id'))
        batch_op.drop_index(batch_op.f('ix_penugasan_asesor_id'))

    op.drop_table('penugasan')
    with op.batch_alter_table('nilai_potensi', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nilai_potensi_peserta_id'))
        batch_op.drop_index(batch_op.f('ix_nilai_potensi_aspek_id'))

    op.drop_table('nilai_potensi')
    with op.batch_alter_table('konsensus', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_konsensus_peserta_id'))
        batch_op.drop_index(batch_op.f('ix_konsensus_kompetensi_id'))

    op.drop_table('konsensus')
    with op.batch_alter_table('hasil_penilaian', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hasil_penilaian_pegawai_id'))
        batch_op.drop_index(batch_op.f('ix_hasil_penilaian_kegiatan_id'))
        batch_op.drop_index(batch_op.f('ix_hasil_penilaian_berlaku_sampai'))

    op.drop_table('hasil_penilaian')
    with op.batch_alter_table('sesi_penilaian', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sesi_penilaian_mulai'))
        batch_op.drop_index(batch_op.f('ix_sesi_penilaian_metode_id'))
        batch_op.drop_index(batch_op.f('ix_sesi_penilaian_gelombang_id'))

    op.drop_table('sesi_penilaian')
    with op.batch_alter_table('peserta', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_peserta_unit_kerja_id'))
        batch_op.drop_index(batch_op.f('ix_peserta_pegawai_id'))
        batch_op.drop_index(batch_op.f('ix_peserta_kegiatan_id'))
        batch_op.drop_index(batch_op.f('ix_peserta_jabatan_target_id'))
        batch_op.drop_index(batch_op.f('ix_peserta_jabatan_id'))
        batch_op.drop_index(batch_op.f('ix_peserta_gelombang_id'))

    op.drop_table('peserta')
    op.drop_table('kegiatan_matriks')
    with op.batch_alter_table('tim_penilai', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tim_penilai_pegawai_id'))
        batch_op.drop_index(batch_op.f('ix_tim_penilai_kegiatan_id'))

    op.drop_table('tim_penilai')
    with op.batch_alter_table('kegiatan_standar', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kegiatan_standar_kompetensi_id'))
        batch_op.drop_index(batch_op.f('ix_kegiatan_standar_kegiatan_id'))
        batch_op.drop_index(batch_op.f('ix_kegiatan_standar_jabatan_id'))

    op.drop_table('kegiatan_standar')
    with op.batch_alter_table('kegiatan_metode', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kegiatan_metode_metode_id'))
        batch_op.drop_index(batch_op.f('ix_kegiatan_metode_kegiatan_id'))

    op.drop_table('kegiatan_metode')
    with op.batch_alter_table('kegiatan_kompetensi', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kegiatan_kompetensi_kompetensi_id'))
        batch_op.drop_index(batch_op.f('ix_kegiatan_kompetensi_kegiatan_id'))

    op.drop_table('kegiatan_kompetensi')
    with op.batch_alter_table('gelombang', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gelombang_kegiatan_id'))

    op.drop_table('gelombang')
    with op.batch_alter_table('kegiatan_penilaian', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kegiatan_penilaian_unit_kerja_id'))
        batch_op.drop_index(batch_op.f('ix_kegiatan_penilaian_status'))
        batch_op.drop_index(batch_op.f('ix_kegiatan_penilaian_jabatan_target_id'))
        batch_op.drop_index(batch_op.f('ix_kegiatan_penilaian_instansi_peminta_id'))

    op.drop_table('kegiatan_penilaian')
    with op.batch_alter_table('standar_kompetensi', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_standar_kompetensi_kompetensi_id'))
        batch_op.drop_index(batch_op.f('ix_standar_kompetensi_jabatan_id'))

    op.drop_table('standar_kompetensi')
    with op.batch_alter_table('register_asesor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_register_asesor_pegawai_id'))
        batch_op.drop_index(batch_op.f('ix_register_asesor_instansi_id'))

    op.drop_table('register_asesor')
    op.drop_table('metode_kompetensi')
    with op.batch_alter_table('kompetensi_level', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kompetensi_level_kompetensi_id'))

    op.drop_table('kompetensi_level')
    op.drop_table('metode_potensi')
    with op.batch_alter_table('kompetensi', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kompetensi_jabatan_id'))
        batch_op.drop_index(batch_op.f('ix_kompetensi_instansi_id'))

    op.drop_table('kompetensi')
    with op.batch_alter_table('metode', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_metode_tingkat_id'))

    op.drop_table('metode')
    op.drop_table('aturan_penilaian')
    op.drop_table('standar_bawaan')
    op.drop_table('potensi_skala')
    op.drop_table('potensi_aspek')
    op.drop_table('metode_tingkat')
