"""Recap, assessor evaluation and feedback screens of an assessment event, and the recap download of
the REST API. Thin: each route parses the request, calls one function of `app.penilaian.rekap`,
`evaluasi` or `umpan_balik`, and renders; every row comes through the scope module."""

from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.api import BaseApi, protect, safe
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l

from app.bounds import whole
from app.charts import data_uri
from app.documents.pdf import pdf_response
from app.extensions import db
from app.formatting import angka_level, persen, tanggal, tanggal_waktu
from app.models import UmpanBalik
from app.penilaian import evaluasi as ev
from app.penilaian import hasil as calc
from app.penilaian import operations as ops
from app.penilaian import rekap as rk
from app.penilaian import umpan_balik as ub
from app.views.base import ScopedModelView, form_date
from app.views.impor import xlsx_response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _or_404(fn, *args):
    try:
        return fn(*args)
    except ops.PenilaianError as exc:
        abort(exc.status if exc.status in (403, 404) else 404)


class RekapView(BaseView):
    """The recap of an event (participants × competencies, JPM, categories, nine-box; Excel) and the
    assessor performance evaluation (page and PDF, staff of the event's unit only)."""

    route_base = "/rekap"
    default_view = "kegiatan"

    @expose("/kegiatan/<int:pk>", methods=["GET"])
    @has_access
    def kegiatan(self, pk):
        data = _or_404(rk.rekap, pk, g.user)
        return self.render_template(
            "penilaian/rekap.html", r=data, item=data.kegiatan, grafik=data_uri(rk.grafik_kategori(data.semua)),
            labels=calc, level=angka_level, persen=persen, staf=ops.staf_kegiatan(data.kegiatan, g.user),
            title=_l("Recap"),
        )  # fmt: skip

    @expose("/xlsx/<int:pk>", methods=["GET"])
    @has_access
    def xlsx(self, pk):
        return xlsx_response(_or_404(rk.xlsx, pk, g.user), f"rekap-penilaian-{pk}.xlsx")

    @expose("/evaluasi/<int:pk>", methods=["GET"])
    @has_access
    def evaluasi(self, pk):
        data = _or_404(ev.evaluasi, pk, g.user)
        return self.render_template("penilaian/evaluasi.html", e=data, item=data.kegiatan, persen=persen,
                                    title=_l("Assessor performance evaluation"))  # fmt: skip

    @expose("/evaluasi_pdf/<int:pk>", methods=["GET"])
    @has_access
    def evaluasi_pdf(self, pk):
        return pdf_response(_or_404(ev.pdf, pk, g.user), f"evaluasi-asesor-{pk}.pdf")


class UmpanBalikView(ScopedModelView):
    """Feedback requests and sessions (seed 4 step 9)."""

    datamodel = SQLAInterface(UmpanBalik)
    base_permissions = ["can_list", "can_show", "can_minta", "can_sesi", "can_pdf"]
    list_title = _l("Feedback")
    show_title = _l("Feedback")
    show_template = "penilaian/umpan_balik.html"
    list_columns = ["peserta", "kegiatan", "tanggal_permintaan", "tanggal_sesi", "pemberi"]
    search_columns = ["kegiatan", "tanggal_permintaan", "tanggal_sesi"]
    order_columns = ["tanggal_permintaan", "tanggal_sesi"]
    base_order = ("id", "desc")
    label_columns = {
        "peserta": _l("Participant"),
        "kegiatan": _l("Event"),
        "tanggal_permintaan": _l("Requested on"),
        "tanggal_sesi": _l("Session date"),
        "pemberi": _l("Given by"),
    }
    formatters_columns = {
        "tanggal_permintaan": tanggal,
        "tanggal_sesi": lambda v: tanggal(v) if v else "—",
        "pemberi": lambda v: v.nama_lengkap if v else "—",
    }

    @expose("/show/<int:pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        item = _or_404(ub.umpan_balik, pk, g.user)
        return self.render_template(self.show_template, u=item, pemberi=ub.pemberi_pilihan(item), tanggal=tanggal,
                                    tanggal_waktu=tanggal_waktu, hari_ini=ops.hari_ini(),
                                    title=self.show_title)  # fmt: skip

    @expose("/minta/<int:pk>", methods=["GET", "POST"])
    @has_access
    def minta(self, pk):
        """A participant's (pk) request for feedback: the form, and recording it."""
        p = _or_404(ops.peserta, pk, g.user)
        existing = ub.umpan_balik_peserta(p.id, g.user)
        if existing is not None:
            return redirect(url_for("UmpanBalikView.show", pk=existing.id))
        if request.method == "POST":
            try:
                item = ub.catat_permintaan(p.id, g.user, form_date(request.form.get("tanggal")),
                                           request.form.get("permintaan", ""))  # fmt: skip
            except ops.PenilaianError as exc:
                db.session.rollback()
                flash(str(exc), "danger")
            else:
                flash(_l("The request for feedback is recorded."), "success")
                return redirect(url_for("UmpanBalikView.show", pk=item.id))
        today = ops.hari_ini()
        return self.render_template("penilaian/umpan_balik_minta.html", p=p, cek=ub.kelayakan(p, today),
                                    hari_ini=today, tanggal=tanggal, title=_l("Request for feedback"))  # fmt: skip

    @expose("/sesi/<int:pk>", methods=["POST"])
    @has_access
    def sesi(self, pk):
        try:
            ub.catat_sesi(pk, g.user, form_date(request.form.get("tanggal")), whole(request.form.get("pemberi_id")),
                          request.form.get("catatan", ""))  # fmt: skip
        except ops.PenilaianError as exc:
            db.session.rollback()
            if exc.status == 404:
                abort(404)
            flash(str(exc), "danger")
        else:
            flash(_l("The feedback session is recorded."), "success")
        return redirect(url_for("UmpanBalikView.show", pk=pk))

    @expose("/pdf/<int:pk>", methods=["GET"])
    @has_access
    def pdf(self, pk):
        try:
            data = ub.pdf(pk, g.user)
        except ops.PenilaianError as exc:
            if exc.status == 404:
                abort(404)
            flash(str(exc), "warning")
            return redirect(url_for("UmpanBalikView.show", pk=pk))
        return pdf_response(data, f"umpan-balik-{pk}.pdf")


class RekapApi(BaseApi):
    """`GET /api/v1/kegiatan/<id>/rekap.xlsx`: the recap workbook of an event (the caller's participants)."""

    resource_name = "kegiatan"
    allow_browser_login = True
    openapi_spec_tag = "Kegiatan Penilaian"
    class_permission_name = "RekapApi"
    method_permission_name = {"rekap": "get"}

    @expose("/<int:pk>/rekap.xlsx", methods=["GET"])
    @protect()
    @safe
    def rekap(self, pk):
        """The recap of an assessment event as an Excel workbook (a summary sheet and one sheet per wave).
        ---
        get:
          parameters:
          - in: path
            name: pk
            schema: {type: integer}
          responses:
            200:
              description: The workbook
              content:
                application/vnd.openxmlformats-officedocument.spreadsheetml.sheet:
                  schema: {type: string, format: binary}
            401:
              $ref: '#/components/responses/401'
            404:
              $ref: '#/components/responses/404'
        """
        try:
            data = rk.xlsx(pk, g.user)
        except ops.PenilaianError:
            return self.response_404()
        response = xlsx_response(data, f"rekap-penilaian-{pk}.xlsx")
        response.headers["Content-Type"] = XLSX
        return response
