"""audit trail: the audit_log table, append-only by database triggers

Revision ID: 88d384b03fe6
Revises: 5122049775dc
Create Date: 2026-11-29 00:44:42.844864

The triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) on audit_log, whoever asks.
A later batch migration of audit_log on SQLite (copy + rename) drops them with the old table:
create them again there (`create_append_only_triggers`).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '88d384b03fe6'
down_revision = '5122049775dc'
branch_labels = None
depends_on = None

MESSAGE = "audit_log is append-only"


def create_append_only_triggers():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )
        op.execute(
            "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )


def upgrade():
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('waktu', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=128), nullable=False),
    sa.Column('alamat_ip', sa.String(length=64), nullable=True),
    sa.Column('tabel', sa.String(length=64), nullable=False),
    sa.Column('row_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('aksi', sa.String(length=10), nullable=False),
    sa.Column('perubahan', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_aksi'), ['aksi'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_row_id'), ['row_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_tabel'), ['tabel'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_username'), ['username'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_waktu'), ['waktu'], unique=False)
    create_append_only_triggers()


def downgrade():
    # Dropping the table drops its triggers (DROP is not refused: only row changes are).
    op.drop_table('audit_log')
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
