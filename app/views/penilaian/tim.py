"""The event's team and the assignment of assessors (routes of the event page, KegiatanPenilaianView
mixes them in)."""

from __future__ import annotations

import re

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.models import Penugasan
from app.penilaian import operations as ops
from app.views.penilaian.umum import _int, _refused


class TimKegiatanMixin:
    """Routes of KegiatanPenilaianView: `tim`, `penugasan`, `otomatis`."""

    @expose("/tim/<int:pk>", methods=["POST"])
    @has_access
    def tim(self, pk):
        try:
            if request.form.get("hapus"):
                ops.hapus_anggota(_int(request.form.get("hapus")), g.user)
            else:
                ops.tambah_anggota(pk, g.user, _int(request.form.get("pegawai_id")), request.form.get("peran", ""))
        except ops.PenilaianError as exc:
            db.session.rollback()
            _refused(exc)
        else:
            flash(_l("Team updated."), "success")
        return self._back(pk, "#tim")

    @expose("/penugasan/<int:pk>", methods=["GET", "POST"])
    @has_access
    def penugasan(self, pk):
        item = self._item(pk)
        if not ops.boleh_kelola(item, g.user, ketua_boleh=True):
            abort(403)
        if request.method == "POST":
            cells = {}
            for key, value in request.form.items():
                match = re.fullmatch(r"a_(\d+)_(\d+)", key)
                if match:
                    cells[(int(match.group(1)), int(match.group(2)))] = _int(value)
            try:
                n = ops.atur_penugasan(pk, g.user, cells)
            except ops.PenilaianError as exc:
                db.session.rollback()
                _refused(exc)
            else:
                flash(_l("Assignment saved (%(n)d change(s)).", n=n), "success")
                return redirect(url_for("KegiatanPenilaianView.penugasan", pk=pk))
        plan = ops.rancangan(item)
        current = {}
        for t in db.session.execute(select(Penugasan).where(Penugasan.kegiatan_id == item.id)).scalars():
            current[(t.peserta_id, t.metode_id)] = t
        members = ops.peserta_terlihat(item, g.user)
        return self.render_template(
            "penilaian/penugasan.html",
            item=item,
            peserta=members,
            current=current,
            warnings=ops.rules.periksa(plan),
            penilai=[m for m in item.tim if m.peran in ("ketua", "asesor")],
            title=_l("Assignment of assessors"),
        )

    @expose("/otomatis/<int:pk>", methods=["POST"])
    @has_access
    def otomatis(self, pk):
        try:
            n, warnings = ops.atur_otomatis(pk, g.user, _int(request.form.get("gelombang_id")))
        except ops.PenilaianError as exc:
            db.session.rollback()
            _refused(exc)
        else:
            flash(
                _l("%(n)d assignments made; %(w)d warning(s) remain.", n=n, w=len(warnings)),
                "success" if not warnings else "warning",
            )
        return redirect(url_for("KegiatanPenilaianView.penugasan", pk=pk))
