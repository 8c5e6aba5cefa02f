"""REST API of the individual reports: start a batch of an event (or of one wave), follow it, download
its merged PDF or ZIP, and one participant's report PDF. Same scope and operations as the screens."""

from __future__ import annotations

from flask import g, make_response, request
from flask_appbuilder.api import BaseApi, expose, protect, safe
from flask_babel import gettext as _

from app.api_input import ID_OR_NULL
from app.documents.pdf import pdf_response
from app.laporan import batch
from app.laporan import operations as lap
from app.penilaian import operations as ops
from app.rest import VERSI_INVALID, seen_versi
from app.rest import action_doc as _doc
from app.rest import refused as _error


def _file(api, fn, mimetype: str):
    try:
        data, name = fn()
    except ops.PenilaianError as exc:
        return _error(api, exc)
    if mimetype == "application/pdf":
        return pdf_response(data, name)
    response = make_response(data)
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class LaporanKegiatanApi(BaseApi):
    """/api/v1/kegiatan/<id>/laporan…: the report batches of an event."""

    resource_name = "kegiatan"
    allow_browser_login = True
    openapi_spec_tag = "Laporan individu"
    method_permission_name = {"mulai": "post", "unduh_zip": "get", "unduh_pdf": "get"}

    @expose("/<int:pk>/laporan", methods=["POST"])
    @protect()
    @safe
    @_doc("Start printing the reports of the event (optional JSON `gelombang`: a wave id); joins a running batch. "
          "Optional `versi`: the event's versi you read (a repeated request is then refused with 409).",
          "post", "The batch: {id, status, done, total, errors, joined}", gelombang=ID_OR_NULL,
          versi=ID_OR_NULL)  # fmt: skip
    def mulai(self, pk):
        body = request.get_json(silent=True)
        body = body if isinstance(body, dict) else {}
        wave = body.get("gelombang")
        if wave is not None and (not isinstance(wave, int) or isinstance(wave, bool)):
            return self.response_422(message=_("Choose a wave of this event."))
        try:
            versi = seen_versi(body.get("versi"))
        except ValueError:
            return self.response_400(message=str(VERSI_INVALID))
        try:
            row, joined = batch.mulai(pk, g.user, wave, versi)
        except ops.PenilaianError as exc:
            return _error(self, exc)
        return self.response(202 if not joined else 200, job_id=row.id, joined=joined, **batch.progres(row))

    @expose("/<int:pk>/laporan.zip", methods=["GET"])
    @protect()
    @safe
    @_doc("ZIP of the individual report PDFs of the event's newest finished batch", "get", "application/zip")
    def unduh_zip(self, pk):
        return _file(self, lambda: batch.hasil(pk, g.user, "zip"), "application/zip")

    @expose("/<int:pk>/laporan.pdf", methods=["GET"])
    @protect()
    @safe
    @_doc("The merged PDF of the event's newest finished batch", "get", "application/pdf")
    def unduh_pdf(self, pk):
        return _file(self, lambda: batch.hasil(pk, g.user, "pdf"), "application/pdf")


class JobApi(BaseApi):
    """/api/v1/jobs/<id>: the progress of a report batch."""

    resource_name = "jobs"
    allow_browser_login = True
    openapi_spec_tag = "Laporan individu"
    method_permission_name = {"progres": "get"}

    @expose("/<int:pk>", methods=["GET"])
    @protect()
    @safe
    @_doc("Progress of a report batch: {status, done, total, errors, current}", "get", "The progress")
    def progres(self, pk):
        try:
            row = batch.job(pk, g.user)
        except ops.PenilaianError as exc:
            return _error(self, exc)
        return self.response(200, **batch.progres(row))


class LaporanPesertaApi(BaseApi):
    """/api/v1/peserta/<id>/laporan.pdf: one participant's report."""

    resource_name = "peserta"
    allow_browser_login = True
    openapi_spec_tag = "Laporan individu"
    method_permission_name = {"unduh": "get"}

    @expose("/<int:pk>/laporan.pdf", methods=["GET"])
    @protect()
    @safe
    @_doc("The participant's individual report as PDF (refused without a locked consensus result)", "get",
          "application/pdf")  # fmt: skip
    def unduh(self, pk):
        return _file(self, lambda: lap.pdf_peserta(pk, g.user), "application/pdf")
