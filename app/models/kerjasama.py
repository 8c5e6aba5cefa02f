"""Cooperation requests (kerja sama penilaian kompetensi): the register of incoming requests for
assessors from other agencies, one per SOP case (Pemalang seed SOP). The case's step 1 creates the
record; the Kabid fills in the letter and the activity, step 2 records the decision with its reason,
step 4 chooses the assessors (the case's assigned people, from the assessor register), and the
activity's end date sets the due time of the report (step 11)."""

from __future__ import annotations

import datetime as dt
import enum

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.audit import audited
from app.models.kasus import Kasus
from app.models.penilaian import JENIS_ASESOR_LABELS, JenisAsesor
from app.models.security import PenkomUser, utcnow


class Keputusan(enum.StrEnum):
    DITERIMA = "diterima"
    DITOLAK = "ditolak"


KEPUTUSAN_LABELS = {Keputusan.DITERIMA: _l("Accepted"), Keputusan.DITOLAK: _l("Rejected")}


@audited(title=_l("Cooperation request"))
class PermintaanKerjasama(Model):
    """One incoming request for assessors (permintaan tenaga Asesor SDMA), kept with its SOP case."""

    __tablename__ = "permintaan_kerjasama"
    __table_args__ = (
        CheckConstraint("tanggal_selesai IS NULL OR tanggal_mulai IS NULL OR tanggal_selesai >= tanggal_mulai",
                        name="ck_permintaan_kerjasama_tanggal"),
        CheckConstraint("jumlah_asesor IS NULL OR jumlah_asesor >= 1", name="ck_permintaan_kerjasama_jumlah"),
    )  # fmt: skip
    id: Mapped[int] = mapped_column(primary_key=True)
    kasus_id: Mapped[int] = mapped_column(ForeignKey("kasus.id", ondelete="CASCADE"), unique=True)
    kasus: Mapped[Kasus] = relationship()
    # The incoming letter
    nomor_surat: Mapped[str | None] = mapped_column(String(100), default="")
    tanggal_surat: Mapped[dt.date | None] = mapped_column(Date)
    instansi_peminta: Mapped[str | None] = mapped_column(String(250), default="")
    perihal: Mapped[str | None] = mapped_column(String(250), default="")
    # The activity the assessors are asked for
    tanggal_mulai: Mapped[dt.date | None] = mapped_column(Date, index=True)
    tanggal_selesai: Mapped[dt.date | None] = mapped_column(Date, index=True)
    tempat: Mapped[str | None] = mapped_column(String(250), default="")
    jumlah_asesor: Mapped[int | None] = mapped_column(Integer)
    jenis_asesor: Mapped[str | None] = mapped_column(String(20), default=JenisAsesor.ASESOR_SDMA.value)
    # The Kabid's disposition (step 1) and the decision with its reason (step 2)
    disposisi: Mapped[str | None] = mapped_column(Text, default="")
    keputusan: Mapped[str | None] = mapped_column(String(10))
    alasan_keputusan: Mapped[str | None] = mapped_column(Text, default="")
    diputuskan_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    diputuskan_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    diputuskan_oleh: Mapped[PenkomUser | None] = relationship(foreign_keys=[diputuskan_oleh_id])
    dibuat_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    @property
    def keputusan_label(self) -> str:
        return str(KEPUTUSAN_LABELS.get(self.keputusan, "")) if self.keputusan else ""

    @property
    def jenis_asesor_label(self) -> str:
        return str(JENIS_ASESOR_LABELS.get(self.jenis_asesor, "")) if self.jenis_asesor else ""

    def __str__(self) -> str:
        return f"{self.instansi_peminta or '—'}: {self.perihal or self.kasus.judul}"
