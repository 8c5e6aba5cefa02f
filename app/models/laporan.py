"""Individual competency and potential reports (laporan individu) and the batches that print them.

A report (`LaporanIndividu`) belongs to one participant whose assessor meeting is locked: its writer is
one of the participant's assessors, who drafts the narrative and submits it; quality control (QC)
passes it or returns it with notes. A batch (`JobLaporan`) prints the reports of a wave or a whole event
on the job queue (huey, app/laporan/antrian.py): one `ItemLaporan` per participant keeps that
participant's PDF, so a restarted worker resumes where the killed one stopped. The merged PDF and the
ZIP of the individual PDFs are kept in the batch row until it is deleted. The report's wording (title,
opening, headings, closing, confidentiality note, the patterns of the narrative suggestions) is a
`TemplateLaporan` per agency, the row without an agency being the national default.
"""

from __future__ import annotations

import datetime as dt
import enum

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, DateTime, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.audit import audited
from app.models.master import Instansi, Pegawai
from app.models.penilaian import Gelombang, KegiatanPenilaian, Peserta
from app.models.security import PenkomUser, utcnow


class StatusLaporan(enum.StrEnum):
    DRAF = "draf"
    DIKIRIM = "dikirim"
    DIKEMBALIKAN = "dikembalikan"
    LULUS = "lulus"


STATUS_LAPORAN_LABELS = {
    StatusLaporan.DRAF: _l("draft"),
    StatusLaporan.DIKIRIM: _l("submitted for QC"),
    StatusLaporan.DIKEMBALIKAN: _l("returned by QC"),
    StatusLaporan.LULUS: _l("passed QC"),
}

# The narrative the assessor writes, in the order of the report.
NARASI = ("kekuatan", "area_pengembangan", "rekomendasi", "saran_penempatan", "saran_pengembangan")


@audited(title=_l("Individual report"))
class LaporanIndividu(Model):
    """The competency and potential report of one participant: the assessor's narrative and its QC."""

    __tablename__ = "laporan_individu"
    id: Mapped[int] = mapped_column(primary_key=True)
    peserta_id: Mapped[int] = mapped_column(ForeignKey("peserta.id", ondelete="CASCADE"), unique=True)
    peserta: Mapped[Peserta] = relationship()
    kegiatan_id: Mapped[int] = mapped_column(ForeignKey("kegiatan_penilaian.id", ondelete="CASCADE"), index=True)
    kegiatan: Mapped[KegiatanPenilaian] = relationship()
    # The assessor who writes it (one of the participant's assessors).
    asesor_id: Mapped[int] = mapped_column(ForeignKey("pegawai.id"), index=True)
    asesor: Mapped[Pegawai] = relationship()
    status: Mapped[str] = mapped_column(String(12), default=StatusLaporan.DRAF.value, index=True)
    kekuatan: Mapped[str | None] = mapped_column(Text, default="")
    area_pengembangan: Mapped[str | None] = mapped_column(Text, default="")
    rekomendasi: Mapped[str | None] = mapped_column(Text, default="")
    saran_penempatan: Mapped[str | None] = mapped_column(Text, default="")
    saran_pengembangan: Mapped[str | None] = mapped_column(Text, default="")
    dikirim_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # QC: the checklist as answered ([{"butir": ..., "ok": bool}]), the notes, who and when.
    qc_daftar: Mapped[list | None] = mapped_column(JSON)
    qc_catatan: Mapped[str | None] = mapped_column(Text, default="")
    qc_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    qc_oleh: Mapped[PenkomUser | None] = relationship()
    qc_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # How many times QC returned it to its writer (the assessor evaluation counts them).
    jumlah_kembali: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    versi: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # claimed by each state change
    dibuat_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    diubah_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    @property
    def status_label(self) -> str:
        return str(STATUS_LAPORAN_LABELS.get(self.status, self.status))

    @property
    def bisa_diubah(self) -> bool:
        return self.status in (StatusLaporan.DRAF, StatusLaporan.DIKEMBALIKAN)

    def __str__(self) -> str:
        return str(_l("Report of %(name)s", name=self.peserta.nama_lengkap)) if self.peserta else f"#{self.id}"


class StatusJob(enum.StrEnum):
    ANTRI = "antri"
    BERJALAN = "berjalan"
    SELESAI = "selesai"


STATUS_JOB_LABELS = {
    StatusJob.ANTRI: _l("queued"),
    StatusJob.BERJALAN: _l("running"),
    StatusJob.SELESAI: _l("finished"),
}


class JobLaporan(Model):
    """A batch of reports of a wave (or of the whole event) printed on the job queue."""

    __tablename__ = "laporan_job"
    id: Mapped[int] = mapped_column(primary_key=True)
    kegiatan_id: Mapped[int] = mapped_column(ForeignKey("kegiatan_penilaian.id", ondelete="CASCADE"), index=True)
    kegiatan: Mapped[KegiatanPenilaian] = relationship()
    gelombang_id: Mapped[int | None] = mapped_column(ForeignKey("gelombang.id", ondelete="CASCADE"), index=True)
    gelombang: Mapped[Gelombang | None] = relationship()
    status: Mapped[str] = mapped_column(String(10), default=StatusJob.ANTRI.value, index=True)
    # "<event>:<wave or 0>" while unfinished, NULL afterwards: a second start of the same wave cannot
    # insert a second running batch (it joins the first), on SQLite and PostgreSQL alike.
    kunci: Mapped[str | None] = mapped_column(String(40), unique=True)
    total: Mapped[int] = mapped_column(Integer, default=0)
    versi: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # claimed by each state change
    # The worker merging the results (host:pid), so a restart knows a merge was cut off.
    pekerja: Mapped[str | None] = mapped_column(String(120))
    dibuat_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    dibuat_oleh: Mapped[PenkomUser | None] = relationship()
    dibuat_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    selesai_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    hasil_pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    hasil_zip: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    item: Mapped[list[ItemLaporan]] = relationship(back_populates="job", order_by="ItemLaporan.urutan",
                                                   cascade="all, delete-orphan")  # fmt: skip

    @property
    def status_label(self) -> str:
        return str(STATUS_JOB_LABELS.get(self.status, self.status))

    def __str__(self) -> str:
        wave = str(self.gelombang) if self.gelombang else str(_l("all waves"))
        return f"{self.kegiatan.nama} — {wave}" if self.kegiatan else f"#{self.id}"


class StatusItem(enum.StrEnum):
    MENUNGGU = "menunggu"
    BERJALAN = "berjalan"
    SELESAI = "selesai"
    GAGAL = "gagal"


class ItemLaporan(Model):
    """One participant of a batch: claimed by one worker at a time (token), its PDF written once."""

    __tablename__ = "laporan_job_item"
    __table_args__ = (UniqueConstraint("job_id", "peserta_id", name="uq_laporan_job_item"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("laporan_job.id", ondelete="CASCADE"), index=True)
    job: Mapped[JobLaporan] = relationship(back_populates="item")
    peserta_id: Mapped[int] = mapped_column(ForeignKey("peserta.id", ondelete="CASCADE"), index=True)
    peserta: Mapped[Peserta] = relationship()
    urutan: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(10), default=StatusItem.MENUNGGU.value, index=True)
    token: Mapped[str | None] = mapped_column(String(40))
    pekerja: Mapped[str | None] = mapped_column(String(120))
    diklaim_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    selesai_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    ditulis: Mapped[int] = mapped_column(Integer, default=0)  # how many times its PDF was stored (once)
    pesan: Mapped[str | None] = mapped_column(Text, default="")
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))


# The wording of the report, in the order of the form: texts printed on the report, then the patterns the
# narrative suggestions are generated from (app/laporan/operations.py `saran`).
TEKS_LAPORAN = ("judul", "pembuka", "judul_identitas", "judul_tujuan", "judul_metode", "judul_potensi",
                "judul_kompetensi", "judul_psikogram", "judul_hasil", "judul_kekuatan", "judul_area_pengembangan",
                "judul_rekomendasi", "judul_saran_penempatan", "judul_saran_pengembangan", "penutup", "ttd_ketua",
                "ttd_asesor", "catatan_rahasia")  # fmt: skip
POLA_SARAN = ("pola_kekuatan", "pola_kekuatan_memenuhi", "pola_kekuatan_relatif", "pola_kembang",
              "pola_kembang_nihil", "pola_rekomendasi", "pola_penempatan", "pola_penempatan_kesenjangan",
              "pola_pengembangan", "pola_pengembangan_nihil")  # fmt: skip


@audited(title=_l("Report template"))
class TemplateLaporan(Model):
    """The editable wording of the individual report of one agency (instansi empty: the national default,
    used by agencies without their own). Each text is Jinja run in the sandbox producing plain text, which
    the fixed layout escapes, like the letter templates (`TemplateNaskah`)."""

    __tablename__ = "laporan_template"
    __table_args__ = (UniqueConstraint("instansi_id", name="uq_laporan_template_instansi"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int | None] = mapped_column(ForeignKey("instansi.id"))
    instansi: Mapped[Instansi | None] = relationship()
    judul: Mapped[str] = mapped_column(String(500), default="")
    pembuka: Mapped[str | None] = mapped_column(Text, default="")
    judul_identitas: Mapped[str] = mapped_column(String(200), default="")
    judul_tujuan: Mapped[str] = mapped_column(String(200), default="")
    judul_metode: Mapped[str] = mapped_column(String(200), default="")
    judul_potensi: Mapped[str] = mapped_column(String(200), default="")
    judul_kompetensi: Mapped[str] = mapped_column(String(200), default="")
    judul_psikogram: Mapped[str] = mapped_column(String(200), default="")
    judul_hasil: Mapped[str] = mapped_column(String(200), default="")
    judul_kekuatan: Mapped[str] = mapped_column(String(200), default="")
    judul_area_pengembangan: Mapped[str] = mapped_column(String(200), default="")
    judul_rekomendasi: Mapped[str] = mapped_column(String(200), default="")
    judul_saran_penempatan: Mapped[str] = mapped_column(String(200), default="")
    judul_saran_pengembangan: Mapped[str] = mapped_column(String(200), default="")
    penutup: Mapped[str | None] = mapped_column(Text, default="")
    ttd_ketua: Mapped[str] = mapped_column(String(200), default="")
    ttd_asesor: Mapped[str] = mapped_column(String(200), default="")
    catatan_rahasia: Mapped[str | None] = mapped_column(Text, default="")
    pola_kekuatan: Mapped[str] = mapped_column(Text, default="")
    pola_kekuatan_memenuhi: Mapped[str] = mapped_column(Text, default="")
    pola_kekuatan_relatif: Mapped[str] = mapped_column(Text, default="")
    pola_kembang: Mapped[str] = mapped_column(Text, default="")
    pola_kembang_nihil: Mapped[str] = mapped_column(Text, default="")
    pola_rekomendasi: Mapped[str] = mapped_column(Text, default="")
    pola_penempatan: Mapped[str] = mapped_column(Text, default="")
    pola_penempatan_kesenjangan: Mapped[str] = mapped_column(Text, default="")
    pola_pengembangan: Mapped[str] = mapped_column(Text, default="")
    pola_pengembangan_nihil: Mapped[str] = mapped_column(Text, default="")

    def __str__(self) -> str:
        return str(self.instansi) if self.instansi else str(_l("National default"))
