"""What an event still lacks (schedule, plan, intake, assignment, scores, results), for the SOP guards
(app/penilaian/hooks.py) and the event page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Hasil,
    KegiatanPenilaian,
    Penugasan,
    Peserta,
)
from app.penilaian import aturan as rules
from app.penilaian.peserta import progres_intake
from app.penilaian.tim import rancangan


def kurang_jadwal(item: KegiatanPenilaian) -> list[str]:
    """Every wave has its date (the assessment schedule)."""
    return [str(_l("%(g)s has no date yet", g=g)) for g in item.gelombang if g.tanggal_mulai is None]


def kurang_rancangan(item: KegiatanPenilaian) -> list[str]:
    """What the plan still lacks (methods, matrix, waves and sessions, participants, team, clean assignment)."""
    out = []
    members = db.session.execute(select(func.count(Peserta.id)).where(Peserta.kegiatan_id == item.id)).scalar_one()
    if not members:
        out.append(str(_l("no participants yet")))
    if not any(g.sesi for g in item.gelombang):
        out.append(str(_l("no session is scheduled yet")))
    warnings = rules.periksa(rancangan(item))
    if warnings:
        out.append(
            str(_l("%(n)d rule warning(s) on the event page, e.g.: %(w)s", n=len(warnings), w=warnings[0].pesan))
        )
    return out


def kurang_intake(item: KegiatanPenilaian) -> list[str]:
    total = sum(w["jumlah"] for w in progres_intake(item))
    done = sum(w["lengkap"] for w in progres_intake(item))
    if not total:
        return [str(_l("no participants yet"))]
    if done < total:
        return [
            str(
                _l(
                    "%(n)d of %(total)d participants without complete intake (DRH, QCom, CI)",
                    n=total - done,
                    total=total,
                )
            )
        ]
    return []


def kurang_distribusi(item: KegiatanPenilaian) -> list[str]:
    """Every participant has an assessor in every method, and every assessor of the team has participants."""
    plan = rancangan(item)
    out = []
    missing = [w for w in rules.periksa(plan) if w.kode == "belum_ditugaskan"]
    if missing:
        out.append(str(_l("%(n)d participant(s) still lack an assessor in some method", n=len(missing))))
    idle = [a.nama for a in plan.asesor if not any(t.asesor_id == a.pegawai_id for t in plan.tugas)]
    if idle:
        out.append(str(_l("assessors without participants: %(a)s", a=", ".join(idle))))
    if not plan.peserta:
        out.append(str(_l("no participants yet")))
    return out


def kurang_penilaian(item: KegiatanPenilaian) -> list[str]:
    """Every score sheet submitted."""
    total, sent = db.session.execute(
        select(func.count(Penugasan.id), func.count(Penugasan.dikirim_at)).where(Penugasan.kegiatan_id == item.id)
    ).one()
    if not total:
        return [str(_l("no score sheets yet"))]
    if sent < total:
        return [str(_l("%(n)d of %(total)d score sheets not yet submitted", n=total - sent, total=total))]
    return []


def kurang_hasil(item: KegiatanPenilaian) -> list[str]:
    """Every participant has a locked consensus result."""
    total = db.session.execute(select(func.count(Peserta.id)).where(Peserta.kegiatan_id == item.id)).scalar_one()
    locked = db.session.execute(select(func.count(Hasil.id)).where(Hasil.kegiatan_id == item.id)).scalar_one()
    if not total:
        return [str(_l("no participants yet"))]
    if locked < total:
        return [
            str(_l("%(n)d of %(total)d participants without a locked consensus result", n=total - locked, total=total))
        ]
    return []


def ringkasan(item: KegiatanPenilaian) -> dict:
    """Counts for the event page."""
    total = db.session.execute(select(func.count(Peserta.id)).where(Peserta.kegiatan_id == item.id)).scalar_one()
    sheets, sent = db.session.execute(
        select(func.count(Penugasan.id), func.count(Penugasan.dikirim_at)).where(Penugasan.kegiatan_id == item.id)
    ).one()
    locked = db.session.execute(select(func.count(Hasil.id)).where(Hasil.kegiatan_id == item.id)).scalar_one()
    return {"peserta": total, "lembar": sheets, "lembar_dikirim": sent, "terkunci": locked}
