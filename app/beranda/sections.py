"""The home page's own sections: my tasks, documents waiting for me, my unit at a glance, shortcuts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from app import beranda, charts, scope
from app.extensions import db
from app.models import Kasus, KasusRiwayat, NaskahDinas, NaskahPemeriksa, Pelaksana, Sop, StatusKasus, StatusNaskah
from app.models.naskah import EDITABLE
from app.models.security import utcnow
from app.workflow import tugas
from app.workflow.engine import running_in_scope
from app.workflow.monitoring import median

TASK_LIMIT = 10
SIGN_EFFECT = "naskah_tanda_tangan"


def _allowed(permission: str, view: str) -> bool:
    return bool(current_app.appbuilder.sm.has_access(permission, view))


# -- what waits on me -----------------------------------------------------------------------------


def has_actor_role(user) -> bool:
    """Does one of the user's roles perform a step of an SOP the user can read?"""
    roles = sorted({r.id for r in user.roles}) or [-1]
    query = select(Pelaksana.id).join(Sop, Pelaksana.sop_id == Sop.id).where(Pelaksana.role_id.in_(roles))
    clause = scope.where(Sop, user)
    if clause is not None:
        query = query.where(clause)
    return db.session.execute(query.limit(1)).first() is not None


def build_tasks(user) -> dict | None:
    if not _allowed("can_list", "TugasSayaView"):
        return None
    now = utcnow()
    total, late = tugas.count_waiting(user, now)
    rows = tugas.waiting(user, TASK_LIMIT)
    return {
        "total": total, "late": late, "now": now, "more": max(0, total - len(rows)),
        "rows": [{"kasus": k, "late": k.due_at is not None and k.due_at < now} for k in rows],
        "has_roles": has_actor_role(user), "can_start": bool(tugas.startable_sops(user)) if not rows else False,
    }  # fmt: skip


# -- documents waiting for my initials or signature ------------------------------------------------


@dataclass
class WaitingDocument:
    naskah: NaskahDinas
    aksi: str  # paraf | tanda_tangan | perbaiki

    @property
    def label(self) -> str:
        return str({"paraf": _l("to initial"), "tanda_tangan": _l("to sign"),
                    "perbaiki": _l("returned to you")}[self.aksi])  # fmt: skip


def _signs(step) -> bool:
    return any(spec.split(":")[0].strip() == SIGN_EFFECT for spec in step.hook_names("efek"))


def documents_waiting(user) -> list[WaitingDocument]:
    """Documents waiting for the user: initials or a signature at a step of the user's cases, initials or
    a signature named to the user in a hand-made chain, and the user's own drafts returned with a note."""
    from app.documents.naskah import readiness_errors
    from app.notifikasi.operations import returned_to_drafter

    result: list[WaitingDocument] = []
    # 1. Documents of my waiting cases that this step initials or signs.
    cases = {k.id: k for k in tugas.waiting(user)}
    if cases:
        docs = db.session.execute(
            select(NaskahDinas).where(NaskahDinas.kasus_id.in_(list(cases)),
                                      NaskahDinas.status.in_([*EDITABLE, StatusNaskah.DIPARAF.value]))
            .order_by(NaskahDinas.id)
        ).scalars()  # fmt: skip
        for naskah in docs:
            step = cases[naskah.kasus_id].langkah
            row = naskah.pemeriksa_berikut
            if naskah.status in EDITABLE and row is not None and row.langkah_no == step.no:
                result.append(WaitingDocument(naskah, "paraf"))
            elif naskah.status == StatusNaskah.DIPARAF.value and _signs(step):
                result.append(WaitingDocument(naskah, "tanda_tangan"))
    # 2. Hand-made chains: documents not carried by a running case's steps.
    me = user.pegawai_id or -1
    mine = or_(NaskahDinas.penandatangan_id == me,
               NaskahDinas.id.in_(select(NaskahPemeriksa.naskah_id).where(NaskahPemeriksa.pegawai_id == me)),
               NaskahDinas.dibuat_oleh_id == user.id)  # fmt: skip
    query = scope.scoped(NaskahDinas, user).where(
        NaskahDinas.status.in_([*EDITABLE, StatusNaskah.DIPARAF.value]), mine).order_by(NaskahDinas.id)  # fmt: skip
    for naskah in db.session.execute(query).scalars():
        kasus = naskah.kasus
        if naskah.langkah_no is not None and kasus is not None and kasus.status == StatusKasus.BERJALAN.value:
            continue
        row = naskah.pemeriksa_berikut
        ready = not readiness_errors(naskah)
        chainless = naskah.status == StatusNaskah.KONSEP.value and not naskah.pemeriksa
        returned = returned_to_drafter(naskah)
        if returned and naskah.dibuat_oleh_id == user.id:
            result.append(WaitingDocument(naskah, "perbaiki"))
        elif naskah.status in EDITABLE and not returned and row is not None and row.pegawai_id == me and ready:
            result.append(WaitingDocument(naskah, "paraf"))
        elif (naskah.status == StatusNaskah.DIPARAF.value or chainless) and naskah.penandatangan_id == me and ready:
            result.append(WaitingDocument(naskah, "tanda_tangan"))
    return result


def build_documents(user) -> dict | None:
    if not (_allowed("can_paraf", "NaskahDinasView") or _allowed("can_tandatangani", "NaskahDinasView")):
        return None
    return {"rows": documents_waiting(user)}


# -- my unit at a glance (supervisors) ---------------------------------------------------------------


def month_start_utc(now: dt.datetime) -> dt.datetime:
    """The first instant of the current month in the office time zone, as naive UTC."""
    tz = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Jakarta"))
    local = now.replace(tzinfo=dt.UTC).astimezone(tz)
    first = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return first.astimezone(dt.UTC).replace(tzinfo=None)


@dataclass
class SopTime:
    """Finished cases of one SOP: median working time against the median mutu baku of the same steps."""

    nama: str
    selesai: int
    median_menit: float | None
    baku_menit: float | None
    tepat: float | None  # share of cases within their summed mutu baku


def sop_times(user, since: dt.datetime) -> list[SopTime]:
    """Per SOP (all revisions), over cases finished since `since`: the working minutes spent on steps
    that have a time budget, against the sum of those budgets."""
    clause = scope.where(Kasus, user)
    query = (
        select(Sop.kode, Sop.nama, KasusRiwayat.kasus_id, func.sum(KasusRiwayat.durasi_menit),
               func.sum(KasusRiwayat.anggaran_menit))
        .join(Kasus, KasusRiwayat.kasus_id == Kasus.id).join(Sop, Kasus.sop_id == Sop.id)
        .where(Kasus.status == StatusKasus.SELESAI.value, Kasus.selesai_at >= since,
               KasusRiwayat.anggaran_menit.isnot(None), KasusRiwayat.durasi_menit.isnot(None))
        .group_by(Sop.kode, Sop.nama, KasusRiwayat.kasus_id)
    )  # fmt: skip
    if clause is not None:
        query = query.where(clause)
    per_sop: dict[str, list[tuple[int, int]]] = defaultdict(list)
    names: dict[str, str] = {}
    for kode, nama, _kasus, spent, budget in db.session.execute(query):
        per_sop[kode].append((int(spent or 0), int(budget or 0)))
        names.setdefault(kode, nama)
    result = []
    for kode, pairs in per_sop.items():
        result.append(SopTime(
            names[kode], len(pairs), median([s for s, _b in pairs]), median([b for _s, b in pairs]),
            sum(1 for s, b in pairs if s <= b) / len(pairs),
        ))  # fmt: skip
    return sorted(result, key=lambda row: row.nama)


def running_by_step(user, now: dt.datetime) -> list[dict]:
    """Running cases per SOP and step, with how many are overdue."""
    base = running_in_scope(user).subquery()
    late = func.count().filter(base.c.due_at < now)
    rows = db.session.execute(
        select(base.c.sop_id, base.c.langkah_id, func.count(), late).group_by(base.c.sop_id, base.c.langkah_id)
    ).all()  # fmt: skip
    sops: dict[int, dict] = {}
    for sop_id, langkah_id, count, overdue in rows:
        sop = db.session.get(Sop, sop_id)
        entry = sops.setdefault(sop_id, {"sop": sop, "running": 0, "late": 0, "steps": []})
        step = next((s for s in sop.langkah if s.id == langkah_id), None)
        entry["running"] += count
        entry["late"] += overdue
        entry["steps"].append({"langkah": step, "running": count, "late": overdue})
    for entry in sops.values():
        entry["steps"].sort(key=lambda s: s["langkah"].no if s["langkah"] else 0)
    return sorted(sops.values(), key=lambda e: e["sop"].nama)


def _day_minutes() -> int:
    start, end = current_app.config["PENKOM_JAM_KERJA"]
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def _short(name: str, limit: int = 36) -> str:
    """A chart category: long SOP names are cut (the table below the charts has them in full)."""
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def unit_charts(per_sop: list[dict], times: list[SopTime]) -> list[charts.Chart]:
    """The overview as charts (app/charts.py, the same code path as the PDF reports): running cases per
    SOP, on time and overdue; and median working days per SOP against the mutu baku."""
    result = []
    if per_sop:
        names = [_short(e["sop"].nama) for e in per_sop]
        result.append(charts.bar_chart(
            names,
            [charts.Series(_("On time"), [e["running"] - e["late"] for e in per_sop], "#009E73"),
             charts.Series(_("Overdue"), [e["late"] for e in per_sop], "#D55E00")],
            horizontal=True, title=_("Running cases per SOP"),
            description=_("Running cases of each SOP in your unit, on time and overdue."),
        ))  # fmt: skip
    timed = [t for t in times if t.median_menit is not None and t.baku_menit]
    if timed:
        day = _day_minutes()
        result.append(charts.bar_chart(
            [_short(t.nama) for t in timed],
            [charts.Series(_("Median time (working days)"), [round(t.median_menit / day, 1) for t in timed]),
             charts.Series(_("Mutu baku (working days)"), [round(t.baku_menit / day, 1) for t in timed])],
            horizontal=True, title=_("Time per SOP against the mutu baku"),
            description=_("Median working days of the cases finished in the last 12 months, next to the "
                          "mutu baku of the same steps."),
        ))  # fmt: skip
    return result


def build_unit(user) -> dict | None:
    if not _allowed("can_evaluasi", "MonitoringView"):
        return None
    now = utcnow()
    since_month = month_start_utc(now)
    per_sop = running_by_step(user, now)
    clause = scope.where(Kasus, user)
    finished = select(func.count(Kasus.id)).where(Kasus.status == StatusKasus.SELESAI.value,
                                                 Kasus.selesai_at >= since_month)  # fmt: skip
    if clause is not None:
        finished = finished.where(clause)
    times = sop_times(user, now - dt.timedelta(days=365))
    return {
        "running": sum(e["running"] for e in per_sop), "late": sum(e["late"] for e in per_sop),
        "finished_month": db.session.execute(finished).scalar_one(), "per_sop": per_sop, "times": times,
        "charts": [(charts.data_uri(c), c) for c in unit_charts(per_sop, times)],
    }  # fmt: skip


# -- shortcuts --------------------------------------------------------------------------------------------

SHORTCUTS = [
    # (permission, view, endpoint, label, icon)
    ("can_add", "KasusView", "KasusView.add", _l("Start a case"), "fa-play"),
    ("can_list", "TugasSayaView", "TugasSayaView.list", _l("My Tasks"), "fa-inbox"),
    ("can_list", "TerlambatView", "TerlambatView.list", _l("Overdue"), "fa-clock"),
    ("can_list", "KasusView", "KasusView.list", _l("All Cases"), "fa-folder-open"),
    ("can_list", "NaskahDinasView", "NaskahDinasView.list", _l("Documents"), "fa-file-signature"),
    ("can_list", "PegawaiView", "PegawaiView.list", _l("Civil Servants"), "fa-id-card"),
    ("can_index", "MonitoringView", "MonitoringView.index", _l("SOP Monitoring"), "fa-chart-bar"),
]


def build_shortcuts(user) -> dict | None:
    links = [(endpoint, label, icon) for perm, view, endpoint, label, icon in SHORTCUTS if _allowed(perm, view)]
    return {"links": links} if links else None


beranda.register(beranda.Section("tugas", _l("Waiting for you"), "beranda/tugas.html", build_tasks, order=10))
beranda.register(beranda.Section("naskah", _l("Documents for your initials or signature"), "beranda/naskah.html",
                                 build_documents, order=20))  # fmt: skip
beranda.register(beranda.Section("unit", _l("Your unit at a glance"), "beranda/unit.html", build_unit, order=50,
                                 wide=True))  # fmt: skip
beranda.register(beranda.Section("pintasan", _l("Shortcuts"), "beranda/pintasan.html", build_shortcuts, order=90))
