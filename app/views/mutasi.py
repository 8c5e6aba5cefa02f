"""Transfer-in applications (mutasi masuk): list, the application page with its checklist, uploads,
verification, hand-over and the case's workflow buttons; apply (starts the case); edit the applicant's data."""

from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length
from wtforms.validators import Optional as OptionalV

from app import bounds, scope
from app.extensions import db
from app.formatting import orang, tanggal_waktu
from app.models import Jabatan, Pangkat, PermohonanMutasi, Sop, StatusItem
from app.models.mutasi import STATUS_ITEM_LABELS
from app.mutasi import hooks as mutasi_hooks  # noqa: F401  (registers the application's SOP hooks)
from app.mutasi import operations as ops
from app.validators import nip_field, select_choices
from app.views.base import ScopedModelView, attempt, form_page
from app.views.export import ExportMixin
from app.views.panels import case_panel, engine_status_label
from app.workflow import hooks
from app.workflow.tugas import startable_sops


class DataPemohonForm(FlaskForm):
    nip = nip_field(_l("NIP"))
    gelar_depan = StringField(_l("Title before the name"), validators=[OptionalV(), Length(max=40)])
    nama = StringField(_l("Name"), validators=[DataRequired(), Length(max=150)])
    gelar_belakang = StringField(_l("Title after the name"), validators=[OptionalV(), Length(max=80)])
    instansi_asal = StringField(_l("Agency of origin"), validators=[DataRequired(), Length(max=200)])
    jabatan_asal = StringField(_l("Current position"), validators=[DataRequired(), Length(max=200)])
    pangkat = SelectField(_l("Rank/grade"), coerce=int, validators=[DataRequired()])
    formasi = StringField(_l("Formation / unit applied for"), validators=[DataRequired(), Length(max=250)])
    alasan = TextAreaField(_l("Reason for the transfer"), validators=[DataRequired(), Length(max=ops.MAX_TEKS)])


class AjukanForm(DataPemohonForm):
    sop = SelectField(_l("SOP"), coerce=int, validators=[DataRequired()])


def _data(form: DataPemohonForm) -> ops.DataPermohonan:
    return ops.DataPermohonan(
        nip=form.nip.data or "",
        nama=form.nama.data or "",
        gelar_depan=form.gelar_depan.data or "",
        gelar_belakang=form.gelar_belakang.data or "",
        instansi_asal=form.instansi_asal.data or "",
        jabatan_asal=form.jabatan_asal.data or "",
        pangkat_id=form.pangkat.data or None,
        formasi=form.formasi.data or "",
        alasan=form.alasan.data or "",
    )


def _rank_choices() -> list:
    rows = db.session.execute(scope.scoped(Pangkat).order_by(Pangkat.urutan)).scalars()
    return select_choices((p.id, str(p)) for p in rows)


def transfer_sops(user) -> list[Sop]:
    """SOPs the user may start whose first step creates a transfer application."""
    return [
        s
        for s in startable_sops(user)
        if "mutasi_permohonan" in {hooks.split(x)[0] for x in s.langkah[0].hook_names("efek")}
    ]


def _step_has(item: PermohonanMutasi, guard: str) -> bool:
    step = item.kasus.langkah
    return step is not None and guard in {hooks.split(x)[0] for x in step.hook_names("guards")}


class PermohonanMutasiView(ExportMixin, ScopedModelView):
    datamodel = SQLAInterface(PermohonanMutasi)
    base_permissions = ["can_list", "can_show", "can_add", "can_ubah", "can_unggah", "can_verifikasi"]
    list_title = _l("Transfer Applications")
    show_title = _l("Transfer Application")
    show_template = "mutasi/show.html"
    list_columns = ["nama_lengkap", "nip_tampil", "instansi_asal", "formasi", "kasus", "kasus.status", "dibuat_at"]
    show_columns = [
        "nama_lengkap",
        "nip_tampil",
        "pangkat",
        "jabatan_asal",
        "instansi_asal",
        "formasi",
        "jabatan_target",
        "alasan",
        "dibuat_oleh",
        "dibuat_at",
    ]
    search_columns = ["nama", "nip", "instansi_asal", "formasi", "dibuat_at"]
    quick_search_columns = ["nama", "nip"]
    order_columns = ["dibuat_at"]
    base_order = ("id", "desc")
    label_columns = {
        "nama_lengkap": _l("Name"),
        "nama": _l("Name"),
        "nip_tampil": _l("NIP"),
        "nip": _l("NIP"),
        "instansi_asal": _l("Agency of origin"),
        "jabatan_asal": _l("Current position"),
        "pangkat": _l("Rank/grade"),
        "formasi": _l("Formation / unit applied for"),
        "jabatan_target": _l("Position assessed against"),
        "alasan": _l("Reason for the transfer"),
        "kasus": _l("Case"),
        "kasus.status": _l("Status"),
        "dibuat_oleh": _l("Applied by"),
        "dibuat_at": _l("Applied at"),
    }
    formatters_columns = {
        "dibuat_at": tanggal_waktu,
        "dibuat_oleh": orang,
        "kasus.status": lambda v: str(engine_status_label(v)),
    }

    @expose("/add", methods=["GET", "POST"])
    @has_access
    def add(self):
        """Apply: the applicant's data, then the case starts with the application."""
        form = AjukanForm()
        sops = transfer_sops(g.user)
        form.sop.choices = select_choices((s.id, str(s)) for s in sops)
        form.pangkat.choices = _rank_choices()
        if not sops:
            flash(_l("None of your roles starts a transfer SOP in your scope."), "warning")
        return form_page(
            self, form, lambda: ops.ajukan(g.user, form.sop.data, _data(form)),
            lambda item: _l("Application submitted as case %(id)d; upload the documents of the checklist.",
                            id=item.kasus_id),
            lambda item: url_for(f"{self.endpoint}.show", pk=item.id),
            template="mutasi/form.html", title=_l("Apply for a transfer"),
        )  # fmt: skip

    @expose("/ubah/<int:pk>", methods=["GET", "POST"])
    @has_access
    def ubah(self, pk):
        """The applicant corrects their data while the application is being submitted."""
        item = scope.get(PermohonanMutasi, pk)
        if item is None:
            abort(404)
        form = DataPemohonForm(obj=None if request.method == "POST" else item)
        form.pangkat.choices = _rank_choices()
        if request.method == "GET":
            form.pangkat.data = item.pangkat_id or 0
        return form_page(
            self, form, lambda: ops.ubah(pk, g.user, _data(form)), _l("Saved."),
            lambda _: url_for(f"{self.endpoint}.show", pk=pk),
            template="mutasi/form.html", title=_l("Edit the transfer application"),
        )  # fmt: skip

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            abort(404)
        widgets = self._get_show_widget(pk, item)
        self.update_redirect()
        kasus = item.kasus
        panel = case_panel(kasus, g.user)
        acting = bool(panel["transitions"])
        verifying = acting and _step_has(item, ops.GUARD_VERIFIKASI)
        positions = []
        if verifying:
            query = (
                scope.scoped(Jabatan)
                .where((Jabatan.instansi_id == kasus.unit_kerja.instansi_id) | Jabatan.instansi_id.is_(None))
                .order_by(Jabatan.nama)
            )
            positions = [(j.id, str(j)) for j in db.session.execute(query).scalars()]
        return self.render_template(
            self.show_template,
            pk=pk,
            title=self.show_title,
            widgets=widgets,
            related_views=self._related_views,
            item=item,
            berkas={row.id: ops.berkas(item, row.jenis) for row in item.items},
            boleh_ubah=acting and _step_has(item, ops.GUARD_DATA),
            boleh_unggah=acting,
            verifikasi=verifying,
            status_pilihan=[(s.value, STATUS_ITEM_LABELS[s]) for s in StatusItem if s != StatusItem.BELUM],
            jabatan_pilihan=positions,
            penerimaan=ops.penerimaan(kasus),
            langkah_serah=ops.langkah_serah(kasus),
            kembali_ke=url_for(f"{self.endpoint}.show", pk=item.id),
            **panel,
        )

    @expose("/unggah/<int:pk>", methods=["POST"])
    @has_access
    def unggah(self, pk):
        """Upload the file of a checklist item (an attachment of the case)."""
        upload = request.files.get("berkas")
        attempt(lambda: ops.unggah(pk, g.user, request.form.get("jenis", ""), upload.filename if upload else "",
                                   upload.mimetype if upload else "", upload.read() if upload else b""),
                _l("Document attached."))  # fmt: skip
        return redirect(url_for(f"{self.endpoint}.show", pk=pk))

    @expose("/verifikasi/<int:pk>", methods=["POST"])
    @has_access
    def verifikasi(self, pk):
        """The verdict per checklist item (status_<id>, catatan_<id>) and the position assessed against."""
        item = scope.get(PermohonanMutasi, pk)
        if item is None:
            abort(404)
        putusan = {
            row.id: (request.form.get(f"status_{row.id}", ""), request.form.get(f"catatan_{row.id}", ""))
            for row in item.items
            if f"status_{row.id}" in request.form
        }
        attempt(lambda: ops.verifikasi(pk, g.user, putusan, request.form.get("jabatan_target_id", type=bounds.whole)),
                _l("Verification saved."))  # fmt: skip
        return redirect(url_for(f"{self.endpoint}.show", pk=pk))
