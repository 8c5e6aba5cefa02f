"""SOP editing in generated forms, revisions, the SOP document, working calendar."""

from __future__ import annotations

import re

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import SelectField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app import scope
from app.extensions import db
from app.formatting import label_formatter, tanggal, tanggal_waktu
from app.models import HariLibur, Langkah, Pelaksana, Sop
from app.models.sop import SATUAN_LABELS, SIMBOL_LABELS
from app.scope import scoped_sops
from app.validators import select_choices
from app.views.base import ScopedModelView
from app.views.kasus import KasusView
from app.workflow import hooks, revisions

CATEGORY = "SOP"
CATEGORY_LABEL = _l("SOP")


def form_sop_id() -> int | None:
    """The SOP a step form is about: the edited step's, the one posted, or the one the SOP page's
    "add step" link names (`_flt_0_sop`)."""
    pk = (request.view_args or {}).get("pk")
    if pk is not None and request.endpoint and request.endpoint.endswith(".edit"):
        step = scope.get(Langkah, pk)
        return step.sop_id if step else None
    raw = request.form.get("sop") or next(
        (v for k, v in request.args.items() if k.startswith("_flt_") and k.endswith("_sop")), None
    )
    return int(raw) if raw and str(raw).isdigit() else None


class OwnSopActors(BaseFilter):
    """A step's actor choices: only the actor columns of the step's own SOP."""

    name = "Actors of this SOP"
    arg_name = "own_sop"

    def apply(self, query, value):
        sop_id = form_sop_id()
        return query if sop_id is None else query.filter(Pelaksana.sop_id == sop_id)


def _sop_of_form(form):
    return form.sop.data if "sop" in form else None


class SameSopActor:
    """The chosen actor must be one of this SOP's own actor columns."""

    def __call__(self, form, field):
        sop = _sop_of_form(form)
        actors = field.data if isinstance(field.data, list) else [field.data]
        if sop is not None and any(a is not None and a.sop_id != sop.id for a in actors):
            raise ValidationError(_l("Choose an actor (pelaksana) of this SOP."))


class KnownHooks:
    def __init__(self, registry):
        self.registry = registry

    def __call__(self, form, field):
        specs = [s.strip() for s in (field.data or "").split(",") if s.strip()]
        unknown = hooks.unknown_hooks(specs, self.registry)
        if unknown:
            raise ValidationError(
                _l(
                    "Unknown name(s): %(names)s. Available: %(known)s.",
                    names=", ".join(unknown),
                    known=", ".join(sorted(self.registry)),
                )
            )


class NotUsedByCases:
    """Adding to a revision that cases already use would change those cases: refuse with a hint."""

    def __call__(self, form, field):
        if field.data is not None and revisions.has_cases(field.data):
            raise ValidationError(
                _l('This SOP revision is used by cases. Open the SOP and choose "Edit" to create a new revision first.')
            )


class RevisionSafeMixin:
    """Edits of an SOP, an actor or a step whose revision cases use go to a new revision."""

    def _sop_of(self, item) -> Sop:
        return item if isinstance(item, Sop) else item.sop

    @expose("/edit/<pk>", methods=["GET", "POST"])
    @has_access
    def edit(self, pk):
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            abort(404)
        sop = self._sop_of(item)
        if revisions.has_cases(sop):
            # Cases use this revision: offer a new revision instead of changing it (a POST, not on GET).
            return self.render_template(
                "sop/revisi.html", sop=sop, action=url_for(f"{self.endpoint}.revisi", pk=pk),
                title=_l("Create a new revision"),
            )  # fmt: skip
        return super().edit(pk)

    @expose("/revisi/<pk>", methods=["POST"])
    @has_access
    def revisi(self, pk):
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            abort(404)
        sop = self._sop_of(item)
        new_sop = revisions.new_revision(sop) if revisions.has_cases(sop) else sop
        target = new_sop if isinstance(item, Sop) else revisions.counterpart(item, new_sop)
        flash(
            _l("Cases use revision %(old)d, so revision %(new)d was created; you are now editing it.",
               old=sop.revisi, new=new_sop.revisi),
            "info",
        )  # fmt: skip
        return redirect(url_for(f"{self.endpoint}.edit", pk=target.id))

    def pre_delete(self, item):
        if revisions.has_cases(self._sop_of(item)):
            raise ValueError(
                _l("This SOP revision is used by cases and cannot be changed; edit it to create a new revision.")
            )
        super().pre_delete(item)


class PelaksanaView(RevisionSafeMixin, ScopedModelView):
    datamodel = SQLAInterface(Pelaksana)
    list_title = _l("Actors (pelaksana)")
    show_title = _l("Actor")
    add_title = _l("Add Actor")
    edit_title = _l("Edit Actor")
    list_columns = ["urutan", "nama", "role"]
    add_columns = edit_columns = ["sop", "urutan", "kode", "nama", "role"]
    show_columns = add_columns
    search_columns = ["nama", "role"]
    order_columns = ["urutan", "nama"]
    base_order = ("urutan", "asc")
    label_columns = {"sop": _l("SOP"), "urutan": _l("Column order"), "kode": _l("Code"), "nama": _l("Name"),
                     "role": _l("Role")}  # fmt: skip
    description_columns = {"role": _l("Users holding this role perform this actor's steps.")}
    validators_columns = {"sop": [DataRequired(), NotUsedByCases()], "kode": [DataRequired()],
                          "nama": [DataRequired()], "role": [DataRequired()]}  # fmt: skip


class LangkahView(RevisionSafeMixin, ScopedModelView):
    datamodel = SQLAInterface(Langkah)
    rel_field_filters = {"pelaksana": [["id", OwnSopActors, lambda: None]],
                         "pelaksana_lain": [["id", OwnSopActors, lambda: None]]}  # fmt: skip
    list_title = _l("Steps (langkah)")
    show_title = _l("Step")
    add_title = _l("Add Step")
    edit_title = _l("Edit Step")
    list_columns = ["no", "kegiatan", "pelaksana", "waktu", "output"]
    add_columns = edit_columns = [
        "sop", "no", "kegiatan", "simbol", "pelaksana", "pelaksana_lain", "kelengkapan", "waktu", "waktu_nilai",
        "waktu_satuan", "output", "keterangan", "lanjut_no", "ya_no", "label_ya", "tidak_no", "label_tidak",
        "kembali_no", "label_kembali", "guards", "efek",
    ]  # fmt: skip
    show_columns = add_columns
    search_columns = ["kegiatan", "pelaksana"]
    order_columns = ["no"]
    base_order = ("no", "asc")
    page_size = 50
    label_columns = {
        "sop": _l("SOP"), "no": _l("No."), "kegiatan": _l("Activity"), "simbol": _l("Symbol"),
        "pelaksana": _l("Actor"), "pelaksana_lain": _l("Other actors"), "kelengkapan": _l("Inputs (kelengkapan)"),
        "waktu": _l("Time (as written)"), "waktu_nilai": _l("Time budget"), "waktu_satuan": _l("Budget unit"),
        "output": _l("Output"), "keterangan": _l("Remarks"), "lanjut_no": _l("Next step"),
        "ya_no": _l("Next step on Yes"), "label_ya": _l("Label of Yes"), "tidak_no": _l("Next step on No"),
        "label_tidak": _l("Label of No"), "kembali_no": _l("May return to step"),
        "label_kembali": _l("Label of return"), "guards": _l("Checks before leaving the step"),
        "efek": _l("Effects after leaving the step"),
    }  # fmt: skip
    description_columns = {
        "waktu": _l('Free text of the SOP, e.g. "2 hari", "menyesuaikan"; the budget is read from it when left empty.'),
        "lanjut_no": _l("Leave empty for the next number; 0 ends the case here."),
        "ya_no": _l("Decision steps only."),
        "kembali_no": _l("A review step may send the case back here; a comment is then required."),
        "guards": _l("Comma-separated, e.g. komentar_wajib, lampiran:surat_permohonan"),
    }
    formatters_columns = {"simbol": label_formatter(SIMBOL_LABELS), "waktu_satuan": label_formatter(SATUAN_LABELS)}
    add_form_extra_fields = edit_form_extra_fields = {
        "simbol": SelectField(_l("Symbol"), choices=select_choices((k.value, v) for k, v in SIMBOL_LABELS.items())),
        "waktu_satuan": SelectField(
            _l("Budget unit"), choices=select_choices([("", "—"), *SATUAN_LABELS.items()]), validators=[Optional()]
        ),
    }
    validators_columns = {
        "sop": [DataRequired(), NotUsedByCases()],
        "no": [DataRequired(), NumberRange(min=1, max=999)],
        "kegiatan": [DataRequired(), Length(max=2000)],
        "pelaksana": [DataRequired(), SameSopActor()],
        "pelaksana_lain": [SameSopActor()],
        "waktu_nilai": [Optional(), NumberRange(min=1)],
        "guards": [KnownHooks(hooks.GUARDS)],
        "efek": [KnownHooks(hooks.EFFECTS)],
    }

    def _fill_budget(self, item):
        if not item.waktu_satuan:
            item.waktu_satuan = None
        if item.waktu_nilai is None or item.waktu_satuan is None:
            item.parse_waktu()

    pre_add = pre_update = _fill_budget


class SopView(RevisionSafeMixin, ScopedModelView):
    datamodel = SQLAInterface(Sop)
    list_title = _l("Standard Operating Procedures")
    show_title = _l("SOP")
    add_title = _l("Add SOP")
    edit_title = _l("Edit SOP")
    show_template = "sop/show.html"
    list_columns = ["nama", "nomor", "unit_kerja", "revisi", "berlaku", "tanggal_efektif"]
    search_columns = ["nama", "nomor", "unit_kerja", "berlaku", "jenis"]
    order_columns = ["nama", "nomor", "revisi", "tanggal_efektif"]
    base_order = ("nama", "asc")
    add_columns = edit_columns = [
        "nama", "nomor", "jenis", "instansi", "unit_kerja", "tanggal_pembuatan", "tanggal_revisi", "tanggal_efektif",
        "pengesah_jabatan", "pengesah_nama", "pengesah_pangkat", "pengesah_nip", "dasar_hukum",
        "kualifikasi_pelaksana", "keterkaitan", "peralatan", "peringatan", "pencatatan", "sop_terkait",
    ]  # fmt: skip
    show_fieldsets = [
        (_l("Identity"), {"fields": ["nama", "nomor", "jenis", "instansi", "unit_kerja", "revisi", "berlaku",
                                     "tanggal_pembuatan", "tanggal_revisi", "tanggal_efektif"]}),
        (_l("Approved by"), {"fields": ["pengesah_jabatan", "pengesah_nama", "pengesah_pangkat", "pengesah_nip"]}),
        (_l("Fields"), {"fields": ["dasar_hukum", "kualifikasi_pelaksana", "keterkaitan", "peralatan", "peringatan",
                                   "pencatatan", "sop_terkait"]}),
        (_l("Transcription notes"), {"fields": ["catatan_transkripsi"], "expanded": False}),
    ]  # fmt: skip
    label_columns = {
        "nama": _l("SOP name"), "nomor": _l("SOP number"), "jenis": _l("Kind"), "instansi": _l("Agency"),
        "unit_kerja": _l("Work Unit"), "revisi": _l("Revision"), "berlaku": _l("In force"),
        "tanggal_pembuatan": _l("Date made"), "tanggal_revisi": _l("Date revised"),
        "tanggal_efektif": _l("Effective date"), "pengesah_jabatan": _l("Approved by (position)"),
        "pengesah_nama": _l("Approved by (name)"), "pengesah_pangkat": _l("Rank"), "pengesah_nip": _l("NIP"),
        "dasar_hukum": _l("Legal basis"), "kualifikasi_pelaksana": _l("Actor qualifications"),
        "keterkaitan": _l("Related procedures"), "peralatan": _l("Equipment"), "peringatan": _l("Warnings"),
        "pencatatan": _l("Recording and data"), "sop_terkait": _l("Related SOPs"),
        "catatan_transkripsi": _l("Transcription notes"),
    }  # fmt: skip
    description_columns = {
        f: _l("One item per line.")
        for f in (
            "dasar_hukum",
            "kualifikasi_pelaksana",
            "keterkaitan",
            "peralatan",
            "peringatan",
            "pencatatan",
            "sop_terkait",
        )
    }
    formatters_columns = {f: tanggal for f in ("tanggal_pembuatan", "tanggal_revisi", "tanggal_efektif")}
    add_form_extra_fields = edit_form_extra_fields = {
        "jenis": SelectField(
            _l("Kind"), choices=select_choices([("mikro", _l("Micro SOP")), ("makro", _l("Macro SOP"))])
        ),
    }
    validators_columns = {"nama": [DataRequired(), Length(max=250)], "unit_kerja": [DataRequired()],
                          "instansi": [DataRequired()]}  # fmt: skip
    related_views = [PelaksanaView, LangkahView, KasusView]

    def pre_add(self, item):
        base = re.sub(r"[^a-z0-9]+", "-", (item.nama or "").lower()).strip("-")[:60] or "sop"
        kode, n = base, 2
        while db.session.execute(select(Sop.id).where(Sop.kode == kode)).first():
            kode, n = f"{base}-{n}", n + 1
        item.kode, item.revisi, item.berlaku = kode, 0, True

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        widgets = self._show(pk)
        sop = self.datamodel.get(pk, self._base_filters)
        others = self.datamodel.session.execute(
            scoped_sops().where(Sop.kode == sop.kode).order_by(Sop.revisi.desc())
        ).scalars()
        return self.render_template(
            self.show_template, pk=pk, title=self.show_title, widgets=widgets, related_views=self._related_views,
            sop=sop, revisions=list(others), tanggal_waktu=tanggal_waktu,
        )  # fmt: skip

    @expose("/pdf/<pk>", methods=["GET"])
    @has_access
    def pdf(self, pk):
        from app.documents.sop_pdf import sop_pdf_response

        sop = self.datamodel.get(pk, self._base_filters)
        if sop is None:
            abort(404)
        return sop_pdf_response(sop)


class HariLiburView(ScopedModelView):
    datamodel = SQLAInterface(HariLibur)
    list_title = _l("Extra Days Off (cuti bersama)")
    show_title = _l("Day Off")
    add_title = _l("Add Day Off")
    edit_title = _l("Edit Day Off")
    list_columns = ["tanggal", "keterangan", "instansi"]
    add_columns = edit_columns = show_columns = ["tanggal", "keterangan", "instansi"]
    search_columns = ["tanggal", "keterangan", "instansi"]
    order_columns = ["tanggal"]
    base_order = ("tanggal", "desc")
    label_columns = {"tanggal": _l("Date"), "keterangan": _l("Description"), "instansi": _l("Agency")}
    description_columns = {"instansi": _l("Leave empty for a day off in every agency.")}
    formatters_columns = {"tanggal": tanggal}
    validators_columns = {"tanggal": [DataRequired()], "keterangan": [DataRequired()]}
