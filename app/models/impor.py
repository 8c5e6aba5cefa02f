"""A participant import run on the job queue (issue 17 finding 5: no import holds a web worker).

An Excel file of many rows is kept in `JobImpor` and imported by a worker (app/penilaian/impor_job.py),
all rows or none as on the page. The row tells the page how far the worker is (`diperiksa` of `total`
rows checked) and, when it is done, how many participants were imported or every bad row. A worker
claims it with a fresh token; a worker that starts (and every worker once a minute) gives back what a
dead or silent worker held. While an import of an event is open its `kunci` holds the event, so an
event has at most one.
"""

from __future__ import annotations

import datetime as dt
import enum

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, DateTime, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.models.penilaian import KegiatanPenilaian
from app.models.security import PenkomUser, utcnow


class StatusImpor(enum.StrEnum):
    ANTRI = "antri"
    BERJALAN = "berjalan"
    SELESAI = "selesai"  # imported
    DITOLAK = "ditolak"  # nothing imported: bad rows, or the event no longer takes participants


STATUS_IMPOR_LABELS = {
    StatusImpor.ANTRI: _l("queued"),
    StatusImpor.BERJALAN: _l("checking the rows"),
    StatusImpor.SELESAI: _l("imported"),
    StatusImpor.DITOLAK: _l("nothing imported"),
}
OPEN = (StatusImpor.ANTRI.value, StatusImpor.BERJALAN.value)


class JobImpor(Model):
    """One Excel file of participants being imported into an event by the job queue."""

    __tablename__ = "impor_job"
    id: Mapped[int] = mapped_column(primary_key=True)
    kegiatan_id: Mapped[int] = mapped_column(ForeignKey("kegiatan_penilaian.id", ondelete="CASCADE"), index=True)
    kegiatan: Mapped[KegiatanPenilaian] = relationship()
    status: Mapped[str] = mapped_column(String(10), default=StatusImpor.ANTRI.value, index=True)
    # The event's id while the import is open, NULL afterwards: a second import of the event cannot start.
    kunci: Mapped[str | None] = mapped_column(String(40), unique=True)
    nama_berkas: Mapped[str] = mapped_column(String(200), default="")
    berkas: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))  # emptied when the import ends
    total: Mapped[int] = mapped_column(Integer, default=0)  # rows with a value, the header not counted
    diperiksa: Mapped[int] = mapped_column(Integer, default=0)
    jumlah: Mapped[int | None] = mapped_column(Integer)  # participants imported
    pesan: Mapped[str | None] = mapped_column(Text, default="")  # why nothing was imported
    kesalahan: Mapped[list | None] = mapped_column(JSON)  # [{"baris": n, "pesan": "..."}]
    token: Mapped[str | None] = mapped_column(String(40))
    pekerja: Mapped[str | None] = mapped_column(String(120))  # host:pid of the worker holding it
    diklaim_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    dibuat_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    dibuat_oleh: Mapped[PenkomUser | None] = relationship()
    dibuat_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    selesai_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    @property
    def status_label(self) -> str:
        return str(STATUS_IMPOR_LABELS.get(self.status, self.status))

    def __str__(self) -> str:
        return self.nama_berkas or f"#{self.id}"
