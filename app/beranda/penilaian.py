"""The home page section of competency assessment: what waits on me (my open score sheets; as ketua the
participants whose meeting is not locked) and the events I run, with their progress."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import beranda, scope
from app.extensions import db
from app.models import AnggotaTim, Hasil, KegiatanPenilaian, Penugasan, Peserta
from app.models.penilaian import PeranTim, StatusKegiatan, StatusLembar
from app.penilaian import operations as ops

LIMIT = 8


def _allowed(permission: str, view: str) -> bool:
    return bool(current_app.appbuilder.sm.has_access(permission, view))


def build(user) -> dict | None:
    """None for users with no part in any assessment."""
    if not _allowed("can_list", "KegiatanPenilaianView"):
        return None
    pegawai_id = getattr(user, "pegawai_id", None) or -1
    running = select(KegiatanPenilaian.id).where(KegiatanPenilaian.status == StatusKegiatan.BERLANGSUNG.value)
    open_sheets = scope.scoped(Penugasan, user).where(
        Penugasan.asesor_id == pegawai_id,
        Penugasan.status == StatusLembar.DRAF.value,
        Penugasan.kegiatan_id.in_(running),
    )
    sheets_total = db.session.execute(select(func.count()).select_from(open_sheets.subquery())).scalar_one()
    sheets = db.session.execute(open_sheets.order_by(Penugasan.id).limit(LIMIT)).scalars().all()
    chaired = select(AnggotaTim.kegiatan_id).where(
        AnggotaTim.pegawai_id == pegawai_id, AnggotaTim.peran == PeranTim.KETUA.value
    )
    meeting = db.session.execute(
        select(func.count(Peserta.id)).where(
            Peserta.kegiatan_id.in_(chaired),
            Peserta.kegiatan_id.in_(running),
            Peserta.id.notin_(select(Hasil.peserta_id)),
        )
    ).scalar_one()
    events = []
    reach = scope.reach(user)
    if not reach.assigned_only:
        query = scope.scoped(KegiatanPenilaian, user).where(KegiatanPenilaian.status != StatusKegiatan.SELESAI.value)
        for item in db.session.execute(query.order_by(KegiatanPenilaian.id.desc()).limit(LIMIT)).scalars():
            events.append({"kegiatan": item, **ops.ringkasan(item)})
    if not (sheets_total or meeting or events):
        return None
    return {
        "sheets": sheets,
        "sheets_total": sheets_total,
        "more": max(0, sheets_total - len(sheets)),
        "meeting": meeting,
        "events": events,
    }


beranda.register(beranda.Section("penilaian", _l("Assessment"), "penilaian/beranda.html", build, order=30))
