"""Individual report screens: the list of reports in scope, a report's page (the writer's narrative with
suggestions, the psikogram, QC), its PDF; and the report batches of an event (start, progress as JSON
for the progress bar, merged PDF and ZIP, delete). Thin: each request calls one operation of
`app.laporan.operations` or `app.laporan.batch`; every row comes through the scope module. The report's
wording per agency (`TemplateLaporanView`) is edited like the letter templates."""

from __future__ import annotations

from flask import abort, flash, g, jsonify, make_response, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import TextAreaField
from wtforms.validators import DataRequired, ValidationError
from wtforms.validators import Optional as OptionalV

from app import bounds, charts
from app.documents.pdf import pdf_response
from app.extensions import db
from app.laporan import batch
from app.laporan import hooks as _hooks  # noqa: F401  (registers the guard and the step outputs)
from app.laporan import operations as lap
from app.laporan import template as templat
from app.models.laporan import (
    NARASI,
    POLA_SARAN,
    STATUS_LAPORAN_LABELS,
    TEKS_LAPORAN,
    LaporanIndividu,
    StatusLaporan,
    TemplateLaporan,
)
from app.penilaian import hasil as calc
from app.penilaian import operations as ops
from app.views.base import ScopedModelView, agency_unless_admin


def _refused(exc: ops.PenilaianError):
    if exc.status == 404:
        abort(404)
    db.session.rollback()
    flash(str(exc), "danger")


_int = bounds.whole  # a number typed into the form; None when it is none or beyond the database's range


class LaporanView(ScopedModelView):
    datamodel = SQLAInterface(LaporanIndividu)
    base_permissions = ["can_list", "can_show", "can_simpan", "can_qc", "can_pdf", "can_buat"]
    list_title = _l("Individual Reports")
    show_title = _l("Individual Report")
    list_columns = ["peserta", "kegiatan", "asesor", "status"]
    search_columns = ["kegiatan", "asesor", "status"]
    order_columns = ["status"]
    base_order = ("id", "asc")
    label_columns = {
        "peserta": _l("Participant"),
        "kegiatan": _l("Event"),
        "asesor": _l("Report writer (assessor)"),
        "status": _l("Status"),
    }
    formatters_columns = {"status": lambda v: str(STATUS_LAPORAN_LABELS.get(v, v or ""))}

    def _item(self, pk) -> LaporanIndividu:
        try:
            return lap.laporan(pk, g.user)
        except ops.PenilaianError:
            abort(404)

    @expose("/show/<int:pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        row = self._item(pk)
        try:
            hasil = lap.hasil_terkunci(row.peserta)
        except ops.PenilaianError as exc:  # the meeting was reopened after the report began
            flash(str(exc), "warning")
            return redirect(url_for("LaporanView.list"))
        writer = lap.penulis_laporan(row, g.user) and row.bisa_diubah and row.kegiatan.status != "selesai"
        chart = lap.psikogram(hasil)
        return self.render_template(
            "laporan/show.html",
            title=self.show_title,
            row=row,
            hasil=hasil,
            kategori=str(calc.KATEGORI_LABELS.get(hasil.kategori, hasil.kategori)),
            grafik=charts.data_uri(chart),
            grafik_alt=chart.description,
            writer=writer,
            saran=lap.saran(row) if writer else {},
            fields=[(f, lap.NARASI_LABELS[f], getattr(row, f) or "") for f in NARASI],
            qc=lap.boleh_qc(row, g.user) and row.status == StatusLaporan.DIKIRIM,
            butir=lap.butir_qc(row.kegiatan),
            teks=lap.teks_laporan(row, hasil),
        )

    @expose("/simpan/<int:pk>", methods=["POST"])
    @has_access
    def simpan(self, pk):
        data = {f: request.form.get(f, "") for f in NARASI if f in request.form}
        kirim = bool(request.form.get("kirim"))
        try:
            lap.simpan(pk, g.user, data, kirim=kirim, seen_versi=_int(request.form.get("versi")))
        except ops.PenilaianError as exc:
            _refused(exc)
        else:
            flash(_l("Report submitted for QC.") if kirim else _l("Report saved."), "success")
        return redirect(url_for("LaporanView.show", pk=pk))

    @expose("/qc/<int:pk>", methods=["POST"])
    @has_access
    def qc(self, pk):
        centang = [v for v in (_int(x) for x in request.form.getlist("butir")) if v is not None]
        lulus = request.form.get("keputusan") == "lulus"
        try:
            lap.qc(pk, g.user, centang, lulus, request.form.get("catatan", ""), _int(request.form.get("versi")))
        except ops.PenilaianError as exc:
            _refused(exc)
        else:
            flash(_l("The report passed QC.") if lulus else _l("The report was returned to its assessor."), "success")
        return redirect(url_for("LaporanView.show", pk=pk))

    @expose("/pdf/<int:pk>", methods=["GET"])
    @has_access
    def pdf(self, pk):
        row = self._item(pk)
        try:
            data = lap.pdf(row)
        except ops.PenilaianError as exc:
            _refused(exc)
            return redirect(url_for("LaporanView.list"))
        return pdf_response(data, f"laporan-{row.peserta.nip}.pdf")

    @expose("/buat/<int:pk>", methods=["POST"])
    @has_access
    def buat(self, pk):
        """Open (creating on first use) the report of a participant."""
        try:
            row = lap.laporan_peserta(pk, g.user)
        except ops.PenilaianError as exc:
            _refused(exc)
            return redirect(url_for("PesertaView.show", pk=pk))
        return redirect(url_for("LaporanView.show", pk=row.id))


class LaporanBatchView(BaseView):
    """The report batches of an event: start one, its progress (JSON for the progress bar), its files,
    delete it. Shown on the event page (templates/laporan/panel.html)."""

    route_base = "/laporanbatch"
    default_view = "progres"
    base_permissions = ["can_mulai", "can_progres", "can_unduh", "can_delete"]
    method_permission_name = {"unduh_pdf": "unduh", "unduh_zip": "unduh"}

    @expose("/mulai/<int:pk>", methods=["POST"])
    @has_access
    def mulai(self, pk):
        try:
            row, joined = batch.mulai(pk, g.user, _int(request.form.get("gelombang")) or None,
                                      _int(request.form.get("versi")))  # fmt: skip
        except ops.PenilaianError as exc:
            _refused(exc)
        else:
            flash(_l("This batch is already running; its progress is shown below.") if joined
                  else _l("Printing started; the progress bar follows it."), "info")  # fmt: skip
        return redirect(url_for("KegiatanPenilaianView.show", pk=pk) + "#laporan")

    def _job(self, pk):
        try:
            return batch.job(pk, g.user)
        except ops.PenilaianError:
            abort(404)

    @expose("/progres/<int:pk>", methods=["GET"])
    @has_access
    def progres(self, pk):
        return jsonify(batch.progres(self._job(pk)))

    def _file(self, pk, jenis):
        row = self._job(pk)
        try:
            data, name = batch.berkas(row, jenis)
        except ops.PenilaianError as exc:
            _refused(exc)
            return redirect(url_for("KegiatanPenilaianView.show", pk=row.kegiatan_id) + "#laporan")
        if jenis == "pdf":
            return pdf_response(data, name)
        response = make_response(data)
        response.headers["Content-Type"] = "application/zip"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @expose("/unduh_pdf/<int:pk>", methods=["GET"])
    @has_access
    def unduh_pdf(self, pk):
        return self._file(pk, "pdf")

    @expose("/unduh_zip/<int:pk>", methods=["GET"])
    @has_access
    def unduh_zip(self, pk):
        return self._file(pk, "zip")

    @expose("/delete/<int:pk>", methods=["POST"])
    @has_access
    def delete(self, pk):
        """Delete a finished batch with its files (the reports themselves stay)."""
        row = self._job(pk)
        kegiatan_id = row.kegiatan_id
        try:
            batch.hapus(pk, g.user, _int(request.form.get("versi")))
        except ops.PenilaianError as exc:
            _refused(exc)
        else:
            flash(_l("Batch deleted."), "success")
        return redirect(url_for("KegiatanPenilaianView.show", pk=kegiatan_id) + "#laporan")


def panel(item) -> dict:
    """What the event page's report panel shows (a template global): the batches, and what the user may do."""
    from flask import current_app

    from app import scope
    from app.models.laporan import JobLaporan

    sm = current_app.appbuilder.sm
    rows = db.session.execute(
        scope.scoped(JobLaporan, g.user).where(JobLaporan.kegiatan_id == item.id).order_by(JobLaporan.id.desc())
    ).scalars().all()  # fmt: skip
    return {
        "jobs": [(j, batch.progres(j)) for j in rows],
        "mulai": sm.has_access("can_mulai", "LaporanBatchView") and batch.boleh_batch(item, g.user),
        "unduh": sm.has_access("can_unduh", "LaporanBatchView"),
        "hapus": sm.has_access("can_delete", "LaporanBatchView") and batch.boleh_batch(item, g.user),
        "gelombang": item.gelombang,
    }


# -- the report's wording (reference data per agency) ----------------------------------------------------


class TemplateCheck:
    """A text of the report template must render in the sandbox against an example report (patterns: with
    an example competency); otherwise the form says why and nothing is saved."""

    def __call__(self, form, field):
        error = templat.periksa(field.name, field.data or "")
        if error:
            raise ValidationError(error)


_VARS = _l(
    "Jinja run in a sandbox; the result is printed as plain text. Available: peserta.nama, peserta.nip, "
    "peserta.pangkat, peserta.jabatan, peserta.unit, kegiatan.nama, tujuan, jabatan_sasaran, tanggal (of the "
    "assessor meeting), instansi.nama, instansi.kota, jpm, kategori. A blank line starts a new paragraph."
)
_POLA_VARS = _l(
    "Jinja run in a sandbox, one sentence per competency. Available besides the report's values: kompetensi "
    "(its name), kode, level (consensus level), standar, selisih (the gap)."
)

_LABELS = {
    "instansi": _l("Agency"),
    "judul": _l("Report title"),
    "pembuka": _l("Opening paragraph"),
    "judul_identitas": _l("Heading: participant's identity"),
    "judul_tujuan": _l("Heading: purpose and target position"),
    "judul_metode": _l("Heading: assessment methods"),
    "judul_potensi": _l("Heading: potential profile"),
    "judul_kompetensi": _l("Heading: competency profile"),
    "judul_psikogram": _l("Heading: psychogram"),
    "judul_hasil": _l("Heading: result"),
    "judul_kekuatan": _l("Heading: strengths"),
    "judul_area_pengembangan": _l("Heading: development areas"),
    "judul_rekomendasi": _l("Heading: recommendation"),
    "judul_saran_penempatan": _l("Heading: placement advice"),
    "judul_saran_pengembangan": _l("Heading: development advice"),
    "penutup": _l("Closing paragraph (before the signatures)"),
    "ttd_ketua": _l("Signature lead-in of the team leader"),
    "ttd_asesor": _l("Signature lead-in of the assessor"),
    "catatan_rahasia": _l("Confidentiality note"),
    "pola_kekuatan": _l("Suggestion: strength (competency above the standard)"),
    "pola_kekuatan_memenuhi": _l("Suggestion: strength (competency at the standard)"),
    "pola_kekuatan_relatif": _l("Suggestion: relative strength (nothing reaches the standard)"),
    "pola_kembang": _l("Suggestion: development area (competency below the standard)"),
    "pola_kembang_nihil": _l("Suggestion: development area when every competency meets the standard"),
    "pola_rekomendasi": _l("Suggestion: recommendation"),
    "pola_penempatan": _l("Suggestion: placement without gaps"),
    "pola_penempatan_kesenjangan": _l("Suggestion: placement with gaps"),
    "pola_pengembangan": _l("Suggestion: development advice (per competency with a gap, at most three)"),
    "pola_pengembangan_nihil": _l("Suggestion: development advice without gaps"),
}
_DESCRIPTIONS = {
    "instansi": _l("Empty: the national default (administrators); an agency's row overrides it for that agency."),
    **{name: _VARS for name in TEKS_LAPORAN},
    **{name: _POLA_VARS for name in POLA_SARAN},
    "pola_rekomendasi": _l(
        "Jinja run in a sandbox. Available besides the report's values: prioritas (up to three competencies "
        "below the standard, comma-separated; empty when none)."
    ),
}
_OPTIONAL = ("pembuka", "penutup", "catatan_rahasia")


class TemplateLaporanView(ScopedModelView):
    """The wording of the individual report per agency; the row without an agency is the national default,
    read-only to the agencies' staff."""

    datamodel = SQLAInterface(TemplateLaporan)
    list_title = _l("Report Templates")
    show_title = _l("Report Template")
    add_title = _l("Add Report Template")
    edit_title = _l("Edit Report Template")
    list_columns = ["instansi", "judul"]
    show_columns = add_columns = edit_columns = ["instansi", *TEKS_LAPORAN, *POLA_SARAN]
    search_columns = ["instansi", "judul"]
    label_columns = _LABELS
    description_columns = _DESCRIPTIONS
    formatters_columns = {"instansi": lambda v: str(v) if v else str(_l("National default"))}
    validators_columns = {name: [TemplateCheck()] for name in (*TEKS_LAPORAN, *POLA_SARAN)}
    add_form_extra_fields = edit_form_extra_fields = {
        name: TextAreaField(_LABELS[name], description=_DESCRIPTIONS[name], render_kw={"rows": 4},
                            validators=[OptionalV() if name in _OPTIONAL else DataRequired(), TemplateCheck()])
        for name in ("pembuka", "penutup", "catatan_rahasia", *POLA_SARAN)
    }  # fmt: skip

    def _check(self, item):
        agency_unless_admin(item)
        instansi_id = item.instansi.id if item.instansi else None
        query = select(TemplateLaporan.id).where(
            TemplateLaporan.instansi_id.is_(None) if instansi_id is None else TemplateLaporan.instansi_id == instansi_id
        )
        owner = db.session.execute(query).scalar()
        if owner is not None and owner != item.id:
            raise ValueError(_l("This agency already has a report template; edit that one."))

    pre_add = pre_update = _check
