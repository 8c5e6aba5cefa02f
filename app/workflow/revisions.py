"""SOP revisions: a revision that cases have used is never edited; it is copied first.

An edit of a used revision (of the SOP itself, an actor or a step) becomes one new revision carrying
the edit (`revise`); the revision it replaces is read-only from then on (`newest` tells which one is
current), so a form of it that is sent again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, inspect, select, update

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


class Superseded(Exception):
    """The revision is no longer the newest: another revision was made meanwhile."""


def newest(sop: Sop) -> Sop:
    """The current revision of the SOP (`sop` itself unless a newer revision replaced it)."""
    query = select(Sop).where(Sop.kode == sop.kode).order_by(Sop.revisi.desc()).limit(1)
    return db.session.execute(query).scalar_one()


def _copy(sop: Sop) -> tuple[Sop, dict]:
    """A copy of a revision with its actors and steps (not committed), and {old row: its copy}."""
    latest = db.session.execute(select(func.max(Sop.revisi)).where(Sop.kode == sop.kode)).scalar_one()
    copy = Sop(revisi=latest + 1, berlaku=True, revisi_dibuat=utcnow(), **{f: getattr(sop, f) for f in SOP_FIELDS})
    rows: dict = {sop: copy}
    for actor in sop.pelaksana:
        rows[actor] = Pelaksana(**{f: getattr(actor, f) for f in PELAKSANA_FIELDS})
        copy.pelaksana.append(rows[actor])
    for step in sop.langkah:
        clone = Langkah(**{f: getattr(step, f) for f in LANGKAH_FIELDS})
        clone.pelaksana = rows[step.pelaksana]
        clone.pelaksana_lain = [rows[a] for a in step.pelaksana_lain]
        copy.langkah.append(clone)
        rows[step] = clone
    return copy, rows


def _retire(sop: Sop) -> None:
    """Take the revision out of force; only one request can (a conditional update: 0 rows → Superseded)."""
    taken = db.session.execute(update(Sop).where(Sop.id == sop.id, Sop.berlaku.is_(True)).values(berlaku=False))
    if taken.rowcount != 1:
        db.session.rollback()
        raise Superseded()
    others = update(Sop).where(Sop.kode == sop.kode, Sop.id != sop.id, Sop.berlaku.is_(True)).values(berlaku=False)
    db.session.execute(others)


def new_revision(sop: Sop) -> Sop:
    """Copy a revision with its actors and steps, unchanged; the copy becomes the one in force."""
    db.session.execute(update(Sop).where(Sop.kode == sop.kode, Sop.berlaku.is_(True)).values(berlaku=False))
    copy, _rows = _copy(sop)
    db.session.add(copy)
    db.session.commit()
    return copy


def revise(sop: Sop, item, change: Callable[[object], None]) -> tuple[Sop, object]:
    """One new revision of `sop` in which `change(row)` is made to the copy of `item` (the SOP, one of its
    actors or steps), in one transaction. Rows of the old revision that the change points the copy at (its
    SOP, its actors) are replaced by their copies. Raises Superseded when the revision is not in force
    any more (the same form sent twice, or two people at once); whatever `change` raises rolls back."""
    _retire(sop)  # first: a second request waits here for the first one and then finds nothing to take
    try:
        with db.session.no_autoflush:
            copy, rows = _copy(sop)
            target = rows[item]
            change(target)
            _rebind(target, rows)
        db.session.add(copy)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return copy, target


def _rebind(row, rows: dict) -> None:
    """Point the row's relationships from rows of the old revision at their copies."""
    for rel in inspect(type(row)).relationships:
        value = getattr(row, rel.key)
        if isinstance(value, list):
            if any(v in rows for v in value):
                setattr(row, rel.key, [rows.get(v, v) for v in value])
        elif value is not None and value in rows:
            setattr(row, rel.key, rows[value])
