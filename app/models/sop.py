"""SOP as data (Permen PAN-RB 35/2012): identity block, six fields, actors, steps, revisions."""

from __future__ import annotations

import datetime as dt
import enum

from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import Role
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Column, Date, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.audit import audited
from app.models.master import Instansi, UnitKerja
from app.waktu import Budget, parse_waktu


class Simbol(enum.StrEnum):
    MULAI = "mulai"
    PROSES = "proses"
    KEPUTUSAN = "keputusan"
    SELESAI = "selesai"


SIMBOL_LABELS = {
    Simbol.MULAI: _l("Start (capsule)"),
    Simbol.PROSES: _l("Process (rectangle)"),
    Simbol.KEPUTUSAN: _l("Decision (diamond)"),
    Simbol.SELESAI: _l("End (capsule)"),
}

SATUAN_LABELS = {
    "menit": _l("minutes"),
    "jam": _l("hours"),
    "hari": _l("working days"),
    "minggu": _l("weeks"),
    "bulan": _l("months"),
}


def lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@audited(title=_l("SOP"))
class Sop(Model):
    """One revision of one SOP. Revisions of the same SOP share `kode`; the newest is `berlaku`."""

    __tablename__ = "sop"
    __table_args__ = (UniqueConstraint("kode", "revisi", name="uq_sop_kode_revisi"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kode: Mapped[str] = mapped_column(String(80), index=True)
    revisi: Mapped[int] = mapped_column(Integer, default=0)
    berlaku: Mapped[bool | None] = mapped_column(Boolean, default=True, index=True)
    revisi_dibuat: Mapped[dt.datetime | None] = mapped_column(default=None)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"), index=True)
    instansi: Mapped[Instansi] = relationship(lazy="joined")
    unit_kerja_id: Mapped[int] = mapped_column(ForeignKey("unit_kerja.id"), index=True)
    unit_kerja: Mapped[UnitKerja] = relationship(lazy="joined")
    nomor: Mapped[str | None] = mapped_column(String(120), default="")
    nama: Mapped[str] = mapped_column(String(250))
    jenis: Mapped[str] = mapped_column(String(10), default="mikro")
    tanggal_pembuatan: Mapped[dt.date | None] = mapped_column(Date)
    tanggal_revisi: Mapped[dt.date | None] = mapped_column(Date)
    tanggal_efektif: Mapped[dt.date | None] = mapped_column(Date)
    pengesah_jabatan: Mapped[str | None] = mapped_column(String(250), default="")
    pengesah_nama: Mapped[str | None] = mapped_column(String(150), default="")
    pengesah_pangkat: Mapped[str | None] = mapped_column(String(100), default="")
    pengesah_nip: Mapped[str | None] = mapped_column(String(18), default="")
    # "Mengetahui" (acknowledged by): an official printed below the table, e.g. the head of the centre.
    mengetahui_jabatan: Mapped[str | None] = mapped_column(String(250), default="")
    mengetahui_nama: Mapped[str | None] = mapped_column(String(150), default="")
    mengetahui_pangkat: Mapped[str | None] = mapped_column(String(100), default="")
    mengetahui_nip: Mapped[str | None] = mapped_column(String(18), default="")
    # The six text fields: one list item per line.
    dasar_hukum: Mapped[str | None] = mapped_column(Text, default="")
    kualifikasi_pelaksana: Mapped[str | None] = mapped_column(Text, default="")
    keterkaitan: Mapped[str | None] = mapped_column(Text, default="")
    peralatan: Mapped[str | None] = mapped_column(Text, default="")
    peringatan: Mapped[str | None] = mapped_column(Text, default="")
    pencatatan: Mapped[str | None] = mapped_column(Text, default="")
    sop_terkait: Mapped[str | None] = mapped_column(Text, default="")
    catatan_transkripsi: Mapped[str | None] = mapped_column(Text, default="")

    pelaksana: Mapped[list[Pelaksana]] = relationship(
        back_populates="sop", order_by="Pelaksana.urutan", cascade="all, delete-orphan"
    )
    langkah: Mapped[list[Langkah]] = relationship(
        back_populates="sop", order_by="Langkah.no", cascade="all, delete-orphan"
    )

    def step(self, no: int | None) -> Langkah | None:
        return next((s for s in self.langkah if s.no == no), None)

    def __str__(self) -> str:
        rev = f" (rev. {self.revisi})" if self.revisi else ""
        return f"{self.nama}{rev}"


@audited(title=_l("SOP actor"))
class Pelaksana(Model):
    """An actor column of the SOP table, mapped to the role whose holders perform its steps."""

    __tablename__ = "sop_pelaksana"
    __table_args__ = (UniqueConstraint("sop_id", "kode", name="uq_pelaksana_kode"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    sop_id: Mapped[int] = mapped_column(ForeignKey("sop.id", ondelete="CASCADE"), index=True)
    sop: Mapped[Sop] = relationship(back_populates="pelaksana")
    urutan: Mapped[int] = mapped_column(Integer, default=1)
    kode: Mapped[str] = mapped_column(String(40))
    nama: Mapped[str] = mapped_column(String(120))
    role_id: Mapped[int] = mapped_column(ForeignKey("ab_role.id"), index=True)
    role: Mapped[Role] = relationship(lazy="joined")

    def __str__(self) -> str:
        return self.nama


langkah_pelaksana_lain = Table(
    "sop_langkah_pelaksana_lain",
    Model.metadata,
    Column("langkah_id", Integer, ForeignKey("sop_langkah.id", ondelete="CASCADE"), primary_key=True),
    Column("pelaksana_id", Integer, ForeignKey("sop_pelaksana.id", ondelete="CASCADE"), primary_key=True),
)


class Bersama(enum.StrEnum):
    """How the other actors marked on a step take part in it."""

    KOMENTAR = ""  # the first actor performs the step; the others may comment (the default)
    SALAH_SATU = "salah_satu"  # any one of the actors may perform it
    SEMUA = "semua"  # each of the other actors records their part before the first completes it


BERSAMA_LABELS = {
    Bersama.KOMENTAR: _l("The first actor performs it; the other actors may comment"),
    Bersama.SALAH_SATU: _l("Any one of the actors may perform it"),
    Bersama.SEMUA: _l("Every other actor records their part first; then the first actor completes it"),
}


@audited(title=_l("SOP step"))
class Langkah(Model):
    """A step: kegiatan, symbol, owner, mutu baku and branches (targets are step numbers).

    `no` is the step's key and order in the engine; `nomor` is what the SOP document prints in its
    No. column when that differs (a source may leave a row unnumbered)."""

    __tablename__ = "sop_langkah"
    __table_args__ = (UniqueConstraint("sop_id", "no", name="uq_langkah_no"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    sop_id: Mapped[int] = mapped_column(ForeignKey("sop.id", ondelete="CASCADE"), index=True)
    sop: Mapped[Sop] = relationship(back_populates="langkah")
    no: Mapped[int] = mapped_column(Integer)
    nomor: Mapped[str | None] = mapped_column(String(10), default=None)
    kegiatan: Mapped[str] = mapped_column(Text)
    simbol: Mapped[str] = mapped_column(String(12), default=Simbol.PROSES.value)
    pelaksana_id: Mapped[int] = mapped_column(ForeignKey("sop_pelaksana.id"), index=True)
    pelaksana: Mapped[Pelaksana] = relationship(lazy="joined", foreign_keys=[pelaksana_id])
    pelaksana_lain: Mapped[list[Pelaksana]] = relationship(
        secondary=langkah_pelaksana_lain, order_by="Pelaksana.urutan"
    )
    bersama: Mapped[str | None] = mapped_column(String(12), default="")
    kelengkapan: Mapped[str | None] = mapped_column(Text, default="")
    waktu: Mapped[str | None] = mapped_column(String(200), default="")
    # Parsed budget; kept in columns so an author can correct what the parser read.
    waktu_nilai: Mapped[int | None] = mapped_column(Integer)
    waktu_satuan: Mapped[str | None] = mapped_column(String(10))
    waktu_acuan: Mapped[str | None] = mapped_column(String(40), default="")
    output: Mapped[str | None] = mapped_column(Text, default="")
    keterangan: Mapped[str | None] = mapped_column(Text, default="")
    lanjut_no: Mapped[int | None] = mapped_column(Integer)
    ya_no: Mapped[int | None] = mapped_column(Integer)
    tidak_no: Mapped[int | None] = mapped_column(Integer)
    label_ya: Mapped[str | None] = mapped_column(String(80), default="")
    label_tidak: Mapped[str | None] = mapped_column(String(80), default="")
    # Branch memory: a branch offered only when an earlier decision of the case went one way,
    # written "<step no>:<ya|tidak>" (e.g. "2:ya"); empty = always offered.
    ya_jika: Mapped[str | None] = mapped_column(String(40), default="")
    tidak_jika: Mapped[str | None] = mapped_column(String(40), default="")
    label_lanjut: Mapped[str | None] = mapped_column(String(80), default="")
    kembali_no: Mapped[int | None] = mapped_column(Integer)
    label_kembali: Mapped[str | None] = mapped_column(String(80), default="")
    guards: Mapped[str | None] = mapped_column(String(400), default="")
    efek: Mapped[str | None] = mapped_column(String(400), default="")
    # What the step produces, as output specs the areas provide (app/workflow/providers.py).
    keluaran: Mapped[str | None] = mapped_column(String(400), default="")

    @property
    def nomor_tampil(self) -> str:
        """The step's number as the SOP document prints it ("" for a row the source leaves unnumbered)."""
        return str(self.no) if self.nomor is None else self.nomor

    @property
    def aktor(self) -> list[Pelaksana]:
        """Every actor marked on the step, the one who performs it first."""
        return [self.pelaksana, *(p for p in self.pelaksana_lain if p.id != self.pelaksana_id)]

    @property
    def budget(self) -> Budget | None:
        if self.waktu_nilai and self.waktu_satuan:
            return Budget(self.waktu_nilai, self.waktu_satuan, self.waktu_acuan or "")
        return None

    def parse_waktu(self) -> None:
        """Fill the budget columns from the raw waktu text."""
        budget = parse_waktu(self.waktu)
        self.waktu_nilai = budget.nilai if budget else None
        self.waktu_satuan = budget.satuan if budget else None
        self.waktu_acuan = budget.acuan if budget else ""

    def hook_names(self, kind: str) -> list[str]:
        raw = {"guards": self.guards, "efek": self.efek, "keluaran": self.keluaran}[kind]
        return [name.strip() for name in (raw or "").split(",") if name.strip()]

    def __str__(self) -> str:
        number = self.nomor_tampil
        return f"{number}. {self.kegiatan[:80]}" if number else self.kegiatan[:80]


@audited(title=_l("Extra day off"))
class HariLibur(Model):
    """Agency-defined days off (cuti bersama) on top of the national public holidays."""

    __tablename__ = "hari_libur"
    __table_args__ = (UniqueConstraint("tanggal", "instansi_id", name="uq_hari_libur"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tanggal: Mapped[dt.date] = mapped_column(Date, index=True)
    keterangan: Mapped[str] = mapped_column(String(200))
    instansi_id: Mapped[int | None] = mapped_column(ForeignKey("instansi.id"), index=True)
    instansi: Mapped[Instansi | None] = relationship()
