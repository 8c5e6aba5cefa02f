"""The home page section of the reports: the reports I write (returned ones first) and, for the staff
of an event's unit, the reports waiting for QC."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

from app import beranda
from app.laporan import operations as lap


def build(user) -> dict | None:
    if not current_app.appbuilder.sm.has_access("can_list", "LaporanView"):
        return None
    mine, mine_total = lap.tugas_asesor(user)
    qc, qc_total = lap.menunggu_qc(user)
    if not (mine_total or qc_total):
        return None
    return {"mine": mine, "mine_total": mine_total, "qc": qc, "qc_total": qc_total}


beranda.register(beranda.Section("laporan", _l("Individual reports"), "laporan/beranda.html", build, order=31))
