"""Session version per user (ab_user.versi_sesi): session cookies and API tokens carry it, and a logout,
a password change or a deactivation moves it on, so that every earlier session of the user ends.

Revision ID: 5e5a1d0c7b2f
Revises: 4b1e7c9d2a10
Create Date: 2026-12-07 16:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5e5a1d0c7b2f"
down_revision = "4b1e7c9d2a10"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("ab_user") as batch_op:
        batch_op.add_column(sa.Column("versi_sesi", sa.Integer(), server_default=sa.text("0"), nullable=False))


def downgrade():
    with op.batch_alter_table("ab_user") as batch_op:
        batch_op.drop_column("versi_sesi")
