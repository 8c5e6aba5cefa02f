"""In-app notifications: a task arriving, a return with its note, a document to initial or sign, a step
overdue. One row per recipient; the text is written at display time in the reader's language."""

from __future__ import annotations

import datetime as dt
import enum

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.kasus import Kasus
from app.models.naskah import NaskahDinas
from app.models.security import PenkomUser, utcnow


class JenisNotifikasi(enum.StrEnum):
    TUGAS = "tugas"  # a case entered a step of one of my roles
    KEMBALI = "kembali"  # a case was returned to a step of mine, with a note
    PARAF = "paraf"  # a document waits for my initials
    TANDA_TANGAN = "tanda_tangan"  # a document waits for my signature
    TERLAMBAT = "terlambat"  # a step of mine is past its due time
    LAPORAN_KEMBALI = "laporan_kembali"  # QC returned an individual report I wrote


JENIS_LABELS = {
    JenisNotifikasi.TUGAS: _l("New task"),
    JenisNotifikasi.KEMBALI: _l("Returned to you"),
    JenisNotifikasi.PARAF: _l("To initial"),
    JenisNotifikasi.TANDA_TANGAN: _l("To sign"),
    JenisNotifikasi.TERLAMBAT: _l("Overdue"),
    JenisNotifikasi.LAPORAN_KEMBALI: _l("Report returned"),
}


class Notifikasi(Model):
    __tablename__ = "notifikasi"
    __table_args__ = (
        # The same event never reaches the same person twice (e.g. the daily overdue check).
        UniqueConstraint("user_id", "kunci", name="uq_notifikasi_user_kunci"),
        Index("ix_notifikasi_user_dibaca", "user_id", "dibaca_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id", ondelete="CASCADE"))
    user: Mapped[PenkomUser] = relationship()
    jenis: Mapped[str] = mapped_column(String(20))
    kunci: Mapped[str] = mapped_column(String(120))
    kasus_id: Mapped[int | None] = mapped_column(ForeignKey("kasus.id", ondelete="CASCADE"), index=True)
    kasus: Mapped[Kasus | None] = relationship()
    naskah_id: Mapped[int | None] = mapped_column(ForeignKey("naskah_dinas.id", ondelete="CASCADE"), index=True)
    naskah: Mapped[NaskahDinas | None] = relationship()
    langkah_no: Mapped[int | None] = mapped_column(Integer)
    langkah_nama: Mapped[str | None] = mapped_column(String(250), default="")
    subjek: Mapped[str | None] = mapped_column(String(500), default="")  # the case title or document subject
    catatan: Mapped[str | None] = mapped_column(Text, default="")  # the note of a return
    oleh: Mapped[str | None] = mapped_column(String(200), default="")  # who caused it
    due_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # The page of a record that is neither a case nor a document (e.g. an individual report), as a local path.
    tautan: Mapped[str | None] = mapped_column(String(300), default="")
    dibuat_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    dibaca_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    email_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    @property
    def jenis_label(self) -> str:
        try:
            return str(JENIS_LABELS[JenisNotifikasi(self.jenis)])
        except ValueError:
            return self.jenis
