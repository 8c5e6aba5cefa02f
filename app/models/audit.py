"""The audit trail: one append-only row per create, update or delete of an audited row (see app/audit.py)."""

from __future__ import annotations

import datetime as dt

from flask_appbuilder import Model
from sqlalchemy import JSON, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class AuditLog(Model):
    """Who changed which row, when, and each field's old and new value.

    The database refuses UPDATE and DELETE on this table (triggers made by the migration), so
    rows can only be added. `user_id` has no foreign key on purpose: the trail outlives deleted
    accounts, and an ON DELETE rule would have to change rows the triggers protect.
    `perubahan` maps each field to `[old, new]`; a many-to-many field to `{"removed": [...],
    "added": [...]}` (labels); a secret field (password) to null: it changed, and its values
    are not recorded.
    """

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    waktu: Mapped[dt.datetime] = mapped_column(DateTime, default=_utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    username: Mapped[str] = mapped_column(String(128), index=True)
    alamat_ip: Mapped[str | None] = mapped_column(String(64), default="")
    tabel: Mapped[str] = mapped_column(String(64), index=True)
    row_id: Mapped[int] = mapped_column(Integer, index=True)
    label: Mapped[str] = mapped_column(String(300), default="")
    aksi: Mapped[str] = mapped_column(String(10), index=True)
    perubahan: Mapped[dict] = mapped_column(JSON, default=dict)

    def __str__(self) -> str:
        return f"{self.aksi} {self.tabel} #{self.row_id}"
