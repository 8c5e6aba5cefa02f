"""The assessor meeting (integration): consensus, potential ratings, locking and reopening."""

from __future__ import annotations

import re

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import scope
from app.extensions import db
from app.formatting import angka_level, persen, tanggal
from app.models import AnggotaTim, Peserta, SkalaPotensi
from app.models.penilaian import STATUS_LEMBAR_LABELS, PeranTim
from app.penilaian import hasil as calc
from app.penilaian import operations as ops
from app.views.base import ScopedModelView
from app.views.penilaian.umum import PESERTA_LABELS, _int, _my_pegawai_id, _refused, _yes_no


class MeetingFilter(BaseFilter):
    """The participants whose meeting the caller sits in: all in scope for staff, the ketua's events for an
    assessor who sees only their assignments."""

    name = "Assessor meeting"
    arg_name = "rapat"

    def apply(self, query, value):
        reach = scope.reach()
        if reach.admin or not reach.assigned_only:
            return query
        chaired = select(AnggotaTim.kegiatan_id).where(
            AnggotaTim.pegawai_id == _my_pegawai_id(), AnggotaTim.peran == PeranTim.KETUA.value
        )
        return query.filter(Peserta.kegiatan_id.in_(chaired))


class IntegrasiView(ScopedModelView):
    datamodel = SQLAInterface(Peserta)
    base_filters = [["id", MeetingFilter, lambda: None]]
    base_permissions = [
        "can_list",
        "can_show",
        "can_konsensus",
        "can_potensi",
        "can_kunci",
        "can_buka",
        "can_buka_lembar",
    ]
    list_title = _l("Assessor meeting (integration)")
    show_title = _l("Assessor meeting (integration)")
    show_template = "penilaian/integrasi.html"
    list_columns = ["nomor", "nama_lengkap", "kegiatan", "gelombang", "terkunci"]
    search_columns = ["nama", "nip", "kegiatan"]
    order_columns = ["nomor"]
    base_order = ("nomor", "asc")
    label_columns = PESERTA_LABELS
    formatters_columns = {"terkunci": _yes_no}

    def _back(self, pk):
        return redirect(url_for("IntegrasiView.show", pk=pk))

    @expose("/show/<int:pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        if self.datamodel.get(pk, self._base_filters) is None:
            abort(404)
        view = ops.integrasi(pk, g.user)
        aturan = ops.aturan_kegiatan(view.peserta.kegiatan)
        steps = [x / 2 for x in range(2, 11)] if aturan.setengah_level else [1, 2, 3, 4, 5]
        skala = db.session.execute(select(SkalaPotensi).order_by(SkalaPotensi.nilai)).scalars().all()
        return self.render_template(
            self.show_template,
            pk=pk,
            title=self.show_title,
            v=view,
            level=angka_level,
            persen=persen,
            steps=steps,
            skala=skala,
            labels=calc,
            status_labels=STATUS_LEMBAR_LABELS,
            tanggal=tanggal,
        )

    def _do(self, pk, fn, message):
        try:
            fn()
        except ops.PenilaianError as exc:
            db.session.rollback()
            _refused(exc)
        else:
            flash(message, "success")
        return self._back(pk)

    @expose("/konsensus/<int:pk>", methods=["POST"])
    @has_access
    def konsensus(self, pk):
        values = {}
        for key in request.form:
            match = re.fullmatch(r"level_(\d+)", key)
            if match:
                kid = int(match.group(1))
                values[kid] = (request.form.get(key), request.form.get(f"alasan_{kid}", ""))
        versi = _int(request.form.get("versi"))
        return self._do(pk, lambda: ops.simpan_konsensus(pk, g.user, values, versi), _l("Consensus saved."))

    @expose("/potensi/<int:pk>", methods=["POST"])
    @has_access
    def potensi(self, pk):
        values = {}
        for key in request.form:
            match = re.fullmatch(r"aspek_(\d+)", key)
            if match:
                values[int(match.group(1))] = request.form.get(key)
        versi = _int(request.form.get("versi"))
        return self._do(pk, lambda: ops.simpan_potensi(pk, g.user, values, versi), _l("Potential ratings saved."))

    @expose("/kunci/<int:pk>", methods=["POST"])
    @has_access
    def kunci(self, pk):
        versi = _int(request.form.get("versi"))
        return self._do(pk, lambda: ops.kunci_integrasi(pk, g.user, versi), _l("The result is locked and stored."))

    @expose("/buka/<int:pk>", methods=["POST"])
    @has_access
    def buka(self, pk):
        return self._do(
            pk,
            lambda: ops.buka_integrasi(pk, g.user, request.form.get("alasan", "")),
            _l("The assessor meeting is open again; the reason is recorded."),
        )

    @expose("/buka_lembar/<int:pk>", methods=["POST"])
    @has_access
    def buka_lembar(self, pk):
        """Reopen one score sheet (pk: the sheet) and go back to its participant's meeting."""
        try:
            sheet = ops.buka_lembar(pk, g.user, request.form.get("alasan", ""))
        except ops.PenilaianError as exc:
            db.session.rollback()
            _refused(exc)
            back = _int(request.form.get("peserta_id"))
            return self._back(back) if back else redirect(url_for("IntegrasiView.list"))
        flash(_l("The score sheet is open again; the reason is recorded."), "success")
        return self._back(sheet.peserta_id)
