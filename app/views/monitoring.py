"""Monitoring and evaluation of SOPs (per step: durations vs mutu baku, evaluator's assessment)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.documents.pdf import pdf_response, render_pdf
from app.extensions import db
from app.formatting import tanggal, tanggal_waktu
from app.models import EvaluasiSop, Sop
from app.models.security import utcnow
from app.scope import scoped_sops
from app.workflow.monitoring import durasi, period_words, save_evaluations, step_stats

PENILAIAN = {
    "baik": _l("running well"),
    "kurang": _l("running poorly"),
    "tidak": _l("not running"),
}


def scoped_sop(pk: int) -> Sop:
    sop = db.session.execute(scoped_sops().where(Sop.id == pk)).scalar()
    if sop is None:
        abort(404)
    return sop


def evaluations(sop: Sop, periode: str) -> dict[int, EvaluasiSop]:
    rows = db.session.execute(
        select(EvaluasiSop).where(EvaluasiSop.sop_id == sop.id, EvaluasiSop.periode == periode)
    ).scalars()
    return {row.langkah_no: row for row in rows}


def default_period() -> str:
    now = utcnow()
    return f"{now.year}-S{1 if now.month <= 6 else 2}"


class MonitoringView(BaseView):
    route_base = "/monitoring"
    default_view = "index"

    @expose("/")
    @has_access
    def index(self):
        query = scoped_sops().where(Sop.berlaku.is_(True)).order_by(Sop.nama)
        return self.render_template("monitoring/index.html", sops=list(db.session.execute(query).scalars()),
                                    title=_l("SOP Monitoring"))  # fmt: skip

    @expose("/sop/<int:pk>", methods=["GET"])
    @has_access
    def sop(self, pk):
        sop = scoped_sop(pk)
        periode = request.args.get("periode") or default_period()
        return self.render_template(
            "monitoring/sop.html", sop=sop, stats=step_stats(sop), periode=periode, nilai=evaluations(sop, periode),
            penilaian=PENILAIAN, durasi=durasi, title=_l("SOP Monitoring"), periode_kata=period_words(periode),
        )  # fmt: skip

    @expose("/evaluasi/<int:pk>", methods=["POST"])
    @has_access
    def evaluasi(self, pk):
        sop = scoped_sop(pk)
        periode = (request.form.get("periode") or "").strip()[:40]
        if not periode:
            flash(_l("The monitoring period is required."), "danger")
            return redirect(url_for("MonitoringView.sop", pk=pk))
        rows = {
            step.no: (
                request.form.get(f"penilaian_{step.no}", ""),
                request.form.get(f"catatan_{step.no}", ""),
                request.form.get(f"tindakan_{step.no}", ""),
            )
            for step in sop.langkah
        }
        saved = save_evaluations(sop, periode, rows)
        flash(_l("Assessment saved for %(n)d step(s).", n=saved), "success")
        return redirect(url_for("MonitoringView.sop", pk=pk, periode=periode))

    @expose("/pdf/<int:pk>")
    @has_access
    def pdf(self, pk):
        sop = scoped_sop(pk)
        periode = request.args.get("periode") or default_period()
        data = render_pdf(
            "pdf/monitoring.html", sop=sop, stats=step_stats(sop), periode=period_words(periode),
            nilai=evaluations(sop, periode), penilaian=PENILAIAN, durasi=durasi, tanggal=tanggal,
            tanggal_waktu=tanggal_waktu, now=utcnow(),
        )  # fmt: skip
        return pdf_response(data, f"monitoring-sop-{sop.id}-{periode}.pdf")
