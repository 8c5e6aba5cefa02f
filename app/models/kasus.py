"""Cases: one execution of one SOP revision, its immutable history and attachments."""

from __future__ import annotations

import datetime as dt
import enum

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.audit import audited
from app.models.master import Instansi, Pegawai, UnitKerja
from app.models.security import PenkomUser, utcnow
from app.models.sop import Langkah, Pelaksana, Sop


class StatusKasus(enum.StrEnum):
    BERJALAN = "berjalan"
    SELESAI = "selesai"
    DIBATALKAN = "dibatalkan"


STATUS_LABELS = {
    StatusKasus.BERJALAN: _l("running"),
    StatusKasus.SELESAI: _l("finished"),
    StatusKasus.DIBATALKAN: _l("cancelled"),
}


class Kasus(Model):
    __tablename__ = "kasus"
    __table_args__ = (
        # A running case sits on a step; a finished or cancelled one on none.
        CheckConstraint(
            "(status = 'berjalan' AND langkah_id IS NOT NULL) OR (status <> 'berjalan' AND langkah_id IS NULL)",
            name="ck_kasus_status_langkah",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    sop_id: Mapped[int] = mapped_column(ForeignKey("sop.id"), index=True)
    sop: Mapped[Sop] = relationship(lazy="joined")
    judul: Mapped[str] = mapped_column(String(250))
    unit_kerja_id: Mapped[int] = mapped_column(ForeignKey("unit_kerja.id"), index=True)
    unit_kerja: Mapped[UnitKerja] = relationship(lazy="joined")
    status: Mapped[str] = mapped_column(String(12), default=StatusKasus.BERJALAN.value, index=True)
    langkah_id: Mapped[int | None] = mapped_column(ForeignKey("sop_langkah.id"), index=True)
    langkah: Mapped[Langkah | None] = relationship(lazy="joined")
    masuk_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    due_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
    tanggal_kegiatan: Mapped[dt.date | None] = mapped_column(Date)
    dibuat_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    dibuat_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    dibuat_oleh: Mapped[PenkomUser | None] = relationship(foreign_keys=[dibuat_oleh_id])
    selesai_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # Optimistic concurrency: every transition claims the case (app/konkurensi.py).
    versi: Mapped[int] = mapped_column(Integer, default=1)

    riwayat: Mapped[list[KasusRiwayat]] = relationship(
        back_populates="kasus", order_by="KasusRiwayat.id", cascade="all, delete-orphan"
    )
    lampiran: Mapped[list[Lampiran]] = relationship(back_populates="kasus", cascade="all, delete-orphan")
    petugas: Mapped[list[KasusPetugas]] = relationship(
        back_populates="kasus", order_by="KasusPetugas.id", cascade="all, delete-orphan"
    )
    tanggapan: Mapped[list[KasusTanggapan]] = relationship(
        back_populates="kasus", order_by="KasusTanggapan.id", cascade="all, delete-orphan"
    )

    @property
    def langkah_no(self) -> int | None:
        return self.langkah.no if self.langkah else None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(StatusKasus(self.status), self.status))

    @property
    def langkah_tampil(self) -> str:
        """The current step as people read it; a finished or cancelled case shows its status."""
        if self.langkah is not None:
            return str(self.langkah)
        label = self.status_label
        return label[:1].upper() + label[1:]

    def __str__(self) -> str:
        return f"#{self.id} {self.judul}"


class KasusRiwayat(Model):
    """One row per transition; written once, never updated."""

    __tablename__ = "kasus_riwayat"
    id: Mapped[int] = mapped_column(primary_key=True)
    kasus_id: Mapped[int] = mapped_column(ForeignKey("kasus.id", ondelete="CASCADE"), index=True)
    kasus: Mapped[Kasus] = relationship(back_populates="riwayat")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    user: Mapped[PenkomUser | None] = relationship(foreign_keys=[user_id])
    peran: Mapped[str] = mapped_column(String(100), default="")
    transisi: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(120), default="")
    dari_no: Mapped[int | None] = mapped_column(Integer)
    ke_no: Mapped[int | None] = mapped_column(Integer)
    komentar: Mapped[str | None] = mapped_column(Text, default="")
    waktu: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    masuk_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    durasi_menit: Mapped[int | None] = mapped_column(Integer)
    anggaran_menit: Mapped[int | None] = mapped_column(Integer)
    due_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    @property
    def tepat_waktu(self) -> bool | None:
        if self.due_at is None:
            return None
        return self.waktu <= self.due_at


class KasusTanggapan(Model):
    """What an actor marked on a step besides its performer contributed while the case was at that
    step: a comment, or their part done ("semua" steps). Written once, never updated. `masuk_at` is
    the case's entry into the step, so a part counts only for that visit of the step."""

    __tablename__ = "kasus_tanggapan"
    id: Mapped[int] = mapped_column(primary_key=True)
    kasus_id: Mapped[int] = mapped_column(ForeignKey("kasus.id", ondelete="CASCADE"), index=True)
    kasus: Mapped[Kasus] = relationship(back_populates="tanggapan")
    langkah_no: Mapped[int] = mapped_column(Integer)
    masuk_at: Mapped[dt.datetime] = mapped_column(DateTime)
    pelaksana_id: Mapped[int | None] = mapped_column(ForeignKey("sop_pelaksana.id"))
    pelaksana: Mapped[Pelaksana | None] = relationship(lazy="joined")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    user: Mapped[PenkomUser | None] = relationship(foreign_keys=[user_id])
    jenis: Mapped[str] = mapped_column(String(12))  # "komentar" | "bagian"
    komentar: Mapped[str | None] = mapped_column(Text, default="")
    waktu: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


TANGGAPAN_LABELS = {"komentar": _l("Comment"), "bagian": _l("Part done")}


@audited(title=_l("Document kind"))
class JenisDokumen(Model):
    """A kind of document that can be attached to a case (surat permohonan, ijazah, SKP, ...): the
    agency's own list, plus kinds for every agency (no agency)."""

    __tablename__ = "jenis_dokumen"
    __table_args__ = (UniqueConstraint("instansi_id", "kode", name="uq_jenis_dokumen_instansi_kode"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int | None] = mapped_column(ForeignKey("instansi.id"), index=True)
    instansi: Mapped[Instansi | None] = relationship(lazy="joined")
    kode: Mapped[str] = mapped_column(String(60))
    nama: Mapped[str] = mapped_column(String(200))
    # Part of the agency's checklist of a transfer-in application (mutasi masuk): every new application
    # lists the kinds so marked, in name order.
    syarat_mutasi: Mapped[bool | None] = mapped_column(Boolean, default=False, server_default=sa_false())

    def __str__(self) -> str:
        return self.nama


class Lampiran(Model):
    """A file attached to a case (kind named by the SOP, e.g. "surat_permohonan")."""

    __tablename__ = "kasus_lampiran"
    id: Mapped[int] = mapped_column(primary_key=True)
    kasus_id: Mapped[int] = mapped_column(ForeignKey("kasus.id", ondelete="CASCADE"), index=True)
    kasus: Mapped[Kasus] = relationship(back_populates="lampiran")
    jenis: Mapped[str] = mapped_column(String(60))
    nama_file: Mapped[str] = mapped_column(String(200))
    mime: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    isi: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)  # loaded only for a download
    diunggah_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    diunggah_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))


class EvaluasiSop(Model):
    """The evaluator's assessment of one step of one SOP for one monitoring period."""

    __tablename__ = "sop_evaluasi"
    id: Mapped[int] = mapped_column(primary_key=True)
    sop_id: Mapped[int] = mapped_column(ForeignKey("sop.id", ondelete="CASCADE"), index=True)
    sop: Mapped[Sop] = relationship()
    langkah_no: Mapped[int] = mapped_column(Integer)
    periode: Mapped[str] = mapped_column(String(40))
    penilaian: Mapped[str] = mapped_column(String(20))
    catatan: Mapped[str | None] = mapped_column(Text, default="")
    tindakan: Mapped[str | None] = mapped_column(Text, default="")
    dinilai_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class KasusPetugas(Model):
    """A civil servant assigned to a case (e.g. the assessors chosen for a cooperation request)."""

    __tablename__ = "kasus_petugas"
    __table_args__ = (UniqueConstraint("kasus_id", "pegawai_id", name="uq_kasus_petugas"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kasus_id: Mapped[int] = mapped_column(ForeignKey("kasus.id", ondelete="CASCADE"), index=True)
    kasus: Mapped[Kasus] = relationship(back_populates="petugas")
    pegawai_id: Mapped[int] = mapped_column(ForeignKey("pegawai.id"))
    pegawai: Mapped[Pegawai] = relationship(lazy="joined")
    peran: Mapped[str | None] = mapped_column(String(120), default="")
    ditambah_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
