"""The participant import of the event page (KegiatanPenilaianView mixes this in): the upload, the
progress of an import on the job queue (JSON for the page's progress bar, app/static/js/impor.js) and
the template. A small file is imported while the request waits; a big one goes on the queue
(app/penilaian/impor_job.py) and the page follows it."""

from __future__ import annotations

from flask import abort, flash, g, jsonify, make_response, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.penilaian import impor, impor_job
from app.penilaian import operations as ops

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(data: bytes, filename: str):
    response = make_response(data)
    response.headers["Content-Type"] = XLSX
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _versi(value) -> int | None:
    """The event's version the page was rendered at (a repeated upload is refused, app/konkurensi.py)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ImporPesertaMixin:
    """Routes of KegiatanPenilaianView: `impor`, `impor_progres` (with the import's permission), `templat`."""

    @expose("/impor/<int:pk>", methods=["POST"])
    @has_access
    def impor(self, pk):
        upload = request.files.get("berkas")
        try:
            started = impor_job.mulai(pk, g.user, upload.read() if upload else b"", upload.filename if upload else "",
                                      _versi(request.form.get("versi")))  # fmt: skip
        except impor.ImporError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            for row in exc.baris[:50]:
                flash(str(row), "danger")
        except ops.PenilaianError as exc:
            db.session.rollback()
            if exc.status == 404:
                abort(404)
            flash(str(exc), "danger")
        else:
            if started.job is None:
                flash(_l("%(n)d participants imported.", n=started.jumlah), "success")
            else:
                flash(_l("The file has %(n)d rows: it is imported in the background; its progress is shown below.",
                         n=started.job.total), "info")  # fmt: skip
                return redirect(url_for("KegiatanPenilaianView.show", pk=pk) + "#impor")
        return redirect(url_for("KegiatanPenilaianView.show", pk=pk) + "#peserta")

    @expose("/impor_progres/<int:pk>", methods=["GET"])
    @has_access
    @permission_name("impor")
    def impor_progres(self, pk):
        """The progress and outcome of an import on the queue (pk: the import)."""
        try:
            row = impor_job.job(pk, g.user)
        except ops.PenilaianError as exc:
            abort(403 if exc.status == 403 else 404)
        return jsonify(impor_job.progres(row))

    @expose("/templat", methods=["GET"])
    @has_access
    def templat(self):
        return xlsx_response(impor.templat(), "templat-peserta-penilaian.xlsx")


def panel(item) -> list:
    """The event page's imports on the queue (a template global): [(import, progress)]."""
    return impor_job.panel(item, g.user)
