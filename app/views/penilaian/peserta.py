"""Participants: adding one and attendance on the event page (KegiatanPenilaianView mixes them in), and
the participant list and page with the intake documents."""

from __future__ import annotations

import re

from flask import abort, flash, g, make_response, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l

from app import nip as nip_mod
from app import scope
from app.extensions import db
from app.formatting import tanggal_waktu
from app.models import BerkasPeserta, Jabatan, Penugasan, Peserta, Sesi
from app.models.penilaian import JENIS_BERKAS_LABELS, STATUS_LEMBAR_LABELS
from app.penilaian import operations as ops
from app.views.base import ScopedModelView
from app.views.export import ExportMixin
from app.views.penilaian.umum import PESERTA_LABELS, PREDIKAT_KINERJA, _can, _dash, _int, _refused, _yes_no


class PesertaKegiatanMixin:
    """Routes of KegiatanPenilaianView: `peserta` (add one), `kehadiran` (attendance of a session)."""

    @expose("/peserta/<int:pk>", methods=["POST"])
    @has_access
    def peserta(self, pk):
        form = request.form
        data = ops.DataPeserta(
            nip=form.get("nip", ""),
            nama=form.get("nama", ""),
            gelar_depan=form.get("gelar_depan", ""),
            gelar_belakang=form.get("gelar_belakang", ""),
            golongan=form.get("golongan", ""),
            instansi=form.get("instansi", ""),
            unit=form.get("unit", ""),
            pegawai_id=_int(form.get("pegawai_id")),
            jabatan_id=_int(form.get("jabatan_id")),
            gelombang_id=_int(form.get("gelombang_id")),
            predikat_kinerja=form.get("predikat_kinerja", ""),
        )
        try:
            added = ops.tambah_peserta(pk, g.user, data)
        except ops.PenilaianError as exc:
            db.session.rollback()
            _refused(exc)
        else:
            flash(_l("Participant %(name)s added.", name=added.nama_lengkap), "success")
        return self._back(pk, "#peserta")

    @expose("/kehadiran/<int:pk>", methods=["GET", "POST"])
    @has_access
    def kehadiran(self, pk):
        session = scope.get(Sesi, pk, g.user)
        if session is None:
            abort(404)
        if request.method == "POST":
            try:
                n = ops.catat_kehadiran(pk, g.user, [i for i in (_int(v) for v in request.form.getlist("hadir")) if i])
            except ops.PenilaianError as exc:
                db.session.rollback()
                _refused(exc)
            else:
                flash(_l("Attendance saved: %(n)d present.", n=n), "success")
                return self._back(session.gelombang.kegiatan_id, "#jadwal")
        members = (
            db.session.execute(
                scope.scoped(Peserta, g.user)
                .where(Peserta.gelombang_id == session.gelombang_id)
                .order_by(Peserta.nomor)
            )
            .scalars()
            .all()
        )
        return self.render_template(
            "penilaian/kehadiran.html",
            sesi=session,
            peserta=members,
            hadir=ops.kehadiran(pk, g.user),
            label=ops.sesi_label(session),
            title=_l("Attendance"),
        )


class PesertaView(ExportMixin, ScopedModelView):
    datamodel = SQLAInterface(Peserta)
    quick_search_columns = ["nama", "nip", "instansi_nama"]
    export_columns = [
        "nomor",
        "nama_lengkap",
        "nip",
        "pangkat",
        "jabatan",
        "instansi_nama",
        "unit_nama",
        "kegiatan",
        "gelombang",
        "predikat_kinerja",
        "intake_lengkap",
        "terkunci",
    ]
    base_permissions = ["can_list", "can_show", "can_intake", "can_berkas", "can_ubah", "can_hapus"]
    list_title = _l("Participants")
    show_title = _l("Participant")
    show_template = "penilaian/peserta.html"
    list_columns = ["nomor", "nama_lengkap", "nip", "jabatan", "kegiatan", "gelombang", "intake_lengkap", "terkunci"]
    show_columns = [
        "nomor",
        "nama_lengkap",
        "nip",
        "pangkat",
        "jabatan",
        "jabatan_target",
        "instansi_nama",
        "unit_nama",
        "kegiatan",
        "gelombang",
        "predikat_kinerja",
    ]
    search_columns = ["nama", "nip", "kegiatan", "gelombang", "jabatan"]
    order_columns = ["nomor", "nip"]
    base_order = ("nomor", "asc")
    label_columns = PESERTA_LABELS
    formatters_columns = {
        "nip": nip_mod.format_nip,
        "intake_lengkap": _yes_no,
        "terkunci": _yes_no,
        "pangkat": _dash,
        "jabatan": _dash,
        "jabatan_target": _dash,
        "instansi_nama": _dash,
        "unit_nama": _dash,
        "predikat_kinerja": _dash,
    }

    def _item(self, pk) -> Peserta:
        try:
            return ops.peserta(pk, g.user)
        except ops.PenilaianError:
            abort(404)

    def _back(self, pk):
        return redirect(url_for("PesertaView.show", pk=pk))

    @expose("/show/<int:pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        p = self._item(pk)
        widgets = self._show(pk)
        files = (
            db.session.execute(
                scope.scoped(BerkasPeserta, g.user).where(BerkasPeserta.peserta_id == p.id).order_by(BerkasPeserta.id)
            )
            .scalars()
            .all()
        )
        sheets = (
            db.session.execute(
                scope.scoped(Penugasan, g.user).where(Penugasan.peserta_id == p.id).order_by(Penugasan.metode_id)
            )
            .scalars()
            .all()
        )
        item = p.kegiatan
        return self.render_template(
            self.show_template,
            pk=pk,
            title=self.show_title,
            widgets=widgets,
            related_views=[],
            p=p,
            files=files,
            sheets=sheets,
            berkas_labels=JENIS_BERKAS_LABELS,
            can_admin=_can(ops._admin, item),
            jabatan=db.session.execute(scope.scoped(Jabatan, g.user).order_by(Jabatan.nama)).scalars().all(),
            predikat=PREDIKAT_KINERJA,
            tanggal_waktu=tanggal_waktu,
            status_labels=STATUS_LEMBAR_LABELS,
        )

    @expose("/intake/<int:pk>", methods=["POST"])
    @has_access
    def intake(self, pk):
        try:
            upload = request.files.get("berkas")
            if upload and upload.filename:
                ops.unggah_berkas(
                    pk, g.user, request.form.get("jenis", ""), upload.filename, upload.mimetype, upload.read()
                )
            else:
                ops.atur_intake(
                    pk,
                    g.user,
                    bool(request.form.get("drh")),
                    bool(request.form.get("qcom")),
                    bool(request.form.get("ci")),
                )
        except ops.PenilaianError as exc:
            db.session.rollback()
            _refused(exc)
        else:
            flash(_l("Intake updated."), "success")
        return self._back(pk)

    @expose("/berkas/<int:pk>", methods=["GET"])
    @has_access
    def berkas(self, pk):
        try:
            item = ops.berkas(pk, g.user)
        except ops.PenilaianError:
            abort(404)
        response = make_response(item.isi)
        response.headers["Content-Type"] = item.mime
        safe_name = re.sub(r"[^A-Za-z0-9._-]+", "_", item.nama_file)
        response.headers["Content-Disposition"] = f'attachment; filename="{safe_name}"'
        return response

    @expose("/ubah/<int:pk>", methods=["POST"])
    @has_access
    def ubah(self, pk):
        form = request.form
        fields = {}
        if "gelombang_id" in form:
            fields["gelombang_id"] = _int(form.get("gelombang_id"))
        if "jabatan_target_id" in form:
            fields["jabatan_target_id"] = _int(form.get("jabatan_target_id")) or None
        if "predikat_kinerja" in form:
            fields["predikat_kinerja"] = form.get("predikat_kinerja", "")
        try:
            ops.ubah_peserta(pk, g.user, **fields)
        except ops.PenilaianError as exc:
            db.session.rollback()
            _refused(exc)
        else:
            flash(_l("Saved."), "success")
        return self._back(pk)

    @expose("/hapus/<int:pk>", methods=["POST"])
    @has_access
    def hapus(self, pk):
        p = self._item(pk)
        kegiatan_id = p.kegiatan_id
        try:
            ops.hapus_peserta(pk, g.user)
        except ops.PenilaianError as exc:
            db.session.rollback()
            _refused(exc)
            return self._back(pk)
        flash(_l("Participant removed."), "success")
        return redirect(url_for("KegiatanPenilaianView.show", pk=kegiatan_id) + "#peserta")
