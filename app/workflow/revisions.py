"""SOP revisions: a revision that cases have used is never edited; it is copied first."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import Kasus, Langkah, Pelaksana, Sop
from app.models.security import utcnow

SOP_FIELDS = (
    "kode", "instansi_id", "unit_kerja_id", "nomor", "nama", "jenis", "tanggal_pembuatan", "tanggal_revisi",
    "tanggal_efektif", "pengesah_jabatan", "pengesah_nama", "pengesah_pangkat", "pengesah_nip",
    "mengetahui_jabatan", "mengetahui_nama", "mengetahui_pangkat", "mengetahui_nip", "dasar_hukum",
    "kualifikasi_pelaksana", "keterkaitan", "peralatan", "peringatan", "pencatatan", "sop_terkait",
    "catatan_transkripsi",
)  # fmt: skip
PELAKSANA_FIELDS = ("urutan", "kode", "nama", "role_id")
LANGKAH_FIELDS = (
    "no", "kegiatan", "simbol", "kelengkapan", "waktu", "waktu_nilai", "waktu_satuan", "waktu_acuan", "output",
    "keterangan", "lanjut_no", "ya_no", "tidak_no", "label_ya", "label_tidak", "kembali_no", "label_kembali",
    "guards", "efek", "nomor", "bersama", "ya_jika", "tidak_jika", "label_lanjut", "keluaran",
)  # fmt: skip


def has_cases(sop: Sop) -> bool:
    return db.session.execute(select(func.count(Kasus.id)).where(Kasus.sop_id == sop.id)).scalar_one() > 0


def new_revision(sop: Sop) -> Sop:
    """Copy a revision with its actors and steps; the copy becomes the one in force."""
    latest = db.session.execute(select(func.max(Sop.revisi)).where(Sop.kode == sop.kode)).scalar_one()
    copy = Sop(revisi=latest + 1, berlaku=True, revisi_dibuat=utcnow(), **{f: getattr(sop, f) for f in SOP_FIELDS})
    actors = {}
    for actor in sop.pelaksana:
        actors[actor.id] = Pelaksana(**{f: getattr(actor, f) for f in PELAKSANA_FIELDS})
        copy.pelaksana.append(actors[actor.id])
    for step in sop.langkah:
        clone = Langkah(**{f: getattr(step, f) for f in LANGKAH_FIELDS})
        clone.pelaksana = actors[step.pelaksana_id]
        clone.pelaksana_lain = [actors[a.id] for a in step.pelaksana_lain]
        copy.langkah.append(clone)
    for other in db.session.execute(select(Sop).where(Sop.kode == sop.kode, Sop.berlaku.is_(True))).scalars():
        other.berlaku = False
    db.session.add(copy)
    db.session.commit()
    return copy


def editable(sop: Sop) -> tuple[Sop, bool]:
    """The revision to edit: the SOP itself, or a fresh revision when cases already used it."""
    if has_cases(sop):
        return new_revision(sop), True
    return sop, False


def counterpart(item, new_sop: Sop):
    """The actor or step in `new_sop` that corresponds to `item` of the older revision."""
    if isinstance(item, Langkah):
        return new_sop.step(item.no)
    return next((p for p in new_sop.pelaksana if p.kode == item.kode), None)
