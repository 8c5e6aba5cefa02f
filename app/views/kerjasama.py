"""Cooperation requests (kerja sama penilaian kompetensi): the register of incoming requests for assessors,
each with its SOP case. Registering a request starts the case; its page carries the case's workflow
buttons (the case page's own partial), the decision with its reason, the assessor register with each
assessor's availability on the request's dates (step 4), and the activity report with its due time."""

from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange

from app import bounds
from app.formatting import orang, tanggal, tanggal_waktu
from app.kerjasama import hooks  # noqa: F401  (registers the cooperation steps in the workflow hooks)
from app.kerjasama import operations as ops
from app.models import PermintaanKerjasama
from app.models.kerjasama import KEPUTUSAN_LABELS
from app.models.penilaian import JENIS_ASESOR_LABELS, JenisAsesor
from app.validators import select_choices
from app.views.base import ScopedModelView, attempt, form_page
from app.views.export import ExportMixin
from app.views.panels import case_panel
from app.workflow import dokumen, engine


def _label(mapping):
    return lambda v: str(mapping.get(v, v)) if v else "—"


class PermintaanForm(FlaskForm):
    sop = SelectField(_l("SOP"), coerce=int, validators=[DataRequired()])
    nomor_surat = StringField(_l("Letter number"), validators=[DataRequired(), Length(max=100)])
    tanggal_surat = DateField(_l("Letter date"), validators=[DataRequired()])
    instansi_peminta = StringField(_l("Requesting agency"), validators=[DataRequired(), Length(max=250)])
    perihal = StringField(_l("Subject"), validators=[DataRequired(), Length(max=250)])
    tanggal_mulai = DateField(_l("Activity start date"), validators=[DataRequired()])
    tanggal_selesai = DateField(
        _l("Activity end date"), validators=[DataRequired()],
        description=_l("The activity report is due 7 working days after this date."),
    )  # fmt: skip
    tempat = StringField(_l("Place of the activity"), validators=[DataRequired(), Length(max=250)])
    jumlah_asesor = IntegerField(_l("Number of assessors asked"),
                                 validators=[DataRequired(), NumberRange(min=1, max=ops.MAX_ASESOR)])  # fmt: skip
    jenis_asesor = SelectField(
        _l("Kind of assessors asked"), choices=select_choices((k.value, v) for k, v in JENIS_ASESOR_LABELS.items())
    )
    disposisi = TextAreaField(_l("Disposition"), validators=[Length(max=ops.MAX_TEKS)], render_kw={"rows": 3},
                              description=_l("The Kabid's instruction on the request (step 1)."))  # fmt: skip

    FIELDS = ("nomor_surat", "tanggal_surat", "instansi_peminta", "perihal", "tanggal_mulai", "tanggal_selesai",
              "tempat", "jumlah_asesor", "jenis_asesor", "disposisi")  # fmt: skip

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in self.FIELDS}


class PermintaanKerjasamaView(ExportMixin, ScopedModelView):
    datamodel = SQLAInterface(PermintaanKerjasama)
    base_permissions = ["can_list", "can_show", "can_add", "can_edit", "can_asesor"]
    list_title = _l("Cooperation Requests")
    show_title = _l("Cooperation Request")
    show_template = "kerjasama/show.html"
    list_columns = ["instansi_peminta", "perihal", "nomor_surat", "tanggal_mulai", "tanggal_selesai", "jumlah_asesor",
                    "keputusan", "kasus"]  # fmt: skip
    show_columns = ["nomor_surat", "tanggal_surat", "instansi_peminta", "perihal", "tanggal_mulai", "tanggal_selesai",
                    "tempat", "jumlah_asesor", "jenis_asesor", "disposisi", "keputusan", "alasan_keputusan",
                    "diputuskan_oleh", "diputuskan_at", "kasus"]  # fmt: skip
    search_columns = ["instansi_peminta", "perihal", "nomor_surat", "tanggal_mulai", "keputusan"]
    quick_search_columns = ["instansi_peminta", "perihal", "nomor_surat"]
    order_columns = ["instansi_peminta", "tanggal_mulai", "tanggal_selesai"]
    base_order = ("id", "desc")
    label_columns = {
        **{name: ops.LABELS[name] for name in ops.FIELDS},
        "keputusan": _l("Decision"),
        "alasan_keputusan": _l("Reason for the decision"),
        "diputuskan_oleh": _l("Decided by"),
        "diputuskan_at": _l("Decided at"),
        "kasus": _l("Case"),
    }
    formatters_columns = {
        "tanggal_surat": tanggal,
        "tanggal_mulai": tanggal,
        "tanggal_selesai": tanggal,
        "jenis_asesor": _label(JENIS_ASESOR_LABELS),
        "keputusan": _label(KEPUTUSAN_LABELS),
        "diputuskan_oleh": orang,
        "diputuskan_at": tanggal_waktu,
    }

    def _item(self, pk) -> PermintaanKerjasama:
        try:
            return ops.permintaan(pk, g.user)
        except ops.KerjasamaError:
            abort(404)

    @staticmethod
    def _shown(item) -> str:
        return url_for("PermintaanKerjasamaView.show", pk=item.id)

    @expose("/add", methods=["GET", "POST"])
    @has_access
    def add(self):
        """Register an incoming request: starts its SOP case (step 1, the Kabid)."""
        form = PermintaanForm()
        sops = ops.startable_sops(g.user)
        form.sop.choices = select_choices((s.id, str(s)) for s in sops)
        if not sops:
            flash(_l("None of your roles starts an SOP for cooperation requests in your scope."), "warning")
        return form_page(
            self, form, lambda: ops.daftar(g.user, form.sop.data, **form.values()),
            lambda item: _l("Request registered; its case %(id)d has started.", id=item.kasus_id), self._shown,
            title=_l("Register an incoming cooperation request"), submit=_l("Register"),
            fields=[form.sop] + [form[name] for name in PermintaanForm.FIELDS],
            back=url_for("PermintaanKerjasamaView.list"),
        )  # fmt: skip

    @expose("/edit/<int:pk>", methods=["GET", "POST"])
    @has_access
    def edit(self, pk):
        item = self._item(pk)
        form = PermintaanForm(obj=None if request.method == "POST" else item)
        del form.sop
        if request.method == "GET" and not item.jenis_asesor:
            form.jenis_asesor.data = JenisAsesor.ASESOR_SDMA.value
        return form_page(
            self, form, lambda: ops.ubah(item.id, g.user, **form.values()), _l("Saved."), self._shown,
            title=_l("Edit cooperation request"), submit=_l("Save"),
            fields=[form[name] for name in PermintaanForm.FIELDS], back=url_for("PermintaanKerjasamaView.show", pk=pk),
        )  # fmt: skip

    @expose("/show/<int:pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        item = self._item(pk)
        widgets = self._show(pk)
        kasus = item.kasus
        panel = case_panel(kasus, g.user)
        step = kasus.langkah
        choosing = bool(panel["transitions"]) and step is not None and "petugas" in step.hook_names("guards")
        return self.render_template(
            self.show_template, pk=pk, title=self.show_title, widgets=widgets, related_views=[], item=item,
            kembali_ke=url_for("PermintaanKerjasamaView.show", pk=pk), kurang=ops.missing(item),
            asesor=ops.ketersediaan(item), choosing=choosing, tanggal=tanggal,
            laporan=[f for f in kasus.lampiran if f.jenis == "laporan_kegiatan"],
            nama_laporan=dokumen.kind_name(kasus, "laporan_kegiatan"),
            boleh_ubah=kasus.status == "berjalan" and engine.is_actor(g.user, step), **panel,
        )  # fmt: skip

    @expose("/asesor/<int:pk>", methods=["POST"])
    @has_access
    def asesor(self, pk):
        """Step 4: choose an assessor of the register (`register_id`) or take one off (`hapus`)."""
        self._item(pk)
        if request.form.get("hapus"):
            attempt(lambda: ops.lepas_asesor(pk, g.user, request.form.get("hapus", type=bounds.whole)),
                    _l("Assigned assessors updated."))  # fmt: skip
        else:
            attempt(lambda: ops.pilih_asesor(pk, g.user, request.form.get("register_id", type=bounds.whole)),
                    _l("Assigned assessors updated."))  # fmt: skip
        return redirect(url_for("PermintaanKerjasamaView.show", pk=pk) + "#asesor")
