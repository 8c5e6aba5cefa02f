"""A version (versi) on every record whose state changes by a user's action: official documents,
assessment events (imports, report batches), participants (result lock), score sheets, individual
reports and report batches. Each state change claims its row with "UPDATE ... WHERE versi = :seen"
(app/konkurensi.py), so ten simultaneous clicks have one effect.

Revision ID: 4b1e7c9d2a10
Revises: 21ff094811d6
Create Date: 2026-12-07 16:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4b1e7c9d2a10'
down_revision = '21ff094811d6'
branch_labels = None
depends_on = None

TABLES = ('naskah_dinas', 'kegiatan_penilaian', 'peserta', 'penugasan', 'laporan_individu', 'laporan_job')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('versi', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('versi')
