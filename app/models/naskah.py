"""Official documents (naskah dinas): templates, numbering, the documents, their review chain and log."""

from __future__ import annotations

import datetime as dt
import enum

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.audit import audited
from app.models.kasus import Kasus
from app.models.master import Instansi, Pegawai, UnitKerja
from app.models.security import PenkomUser, utcnow


class JenisNaskah(enum.StrEnum):
    SURAT_DINAS = "surat_dinas"
    SURAT_TUGAS = "surat_tugas"
    SURAT_PERINTAH = "surat_perintah"
    NOTA_DINAS = "nota_dinas"
    BERITA_ACARA = "berita_acara"
    NOTULEN = "notulen"
    PENGUMUMAN = "pengumuman"
    LAPORAN = "laporan"

    @property
    def label(self) -> str:
        return str(JENIS_LABELS[self])


JENIS_LABELS = {
    JenisNaskah.SURAT_DINAS: _l("Official letter (surat dinas)"),
    JenisNaskah.SURAT_TUGAS: _l("Assignment letter (surat tugas)"),
    JenisNaskah.SURAT_PERINTAH: _l("Order letter (surat perintah)"),
    JenisNaskah.NOTA_DINAS: _l("Internal memo (nota dinas)"),
    JenisNaskah.BERITA_ACARA: _l("Official record (berita acara)"),
    JenisNaskah.NOTULEN: _l("Minutes (notulen)"),
    JenisNaskah.PENGUMUMAN: _l("Announcement (pengumuman)"),
    JenisNaskah.LAPORAN: _l("Report (laporan)"),
}

# The title printed on documents that carry one (letters and memos are laid out differently).
JUDUL = {
    JenisNaskah.SURAT_TUGAS: "SURAT TUGAS",
    JenisNaskah.SURAT_PERINTAH: "SURAT PERINTAH",
    JenisNaskah.BERITA_ACARA: "BERITA ACARA",
    JenisNaskah.NOTULEN: "NOTULEN",
    JenisNaskah.PENGUMUMAN: "PENGUMUMAN",
    JenisNaskah.LAPORAN: "LAPORAN",
    JenisNaskah.NOTA_DINAS: "NOTA DINAS",
}


class StatusNaskah(enum.StrEnum):
    KONSEP = "konsep"
    DIKEMBALIKAN = "dikembalikan"
    DIPARAF = "diparaf"
    DITANDATANGANI = "ditandatangani"
    DIKIRIM = "dikirim"
    BATAL = "batal"


STATUS_LABELS = {
    StatusNaskah.KONSEP: _l("draft"),
    StatusNaskah.DIKEMBALIKAN: _l("returned"),
    StatusNaskah.DIPARAF: _l("initialled, awaiting signature"),
    StatusNaskah.DITANDATANGANI: _l("signed"),
    StatusNaskah.DIKIRIM: _l("sent"),
    StatusNaskah.BATAL: _l("cancelled"),
}

EDITABLE = (StatusNaskah.KONSEP.value, StatusNaskah.DIKEMBALIKAN.value)
FINAL = (StatusNaskah.DITANDATANGANI.value, StatusNaskah.DIKIRIM.value)


@audited(title=_l("Archive classification code"))
class KlasifikasiArsip(Model):
    """Archive classification code (Permendagri 83/2022), editable reference data."""

    __tablename__ = "klasifikasi_arsip"
    id: Mapped[int] = mapped_column(primary_key=True)
    kode: Mapped[str] = mapped_column(String(30), unique=True)
    nama: Mapped[str] = mapped_column(String(250))

    def __str__(self) -> str:
        return f"{self.kode} {self.nama}"


@audited(title=_l("Document template"))
class TemplateNaskah(Model):
    """The wording of one kind of output (e.g. the rejection letter). Administrators edit it in the UI;
    it runs in Jinja's sandbox and produces plain text, which the fixed layout escapes."""

    __tablename__ = "naskah_template"
    id: Mapped[int] = mapped_column(primary_key=True)
    kode: Mapped[str] = mapped_column(String(60), unique=True)
    nama: Mapped[str] = mapped_column(String(200))
    jenis: Mapped[str] = mapped_column(String(20))
    kode_klasifikasi: Mapped[str | None] = mapped_column(String(30), default="")
    sifat: Mapped[str | None] = mapped_column(String(20), default="Biasa")
    perihal: Mapped[str] = mapped_column(Text, default="")
    kepada: Mapped[str | None] = mapped_column(Text, default="")
    isi: Mapped[str] = mapped_column(Text, default="")
    isi_penutup: Mapped[str | None] = mapped_column(Text, default="")
    tembusan: Mapped[str | None] = mapped_column(Text, default="")
    kertas: Mapped[str] = mapped_column(String(4), default="a4")

    def __str__(self) -> str:
        return self.nama


@audited(title=_l("Numbering pattern"))
class PolaNomor(Model):
    """Numbering pattern of one agency, for one kind of document or (jenis empty) for all kinds."""

    __tablename__ = "naskah_pola_nomor"
    __table_args__ = (UniqueConstraint("instansi_id", "jenis", name="uq_pola_nomor_instansi_jenis"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"), index=True)
    instansi: Mapped[Instansi] = relationship()
    jenis: Mapped[str] = mapped_column(String(20), default="")  # "" = every kind (unique per agency)
    pola: Mapped[str] = mapped_column(String(120))
    lebar_nomor: Mapped[int] = mapped_column(Integer, default=4)

    def __str__(self) -> str:
        return self.pola


class NomorUrut(Model):
    """Yearly counter of one numbering sequence; incremented in the signing transaction."""

    __tablename__ = "naskah_nomor_urut"
    __table_args__ = (UniqueConstraint("instansi_id", "kunci", "tahun", name="uq_nomor_urut"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"))
    kunci: Mapped[str] = mapped_column(String(20))  # the kind, or "*" for an agency-wide sequence
    tahun: Mapped[int] = mapped_column(Integer)
    terakhir: Mapped[int] = mapped_column(Integer, default=0)


class NaskahDinas(Model):
    __tablename__ = "naskah_dinas"
    id: Mapped[int] = mapped_column(primary_key=True)
    jenis: Mapped[str] = mapped_column(String(20), index=True)
    template_kode: Mapped[str | None] = mapped_column(String(60), default="")
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"), index=True)
    instansi: Mapped[Instansi] = relationship(lazy="joined")
    unit_kerja_id: Mapped[int] = mapped_column(ForeignKey("unit_kerja.id"), index=True)
    unit_kerja: Mapped[UnitKerja] = relationship(lazy="joined")
    kasus_id: Mapped[int | None] = mapped_column(ForeignKey("kasus.id"), index=True)
    kasus: Mapped[Kasus | None] = relationship()
    langkah_no: Mapped[int | None] = mapped_column(Integer)  # the SOP step that drafts it

    perihal: Mapped[str] = mapped_column(String(500))
    sifat: Mapped[str | None] = mapped_column(String(20), default="Biasa")
    kode_klasifikasi: Mapped[str | None] = mapped_column(String(30), default="")
    lampiran: Mapped[str | None] = mapped_column(String(120), default="-")
    kepada: Mapped[str | None] = mapped_column(Text, default="")
    isi: Mapped[str] = mapped_column(Text, default="")
    isi_penutup: Mapped[str | None] = mapped_column(Text, default="")
    daftar: Mapped[list | None] = mapped_column(JSON, default=list)  # people named (e.g. assessors)
    tembusan: Mapped[str | None] = mapped_column(Text, default="")
    kota: Mapped[str | None] = mapped_column(String(100), default="")
    kertas: Mapped[str] = mapped_column(String(4), default="a4")

    penandatangan_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id"))
    penandatangan: Mapped[Pegawai | None] = relationship(lazy="joined")
    jabatan_penandatangan: Mapped[str | None] = mapped_column(String(200), default="")
    atas_nama: Mapped[str | None] = mapped_column(String(5), default="")  # "", a.n., u.b., Plt., Plh.
    jabatan_atas_nama: Mapped[str | None] = mapped_column(String(200), default="")

    status: Mapped[str] = mapped_column(String(15), default=StatusNaskah.KONSEP.value, index=True)
    paraf_ke: Mapped[int] = mapped_column(Integer, default=0)  # how many reviewers have initialled
    versi: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # claimed by each state change
    catatan_kembali: Mapped[str | None] = mapped_column(Text, default="")

    nomor: Mapped[str | None] = mapped_column(String(120), unique=True)
    nomor_eoffice: Mapped[str | None] = mapped_column(String(120))  # typed in when the agency numbers in SRIKANDI
    nomor_urut: Mapped[int | None] = mapped_column(Integer)
    tanggal: Mapped[dt.date | None] = mapped_column(Date)
    ditandatangani_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    ditandatangani_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    sha256: Mapped[str | None] = mapped_column(String(64))
    token: Mapped[str | None] = mapped_column(String(64), unique=True)

    dibuat_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    dibuat_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    dibuat_oleh: Mapped[PenkomUser | None] = relationship(foreign_keys=[dibuat_oleh_id])

    pemeriksa: Mapped[list[NaskahPemeriksa]] = relationship(
        back_populates="naskah", order_by="NaskahPemeriksa.urutan", cascade="all, delete-orphan"
    )
    riwayat: Mapped[list[NaskahRiwayat]] = relationship(
        back_populates="naskah", order_by="NaskahRiwayat.id", cascade="all, delete-orphan"
    )

    @property
    def jenis_label(self) -> str:
        try:
            return JenisNaskah(self.jenis).label
        except ValueError:
            return self.jenis

    @property
    def status_label(self) -> str:
        try:
            return str(STATUS_LABELS[StatusNaskah(self.status)])
        except ValueError:
            return self.status

    @property
    def dapat_diubah(self) -> bool:
        return self.status in EDITABLE

    @property
    def pemeriksa_berikut(self) -> NaskahPemeriksa | None:
        return self.pemeriksa[self.paraf_ke] if self.paraf_ke < len(self.pemeriksa) else None

    def __str__(self) -> str:
        return f"{self.nomor or '#' + str(self.id)} {self.perihal}"


class NaskahPemeriksa(Model):
    """One place in a document's review (paraf) chain. A chain bound to SOP steps names the step;
    a chain made by hand names the civil servant who initials."""

    __tablename__ = "naskah_pemeriksa"
    id: Mapped[int] = mapped_column(primary_key=True)
    naskah_id: Mapped[int] = mapped_column(ForeignKey("naskah_dinas.id", ondelete="CASCADE"), index=True)
    naskah: Mapped[NaskahDinas] = relationship(back_populates="pemeriksa")
    urutan: Mapped[int] = mapped_column(Integer)
    peran: Mapped[str | None] = mapped_column(String(120), default="")
    langkah_no: Mapped[int | None] = mapped_column(Integer)
    pegawai_id: Mapped[int | None] = mapped_column(ForeignKey("pegawai.id"))
    pegawai: Mapped[Pegawai | None] = relationship(lazy="joined")
    paraf_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    paraf_oleh: Mapped[str | None] = mapped_column(String(200), default="")

    def __str__(self) -> str:
        return self.peran or (self.pegawai.nama_lengkap if self.pegawai else str(self.urutan))


AKSI_LABELS = {
    "konsep": _l("drafted"),
    "ubah": _l("changed"),
    "pemeriksa": _l("reviewer added"),
    "paraf": _l("initialled"),
    "kembali": _l("returned"),
    "tanda_tangan": _l("signed"),
    "kirim": _l("sent"),
    "batal": _l("cancelled"),
    "nomor_eoffice": _l("e-office number recorded"),
}


class NaskahRiwayat(Model):
    """What happened to a document: drafted, initialled, returned (with the note), signed, sent."""

    __tablename__ = "naskah_riwayat"
    id: Mapped[int] = mapped_column(primary_key=True)
    naskah_id: Mapped[int] = mapped_column(ForeignKey("naskah_dinas.id", ondelete="CASCADE"), index=True)
    naskah: Mapped[NaskahDinas] = relationship(back_populates="riwayat")
    aksi: Mapped[str] = mapped_column(String(20))
    oleh: Mapped[str | None] = mapped_column(String(200), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    catatan: Mapped[str | None] = mapped_column(Text, default="")
    waktu: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    @property
    def aksi_label(self) -> str:
        return str(AKSI_LABELS.get(self.aksi, self.aksi))
