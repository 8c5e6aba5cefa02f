"""The assessor's own score sheets (menu "Penilaian Saya")."""

from __future__ import annotations

import re

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.models.sqla.filters import FilterEqualFunction
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l

from app import scope
from app.extensions import db
from app.formatting import angka_level, tanggal_waktu
from app.models import BerkasPeserta, Penugasan
from app.models.penilaian import STATUS_LEMBAR_LABELS
from app.penilaian import operations as ops
from app.views.base import ScopedModelView
from app.views.penilaian.umum import _int, _label, _my_pegawai_id, _refused


class PenilaianSayaView(ScopedModelView):
    """My assignments: the score sheets of the participants assigned to me."""

    datamodel = SQLAInterface(Penugasan)
    base_filters = [["asesor_id", FilterEqualFunction, _my_pegawai_id]]
    base_permissions = ["can_list", "can_show", "can_simpan", "can_kirim"]

    def _mine(self, pk) -> None:
        """404 unless the sheet is one of mine (the list's own filter, not only the row scope)."""
        if self.datamodel.get(pk, self._base_filters) is None:
            abort(404)

    list_title = _l("My Assessments")
    show_title = _l("Score Sheet")
    show_template = "penilaian/lembar.html"
    list_columns = ["peserta", "metode", "kegiatan", "sesi", "status"]
    search_columns = ["peserta", "metode", "kegiatan", "status"]
    order_columns = ["status"]
    base_order = ("id", "asc")
    label_columns = {
        "peserta": _l("Participant"),
        "metode": _l("Method"),
        "kegiatan": _l("Event"),
        "sesi": _l("Session"),
        "status": _l("Status"),
    }
    formatters_columns = {"status": _label(STATUS_LEMBAR_LABELS)}

    @expose("/show/<int:pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        sheet = self.datamodel.get(pk, self._base_filters)
        if sheet is None:
            abort(404)
        given = {n.kompetensi_id: n for n in sheet.nilai}
        files = (
            db.session.execute(scope.scoped(BerkasPeserta, g.user).where(BerkasPeserta.peserta_id == sheet.peserta_id))
            .scalars()
            .all()
        )
        aturan = ops.aturan_kegiatan(sheet.kegiatan)
        steps = [x / 2 for x in range(2, 11)] if aturan.setengah_level else [1, 2, 3, 4, 5]
        return self.render_template(
            self.show_template,
            pk=pk,
            title=self.show_title,
            sheet=sheet,
            given=given,
            files=files,
            steps=steps,
            competencies=ops.kompetensi_metode(sheet.kegiatan, sheet.metode_id),
            level=angka_level,
            started=sheet.kegiatan.status != "rancangan",
            tanggal_waktu=tanggal_waktu,
        )

    @expose("/simpan/<int:pk>", methods=["POST"])
    @has_access
    def simpan(self, pk):
        self._mine(pk)
        form = request.form
        values = {}
        for key in form:
            match = re.fullmatch(r"level_(\d+)", key)
            if match:
                kid = int(match.group(1))
                values[kid] = (form.get(key), form.get(f"bukti_{kid}", ""))
        try:
            ops.simpan_lembar(pk, g.user, values, form.get("catatan"), seen_versi=_int(form.get("versi")))
            if form.get("kirim"):
                ops.kirim_lembar(pk, g.user)
        except ops.PenilaianError as exc:
            db.session.rollback()
            _refused(exc)
        else:
            flash(_l("Score sheet submitted and locked.") if form.get("kirim") else _l("Score sheet saved."), "success")
        return redirect(url_for("PenilaianSayaView.show", pk=pk))

    @expose("/kirim/<int:pk>", methods=["POST"])
    @has_access
    def kirim(self, pk):
        self._mine(pk)
        try:
            ops.kirim_lembar(pk, g.user)
        except ops.PenilaianError as exc:
            db.session.rollback()
            _refused(exc)
        else:
            flash(_l("Score sheet submitted and locked."), "success")
        return redirect(url_for("PenilaianSayaView.show", pk=pk))
