"""The plan of an assessment (Polhukam seed 3, "Penyiapan Rencana Pelaksanaan Assesment Pegawai").

A plan (`RencanaPenilaian`) has its period, purpose and target group, and the criteria that select
its candidates from the agency's civil servants (position kind and level, minimum rank, units, age
from the NIP birth date, years in rank or position, last assessment older than N years). The list
is computed, never stored; what is stored is the review of it (`TinjauKandidat`: a civil servant
excluded or added by hand, with the reason), the instruments checklist (`InstrumenRencana`, methods
of the assessment core's catalogue), the coordination log with units and third parties
(`KoordinasiRencana`) and, once the candidates became participants, the assessment event.
"""

from __future__ import annotations

import datetime as dt
import enum

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Column, Date, DateTime, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.audit import audited
from app.models.kasus import Kasus
from app.models.master import Pangkat, Pegawai, UnitKerja
from app.models.penilaian import TUJUAN_LABELS, KegiatanPenilaian, Metode
from app.models.security import PenkomUser, utcnow

# The units whose civil servants the plan considers (with the units below them).
rencana_unit = Table(
    "rencana_penilaian_unit",
    Model.metadata,
    Column("rencana_id", Integer, ForeignKey("rencana_penilaian.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_kerja_id", Integer, ForeignKey("unit_kerja.id"), primary_key=True),
)


class DasarMasa(enum.StrEnum):
    """What "years in" counts from: the current rank (TMT pangkat) or position (TMT jabatan)."""

    PANGKAT = "pangkat"
    JABATAN = "jabatan"


MASA_LABELS = {DasarMasa.PANGKAT: _l("in the current rank"), DasarMasa.JABATAN: _l("in the current position")}


@audited(title=_l("Assessment plan"))
class RencanaPenilaian(Model):
    """A plan of an assessment, owned by a unit and prepared by (at most) one SOP case."""

    __tablename__ = "rencana_penilaian"
    id: Mapped[int] = mapped_column(primary_key=True)
    nama: Mapped[str] = mapped_column(String(250))
    unit_kerja_id: Mapped[int] = mapped_column(ForeignKey("unit_kerja.id"), index=True)
    unit_kerja: Mapped[UnitKerja] = relationship(lazy="joined")
    kasus_id: Mapped[int | None] = mapped_column(ForeignKey("kasus.id"), unique=True)
    kasus: Mapped[Kasus | None] = relationship()
    periode_mulai: Mapped[dt.date | None] = mapped_column(Date)
    periode_selesai: Mapped[dt.date | None] = mapped_column(Date)
    tujuan: Mapped[str] = mapped_column(String(30), default="pemetaan")
    sasaran: Mapped[str | None] = mapped_column(Text, default="", doc="Target group")
    # Candidate criteria; an empty criterion does not narrow the list.
    jenis_jabatan: Mapped[str | None] = mapped_column(
        String(200), default="", doc="JenisJabatan values, comma-separated"
    )
    jenjang: Mapped[str | None] = mapped_column(String(300), default="", doc="Levels (jenjang), comma-separated")
    pangkat_min_id: Mapped[int | None] = mapped_column(ForeignKey("pangkat.id"))
    pangkat_min: Mapped[Pangkat | None] = relationship()
    unit: Mapped[list[UnitKerja]] = relationship(secondary=rencana_unit, order_by="UnitKerja.nama")
    usia_min: Mapped[int | None] = mapped_column(Integer)
    usia_max: Mapped[int | None] = mapped_column(Integer)
    masa_min_tahun: Mapped[int | None] = mapped_column(Integer)
    masa_dasar: Mapped[str | None] = mapped_column(String(10), default=DasarMasa.PANGKAT.value)
    penilaian_lewat_tahun: Mapped[int | None] = mapped_column(Integer, doc="Last assessment older than N years")
    # The event whose participants the candidates became.
    kegiatan_id: Mapped[int | None] = mapped_column(ForeignKey("kegiatan_penilaian.id"), index=True)
    kegiatan: Mapped[KegiatanPenilaian | None] = relationship()
    dibuat_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    dibuat_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))

    tinjauan: Mapped[list[TinjauKandidat]] = relationship(back_populates="rencana", cascade="all, delete-orphan",
                                                          order_by="TinjauKandidat.id")  # fmt: skip
    instrumen: Mapped[list[InstrumenRencana]] = relationship(back_populates="rencana", cascade="all, delete-orphan",
                                                             order_by="InstrumenRencana.id")  # fmt: skip
    koordinasi: Mapped[list[KoordinasiRencana]] = relationship(
        back_populates="rencana", cascade="all, delete-orphan", order_by="KoordinasiRencana.tanggal"
    )

    @property
    def tujuan_label(self) -> str:
        return str(TUJUAN_LABELS.get(self.tujuan, self.tujuan or ""))

    def __str__(self) -> str:
        return self.nama


class TinjauKandidat(Model):
    """The review of one civil servant on the computed list: excluded (sertakan False) or added by hand."""

    __tablename__ = "rencana_penilaian_tinjau"
    __table_args__ = (UniqueConstraint("rencana_id", "pegawai_id", name="uq_rencana_tinjau_pegawai"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    rencana_id: Mapped[int] = mapped_column(ForeignKey("rencana_penilaian.id", ondelete="CASCADE"), index=True)
    rencana: Mapped[RencanaPenilaian] = relationship(back_populates="tinjauan")
    pegawai_id: Mapped[int] = mapped_column(ForeignKey("pegawai.id"), index=True)
    pegawai: Mapped[Pegawai] = relationship(lazy="joined")
    sertakan: Mapped[bool] = mapped_column(Boolean, default=False)
    alasan: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    user: Mapped[PenkomUser | None] = relationship()
    waktu: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class InstrumenRencana(Model):
    """One instrument (a method of the catalogue) on the plan's checklist, and whether it is ready."""

    __tablename__ = "rencana_penilaian_instrumen"
    __table_args__ = (UniqueConstraint("rencana_id", "metode_id", name="uq_rencana_instrumen_metode"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    rencana_id: Mapped[int] = mapped_column(ForeignKey("rencana_penilaian.id", ondelete="CASCADE"), index=True)
    rencana: Mapped[RencanaPenilaian] = relationship(back_populates="instrumen")
    metode_id: Mapped[int] = mapped_column(ForeignKey("metode.id"), index=True)
    metode: Mapped[Metode] = relationship(lazy="joined")
    siap: Mapped[bool] = mapped_column(Boolean, default=False)
    catatan: Mapped[str | None] = mapped_column(String(500), default="")


class KoordinasiRencana(Model):
    """A technical coordination with a unit or a third party: who, when, what came of it."""

    __tablename__ = "rencana_penilaian_koordinasi"
    id: Mapped[int] = mapped_column(primary_key=True)
    rencana_id: Mapped[int] = mapped_column(ForeignKey("rencana_penilaian.id", ondelete="CASCADE"), index=True)
    rencana: Mapped[RencanaPenilaian] = relationship(back_populates="koordinasi")
    pihak: Mapped[str] = mapped_column(String(250))
    tanggal: Mapped[dt.date] = mapped_column(Date)
    hasil: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    dicatat_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
