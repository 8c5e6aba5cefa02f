"""SOP editing in generated forms, revisions, the SOP document, working calendar."""

from __future__ import annotations

import re

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.sqla.models import Role
from flask_appbuilder.urltools import get_order_args, get_page_args, get_page_size_args
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, inspect, select
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError

from app import scope
from app.extensions import db
from app.formatting import label_formatter, tanggal, tanggal_waktu
from app.models import HariLibur, JenisDokumen, Langkah, Pelaksana, Sop
from app.models.sop import BERSAMA_LABELS, SATUAN_LABELS, SIMBOL_LABELS
from app.nip import format_nip
from app.scope import scoped_sops
from app.validators import nip_field, select_choices
from app.views.base import ScopedModelView
from app.workflow import dokumen, engine, hooks, providers, revisions

CATEGORY = "SOP"
CATEGORY_LABEL = _l("SOP")


def create_workflow_role(name: str) -> Role:
    """A new role whose holders may run SOP cases (app.roles.WORKFLOW); returns it."""
    from flask import current_app

    from app.roles import WORKFLOW, sync_roles

    sm = current_app.appbuilder.sm
    sync_roles(sm, {name: WORKFLOW})
    return sm.find_role(name)


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


class BranchCondition:
    """Branch memory written "<step no>:<outcome>", several separated by commas."""

    def __call__(self, form, field):
        try:
            engine.parse_condition(field.data)
        except ValueError as exc:
            raise ValidationError(
                _l('"%(part)s" is not a condition: write <step no>:<ya|tidak>, e.g. 2:ya.', part=str(exc))
            ) from None


class NotUsedByCases:
    """Adding to a revision that cases already use would change those cases: refuse with a hint. (Editing a
    row of it is fine: the edit goes to a new revision, see RevisionSafeMixin.)"""

    def __call__(self, form, field):
        if field.data is None or getattr(g, "sop_direvisi", None) == field.data.id:
            return
        if revisions.has_cases(field.data):
            raise ValidationError(
                _l('This SOP revision is used by cases. Open the SOP and choose "Edit" to create a new revision first.')
            )


class RevisionSafeMixin:
    """Edits of an SOP, an actor or a step. A revision that cases use never changes: saving its edit form makes
    exactly one new revision carrying the edit, and the user lands on the edited row of it. A revision that a
    newer one replaced is read-only: its edit form (or a copy of it sent again) says so and links to the
    current revision."""

    def _sop_of(self, item) -> Sop:
        return item if isinstance(item, Sop) else item.sop

    @expose("/edit/<pk>", methods=["GET", "POST"])
    @has_access
    def edit(self, pk):
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            abort(404)
        sop = self._sop_of(item)
        current = revisions.newest(sop)
        if current.id != sop.id:
            return self._superseded(item, sop, current)
        if revisions.has_cases(sop):
            g.sop_direvisi = sop.id  # the form's SOP field may name it (NotUsedByCases)
            if request.method == "POST":
                done = self._save_as_new_revision(pk, item, sop)
                if done is not None:
                    return done
            else:
                flash(_l("Cases use revision %(rev)d of this SOP. Saving creates revision %(new)d with your change; "
                         "cases already running stay on revision %(rev)d.", rev=sop.revisi, new=sop.revisi + 1),
                      "info")  # fmt: skip
        return super().edit(pk)

    def _save_as_new_revision(self, pk, item, sop: Sop):
        """The edit form posted for a used revision: a new revision with the edit, or None to let FAB show the
        form again with its errors."""
        if self._refused_write(pk):
            return self.post_edit_redirect()
        form = self.edit_form.refresh(request.form)
        self._fill_form_exclude_cols(self.edit_exclude_columns or [], form)
        form._id = pk
        if not form.validate():
            return None
        self.process_form(form, False)

        def change(row):
            form.populate_obj(row)
            self.pre_update(row)

        try:
            new_sop, target = revisions.revise(sop, item, change)
        except revisions.Superseded:
            return self._superseded(item, sop, revisions.newest(sop))
        except ValueError as exc:  # refused by pre_update: shown as FAB shows it; nothing was saved
            flash(str(exc), "danger")
            return redirect(url_for(f"{self.endpoint}.edit", pk=pk))
        self.post_update(target)
        flash(_l("Revision %(new)d of this SOP was created with your change. Cases already running stay on "
                 "revision %(old)d.", new=new_sop.revisi, old=sop.revisi), "success")  # fmt: skip
        return redirect(url_for(f"{self.endpoint}.show", pk=target.id))

    def _superseded(self, item, sop: Sop, current: Sop):
        """A replaced revision is read-only: the message, and a link to the same row in the current one."""
        twin = current if isinstance(item, Sop) else _twin(item, current)
        link = url_for(f"{self.endpoint}.edit", pk=twin.id) if twin else url_for("SopView.show", pk=current.id)
        posted = request.method == "POST"
        page = self.render_template("sop/revisi.html", sop=sop, current=current, link=link, posted=posted,
                                    title=_l("Revision %(rev)d is read-only", rev=sop.revisi))  # fmt: skip
        return page, (409 if posted else 200)

    def pre_delete(self, item):
        if revisions.has_cases(self._sop_of(item)):
            raise ValueError(
                _l("This SOP revision is used by cases and cannot be changed; edit it to create a new revision.")
            )
        super().pre_delete(item)


def _twin(item, current: Sop):
    """The step (same number) or actor (same code) of `current` that corresponds to `item`."""
    if isinstance(item, Langkah):
        return current.step(item.no)
    return next((p for p in current.pelaksana if p.kode == item.kode), None)


class NewRoleName:
    def __call__(self, form, field):
        name = (field.data or "").strip()
        field.data = name
        if name and db.session.execute(select(Role.id).where(func.lower(Role.name) == name.lower())).first():
            raise ValidationError(_l('The role "%(name)s" already exists: choose it in the Role list.', name=name))


class PelaksanaView(RevisionSafeMixin, ScopedModelView):
    datamodel = SQLAInterface(Pelaksana)
    list_title = _l("Actors (pelaksana)")
    show_title = _l("Actor")
    add_title = _l("Add Actor")
    edit_title = _l("Edit Actor")
    list_columns = ["urutan", "nama", "role"]
    add_columns = edit_columns = ["sop", "urutan", "kode", "nama", "role", "peran_baru"]
    show_columns = ["sop", "urutan", "kode", "nama", "role"]
    search_columns = ["nama", "role"]
    order_columns = ["urutan", "nama"]
    base_order = ("urutan", "asc")
    label_columns = {"sop": _l("SOP"), "urutan": _l("Column order"), "kode": _l("Code"), "nama": _l("Name"),
                     "role": _l("Role")}  # fmt: skip
    description_columns = {"role": _l("Users holding this role perform this actor's steps.")}
    add_form_extra_fields = edit_form_extra_fields = {
        "peran_baru": StringField(
            _l("Or a new role"), validators=[Optional(), Length(max=64), NewRoleName()],
            description=_l("If filled, a new role of this name is created with the permissions to run SOP cases and "
                           "used instead of the role chosen above; then give it to the users who perform this "
                           "actor's steps."),
        ),
    }  # fmt: skip
    validators_columns = {"sop": [DataRequired(), NotUsedByCases()], "kode": [DataRequired()],
                          "nama": [DataRequired()], "role": [DataRequired()]}  # fmt: skip

    def process_form(self, form, is_created):
        """A new role named in the form is created (with the workflow permissions) and chosen."""
        name = (form.peran_baru.data or "").strip() if "peran_baru" in form else ""
        if name:
            form.role.data = create_workflow_role(name)


class LangkahView(RevisionSafeMixin, ScopedModelView):
    datamodel = SQLAInterface(Langkah)
    rel_field_filters = {"pelaksana": [["id", OwnSopActors, lambda: None]],
                         "pelaksana_lain": [["id", OwnSopActors, lambda: None]]}  # fmt: skip
    list_title = _l("Steps (langkah)")
    show_title = _l("Step")
    add_title = _l("Add Step")
    edit_title = _l("Edit Step")
    list_columns = ["no", "nomor_tampil", "kegiatan", "pelaksana", "waktu", "output"]
    add_columns = edit_columns = [
        "sop", "no", "nomor", "kegiatan", "simbol", "pelaksana", "pelaksana_lain", "bersama", "kelengkapan", "waktu",
        "waktu_nilai", "waktu_satuan", "output", "keluaran", "keterangan", "lanjut_no", "label_lanjut", "ya_no",
        "label_ya", "ya_jika", "tidak_no", "label_tidak", "tidak_jika", "kembali_no", "label_kembali", "guards", "efek",
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
        "efek": _l("Effects after leaving the step"), "nomor": _l("Printed number"),
        "nomor_tampil": _l("Printed number"), "bersama": _l("Other actors take part"),
        "keluaran": _l("Outputs kept by Penkom"), "label_lanjut": _l("Label of the forward button"),
        "ya_jika": _l("Yes only when"), "tidak_jika": _l("No only when"),
    }  # fmt: skip
    description_columns = {
        "waktu": _l('Free text of the SOP, e.g. "2 hari", "menyesuaikan"; the budget is read from it when left empty.'),
        "lanjut_no": _l("Leave empty for the next number; 0 ends the case here."),
        "ya_no": _l("Decision steps only."),
        "kembali_no": _l("A review step may send the case back here; a comment is then required."),
        "guards": _l("Comma-separated, e.g. komentar_wajib, lampiran:surat_permohonan"),
        "no": _l("The step's key and order; branches name these numbers."),
        "nomor": _l(
            "What the SOP document prints in the No. column when it differs from the step number; "
            "empty: the step number; - for a row the SOP leaves unnumbered."
        ),
        "keluaran": _l(
            "Comma-separated output names the case page shows with their state, e.g. "
            "lampiran:laporan_hasil_assessment; documents drafted by the step are shown anyway."
        ),
        "label_lanjut": _l('The step\'s own wording of its forward button, e.g. "Tandatangani".'),
        "ya_jika": _l("Branch memory: offer Yes only when an earlier decision went this way, e.g. 2:ya."),
        "tidak_jika": _l("Branch memory: offer No only when an earlier decision went this way, e.g. 2:tidak."),
    }
    formatters_columns = {
        "nomor": lambda v: "—" if v is None else (v or str(_l("(unnumbered)"))),
        "bersama": lambda v: str(BERSAMA_LABELS.get(v or "", v)),
        "simbol": lambda v: str(SIMBOL_LABELS.get(v, v)),
    }
    formatters_columns = {"simbol": label_formatter(SIMBOL_LABELS), "waktu_satuan": label_formatter(SATUAN_LABELS)}
    add_form_extra_fields = edit_form_extra_fields = {
        "simbol": SelectField(_l("Symbol"), choices=select_choices((k.value, v) for k, v in SIMBOL_LABELS.items())),
        "waktu_satuan": SelectField(
            _l("Budget unit"), choices=select_choices([("", "—"), *SATUAN_LABELS.items()]), validators=[Optional()]
        ),
        "bersama": SelectField(
            _l("Other actors take part"),
            choices=select_choices((k.value, v) for k, v in BERSAMA_LABELS.items()),
            validators=[Optional()],
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
        "keluaran": [KnownHooks(providers.OUTPUTS)],
        "ya_jika": [BranchCondition()],
        "tidak_jika": [BranchCondition()],
        "nomor": [Optional(), Length(max=10)],
    }

    def _fill_budget(self, item):
        if not item.waktu_satuan:
            item.waktu_satuan = None
        if item.waktu_nilai is None or item.waktu_satuan is None:
            item.parse_waktu()
        # Empty: print the step number (None); "-": a row the SOP leaves unnumbered ("").
        nomor = (item.nomor or "").strip()
        item.nomor = "" if nomor == "-" else (nomor or None)

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
        "pengesah_jabatan", "pengesah_nama", "pengesah_pangkat", "pengesah_nip", "mengetahui_jabatan",
        "mengetahui_nama", "mengetahui_pangkat", "mengetahui_nip", "dasar_hukum", "kualifikasi_pelaksana",
        "keterkaitan", "peralatan", "peringatan", "pencatatan", "sop_terkait",
    ]  # fmt: skip
    show_fieldsets = [
        (_l("Identity"), {"fields": ["nama", "nomor", "jenis", "instansi", "unit_kerja", "revisi", "berlaku",
                                     "tanggal_pembuatan", "tanggal_revisi", "tanggal_efektif"]}),
        (_l("Approved by"), {"fields": ["pengesah_jabatan", "pengesah_nama", "pengesah_pangkat", "pengesah_nip"]}),
        (_l("Acknowledged by (mengetahui)"), {"fields": ["mengetahui_jabatan", "mengetahui_nama", "mengetahui_pangkat",
                                                         "mengetahui_nip"]}),
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
        "mengetahui_jabatan": _l("Acknowledged by (position)"), "mengetahui_nama": _l("Acknowledged by (name)"),
        "mengetahui_pangkat": _l("Rank of the acknowledging official"),
        "mengetahui_nip": _l("NIP of the acknowledging official"),
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
    formatters_columns = {
        **{f: tanggal for f in ("tanggal_pembuatan", "tanggal_revisi", "tanggal_efektif")},
        "pengesah_nip": format_nip, "mengetahui_nip": format_nip,
    }  # fmt: skip
    add_form_extra_fields = edit_form_extra_fields = {
        "jenis": SelectField(
            _l("Kind"), choices=select_choices([("mikro", _l("Micro SOP")), ("makro", _l("Macro SOP"))])
        ),
        "pengesah_nip": nip_field(_l("NIP"), required=False),
        "mengetahui_nip": nip_field(_l("NIP of the acknowledging official"), required=False),
    }
    validators_columns = {"nama": [DataRequired(), Length(max=250)], "unit_kerja": [DataRequired()],
                          "instansi": [DataRequired()]}  # fmt: skip
    related_views = [PelaksanaView, LangkahView]  # and the SOP's cases: wired in app/views/__init__.py

    def pre_add(self, item):
        base = re.sub(r"[^a-z0-9]+", "-", (item.nama or "").lower()).strip("-")[:60] or "sop"
        kode, n = base, 2
        while db.session.execute(select(Sop.id).where(Sop.kode == kode)).first():
            kode, n = f"{base}-{n}", n + 1
        item.kode, item.revisi, item.berlaku = kode, 0, True

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        # FAB's _show, with the SOP loaded once instead of twice.
        sop = self.datamodel.get(pk, self._base_filters)
        if sop is None:
            abort(404)
        widgets = self._get_show_widget(pk, sop)
        self.update_redirect()
        widgets = self._get_related_views_widgets(sop, orders=get_order_args(), pages=get_page_args(),
                                                  page_sizes=get_page_size_args(), widgets=widgets)  # fmt: skip
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


class JenisDokumenView(ScopedModelView):
    """The kinds of documents a case may carry, per agency (no agency: every agency's)."""

    datamodel = SQLAInterface(JenisDokumen)
    list_title = _l("Document Kinds")
    show_title = _l("Document Kind")
    add_title = _l("Add Document Kind")
    edit_title = _l("Edit Document Kind")
    list_columns = ["nama", "kode", "instansi", "syarat_mutasi"]
    add_columns = edit_columns = show_columns = ["instansi", "kode", "nama", "syarat_mutasi"]
    search_columns = ["nama", "kode", "instansi"]
    order_columns = ["nama", "kode"]
    base_order = ("nama", "asc")
    label_columns = {"instansi": _l("Agency"), "kode": _l("Code"), "nama": _l("Name"),
                     "syarat_mutasi": _l("Required for a transfer-in application")}  # fmt: skip
    formatters_columns = {"syarat_mutasi": lambda v: _l("Yes") if v else _l("No")}
    description_columns = {
        "syarat_mutasi": _l("New transfer-in applications of the agency list this kind in their document checklist."),
        "kode": _l("Used by SOP steps, e.g. lampiran:surat_permohonan. Lowercase letters, digits and underscores."),
        "instansi": _l("Leave empty for a kind every agency uses (administrators)."),
    }
    validators_columns = {
        "kode": [DataRequired(), Length(max=60),
                 Regexp(r"^[a-z0-9_]+$", message=_l("Use lowercase letters, digits and underscores only."))],
        "nama": [DataRequired(), Length(max=200)],
    }  # fmt: skip

    refused_write_message = _l(
        "The document kinds of an agency serve every unit of it: only the staff of its main unit or an "
        "administrator can change or delete them."
    )

    def extra_references(self, item) -> list[tuple[str, int]]:
        """SOP steps check for or keep attachments of the kind by its code (`lampiran:<kode>`)."""
        return _naming_steps(dokumen.steps_naming(item))

    def pre_update(self, item):
        """A new code (or agency) would leave the SOP steps that name the old one checking for a kind that no
        longer exists."""
        state = inspect(item)
        old_kode = state.attrs.kode.history.deleted
        old_agency = state.attrs.instansi_id.history.deleted or state.attrs.instansi.history.deleted
        if old_kode or old_agency:
            kode = old_kode[0] if old_kode else item.kode
            agency = old_agency[0] if old_agency else item.instansi_id
            agency = getattr(agency, "id", agency)
            named = _naming_steps(dokumen.steps_naming(item, kode, agency))
            if named:
                raise ValueError(_l("The code cannot change: %(items)s use it. Change those steps first.",
                                    items=", ".join(f"{n} {label}" for label, n in named)))  # fmt: skip
        self.pre_add(item)

    def pre_add(self, item):
        """Only administrators keep kinds for every agency; a duplicate code in one agency is refused."""
        if item.instansi_id is None and item.instansi is None and not scope.reach().admin:
            raise ValueError(_l("Choose the agency that uses this kind of document."))
        instansi_id = item.instansi.id if item.instansi is not None else item.instansi_id
        query = select(JenisDokumen.id).where(JenisDokumen.kode == item.kode)
        query = query.where(
            JenisDokumen.instansi_id.is_(None) if instansi_id is None else JenisDokumen.instansi_id == instansi_id
        )
        owner = db.session.execute(query).scalar()
        if owner is not None and owner != item.id:
            raise ValueError(_l("This agency already has a document kind with this code."))


def _naming_steps(steps: list[Langkah]) -> list[tuple[str, int]]:
    """(label, count) for refuse_if_referenced: the SOP steps by SOP name, revision and step number."""
    if not steps:
        return []
    names = ", ".join(
        str(_l("%(sop)s step %(no)s", sop=step.sop, no=step.nomor_tampil or step.no)) for step in steps[:5]
    )
    more = str(_l(" and %(n)d more", n=len(steps) - 5)) if len(steps) > 5 else ""
    return [(str(_l("SOP step(s) (%(steps)s)", steps=names + more)), len(steps))]
