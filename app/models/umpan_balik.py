"""Feedback to a participant after an assessment (seed 4 step 9): the participant's request, the
session (date, who gave it, notes) and, from those, the feedback report printed on the agency's
letterhead. One record per participant of an event."""

from __future__ import annotations

import datetime as dt

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, DateTime, ForeignKey, Text, delete, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.audit import audited
from app.models.master import Pegawai
from app.models.penilaian import KegiatanPenilaian, Peserta
from app.models.security import PenkomUser, utcnow


@audited(title=_l("Feedback"), describe=lambda u: f"{u.peserta_id}: {u.tanggal_permintaan}")
class UmpanBalik(Model):
    """A participant's feedback: requested on a date, then given in a session by an assessor."""

    __tablename__ = "umpan_balik"
    id: Mapped[int] = mapped_column(primary_key=True)
    kegiatan_id: Mapped[int] = mapped_column(ForeignKey("kegiatan_penilaian.id", ondelete="CASCADE"), index=True)
    kegiatan: Mapped[KegiatanPenilaian] = relationship()
    peserta_id: Mapped[int] = mapped_column(ForeignKey("peserta.id", ondelete="CASCADE"), unique=True)
    peserta: Mapped[Peserta] = relationship()
    tanggal_permintaan: Mapped[dt.date] = mapped_column(Date)
    permintaan: Mapped[str | None] = mapped_column(Text, default="")
    dicatat_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    dicatat_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    dicatat_oleh: Mapped[PenkomUser | None] = relationship(foreign_keys=[dicatat_oleh_id])
    # The session; empty until it took place.
    tanggal_sesi: Mapped[dt.date | None] = mapped_column(Date)
    pemberi_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id"), index=True)
    pemberi: Mapped[Pegawai | None] = relationship()
    catatan_sesi: Mapped[str | None] = mapped_column(Text, default="")
    sesi_dicatat_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    @property
    def selesai(self) -> bool:
        """The session took place (the feedback report can be printed)."""
        return self.tanggal_sesi is not None

    def __str__(self) -> str:
        return self.peserta.nama_lengkap if self.peserta else f"#{self.id}"


@event.listens_for(Peserta, "before_delete")
def _remove_with_participant(mapper, connection, target) -> None:
    """Removing a participant (before any score) removes their request too, also where SQLite does not
    enforce the foreign key's ON DELETE CASCADE."""
    connection.execute(delete(UmpanBalik.__table__).where(UmpanBalik.__table__.c.peserta_id == target.id))
