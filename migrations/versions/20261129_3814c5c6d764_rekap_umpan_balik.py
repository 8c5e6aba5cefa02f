"""Feedback to participants (umpan_balik) and the agency's feedback eligibility rules.

Revision ID: 3814c5c6d764
Revises: fcfac33f305f
Create Date: 2026-11-29 04:51:56.786603

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "3814c5c6d764"
down_revision = "fcfac33f305f"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "umpan_balik",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kegiatan_id", sa.Integer(), nullable=False),
        sa.Column("peserta_id", sa.Integer(), nullable=False),
        sa.Column("tanggal_permintaan", sa.Date(), nullable=False),
        sa.Column("permintaan", sa.Text(), nullable=True),
        sa.Column("dicatat_at", sa.DateTime(), nullable=False),
        sa.Column("dicatat_oleh_id", sa.Integer(), nullable=True),
        sa.Column("tanggal_sesi", sa.Date(), nullable=True),
        sa.Column("pemberi_id", sa.Integer(), nullable=True),
        sa.Column("catatan_sesi", sa.Text(), nullable=True),
        sa.Column("sesi_dicatat_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["dicatat_oleh_id"],
            ["ab_user.id"],
        ),
        sa.ForeignKeyConstraint(["kegiatan_id"], ["kegiatan_penilaian.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["pemberi_id"],
            ["pegawai.id"],
        ),
        sa.ForeignKeyConstraint(["peserta_id"], ["peserta.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("peserta_id"),
    )
    with op.batch_alter_table("umpan_balik", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_umpan_balik_kegiatan_id"), ["kegiatan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_umpan_balik_pemberi_id"), ["pemberi_id"], unique=False)

    with op.batch_alter_table("aturan_penilaian", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("umpan_balik_segera", sa.String(length=200), server_default="pelaksana", nullable=False)
        )
        batch_op.add_column(sa.Column("umpan_balik_jeda_tahun", sa.Integer(), server_default="1", nullable=False))


def downgrade():
    with op.batch_alter_table("aturan_penilaian", schema=None) as batch_op:
        batch_op.drop_column("umpan_balik_jeda_tahun")
        batch_op.drop_column("umpan_balik_segera")

    with op.batch_alter_table("umpan_balik", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_umpan_balik_pemberi_id"))
        batch_op.drop_index(batch_op.f("ix_umpan_balik_kegiatan_id"))

    op.drop_table("umpan_balik")
