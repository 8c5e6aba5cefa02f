"""Individual report screens: the list of reports in scope, a report's page (the writer's narrative with
suggestions, the psikogram, QC), its PDF; and the report batches of an event (start, progress as JSON
for the progress bar, merged PDF and ZIP, delete). Thin: each request calls one operation of
`app.laporan.operations` or `app.laporan.batch`; every row comes through the scope module."""

from __future__ import annotations

from flask import abort, flash, g, jsonify, make_response, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l

from app import charts
from app.documents.pdf import pdf_response
from app.extensions import db
from app.laporan import batch
from app.laporan import beranda as _beranda  # noqa: F401  (registers the home page section)
from app.laporan import hooks as _hooks  # noqa: F401  (registers the guard and the step outputs)
from app.laporan import operations as lap
from app.models.laporan import NARASI, STATUS_LAPORAN_LABELS, LaporanIndividu, StatusLaporan
from app.penilaian import hasil as calc
from app.penilaian import operations as ops
from app.views.base import ScopedModelView


def _refused(exc: ops.PenilaianError):
    if exc.status == 404:
        abort(404)
    db.session.rollback()
    flash(str(exc), "danger")


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


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
        )

    @expose("/simpan/<int:pk>", methods=["POST"])
    @has_access
    def simpan(self, pk):
        data = {f: request.form.get(f, "") for f in NARASI if f in request.form}
        kirim = bool(request.form.get("kirim"))
        try:
            lap.simpan(pk, g.user, data, kirim=kirim)
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
            lap.qc(pk, g.user, centang, lulus, request.form.get("catatan", ""))
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
            row, joined = batch.mulai(pk, g.user, _int(request.form.get("gelombang")) or None)
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
            batch.hapus(pk, g.user)
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
