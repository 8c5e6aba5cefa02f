"""Competency assessment (penilaian kompetensi ASN).

Reference data: the competency dictionary with its levels (Permen PAN-RB 38/2017), the potential
aspects and their scale (Permen PAN-RB 3/2020), the method catalogue with tiers, default and
per-position standards, the configurable rules (per agency, with a national default row) and the
assessor register.

An assessment event (`KegiatanPenilaian`, run by one SOP case) has its team, waves with sessions,
its methods and the method × competency matrix, participants with their intake files and
attendance, assignments (assessor × participant × method) whose score sheets hold the scores,
the assessor meeting (consensus per competency, potential ratings) and, once the meeting locks a
participant, the stored result (`Hasil`). Levels are stored as exact decimals on PostgreSQL
(NUMERIC) and read as floats: half steps are exact in binary.
"""

from __future__ import annotations

import datetime as dt
import enum

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.audit import audited
from app.models.kasus import Kasus
from app.models.master import Instansi, Jabatan, Pangkat, Pegawai, UnitKerja
from app.models.security import PenkomUser, utcnow

LEVEL = Numeric(3, 1, asdecimal=False)  # 1.0 ... 5.0, half steps
PERSEN = Numeric(6, 2, asdecimal=False)  # JPM and thresholds, two decimals
BUTIR_QC_BAWAAN = (
    "Identitas peserta dan jabatan sasaran sesuai data\n"
    "Profil kompetensi, JPM dan kategori sesuai hasil rapat asesor\n"
    "Kekuatan dan area pengembangan didukung bukti perilaku\n"
    "Rekomendasi konsisten dengan kategori hasil\n"
    "Saran penempatan dan pengembangan dapat dilaksanakan\n"
    "Bahasa baku, tanpa salah ketik"
)


def _labels(mapping: dict, value) -> str:
    return str(mapping.get(value, value or ""))


# -- reference data ------------------------------------------------------------------------------


class JenisKompetensi(enum.StrEnum):
    MANAJERIAL = "manajerial"
    SOSIAL_KULTURAL = "sosial_kultural"
    TEKNIS = "teknis"


JENIS_KOMPETENSI_LABELS = {
    JenisKompetensi.MANAJERIAL: _l("Managerial"),
    JenisKompetensi.SOSIAL_KULTURAL: _l("Socio-cultural"),
    JenisKompetensi.TEKNIS: _l("Technical"),
}


@audited(title=_l("Competency"))
class Kompetensi(Model):
    """A competency of the dictionary: national (managerial, socio-cultural) or an agency's technical one,
    optionally of one position."""

    __tablename__ = "kompetensi"
    __table_args__ = (UniqueConstraint("instansi_id", "kode", name="uq_kompetensi_instansi_kode"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kode: Mapped[str] = mapped_column(String(20))
    nama: Mapped[str] = mapped_column(String(150))
    jenis: Mapped[str] = mapped_column(String(20), default=JenisKompetensi.MANAJERIAL.value)
    definisi: Mapped[str | None] = mapped_column(Text, default="")
    # Empty: national (only administrators change it); else the agency whose technical competency it is.
    instansi_id: Mapped[int | None] = mapped_column(ForeignKey("instansi.id"), index=True)
    instansi: Mapped[Instansi | None] = relationship()
    jabatan_id: Mapped[int | None] = mapped_column(ForeignKey("jabatan.id"), index=True)
    jabatan: Mapped[Jabatan | None] = relationship()
    urutan: Mapped[int] = mapped_column(Integer, default=0)
    aktif: Mapped[bool | None] = mapped_column(Boolean, default=True)
    level: Mapped[list[LevelKompetensi]] = relationship(
        back_populates="kompetensi", order_by="LevelKompetensi.level", cascade="all, delete-orphan"
    )

    @property
    def jenis_label(self) -> str:
        return _labels(JENIS_KOMPETENSI_LABELS, self.jenis)

    def __str__(self) -> str:
        return f"{self.kode} {self.nama}"


@audited(title=_l("Competency level"))
class LevelKompetensi(Model):
    """One level (1-5) of a competency: its description and behavioural indicators (one per line)."""

    __tablename__ = "kompetensi_level"
    __table_args__ = (
        UniqueConstraint("kompetensi_id", "level", name="uq_kompetensi_level"),
        CheckConstraint("level BETWEEN 1 AND 5", name="ck_kompetensi_level_1_5"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kompetensi_id: Mapped[int] = mapped_column(ForeignKey("kompetensi.id", ondelete="CASCADE"), index=True)
    kompetensi: Mapped[Kompetensi] = relationship(back_populates="level")
    level: Mapped[int] = mapped_column(Integer)
    deskripsi: Mapped[str] = mapped_column(Text, default="")
    indikator: Mapped[str | None] = mapped_column(Text, default="")

    @property
    def indikator_list(self) -> list[str]:
        return [line.strip() for line in (self.indikator or "").splitlines() if line.strip()]

    def __str__(self) -> str:
        return f"{self.kompetensi.kode} level {self.level}" if self.kompetensi else f"level {self.level}"


@audited(title=_l("Potential aspect"))
class AspekPotensi(Model):
    """One of the 8 potential aspects (Permen PAN-RB 3/2020)."""

    __tablename__ = "potensi_aspek"
    id: Mapped[int] = mapped_column(primary_key=True)
    kode: Mapped[str] = mapped_column(String(10), unique=True)
    nama: Mapped[str] = mapped_column(String(150))
    definisi: Mapped[str | None] = mapped_column(Text, default="")
    indikator: Mapped[str | None] = mapped_column(Text, default="")
    urutan: Mapped[int] = mapped_column(Integer, default=0)
    aktif: Mapped[bool | None] = mapped_column(Boolean, default=True)

    def __str__(self) -> str:
        return f"{self.kode} {self.nama}"


@audited(title=_l("Potential rating scale"))
class SkalaPotensi(Model):
    """A point of the 5-point potential scale (KS, K, C, B, BS)."""

    __tablename__ = "potensi_skala"
    id: Mapped[int] = mapped_column(primary_key=True)
    nilai: Mapped[int] = mapped_column(Integer, unique=True)
    kode: Mapped[str] = mapped_column(String(5))
    nama: Mapped[str] = mapped_column(String(40))
    keterangan: Mapped[str | None] = mapped_column(Text, default="")

    def __str__(self) -> str:
        return f"{self.nilai} {self.kode} ({self.nama})"


@audited(title=_l("Method tier"))
class TingkatMetode(Model):
    """Tier of an assessment-center method (sederhana, sedang, kompleks; Peraturan BKN 26/2019)."""

    __tablename__ = "metode_tingkat"
    id: Mapped[int] = mapped_column(primary_key=True)
    kode: Mapped[str] = mapped_column(String(20), unique=True)
    nama: Mapped[str] = mapped_column(String(60))
    keterangan: Mapped[str | None] = mapped_column(Text, default="")
    urutan: Mapped[int] = mapped_column(Integer, default=0)

    def __str__(self) -> str:
        return self.nama


metode_kompetensi = Table(
    "metode_kompetensi",
    Model.metadata,
    Column("metode_id", Integer, ForeignKey("metode.id", ondelete="CASCADE"), primary_key=True),
    Column("kompetensi_id", Integer, ForeignKey("kompetensi.id", ondelete="CASCADE"), primary_key=True),
)
metode_potensi = Table(
    "metode_potensi",
    Model.metadata,
    Column("metode_id", Integer, ForeignKey("metode.id", ondelete="CASCADE"), primary_key=True),
    Column("aspek_id", Integer, ForeignKey("potensi_aspek.id", ondelete="CASCADE"), primary_key=True),
)


@audited(title=_l("Method"))
class Metode(Model):
    """An assessment method / simulation of the catalogue, with the competencies it usually measures."""

    __tablename__ = "metode"
    id: Mapped[int] = mapped_column(primary_key=True)
    kode: Mapped[str] = mapped_column(String(40), unique=True)
    nama: Mapped[str] = mapped_column(String(150))
    tingkat_id: Mapped[int | None] = mapped_column(ForeignKey("metode_tingkat.id"), index=True)
    tingkat: Mapped[TingkatMetode | None] = relationship()
    deskripsi: Mapped[str | None] = mapped_column(Text, default="")
    durasi_menit: Mapped[int | None] = mapped_column(Integer)
    aktif: Mapped[bool | None] = mapped_column(Boolean, default=True)
    kompetensi: Mapped[list[Kompetensi]] = relationship(secondary=metode_kompetensi, order_by="Kompetensi.urutan")
    potensi: Mapped[list[AspekPotensi]] = relationship(secondary=metode_potensi, order_by="AspekPotensi.urutan")

    def __str__(self) -> str:
        return self.nama


@audited(title=_l("Default standard level"))
class StandarBawaan(Model):
    """Default standard level of every managerial and socio-cultural competency for a kind of position
    (and, for functional positions, a jenjang)."""

    __tablename__ = "standar_bawaan"
    __table_args__ = (UniqueConstraint("jenis", "jenjang", name="uq_standar_bawaan"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    jenis: Mapped[str] = mapped_column(String(20))
    jenjang: Mapped[str] = mapped_column(String(60), default="")
    level: Mapped[float] = mapped_column(LEVEL)
    keterangan: Mapped[str | None] = mapped_column(Text, default="")

    def __str__(self) -> str:
        return f"{self.jenis} {self.jenjang}".strip()


@audited(title=_l("Position competency standard"))
class StandarKompetensi(Model):
    """The required level of one competency for one position (overrides the default)."""

    __tablename__ = "standar_kompetensi"
    __table_args__ = (UniqueConstraint("jabatan_id", "kompetensi_id", name="uq_standar_kompetensi"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    jabatan_id: Mapped[int] = mapped_column(ForeignKey("jabatan.id"), index=True)
    jabatan: Mapped[Jabatan] = relationship()
    kompetensi_id: Mapped[int] = mapped_column(ForeignKey("kompetensi.id"), index=True)
    kompetensi: Mapped[Kompetensi] = relationship()
    level: Mapped[float] = mapped_column(LEVEL)

    def __str__(self) -> str:
        return f"{self.jabatan} — {self.kompetensi}: {self.level:g}"


class RumusJpm(enum.StrEnum):
    JUMLAH = "jumlah"  # Σ consensus ÷ Σ standard × 100
    RATA_RASIO = "rata_rasio"  # mean of per-competency ratios, each capped at 100 %
    CAMPURAN = "campuran"  # weighted blend of competency JPM and potential


RUMUS_LABELS = {
    RumusJpm.JUMLAH: _l("Sum of levels ÷ sum of standards × 100"),
    RumusJpm.RATA_RASIO: _l("Mean of per-competency ratios, each capped at 100%"),
    RumusJpm.CAMPURAN: _l("Weighted blend of competency JPM and potential"),
}


@audited(title=_l("Assessment rules"))
class AturanPenilaian(Model):
    """Configurable rules and thresholds of assessment; one row per agency, the row without an agency is
    the national default. Results are stored with the values in force when a meeting locks them."""

    __tablename__ = "aturan_penilaian"
    __table_args__ = (UniqueConstraint("instansi_id", name="uq_aturan_penilaian_instansi"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int | None] = mapped_column(ForeignKey("instansi.id"))
    instansi: Mapped[Instansi | None] = relationship()
    # Organisation of an event
    maks_peserta_gelombang: Mapped[int] = mapped_column(Integer, default=30)
    maks_peserta_per_asesor: Mapped[int] = mapped_column(Integer, default=3)
    maks_peserta_per_admin: Mapped[int] = mapped_column(Integer, default=30)
    min_asesor_per_peserta: Mapped[int] = mapped_column(Integer, default=2)
    min_metode_per_kompetensi: Mapped[int] = mapped_column(Integer, default=2)
    # Scoring and the assessor meeting
    setengah_level: Mapped[bool | None] = mapped_column(Boolean, default=True)
    ambang_sebaran: Mapped[float] = mapped_column(LEVEL, default=1.5)
    # Results
    rumus_jpm: Mapped[str] = mapped_column(String(20), default=RumusJpm.JUMLAH.value)
    bobot_kompetensi: Mapped[int] = mapped_column(Integer, default=70)
    bobot_potensi: Mapped[int] = mapped_column(Integer, default=30)
    pengisian_ms_min: Mapped[float] = mapped_column(PERSEN, default=80)
    pengisian_mms_min: Mapped[float] = mapped_column(PERSEN, default=68)
    pemetaan_optimal_min: Mapped[float] = mapped_column(PERSEN, default=90)
    pemetaan_cukup_min: Mapped[float] = mapped_column(PERSEN, default=78)
    skema_seleksi_jpt: Mapped[str] = mapped_column(String(20), default="pengisian_jabatan")
    skema_mutasi: Mapped[str] = mapped_column(String(20), default="pengisian_jabatan")
    potensi_menengah_min: Mapped[float] = mapped_column(PERSEN, default=2.5)
    potensi_tinggi_min: Mapped[float] = mapped_column(PERSEN, default=3.5)
    predikat_kinerja_tinggi: Mapped[str] = mapped_column(String(200), default="Sangat Baik")
    predikat_kinerja_sesuai: Mapped[str] = mapped_column(String(200), default="Baik")
    masa_berlaku_tahun: Mapped[int] = mapped_column(Integer, default=3)
    # Feedback (seed 4 step 9): the kinds of position (JenisJabatan values, comma-separated) whose
    # participants may have feedback in the year of their assessment; the others wait this many years.
    umpan_balik_segera: Mapped[str] = mapped_column(String(200), default="pelaksana", server_default="pelaksana")
    umpan_balik_jeda_tahun: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Quality control of the individual reports: one checklist item per line (app/laporan).
    butir_qc: Mapped[str | None] = mapped_column(Text, default=BUTIR_QC_BAWAAN)

    def __str__(self) -> str:
        return self.instansi.nama if self.instansi else str(_l("National default"))


class JenisAsesor(enum.StrEnum):
    ASESOR_SDMA = "asesor_sdma"
    PSIKOLOG = "psikolog"
    EKSTERNAL = "eksternal"


JENIS_ASESOR_LABELS = {
    JenisAsesor.ASESOR_SDMA: _l("Asesor SDM Aparatur"),
    JenisAsesor.PSIKOLOG: _l("Psychologist"),
    JenisAsesor.EKSTERNAL: _l("External assessor"),
}


@audited(title=_l("Registered assessor"))
class RegisterAsesor(Model):
    """Who an agency counts as a qualified assessor: an Asesor SDM Aparatur of some jenjang, a
    psychologist, or an external assessor (recorded as a civil servant of any unit)."""

    __tablename__ = "register_asesor"
    __table_args__ = (UniqueConstraint("instansi_id", "pegawai_id", name="uq_register_asesor"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"), index=True)
    instansi: Mapped[Instansi] = relationship()
    pegawai_id: Mapped[int] = mapped_column(ForeignKey("pegawai.id"), index=True)
    pegawai: Mapped[Pegawai] = relationship()
    jenis: Mapped[str] = mapped_column(String(20), default=JenisAsesor.ASESOR_SDMA.value)
    jenjang: Mapped[str | None] = mapped_column(String(60), default="")
    nomor_sertifikat: Mapped[str | None] = mapped_column(String(100), default="")
    berlaku_sampai: Mapped[dt.date | None] = mapped_column(Date)
    aktif: Mapped[bool | None] = mapped_column(Boolean, default=True)

    @property
    def jenis_label(self) -> str:
        return _labels(JENIS_ASESOR_LABELS, self.jenis)

    def __str__(self) -> str:
        return f"{self.pegawai.nama_lengkap} ({self.jenis_label})" if self.pegawai else self.jenis


# -- the event ---------------------------------------------------------------------------------


class TujuanPenilaian(enum.StrEnum):
    PENGISIAN_JABATAN = "pengisian_jabatan"
    PEMETAAN = "pemetaan"
    SELEKSI_JPT = "seleksi_terbuka_jpt"
    MUTASI = "mutasi"


TUJUAN_LABELS = {
    TujuanPenilaian.PENGISIAN_JABATAN: _l("Filling a position (pengisian jabatan)"),
    TujuanPenilaian.PEMETAAN: _l("Mapping (pemetaan)"),
    TujuanPenilaian.SELEKSI_JPT: _l("Open selection of a JPT"),
    TujuanPenilaian.MUTASI: _l("Transfer (mutasi)"),
}


class StatusKegiatan(enum.StrEnum):
    RANCANGAN = "rancangan"
    BERLANGSUNG = "berlangsung"
    SELESAI = "selesai"


STATUS_KEGIATAN_LABELS = {
    StatusKegiatan.RANCANGAN: _l("being prepared"),
    StatusKegiatan.BERLANGSUNG: _l("in progress"),
    StatusKegiatan.SELESAI: _l("finished"),
}


@audited(title=_l("Assessment event"))
class KegiatanPenilaian(Model):
    """One assessment event, owned by a unit and run by (at most) one SOP case."""

    __tablename__ = "kegiatan_penilaian"
    id: Mapped[int] = mapped_column(primary_key=True)
    nama: Mapped[str] = mapped_column(String(250))
    tujuan: Mapped[str] = mapped_column(String(30), default=TujuanPenilaian.PEMETAAN.value)
    status: Mapped[str] = mapped_column(String(12), default=StatusKegiatan.RANCANGAN.value, index=True)
    unit_kerja_id: Mapped[int] = mapped_column(ForeignKey("unit_kerja.id"), index=True)
    unit_kerja: Mapped[UnitKerja] = relationship()
    instansi_peminta_id: Mapped[int | None] = mapped_column(ForeignKey("instansi.id"), index=True)
    instansi_peminta: Mapped[Instansi | None] = relationship()
    jabatan_target_id: Mapped[int | None] = mapped_column(ForeignKey("jabatan.id"), index=True)
    jabatan_target: Mapped[Jabatan | None] = relationship()
    tempat: Mapped[str | None] = mapped_column(String(250), default="")
    tanggal_mulai: Mapped[dt.date | None] = mapped_column(Date)
    tanggal_selesai: Mapped[dt.date | None] = mapped_column(Date)
    kasus_id: Mapped[int | None] = mapped_column(ForeignKey("kasus.id"), unique=True)
    kasus: Mapped[Kasus | None] = relationship()
    dibuat_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    dibuat_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    dimulai_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    versi: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # claimed by each state change

    tim: Mapped[list[AnggotaTim]] = relationship(back_populates="kegiatan", order_by="AnggotaTim.id",
                                                 cascade="all, delete-orphan")  # fmt: skip
    gelombang: Mapped[list[Gelombang]] = relationship(back_populates="kegiatan", order_by="Gelombang.nomor",
                                                      cascade="all, delete-orphan")  # fmt: skip
    metode: Mapped[list[MetodeKegiatan]] = relationship(back_populates="kegiatan", order_by="MetodeKegiatan.urutan",
                                                        cascade="all, delete-orphan")  # fmt: skip
    kompetensi: Mapped[list[KompetensiKegiatan]] = relationship(
        back_populates="kegiatan", order_by="KompetensiKegiatan.urutan", cascade="all, delete-orphan"
    )

    @property
    def tujuan_label(self) -> str:
        return _labels(TUJUAN_LABELS, self.tujuan)

    @property
    def status_label(self) -> str:
        return _labels(STATUS_KEGIATAN_LABELS, self.status)

    def __str__(self) -> str:
        return self.nama


class PeranTim(enum.StrEnum):
    KETUA = "ketua"
    ASESOR = "asesor"
    ASESOR_ADMIN = "asesor_admin"
    TESTER = "tester"
    TENAGA_PENDUKUNG = "tenaga_pendukung"


PERAN_TIM_LABELS = {
    PeranTim.KETUA: _l("Team leader (ketua)"),
    PeranTim.ASESOR: _l("Team assessor"),
    PeranTim.ASESOR_ADMIN: _l("Assessor administrator"),
    PeranTim.TESTER: _l("Tester"),
    PeranTim.TENAGA_PENDUKUNG: _l("Support staff"),
}
# Team roles whose holders score participants (the ketua chairs the meeting and assesses too).
PERAN_PENILAI = (PeranTim.KETUA.value, PeranTim.ASESOR.value)


@audited(title=_l("Assessment team member"))
class AnggotaTim(Model):
    """One member of an event's assessment team (tim penilai)."""

    __tablename__ = "tim_penilai"
    __table_args__ = (UniqueConstraint("kegiatan_id", "pegawai_id", name="uq_tim_penilai"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kegiatan_id: Mapped[int] = mapped_column(ForeignKey("kegiatan_penilaian.id", ondelete="CASCADE"), index=True)
    kegiatan: Mapped[KegiatanPenilaian] = relationship(back_populates="tim")
    pegawai_id: Mapped[int] = mapped_column(ForeignKey("pegawai.id"), index=True)
    pegawai: Mapped[Pegawai] = relationship()
    peran: Mapped[str] = mapped_column(String(20), default=PeranTim.ASESOR.value)

    @property
    def peran_label(self) -> str:
        return _labels(PERAN_TIM_LABELS, self.peran)

    def __str__(self) -> str:
        return f"{self.pegawai.nama_lengkap} — {self.peran_label}"


class Gelombang(Model):
    """A wave of participants with its dates (at most 30 participants by default)."""

    __tablename__ = "gelombang"
    __table_args__ = (UniqueConstraint("kegiatan_id", "nomor", name="uq_gelombang_nomor"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kegiatan_id: Mapped[int] = mapped_column(ForeignKey("kegiatan_penilaian.id", ondelete="CASCADE"), index=True)
    kegiatan: Mapped[KegiatanPenilaian] = relationship(back_populates="gelombang")
    nomor: Mapped[int] = mapped_column(Integer, default=1)
    tanggal_mulai: Mapped[dt.date | None] = mapped_column(Date)
    tanggal_selesai: Mapped[dt.date | None] = mapped_column(Date)
    tempat: Mapped[str | None] = mapped_column(String(250), default="")
    sesi: Mapped[list[Sesi]] = relationship(back_populates="gelombang", order_by="Sesi.mulai",
                                            cascade="all, delete-orphan")  # fmt: skip

    def __str__(self) -> str:
        return str(_l("Wave %(n)d", n=self.nomor))


class Sesi(Model):
    """A session of a wave: one method at one time."""

    __tablename__ = "sesi_penilaian"
    __table_args__ = (CheckConstraint("selesai > mulai", name="ck_sesi_waktu"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    gelombang_id: Mapped[int] = mapped_column(ForeignKey("gelombang.id", ondelete="CASCADE"), index=True)
    gelombang: Mapped[Gelombang] = relationship(back_populates="sesi")
    metode_id: Mapped[int] = mapped_column(ForeignKey("metode.id"), index=True)
    metode: Mapped[Metode] = relationship()
    mulai: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    selesai: Mapped[dt.datetime] = mapped_column(DateTime)
    ruang: Mapped[str | None] = mapped_column(String(100), default="")

    def __str__(self) -> str:
        return f"{self.metode.nama} {self.mulai:%d-%m-%Y %H:%M}" if self.metode else f"#{self.id}"


kegiatan_matriks = Table(
    "kegiatan_matriks",
    Model.metadata,
    Column("metode_kegiatan_id", Integer, ForeignKey("kegiatan_metode.id", ondelete="CASCADE"), primary_key=True),
    Column("kompetensi_id", Integer, ForeignKey("kompetensi.id"), primary_key=True),
)


class MetodeKegiatan(Model):
    """A method used in an event; its competencies are the event's method × competency matrix row."""

    __tablename__ = "kegiatan_metode"
    __table_args__ = (UniqueConstraint("kegiatan_id", "metode_id", name="uq_kegiatan_metode"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kegiatan_id: Mapped[int] = mapped_column(ForeignKey("kegiatan_penilaian.id", ondelete="CASCADE"), index=True)
    kegiatan: Mapped[KegiatanPenilaian] = relationship(back_populates="metode")
    metode_id: Mapped[int] = mapped_column(ForeignKey("metode.id"), index=True)
    metode: Mapped[Metode] = relationship()
    urutan: Mapped[int] = mapped_column(Integer, default=0)
    kompetensi: Mapped[list[Kompetensi]] = relationship(secondary=kegiatan_matriks, order_by="Kompetensi.urutan")

    def __str__(self) -> str:
        return self.metode.nama if self.metode else f"#{self.metode_id}"


class KompetensiKegiatan(Model):
    """A competency assessed in an event."""

    __tablename__ = "kegiatan_kompetensi"
    __table_args__ = (UniqueConstraint("kegiatan_id", "kompetensi_id", name="uq_kegiatan_kompetensi"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kegiatan_id: Mapped[int] = mapped_column(ForeignKey("kegiatan_penilaian.id", ondelete="CASCADE"), index=True)
    kegiatan: Mapped[KegiatanPenilaian] = relationship(back_populates="kompetensi")
    kompetensi_id: Mapped[int] = mapped_column(ForeignKey("kompetensi.id"), index=True)
    kompetensi: Mapped[Kompetensi] = relationship()
    urutan: Mapped[int] = mapped_column(Integer, default=0)


class StandarKegiatan(Model):
    """The standards copied into an event when it starts, so later edits do not change its results."""

    __tablename__ = "kegiatan_standar"
    __table_args__ = (UniqueConstraint("kegiatan_id", "jabatan_id", "kompetensi_id", name="uq_kegiatan_standar"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kegiatan_id: Mapped[int] = mapped_column(ForeignKey("kegiatan_penilaian.id", ondelete="CASCADE"), index=True)
    jabatan_id: Mapped[int] = mapped_column(ForeignKey("jabatan.id"), index=True)
    kompetensi_id: Mapped[int] = mapped_column(ForeignKey("kompetensi.id"), index=True)
    level: Mapped[float] = mapped_column(LEVEL)


@audited(title=_l("Participant"))
class Peserta(Model):
    """A participant of an event: a civil servant of the register, or a person of another agency."""

    __tablename__ = "peserta"
    __table_args__ = (UniqueConstraint("kegiatan_id", "nip", name="uq_peserta_nip"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    # No cascade: an event with participants is not deleted by accident.
    kegiatan_id: Mapped[int] = mapped_column(ForeignKey("kegiatan_penilaian.id"), index=True)
    kegiatan: Mapped[KegiatanPenilaian] = relationship()
    gelombang_id: Mapped[int] = mapped_column(ForeignKey("gelombang.id"), index=True)
    gelombang: Mapped[Gelombang] = relationship()
    nomor: Mapped[int] = mapped_column(Integer, default=1)
    pegawai_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id"), index=True)
    pegawai: Mapped[Pegawai | None] = relationship()
    nip: Mapped[str] = mapped_column(String(18))
    gelar_depan: Mapped[str | None] = mapped_column(String(40), default="")
    nama: Mapped[str] = mapped_column(String(150))
    gelar_belakang: Mapped[str | None] = mapped_column(String(80), default="")
    pangkat_id: Mapped[int | None] = mapped_column(ForeignKey("pangkat.id"))
    pangkat: Mapped[Pangkat | None] = relationship()
    jabatan_id: Mapped[int | None] = mapped_column(ForeignKey("jabatan.id"), index=True)
    jabatan: Mapped[Jabatan | None] = relationship(foreign_keys=[jabatan_id])
    # The position whose standard applies when it is not the event's target or the person's own.
    jabatan_target_id: Mapped[int | None] = mapped_column(ForeignKey("jabatan.id"), index=True)
    jabatan_target: Mapped[Jabatan | None] = relationship(foreign_keys=[jabatan_target_id])
    instansi_nama: Mapped[str | None] = mapped_column(String(200), default="")
    unit_nama: Mapped[str | None] = mapped_column(String(200), default="")
    # The participant's unit when a civil servant of the register: conflicts of interest, the unit's HR.
    unit_kerja_id: Mapped[int | None] = mapped_column(ForeignKey("unit_kerja.id"), index=True)
    unit_kerja: Mapped[UnitKerja | None] = relationship()
    predikat_kinerja: Mapped[str | None] = mapped_column(String(30), default="")
    intake_drh: Mapped[bool | None] = mapped_column(Boolean, default=False)
    intake_qcom: Mapped[bool | None] = mapped_column(Boolean, default=False)
    intake_ci: Mapped[bool | None] = mapped_column(Boolean, default=False)
    ditambah_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    versi: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # claimed by each state change
    hasil: Mapped[Hasil | None] = relationship("Hasil", uselist=False, viewonly=True)

    @property
    def terkunci(self) -> bool:
        """The assessor meeting locked this participant's result."""
        return self.hasil is not None

    @property
    def nama_lengkap(self) -> str:
        name = f"{self.gelar_depan} {self.nama}".strip() if self.gelar_depan else self.nama
        return f"{name}, {self.gelar_belakang}" if self.gelar_belakang else name

    @property
    def nip_tampil(self) -> str:
        from app import nip as nip_mod

        return nip_mod.format_nip(self.nip)

    @property
    def intake_lengkap(self) -> bool:
        return bool(self.intake_drh and self.intake_qcom and self.intake_ci)

    def __str__(self) -> str:
        return f"{self.nomor}. {self.nama_lengkap}"


class JenisBerkas(enum.StrEnum):
    DRH = "drh"
    QCOM = "qcom"
    CI = "ci"


JENIS_BERKAS_LABELS = {
    JenisBerkas.DRH: _l("Curriculum vitae (DRH)"),
    JenisBerkas.QCOM: _l("Competency questionnaire (QCom)"),
    JenisBerkas.CI: _l("Critical incident form (CI)"),
}


class BerkasPeserta(Model):
    """An intake file of a participant (DRH, QCom, CI)."""

    __tablename__ = "peserta_berkas"
    id: Mapped[int] = mapped_column(primary_key=True)
    peserta_id: Mapped[int] = mapped_column(ForeignKey("peserta.id", ondelete="CASCADE"), index=True)
    peserta: Mapped[Peserta] = relationship()
    jenis: Mapped[str] = mapped_column(String(10))
    nama_file: Mapped[str] = mapped_column(String(200))
    mime: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    isi: Mapped[bytes] = mapped_column(LargeBinary)
    diunggah_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    diunggah_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))

    @property
    def jenis_label(self) -> str:
        return _labels(JENIS_BERKAS_LABELS, self.jenis)


class Kehadiran(Model):
    """Attendance of one participant at one session."""

    __tablename__ = "peserta_kehadiran"
    __table_args__ = (UniqueConstraint("sesi_id", "peserta_id", name="uq_kehadiran"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    sesi_id: Mapped[int] = mapped_column(ForeignKey("sesi_penilaian.id", ondelete="CASCADE"), index=True)
    peserta_id: Mapped[int] = mapped_column(ForeignKey("peserta.id", ondelete="CASCADE"), index=True)
    hadir: Mapped[bool | None] = mapped_column(Boolean, default=True)
    catatan: Mapped[str | None] = mapped_column(String(250), default="")


class StatusLembar(enum.StrEnum):
    DRAF = "draf"
    DIKIRIM = "dikirim"


STATUS_LEMBAR_LABELS = {StatusLembar.DRAF: _l("draft"), StatusLembar.DIKIRIM: _l("submitted (locked)")}


@audited(title=_l("Score sheet"))
class Penugasan(Model):
    """An assignment: one assessor assesses one participant in one method; it is that assessor's score
    sheet (draft, then submitted and locked)."""

    __tablename__ = "penugasan"
    __table_args__ = (UniqueConstraint("peserta_id", "metode_id", "asesor_id", name="uq_penugasan"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kegiatan_id: Mapped[int] = mapped_column(ForeignKey("kegiatan_penilaian.id", ondelete="CASCADE"), index=True)
    kegiatan: Mapped[KegiatanPenilaian] = relationship()
    peserta_id: Mapped[int] = mapped_column(ForeignKey("peserta.id", ondelete="CASCADE"), index=True)
    peserta: Mapped[Peserta] = relationship()
    metode_id: Mapped[int] = mapped_column(ForeignKey("metode.id"), index=True)
    metode: Mapped[Metode] = relationship()
    asesor_id: Mapped[int] = mapped_column(ForeignKey("pegawai.id"), index=True)
    asesor: Mapped[Pegawai] = relationship()
    sesi_id: Mapped[int | None] = mapped_column(ForeignKey("sesi_penilaian.id", ondelete="SET NULL"), index=True)
    sesi: Mapped[Sesi | None] = relationship()
    status: Mapped[str] = mapped_column(String(10), default=StatusLembar.DRAF.value)
    dikirim_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    catatan: Mapped[str | None] = mapped_column(Text, default="")
    versi: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # claimed by each state change
    nilai: Mapped[list[Nilai]] = relationship(back_populates="penugasan", cascade="all, delete-orphan")

    @property
    def status_label(self) -> str:
        return _labels(STATUS_LEMBAR_LABELS, self.status)

    @property
    def terkunci(self) -> bool:
        return self.status == StatusLembar.DIKIRIM

    def __str__(self) -> str:
        return f"{self.peserta.nama_lengkap} — {self.metode.nama}" if self.peserta and self.metode else f"#{self.id}"


@audited(title=_l("Score"), describe=lambda n: f"{n.penugasan_id}/{n.kompetensi_id}: {n.level:g}")
class Nilai(Model):
    """An assessor's level for one competency in one score sheet, with the evidence observed."""

    __tablename__ = "nilai"
    __table_args__ = (UniqueConstraint("penugasan_id", "kompetensi_id", name="uq_nilai"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    penugasan_id: Mapped[int] = mapped_column(ForeignKey("penugasan.id", ondelete="CASCADE"), index=True)
    penugasan: Mapped[Penugasan] = relationship(back_populates="nilai")
    kompetensi_id: Mapped[int] = mapped_column(ForeignKey("kompetensi.id"), index=True)
    kompetensi: Mapped[Kompetensi] = relationship()
    level: Mapped[float] = mapped_column(LEVEL)
    bukti: Mapped[str | None] = mapped_column(Text, default="")
    diubah_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


@audited(title=_l("Consensus"), describe=lambda k: f"{k.peserta_id}/{k.kompetensi_id}: {k.level:g}")
class Konsensus(Model):
    """The level the assessor meeting agreed for one competency of one participant, with its rationale."""

    __tablename__ = "konsensus"
    __table_args__ = (UniqueConstraint("peserta_id", "kompetensi_id", name="uq_konsensus"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    peserta_id: Mapped[int] = mapped_column(ForeignKey("peserta.id", ondelete="CASCADE"), index=True)
    kompetensi_id: Mapped[int] = mapped_column(ForeignKey("kompetensi.id"), index=True)
    kompetensi: Mapped[Kompetensi] = relationship()
    level: Mapped[float] = mapped_column(LEVEL)
    alasan: Mapped[str | None] = mapped_column(Text, default="")
    diubah_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


@audited(title=_l("Potential rating"), describe=lambda n: f"{n.peserta_id}/{n.aspek_id}: {n.nilai}")
class NilaiPotensi(Model):
    """The rating (1-5) of one potential aspect of one participant."""

    __tablename__ = "nilai_potensi"
    __table_args__ = (
        UniqueConstraint("peserta_id", "aspek_id", name="uq_nilai_potensi"),
        CheckConstraint("nilai BETWEEN 1 AND 5", name="ck_nilai_potensi_1_5"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    peserta_id: Mapped[int] = mapped_column(ForeignKey("peserta.id", ondelete="CASCADE"), index=True)
    aspek_id: Mapped[int] = mapped_column(ForeignKey("potensi_aspek.id"), index=True)
    aspek: Mapped[AspekPotensi] = relationship()
    nilai: Mapped[int] = mapped_column(Integer)
    catatan: Mapped[str | None] = mapped_column(Text, default="")


@audited(title=_l("Assessment result"), describe=lambda h: f"{h.peserta_id}: JPM {h.jpm}")
class Hasil(Model):
    """A participant's result, stored when the assessor meeting locks it (with the rules then in force),
    so that later threshold or standard changes do not rewrite history."""

    __tablename__ = "hasil_penilaian"
    id: Mapped[int] = mapped_column(primary_key=True)
    peserta_id: Mapped[int] = mapped_column(ForeignKey("peserta.id", ondelete="CASCADE"), unique=True)
    peserta: Mapped[Peserta] = relationship()
    kegiatan_id: Mapped[int] = mapped_column(ForeignKey("kegiatan_penilaian.id", ondelete="CASCADE"), index=True)
    kegiatan: Mapped[KegiatanPenilaian] = relationship()
    pegawai_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id"), index=True)
    tujuan: Mapped[str] = mapped_column(String(30))
    jabatan_id: Mapped[int | None] = mapped_column(ForeignKey("jabatan.id"))
    jabatan: Mapped[Jabatan | None] = relationship()
    rumus: Mapped[str] = mapped_column(String(20))
    jpm: Mapped[float] = mapped_column(PERSEN)
    kategori: Mapped[str] = mapped_column(String(20))
    skor_potensi: Mapped[float | None] = mapped_column(PERSEN)
    kelas_potensi: Mapped[str | None] = mapped_column(String(10))
    tingkat_kinerja: Mapped[str | None] = mapped_column(String(10))
    kotak: Mapped[int | None] = mapped_column(Integer)
    # Per competency: kode, nama, standar, konsensus, selisih (the psikogram's data).
    rincian: Mapped[list | None] = mapped_column(JSON)
    tanggal: Mapped[dt.date] = mapped_column(Date)
    berlaku_sampai: Mapped[dt.date] = mapped_column(Date, index=True)
    dikunci_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    dikunci_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    dikunci_oleh: Mapped[PenkomUser | None] = relationship()


class RiwayatPenilaian(Model):
    """What happened to an event's records that must be accountable: imports, submitted and reopened
    score sheets, locked and reopened meetings (with the reason)."""

    __tablename__ = "penilaian_riwayat"
    id: Mapped[int] = mapped_column(primary_key=True)
    kegiatan_id: Mapped[int] = mapped_column(ForeignKey("kegiatan_penilaian.id", ondelete="CASCADE"), index=True)
    peserta_id: Mapped[int | None] = mapped_column(ForeignKey("peserta.id", ondelete="SET NULL"), index=True)
    penugasan_id: Mapped[int | None] = mapped_column(ForeignKey("penugasan.id", ondelete="SET NULL"))
    aksi: Mapped[str] = mapped_column(String(30))
    keterangan: Mapped[str | None] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    user: Mapped[PenkomUser | None] = relationship()
    waktu: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
