"""Master data: agencies, units, ranks, positions, civil servants."""

from __future__ import annotations

import datetime as dt
import enum

from flask_appbuilder import Model
from flask_appbuilder.models.mixins import ImageColumn
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Column, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import nip as nip_mod
from app.audit import audited


@audited(title=_l("Agency"))
class Instansi(Model):
    """An agency; its record is the letterhead (kop surat) of every letter it sends."""

    __tablename__ = "instansi"
    id: Mapped[int] = mapped_column(primary_key=True)
    kode: Mapped[str] = mapped_column(String(20), unique=True)
    nama: Mapped[str] = mapped_column(String(200))
    kop: Mapped[str] = mapped_column(Text, doc="Name lines of the letterhead, one per line")
    alamat: Mapped[str | None] = mapped_column(String(300), default="")
    kota: Mapped[str | None] = mapped_column(String(100), default="")
    telepon: Mapped[str | None] = mapped_column(String(100), default="")
    email: Mapped[str | None] = mapped_column(String(200), default="")
    website: Mapped[str | None] = mapped_column(String(200), default="")
    logo = Column(ImageColumn(size=(300, 300, True), thumbnail_size=(60, 60, True)))
    kode_surat: Mapped[str | None] = mapped_column(String(30), default="", doc="Unit code in letter numbers")
    # The government's cuti bersama are days off unless the agency works on them.
    libur_cuti_bersama: Mapped[bool | None] = mapped_column(Boolean, default=True, server_default=sa_true())
    # Letters get their number in the national e-office (SRIKANDI); Penkom records and prints that number.
    nomor_eoffice: Mapped[bool | None] = mapped_column(Boolean, default=False, server_default=sa_false())

    @property
    def kop_baris(self) -> list[str]:
        return [line.strip() for line in (self.kop or "").splitlines() if line.strip()]

    def __str__(self) -> str:
        return self.nama


@audited(title=_l("Work Unit"))
class UnitKerja(Model):
    """A work unit; units form a tree inside one agency."""

    __tablename__ = "unit_kerja"
    id: Mapped[int] = mapped_column(primary_key=True)
    kode: Mapped[str] = mapped_column(String(40), unique=True)
    nama: Mapped[str] = mapped_column(String(200))
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"), index=True)
    instansi: Mapped[Instansi] = relationship(lazy="joined")
    induk_id: Mapped[int | None] = mapped_column(ForeignKey("unit_kerja.id"), index=True)
    induk: Mapped[UnitKerja | None] = relationship(remote_side=[id], lazy="joined", join_depth=1)

    def __str__(self) -> str:
        return self.nama


@audited(title=_l("Rank"))
class Pangkat(Model):
    """Rank and grade (golongan/ruang I/a ... IV/e)."""

    __tablename__ = "pangkat"
    id: Mapped[int] = mapped_column(primary_key=True)
    golongan: Mapped[str] = mapped_column(String(10), unique=True)
    nama: Mapped[str] = mapped_column(String(60))
    urutan: Mapped[int] = mapped_column(Integer, unique=True)

    def __str__(self) -> str:
        return f"{self.nama} ({self.golongan})"


class JenisJabatan(enum.StrEnum):
    JPT_UTAMA = "jpt_utama"
    JPT_MADYA = "jpt_madya"
    JPT_PRATAMA = "jpt_pratama"
    ADMINISTRATOR = "administrator"
    PENGAWAS = "pengawas"
    PELAKSANA = "pelaksana"
    FUNGSIONAL = "fungsional"

    @property
    def label(self) -> str:
        return str(JENIS_JABATAN_LABELS[self])


JENIS_JABATAN_LABELS = {
    JenisJabatan.JPT_UTAMA: _l("JPT Utama"),
    JenisJabatan.JPT_MADYA: _l("JPT Madya"),
    JenisJabatan.JPT_PRATAMA: _l("JPT Pratama"),
    JenisJabatan.ADMINISTRATOR: _l("Administrator"),
    JenisJabatan.PENGAWAS: _l("Supervisor (Pengawas)"),
    JenisJabatan.PELAKSANA: _l("Executor (Pelaksana)"),
    JenisJabatan.FUNGSIONAL: _l("Functional"),
}


@audited(title=_l("Position"))
class Jabatan(Model):
    """A position: structural (JPT/administrator/pengawas), pelaksana or functional with its jenjang."""

    __tablename__ = "jabatan"
    __table_args__ = (UniqueConstraint("instansi_id", "nama", "jenjang", name="uq_jabatan_instansi_nama_jenjang"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    # The agency whose structure has this position; empty for national positions (the functional
    # positions of the national catalogue), which only administrators change.
    instansi_id: Mapped[int | None] = mapped_column(ForeignKey("instansi.id"), index=True)
    instansi: Mapped[Instansi | None] = relationship(lazy="joined")
    nama: Mapped[str] = mapped_column(String(200))
    jenis: Mapped[str] = mapped_column(String(20))
    jenjang: Mapped[str | None] = mapped_column(String(60), default="")

    @property
    def jenis_label(self) -> str:
        try:
            return JenisJabatan(self.jenis).label
        except ValueError:
            return self.jenis

    def __str__(self) -> str:
        return f"{self.nama} {self.jenjang or ''}".strip()


@audited(title=_l("Civil Servant"))
class Pegawai(Model):
    """A civil servant (PNS), identified by NIP."""

    __tablename__ = "pegawai"
    id: Mapped[int] = mapped_column(primary_key=True)
    nip: Mapped[str] = mapped_column(String(18), unique=True)
    gelar_depan: Mapped[str | None] = mapped_column(String(40), default="")
    nama: Mapped[str] = mapped_column(String(150), index=True)
    gelar_belakang: Mapped[str | None] = mapped_column(String(80), default="")
    email: Mapped[str | None] = mapped_column(String(200), default="")
    telepon: Mapped[str | None] = mapped_column(String(40), default="")
    aktif: Mapped[bool | None] = mapped_column(Boolean, default=True)
    pangkat_id: Mapped[int | None] = mapped_column(ForeignKey("pangkat.id"), index=True)
    pangkat: Mapped[Pangkat | None] = relationship(lazy="joined")
    jabatan_id: Mapped[int | None] = mapped_column(ForeignKey("jabatan.id"), index=True)
    jabatan: Mapped[Jabatan | None] = relationship(lazy="joined")
    unit_kerja_id: Mapped[int] = mapped_column(ForeignKey("unit_kerja.id"), index=True)
    unit_kerja: Mapped[UnitKerja] = relationship(lazy="joined")
    # Since when the person holds the current rank and position (years in rank/position of a plan's criteria).
    tmt_pangkat: Mapped[dt.date | None] = mapped_column(Date)
    tmt_jabatan: Mapped[dt.date | None] = mapped_column(Date)

    @property
    def nama_lengkap(self) -> str:
        """Name with academic titles: `Drs. MA. Puntodewo, M.Si.`."""
        name = f"{self.gelar_depan} {self.nama}".strip() if self.gelar_depan else self.nama
        return f"{name}, {self.gelar_belakang}" if self.gelar_belakang else name

    @property
    def nip_tampil(self) -> str:
        return nip_mod.format_nip(self.nip)

    @property
    def jenis_kelamin(self) -> str:
        return "L" if self.nip and len(self.nip) == 18 and self.nip[14] == "1" else "P"

    def __str__(self) -> str:
        return f"{self.nama_lengkap} ({self.nip_tampil})"
