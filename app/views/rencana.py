"""Assessment plans (Polhukam seed 3): the generated list and forms, the plan page with its case's workflow
buttons, criteria, candidate review, Excel, participants, instruments and coordination; and the REST
resource `/api/v1/rencana-penilaian/` with `/<pk>/kandidat`. Thin: each endpoint calls one operation of
app/rencana/operations.py."""

from __future__ import annotations

import datetime as dt
import re

from flask import abort, flash, g, make_response, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.api import expose as api_expose
from flask_appbuilder.api import protect, safe
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import SelectField
from wtforms.validators import DataRequired, Length

from app import bounds, scope
from app.extensions import db
from app.formatting import orang, tanggal
from app.models import KegiatanPenilaian, Pangkat
from app.models.penilaian import TUJUAN_LABELS, StatusKegiatan
from app.models.rencana import MASA_LABELS, DasarMasa, RencanaPenilaian
from app.rencana import hooks  # noqa: F401  (registers the plan steps, outputs and template data)
from app.rencana import operations as ops
from app.rest import ScopedRestApi
from app.validators import select_choices
from app.views.base import ScopedModelView, attempt

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _dash(value) -> str:
    return str(value) if value else "—"


def _ints(values) -> list[int]:
    result = []
    for value in values:
        try:
            result.append(int(value))
        except (TypeError, ValueError):
            raise ops.RencanaError(_l("The form is incomplete or damaged; reload the page and try again."),
                                   400) from None  # fmt: skip
    return result


def _date(value) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ops.RencanaError(_l("Write the date as YYYY-MM-DD."), 422) from None


class RencanaPenilaianView(ScopedModelView):
    datamodel = SQLAInterface(RencanaPenilaian)
    base_permissions = ["can_list", "can_show", "can_add", "can_edit", "can_delete", "can_kriteria", "can_tinjau",
                        "can_unduh", "can_peserta", "can_instrumen", "can_koordinasi"]  # fmt: skip
    list_title = _l("Assessment Plans")
    show_title = _l("Assessment Plan")
    add_title = _l("Add Assessment Plan")
    edit_title = _l("Edit Assessment Plan")
    show_template = "rencana/show.html"
    list_columns = ["nama", "tujuan", "periode_mulai", "periode_selesai", "unit_kerja", "kasus"]
    show_columns = ["nama", "tujuan", "periode_mulai", "periode_selesai", "sasaran", "unit_kerja", "kasus", "kegiatan"]
    add_columns = edit_columns = ["nama", "tujuan", "unit_kerja", "periode_mulai", "periode_selesai", "sasaran"]
    search_columns = ["nama", "tujuan", "unit_kerja", "periode_mulai"]
    order_columns = ["nama", "periode_mulai"]
    base_order = ("id", "desc")
    label_columns = {
        "nama": _l("Name"), "tujuan": _l("Purpose"), "periode_mulai": _l("Period from"),
        "periode_selesai": _l("Period until"), "sasaran": _l("Target group"), "unit_kerja": _l("Work Unit"),
        "kasus": _l("Case"), "kegiatan": _l("Assessment event"),
    }  # fmt: skip
    description_columns = {"sasaran": _l("Who the assessment is for, e.g. the administrators of the Biro Umum")}
    formatters_columns = {
        "tujuan": lambda v: str(TUJUAN_LABELS.get(v, v or "")), "periode_mulai": tanggal,
        "periode_selesai": tanggal, "kasus": _dash, "kegiatan": _dash,
    }  # fmt: skip
    validators_columns = {"nama": [DataRequired(), Length(max=250)], "unit_kerja": [DataRequired()]}
    add_form_extra_fields = edit_form_extra_fields = {
        "tujuan": SelectField(_l("Purpose"), choices=select_choices((t.value, lbl) for t, lbl in TUJUAN_LABELS.items()),
                              validators=[DataRequired()]),
    }  # fmt: skip

    def pre_add(self, item):
        self.pre_update(item)
        item.dibuat_oleh_id = g.user.id

    def pre_update(self, item):
        # FAB shows the message of a refusal here and saves nothing.
        if item.periode_mulai and item.periode_selesai and item.periode_selesai < item.periode_mulai:
            raise ValueError(_("The end of the period is before its start."))

    def _item(self, pk) -> RencanaPenilaian:
        try:
            return ops.rencana(pk, g.user)
        except ops.RencanaError:
            abort(404)

    def _done(self, pk, fn, message, anchor=""):
        """Run one operation; a refusal becomes the user's message and changes nothing."""
        self._item(pk)
        attempt(fn, message)
        return redirect(url_for("RencanaPenilaianView.show", pk=pk) + anchor)

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        """The plan: its case's current step and buttons, criteria, candidates, instruments, coordination."""
        from app.views.panels import case_panel

        item = self._item(pk)
        widgets = self._get_show_widget(pk, item)
        kasus = scope.get(type(item.kasus), item.kasus_id, g.user) if item.kasus_id else None
        panel = (
            dict(case_panel(kasus, g.user), kembali_ke=url_for("RencanaPenilaianView.show", pk=item.id))
            if kasus
            else {}
        )
        events = [e for e in scope.visible(KegiatanPenilaian) if e.status != StatusKegiatan.SELESAI]
        ranks = db.session.execute(select(Pangkat).order_by(Pangkat.urutan)).scalars().all()
        daftar = ops.kandidat(item, semua=True)
        shown = {k.pegawai.id for k in daftar}
        return self.render_template(
            self.show_template, pk=pk, title=self.show_title, widgets=widgets, related_views=self._related_views,
            item=item, kasus_rencana=kasus, kriteria=ops.kriteria_dari(item), ringkasan=ops.ringkasan_kriteria(item),
            daftar=daftar, lain=[p for p in ops.orang_instansi(item) if p.id not in shown], jenis=ops.jenis_choices(),
            jenjang=ops.jenjang_choices(item),
            unit=ops.unit_instansi(item), pangkat=ranks, masa=[(d.value, str(MASA_LABELS[d])) for d in DasarMasa],
            katalog=ops.metode_katalog(), instrumen={r.metode_id: r for r in item.instrumen}, kegiatan=events,
            tanggal=tanggal, orang=orang, hari_ini=ops.pops.hari_ini(), **panel,
        )  # fmt: skip

    @expose("/kriteria/<int:pk>", methods=["POST"])
    @has_access
    def kriteria(self, pk):
        """Period, target group and candidate criteria (refused when they select nobody)."""
        form = request.form
        try:
            criteria = ops.Kriteria(
                jenis_jabatan=form.getlist("jenis_jabatan"), jenjang=form.getlist("jenjang"),
                pangkat_min_id=_ints([form["pangkat_min_id"]])[0] if form.get("pangkat_min_id") else None,
                unit_ids=_ints(form.getlist("unit_ids")), usia_min=form.get("usia_min"), usia_max=form.get("usia_max"),
                masa_min_tahun=form.get("masa_min_tahun"), masa_dasar=form.get("masa_dasar", DasarMasa.PANGKAT.value),
                penilaian_lewat_tahun=form.get("penilaian_lewat_tahun"),
            )  # fmt: skip
            start, end = _date(form.get("periode_mulai")), _date(form.get("periode_selesai"))
        except ops.RencanaError as exc:
            flash(str(exc), "danger")
            return redirect(url_for("RencanaPenilaianView.show", pk=pk) + "#kriteria")
        return self._done(pk, lambda: ops.atur_kriteria(pk, g.user, criteria, start, end, form.get("sasaran")),
                          lambda item: _l("Criteria saved: %(n)d candidates.", n=len(ops.kandidat_terpilih(item))),
                          "#kandidat")  # fmt: skip

    @expose("/tinjau/<int:pk>", methods=["POST"])
    @has_access
    def tinjau(self, pk):
        """Exclude a candidate or add a civil servant by hand, with the reason."""
        form = request.form
        pegawai_id = form.get("pegawai_id", type=bounds.whole)
        return self._done(pk, lambda: ops.tinjau(pk, g.user, pegawai_id, form.get("sertakan") == "1",
                                                 form.get("alasan", "")),
                          _l("The candidate list was updated."), "#kandidat")  # fmt: skip

    @expose("/unduh/<int:pk>", methods=["GET"])
    @has_access
    def unduh(self, pk):
        """The final candidate list as Excel."""
        item = self._item(pk)
        response = make_response(ops.xlsx_kandidat(item))
        response.headers["Content-Type"] = XLSX
        name = re.sub(r"[^A-Za-z0-9]+", "-", item.nama).strip("-").lower()[:60] or "rencana"
        response.headers["Content-Disposition"] = f'attachment; filename="calon-peserta-{name}.xlsx"'
        return response

    @expose("/peserta/<int:pk>", methods=["POST"])
    @has_access
    def peserta(self, pk):
        """The final candidates become participants of an assessment event (new, or a chosen one)."""
        kegiatan_id = request.form.get("kegiatan_id", type=bounds.whole)
        return self._done(pk, lambda: ops.jadikan_peserta(pk, g.user, kegiatan_id),
                          lambda r: _l("%(n)d participants added to %(event)s.", n=r[1], event=r[0].nama),
                          "#peserta")  # fmt: skip

    @expose("/instrumen/<int:pk>", methods=["POST"])
    @has_access
    def instrumen(self, pk):
        """The instruments checklist: methods of the catalogue, and which are ready."""
        form = request.form
        try:
            chosen, ready = _ints(form.getlist("metode_ids")), _ints(form.getlist("siap_ids"))
        except ops.RencanaError as exc:
            flash(str(exc), "danger")
            return redirect(url_for("RencanaPenilaianView.show", pk=pk) + "#instrumen")
        notes = {mid: form.get(f"catatan_{mid}", "") for mid in chosen}
        return self._done(pk, lambda: ops.atur_instrumen(pk, g.user, chosen, ready, notes),
                          _l("Instruments checklist saved."), "#instrumen")  # fmt: skip

    @expose("/koordinasi/<int:pk>", methods=["POST"])
    @has_access
    def koordinasi(self, pk):
        """Record a coordination with a unit or third party."""
        form = request.form
        try:
            day = _date(form.get("tanggal"))
        except ops.RencanaError as exc:
            flash(str(exc), "danger")
            return redirect(url_for("RencanaPenilaianView.show", pk=pk) + "#koordinasi")
        return self._done(pk, lambda: ops.catat_koordinasi(pk, g.user, form.get("pihak", ""), day,
                                                           form.get("hasil", "")),
                          _l("Coordination recorded."), "#koordinasi")  # fmt: skip


class RencanaPenilaianApi(ScopedRestApi):
    resource_name = "rencana-penilaian"
    datamodel = SQLAInterface(RencanaPenilaian)
    reads = ("kandidat",)
    list_columns = ["id", "nama", "tujuan", "periode_mulai", "periode_selesai", "unit_kerja.kode", "kasus_id",
                    "kegiatan_id"]  # fmt: skip
    show_columns = list_columns + ["sasaran", "jenis_jabatan", "jenjang", "pangkat_min_id", "usia_min", "usia_max",
                                   "masa_min_tahun", "masa_dasar", "penilaian_lewat_tahun"]  # fmt: skip
    search_columns = ["nama", "tujuan", "kasus_id"]
    openapi_spec_tag = "Rencana Penilaian"

    @api_expose("/<int:pk>/kandidat", methods=["GET"])
    @protect()
    @safe
    def kandidat(self, pk):
        """The plan's computed candidate list (after the review), as the plan page shows it.
        ---
        get:
          parameters:
          - in: path
            name: pk
            schema: {type: integer}
          responses:
            200:
              description: The candidates (`result`), their number (`count`) and the criteria in words (`kriteria`)
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      count: {type: integer}
                      kriteria: {type: string}
                      result:
                        type: array
                        items:
                          type: object
                          properties:
                            pegawai_id: {type: integer}
                            nip: {type: string}
                            nama: {type: string}
                            pangkat: {type: string}
                            jabatan: {type: string}
                            jenis_jabatan: {type: string}
                            unit_kerja: {type: string}
                            usia: {type: integer, nullable: true}
                            masa_tahun: {type: integer, nullable: true}
                            penilaian_terakhir: {type: string, format: date, nullable: true}
                            ditambahkan: {type: boolean}
                            alasan: {type: string}
            401:
              $ref: '#/components/responses/401'
            404:
              $ref: '#/components/responses/404'
        """
        item = scope.get(RencanaPenilaian, pk, g.user)
        if item is None:
            return self.response_404()
        rows = [k.as_dict() for k in ops.kandidat_terpilih(item)]
        return self.response(200, count=len(rows), kriteria=ops.ringkasan_kriteria(item), result=rows)
