"""Transfer-in applications (mutasi masuk, seed SOP 0 of Tangerang): the applicant, the position asked
for, the checklist of required documents with each item's verification, and the report hand-over."""

from __future__ import annotations

import datetime as dt
import enum

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import nip as nip_mod
from app.audit import audited
from app.models.kasus import Kasus
from app.models.master import Jabatan, Pangkat
from app.models.security import PenkomUser, utcnow


class StatusItem(enum.StrEnum):
    BELUM = "belum"
    SESUAI = "sesuai"
    TIDAK_SESUAI = "tidak_sesuai"


STATUS_ITEM_LABELS = {
    StatusItem.BELUM: _l("not verified yet"),
    StatusItem.SESUAI: _l("meets the requirement"),
    StatusItem.TIDAK_SESUAI: _l("does not meet the requirement"),
}


@audited(title=_l("Transfer application"))
class PermohonanMutasi(Model):
    """One civil servant's application to transfer into the agency; one per case of the transfer SOP."""

    __tablename__ = "permohonan_mutasi"
    id: Mapped[int] = mapped_column(primary_key=True)
    kasus_id: Mapped[int] = mapped_column(ForeignKey("kasus.id", ondelete="CASCADE"), unique=True)
    kasus: Mapped[Kasus] = relationship(lazy="joined")
    nip: Mapped[str | None] = mapped_column(String(18), default="", index=True)
    nama: Mapped[str] = mapped_column(String(150), default="")
    gelar_depan: Mapped[str | None] = mapped_column(String(40), default="")
    gelar_belakang: Mapped[str | None] = mapped_column(String(80), default="")
    instansi_asal: Mapped[str | None] = mapped_column(String(200), default="")
    jabatan_asal: Mapped[str | None] = mapped_column(String(200), default="")
    pangkat_id: Mapped[int | None] = mapped_column(ForeignKey("pangkat.id"))
    pangkat: Mapped[Pangkat | None] = relationship(lazy="joined")
    jabatan_target_id: Mapped[int | None] = mapped_column(ForeignKey("jabatan.id"), index=True)
    jabatan_target: Mapped[Jabatan | None] = relationship(lazy="joined")
    formasi: Mapped[str | None] = mapped_column(String(250), default="")  # the unit / formation asked for
    alasan: Mapped[str | None] = mapped_column(Text, default="")
    dibuat_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    dibuat_oleh: Mapped[PenkomUser | None] = relationship(foreign_keys=[dibuat_oleh_id])
    dibuat_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # Step 2: who verified the file and when (each item keeps its own verdict).
    diverifikasi_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    diverifikasi_oleh: Mapped[PenkomUser | None] = relationship(foreign_keys=[diverifikasi_oleh_id])
    diverifikasi_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # Step 10: to whom the report was handed over, and when (from the recipients' parts on the case).
    diserahkan_kepada: Mapped[str | None] = mapped_column(Text, default="")
    diserahkan_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    items: Mapped[list[ItemBerkasMutasi]] = relationship(
        back_populates="permohonan", order_by="ItemBerkasMutasi.urutan", cascade="all, delete-orphan"
    )

    @property
    def nama_lengkap(self) -> str:
        """The name as written on letters: with the academic titles."""
        name = " ".join(x for x in (self.gelar_depan, self.nama) if x)
        return f"{name}, {self.gelar_belakang}" if self.gelar_belakang else name

    @property
    def nip_tampil(self) -> str:
        return nip_mod.format_nip(self.nip) if self.nip else ""

    def __str__(self) -> str:
        return self.nama_lengkap or str(_l("Transfer application #%(id)s", id=self.id))


class ItemBerkasMutasi(Model):
    """One required document of an application (a kind of case attachment) and its verification."""

    __tablename__ = "permohonan_mutasi_item"
    __table_args__ = (UniqueConstraint("permohonan_id", "jenis", name="uq_permohonan_mutasi_item_jenis"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    permohonan_id: Mapped[int] = mapped_column(ForeignKey("permohonan_mutasi.id", ondelete="CASCADE"), index=True)
    permohonan: Mapped[PermohonanMutasi] = relationship(back_populates="items")
    urutan: Mapped[int] = mapped_column(Integer, default=0)
    jenis: Mapped[str] = mapped_column(String(60))  # the attachment kind (JenisDokumen.kode)
    nama: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(14), default=StatusItem.BELUM.value)
    catatan: Mapped[str | None] = mapped_column(Text, default="")

    @property
    def status_label(self) -> str:
        try:
            return str(STATUS_ITEM_LABELS[StatusItem(self.status)])
        except ValueError:
            return self.status

    def __str__(self) -> str:
        return self.nama
