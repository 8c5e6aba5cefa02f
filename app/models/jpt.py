"""Open selection of a high-level position (seleksi terbuka JPT): the vacant posts, the selection
panel, the stage weights, the candidates with their stage scores, and the compilation (weighted total,
rank per post, standar / di bawah standar, the three best per post) that the SOP's steps check,
approve and freeze."""

from __future__ import annotations

import datetime as dt
import enum

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.audit import audited
from app.models.kasus import Kasus
from app.models.master import UnitKerja
from app.models.penilaian import KegiatanPenilaian
from app.models.security import PenkomUser

PERSEN = Numeric(6, 2, asdecimal=False)

# The stages of a JPT selection, in the order the compilation prints them: (code, label, default weight).
TAHAP = [
    ("administrasi", _l("Administration"), 10),
    ("assessment", _l("Assessment center"), 35),
    ("makalah", _l("Written paper (makalah)"), 15),
    ("wawancara", _l("Interview"), 25),
    ("rekam_jejak", _l("Track record"), 10),
    ("kesehatan", _l("Health"), 5),
]
KODE_TAHAP = [kode for kode, _label, _bobot in TAHAP]


class StatusKompilasi(enum.StrEnum):
    BELUM = "belum"
    DRAF = "draf"
    DIKEMBALIKAN = "dikembalikan"
    DIPERIKSA = "diperiksa"
    DISETUJUI = "disetujui"
    DITETAPKAN = "ditetapkan"


STATUS_KOMPILASI_LABELS = {
    StatusKompilasi.BELUM: _l("not compiled yet"),
    StatusKompilasi.DRAF: _l("draft compilation"),
    StatusKompilasi.DIKEMBALIKAN: _l("returned for correction"),
    StatusKompilasi.DIPERIKSA: _l("checked"),
    StatusKompilasi.DISETUJUI: _l("approved (frozen)"),
    StatusKompilasi.DITETAPKAN: _l("set by the secretariat meeting (frozen)"),
}
# From approval on, the candidates and their scores no longer change.
BEKU = (StatusKompilasi.DISETUJUI.value, StatusKompilasi.DITETAPKAN.value)


class AturanStandar(enum.StrEnum):
    NILAI_AKHIR = "nilai_akhir"  # weighted total >= threshold
    ASSESSMENT = "assessment"  # assessment-center score >= threshold


ATURAN_LABELS = {
    AturanStandar.NILAI_AKHIR: _l("Weighted total at or above the threshold"),
    AturanStandar.ASSESSMENT: _l("Assessment-center score at or above the threshold"),
}


class PeranPansel(enum.StrEnum):
    KETUA = "ketua"
    SEKRETARIS = "sekretaris"
    ANGGOTA = "anggota"
    SEKRETARIAT = "sekretariat"


PERAN_PANSEL_LABELS = {
    PeranPansel.KETUA: _l("Chair"),
    PeranPansel.SEKRETARIS: _l("Secretary"),
    PeranPansel.ANGGOTA: _l("Member"),
    PeranPansel.SEKRETARIAT: _l("Secretariat"),
}


class SumberAssessment(enum.StrEnum):
    KEGIATAN = "kegiatan"
    IMPOR = "impor"
    MANUAL = "manual"


SUMBER_LABELS = {
    SumberAssessment.KEGIATAN: _l("Assessment event (JPM)"),
    SumberAssessment.IMPOR: _l("Imported from the independent assessor team's Excel"),
    SumberAssessment.MANUAL: _l("Entered by hand"),
}


@audited(title=_l("JPT selection"))
class SeleksiJpt(Model):
    __tablename__ = "seleksi_jpt"
    id: Mapped[int] = mapped_column(primary_key=True)
    nama: Mapped[str] = mapped_column(String(250))
    tahun: Mapped[int] = mapped_column(Integer)
    unit_kerja_id: Mapped[int] = mapped_column(ForeignKey("unit_kerja.id"), index=True)
    unit_kerja: Mapped[UnitKerja] = relationship()
    kasus_id: Mapped[int | None] = mapped_column(ForeignKey("kasus.id", ondelete="SET NULL"), unique=True)
    kasus: Mapped[Kasus | None] = relationship()
    # Where the assessment-center scores come from when taken from the assessment core.
    kegiatan_id: Mapped[int | None] = mapped_column(ForeignKey("kegiatan_penilaian.id"), index=True)
    kegiatan: Mapped[KegiatanPenilaian | None] = relationship()
    bobot_administrasi: Mapped[float] = mapped_column(PERSEN, default=10)
    bobot_assessment: Mapped[float] = mapped_column(PERSEN, default=35)
    bobot_makalah: Mapped[float] = mapped_column(PERSEN, default=15)
    bobot_wawancara: Mapped[float] = mapped_column(PERSEN, default=25)
    bobot_rekam_jejak: Mapped[float] = mapped_column(PERSEN, default=10)
    bobot_kesehatan: Mapped[float] = mapped_column(PERSEN, default=5)
    aturan_standar: Mapped[str] = mapped_column(String(20), default=AturanStandar.NILAI_AKHIR.value)
    ambang_standar: Mapped[float] = mapped_column(PERSEN, default=70)
    status_kompilasi: Mapped[str] = mapped_column(String(20), default=StatusKompilasi.BELUM.value)
    catatan_kompilasi: Mapped[str | None] = mapped_column(Text, default="")
    dikompilasi_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    disetujui_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    disetujui_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    disetujui_oleh: Mapped[PenkomUser | None] = relationship(foreign_keys=[disetujui_oleh_id])
    ditetapkan_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    formasi: Mapped[list[FormasiJpt]] = relationship(back_populates="seleksi", order_by="FormasiJpt.id",
                                                     cascade="all, delete-orphan")  # fmt: skip
    pansel: Mapped[list[PanselJpt]] = relationship(back_populates="seleksi", order_by="PanselJpt.id",
                                                   cascade="all, delete-orphan")  # fmt: skip
    kandidat: Mapped[list[KandidatJpt]] = relationship(back_populates="seleksi", order_by="KandidatJpt.id",
                                                       cascade="all, delete-orphan")  # fmt: skip

    def bobot(self) -> dict[str, float]:
        """Stage code → weight in percent."""
        return {kode: float(getattr(self, f"bobot_{kode}") or 0) for kode in KODE_TAHAP}

    @property
    def beku(self) -> bool:
        return self.status_kompilasi in BEKU

    @property
    def status_label(self) -> str:
        return str(STATUS_KOMPILASI_LABELS.get(StatusKompilasi(self.status_kompilasi), self.status_kompilasi))

    def __str__(self) -> str:
        return self.nama


@audited(title=_l("Vacant post (JPT)"))
class FormasiJpt(Model):
    __tablename__ = "formasi_jpt"
    id: Mapped[int] = mapped_column(primary_key=True)
    seleksi_id: Mapped[int] = mapped_column(ForeignKey("seleksi_jpt.id", ondelete="CASCADE"), index=True)
    seleksi: Mapped[SeleksiJpt] = relationship(back_populates="formasi")
    nama: Mapped[str] = mapped_column(String(250))
    unit: Mapped[str | None] = mapped_column(String(250), default="")

    def __str__(self) -> str:
        return self.nama


@audited(title=_l("Selection panel member"))
class PanselJpt(Model):
    __tablename__ = "pansel_jpt"
    id: Mapped[int] = mapped_column(primary_key=True)
    seleksi_id: Mapped[int] = mapped_column(ForeignKey("seleksi_jpt.id", ondelete="CASCADE"), index=True)
    seleksi: Mapped[SeleksiJpt] = relationship(back_populates="pansel")
    nama: Mapped[str] = mapped_column(String(200))
    unsur: Mapped[str | None] = mapped_column(String(250), default="")  # e.g. "Sekretaris Jenderal", "Akademisi"
    peran: Mapped[str] = mapped_column(String(20), default=PeranPansel.ANGGOTA.value)

    @property
    def peran_label(self) -> str:
        return str(PERAN_PANSEL_LABELS.get(PeranPansel(self.peran), self.peran))

    def __str__(self) -> str:
        return f"{self.nama} ({self.peran_label})"


@audited(title=_l("JPT candidate"))
class KandidatJpt(Model):
    __tablename__ = "kandidat_jpt"
    __table_args__ = (UniqueConstraint("seleksi_id", "nip", name="uq_kandidat_jpt_nip"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    seleksi_id: Mapped[int] = mapped_column(ForeignKey("seleksi_jpt.id", ondelete="CASCADE"), index=True)
    seleksi: Mapped[SeleksiJpt] = relationship(back_populates="kandidat")
    formasi_id: Mapped[int] = mapped_column(ForeignKey("formasi_jpt.id"), index=True)
    formasi: Mapped[FormasiJpt] = relationship()
    nip: Mapped[str] = mapped_column(String(18))
    nama: Mapped[str] = mapped_column(String(200))
    instansi_asal: Mapped[str | None] = mapped_column(String(250), default="")
    jabatan_asal: Mapped[str | None] = mapped_column(String(250), default="")
    nilai_administrasi: Mapped[float | None] = mapped_column(PERSEN)
    nilai_assessment: Mapped[float | None] = mapped_column(PERSEN)
    nilai_makalah: Mapped[float | None] = mapped_column(PERSEN)
    nilai_wawancara: Mapped[float | None] = mapped_column(PERSEN)
    nilai_rekam_jejak: Mapped[float | None] = mapped_column(PERSEN)
    nilai_kesehatan: Mapped[float | None] = mapped_column(PERSEN)
    sumber_assessment: Mapped[str | None] = mapped_column(String(20))
    # The compilation (step 4, refined at step 6, frozen at step 7).
    nilai_akhir: Mapped[float | None] = mapped_column(PERSEN)
    peringkat: Mapped[int | None] = mapped_column(Integer)
    standar: Mapped[bool | None] = mapped_column(Boolean)
    tiga_besar: Mapped[bool] = mapped_column(Boolean, default=False)

    def nilai(self) -> dict[str, float | None]:
        return {kode: getattr(self, f"nilai_{kode}") for kode in KODE_TAHAP}

    @property
    def nip_tampil(self) -> str:
        from app.nip import format_nip

        return format_nip(self.nip)

    @property
    def kategori_label(self) -> str:
        if self.standar is None:
            return "—"
        return str(_l("standard") if self.standar else _l("below standard"))

    def __str__(self) -> str:
        return f"{self.nama} ({self.nip_tampil})"
