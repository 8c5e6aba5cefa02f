"""Official documents: list, draft, edit (drafts only), initials, return, sign, send, download; the
editable reference data behind them (templates, numbering patterns, classification codes); and the
public verification page."""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_appbuilder import BaseView, expose, has_access, permission_name
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, ValidationError
from wtforms.validators import Optional as OptionalV

from app import bounds, scope
from app.documents import (
    effects,  # noqa: F401  (registers the document steps in the workflow hooks)
    penomoran,
    wording,
)
from app.documents import naskah as svc
from app.documents.pdf import pdf_response
from app.extensions import db
from app.formatting import label_formatter, tanggal, tanggal_waktu
from app.models import (
    JenisNaskah,
    KlasifikasiArsip,
    Langkah,
    NaskahDinas,
    PolaNomor,
    TemplateNaskah,
    UnitKerja,
)
from app.models.naskah import JENIS_LABELS, STATUS_LABELS
from app.notifikasi.operations import on_document_changed
from app.validators import select_choices
from app.views.base import ScopedModelView, attempt
from app.views.export import ExportMixin
from app.views.panels import signer_choices

JENIS_CHOICES = [(j.value, str(JENIS_LABELS[j])) for j in JenisNaskah]


class NaskahForm(FlaskForm):
    perihal = StringField(_l("Subject (hal)"), validators=[DataRequired(), Length(max=500)])
    sifat = SelectField(_l("Nature (sifat)"), choices=select_choices((s, s) for s in svc.SIFAT))
    kode_klasifikasi = SelectField(_l("Classification code"), validate_choice=False)
    lampiran = StringField(_l("Enclosures (lampiran)"), validators=[Length(max=120)], default="-")
    kepada = TextAreaField(_l("To (Yth.), one addressee per line"), validators=[Length(max=5000)])
    isi = TextAreaField(_l("Body; a blank line starts a new paragraph"), validators=[DataRequired(), Length(max=50000)],
                        render_kw={"rows": 10})  # fmt: skip
    isi_penutup = TextAreaField(_l("Closing (after the list of people)"), validators=[Length(max=20000)],
                                render_kw={"rows": 4})  # fmt: skip
    tembusan = TextAreaField(_l("Copies (tembusan), one per line"), validators=[Length(max=5000)])
    penandatangan_id = SelectField(_l("Signer"), coerce=int, validators=[OptionalV()])
    jabatan_penandatangan = StringField(_l("Signer's position as printed"), validators=[Length(max=200)])
    atas_nama = SelectField(
        _l("On behalf of (a.n./u.b./Plt./Plh.)"), choices=select_choices((a, a or "—") for a in svc.ATAS_NAMA)
    )
    jabatan_atas_nama = StringField(_l("Position signed for (after a.n./Plt./Plh.)"), validators=[Length(max=200)])
    kertas = SelectField(_l("Paper"), choices=select_choices([("a4", "A4"), ("f4", "F4 / Folio")]))
    kota = StringField(_l("Place"), validators=[Length(max=100)])

    FIELDS = svc.EDITABLE_FIELDS

    def prepare(self, naskah: NaskahDinas) -> NaskahForm:
        codes = db.session.execute(select(KlasifikasiArsip).order_by(KlasifikasiArsip.kode)).scalars()
        pairs = [("", "—")] + [(k.kode, str(k)) for k in codes]
        if naskah.kode_klasifikasi and naskah.kode_klasifikasi not in dict(pairs):
            pairs.append((naskah.kode_klasifikasi, naskah.kode_klasifikasi))
        self.kode_klasifikasi.choices = select_choices(pairs)
        self.penandatangan_id.choices = select_choices([(0, "—")] + signer_choices(naskah.instansi_id))
        return self

    def values(self) -> dict:
        result = {name: self[name].data for name in self.FIELDS}
        result["penandatangan_id"] = result["penandatangan_id"] or None
        if result["penandatangan_id"] is None:
            result.pop("penandatangan_id")
        return result


class NewDocumentForm(FlaskForm):
    template = SelectField(_l("Template"), coerce=int, validators=[DataRequired()])
    unit = SelectField(_l("Work Unit"), coerce=int, validators=[DataRequired()])
    kasus = IntegerField(_l("Case number (optional)"), validators=[OptionalV(), NumberRange(min=1, max=bounds.ID_MAX)])


class NaskahDinasView(ExportMixin, ScopedModelView):
    datamodel = SQLAInterface(NaskahDinas)
    base_permissions = ["can_list", "can_show", "can_add", "can_edit", "can_pdf", "can_paraf", "can_kembalikan",
                        "can_tandatangani", "can_kirim", "can_batal", "can_pemeriksa"]  # fmt: skip
    list_title = _l("Official Documents")
    show_title = _l("Official Document")
    list_columns = ["id", "nomor", "jenis", "perihal", "status", "tanggal", "kasus", "unit_kerja"]
    show_columns = ["jenis", "nomor", "tanggal", "perihal", "status", "kasus", "unit_kerja", "penandatangan"]
    search_columns = ["nomor", "perihal", "jenis", "status", "tanggal", "unit_kerja"]
    quick_search_columns = ["perihal", "nomor"]
    order_columns = ["id", "nomor", "tanggal", "status"]
    base_order = ("id", "desc")
    label_columns = {
        "id": _l("No."), "nomor": _l("Number"), "jenis": _l("Kind"), "perihal": _l("Subject"), "status": _l("Status"),
        "tanggal": _l("Date"), "kasus": _l("Case"), "unit_kerja": _l("Work Unit"), "penandatangan": _l("Signer"),
    }  # fmt: skip
    formatters_columns = {
        "tanggal": tanggal,
        "jenis": lambda v: JenisNaskah(v).label if v in JenisNaskah._value2member_map_ else v,
        "status": lambda v: str(STATUS_LABELS.get(v, v)),
    }

    def _load(self, pk) -> NaskahDinas:
        item = svc.scoped_naskah(int(pk), g.user)
        if item is None:
            abort(404)
        return item

    @expose("/add", methods=["GET", "POST"])
    @has_access
    def add(self):
        form = NewDocumentForm()
        templates = db.session.execute(select(TemplateNaskah).order_by(TemplateNaskah.nama)).scalars().all()
        form.template.choices = select_choices((t.id, str(t)) for t in templates)
        units = sorted(scope.visible(UnitKerja), key=lambda u: u.nama)
        form.unit.choices = select_choices((u.id, f"{u.nama} ({u.instansi.kode})") for u in units)
        if form.validate_on_submit():
            kasus = None
            if form.kasus.data:
                from app.workflow.engine import scoped_case

                kasus = scoped_case(form.kasus.data, g.user)
                if kasus is None:
                    form.kasus.errors.append(_l("Case not found."))
            unit = scope.get(UnitKerja, form.unit.data)
            if not form.kasus.errors:
                try:
                    item = svc.create_draft(db.session.get(TemplateNaskah, form.template.data), g.user, unit, kasus)
                    db.session.commit()
                except wording.WordingError as exc:
                    db.session.rollback()
                    flash(str(exc), "danger")
                else:
                    flash(_l("Draft created; complete it and choose the reviewers and the signer."), "success")
                    return redirect(url_for("NaskahDinasView.edit", pk=item.id))
        return self.render_template("naskah/form.html", form=form, fields=[form.template, form.unit, form.kasus],
                                    title=_l("New official document"), submit=_l("Create draft"))  # fmt: skip

    @expose("/edit/<pk>", methods=["GET", "POST"])
    @has_access
    def edit(self, pk):
        item = self._load(pk)
        if not item.dapat_diubah or not svc.may_edit(item, g.user):
            flash(_l("This document is signed and can no longer be changed; make a new document.")
                  if not item.dapat_diubah else _l("You cannot change this document now."), "warning")  # fmt: skip
            return redirect(url_for("NaskahDinasView.show", pk=item.id))
        form = NaskahForm(obj=item).prepare(item)
        if request.method == "GET":
            form.penandatangan_id.data = item.penandatangan_id or 0
        if form.validate_on_submit():
            try:
                svc.update(item, g.user, form.values())
                db.session.commit()
            except svc.NaskahError as exc:
                db.session.rollback()
                flash(str(exc), "danger")
            else:
                on_document_changed(item.id, g.user)
                flash(_l("Document saved."), "success")
                return redirect(url_for("NaskahDinasView.show", pk=item.id))
        return self.render_template("naskah/form.html", form=form, fields=[form[f] for f in NaskahForm.FIELDS],
                                    title=_l("Edit document"), submit=_l("Save"), naskah=item)  # fmt: skip

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        item = self._load(pk)
        reviewers = [] if item.pemeriksa and any(r.langkah_no for r in item.pemeriksa) else signer_choices(
            item.instansi_id)  # fmt: skip
        from app.workflow.engine import step_name

        return self.render_template(
            "naskah/show.html", n=item, title=self.show_title, tanggal=tanggal, tanggal_waktu=tanggal_waktu,
            step_name=(lambda no: step_name(item.kasus.sop, no)) if item.kasus else str,
            may_edit=svc.may_edit(item, g.user), me=g.user.pegawai_id, reviewer_choices=reviewers,
            may_number=svc.may_record_number(item, g.user),
            verifikasi_url=svc.verification_url(item.token) if item.token else "",
        )  # fmt: skip

    @expose("/pdf/<int:pk>")
    @has_access
    def pdf(self, pk):
        item = self._load(pk)
        return pdf_response(svc.pdf_bytes(item), svc.filename(item))

    def _do(self, pk, operation, done_message):
        """One operation of the show page, with the document version the page was rendered at (a second
        click of the same button is refused instead of signing or numbering again)."""
        item = self._load(pk)
        versi = request.form.get("versi", type=int)

        def run():
            operation(item, versi)
            db.session.commit()

        if attempt(run, done_message)[0]:
            on_document_changed(pk, g.user)
        return redirect(url_for("NaskahDinasView.show", pk=pk))

    @expose("/paraf/<int:pk>", methods=["POST"])
    @has_access
    def paraf(self, pk):
        return self._do(pk, lambda n, v: svc.paraf(n, g.user, seen_versi=v), _l("Initialled."))

    @expose("/kembalikan/<int:pk>", methods=["POST"])
    @has_access
    def kembalikan(self, pk):
        return self._do(pk, lambda n, v: svc.kembalikan(n, g.user, request.form.get("catatan", ""), seen_versi=v),
                        _l("Returned to the drafter with your note."))  # fmt: skip

    @expose("/tandatangani/<int:pk>", methods=["POST"])
    @has_access
    def tandatangani(self, pk):
        return self._do(pk, lambda n, v: svc.sign(n, g.user, seen_versi=v), _l("Signed and numbered."))

    @expose("/kirim/<int:pk>", methods=["POST"])
    @has_access
    def kirim(self, pk):
        return self._do(pk, lambda n, v: svc.kirim(n, g.user, seen_versi=v), _l("Marked as sent."))

    @expose("/batal/<int:pk>", methods=["POST"])
    @has_access
    def batal(self, pk):
        return self._do(pk, lambda n, v: svc.batal(n, g.user, seen_versi=v), _l("Draft cancelled."))

    @expose("/nomor_eoffice/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("edit")  # the drafter and the signer hold it; the service checks which document and when
    def nomor_eoffice(self, pk):
        nomor = request.form.get("nomor_eoffice", "")
        return self._do(pk, lambda n, v: svc.catat_nomor_eoffice(n, g.user, nomor, v),
                        _l("E-office number recorded; the signed PDF prints it."))  # fmt: skip

    @expose("/pemeriksa/<int:pk>", methods=["POST"])
    @has_access
    def pemeriksa(self, pk):
        pegawai_id = request.form.get("pegawai_id", type=bounds.whole)
        return self._do(pk, lambda n, v: svc.add_reviewer(n, g.user, pegawai_id, v),
                        _l("Reviewer added to the chain."))  # fmt: skip


# -- reference data (administrators) ---------------------------------------------------------------


class WordingValidator:
    def __call__(self, form, field):
        error = wording.check(field.data or "")
        if error:
            raise ValidationError(error)


class PatternValidator:
    def __call__(self, form, field):
        errors = penomoran.pattern_errors(field.data or "")
        if errors:
            raise ValidationError(" ".join(errors))


class TemplateNaskahView(ScopedModelView):
    datamodel = SQLAInterface(TemplateNaskah)
    list_title = _l("Document Templates")
    show_title = _l("Document Template")
    add_title = _l("Add Document Template")
    edit_title = _l("Edit Document Template")
    list_columns = ["kode", "nama", "jenis", "kode_klasifikasi"]
    add_columns = edit_columns = show_columns = ["kode", "nama", "jenis", "kode_klasifikasi", "sifat", "kertas",
                                                 "perihal", "kepada", "isi", "isi_penutup", "tembusan"]  # fmt: skip
    label_columns = {
        "kode": _l("Code"), "nama": _l("Name"), "jenis": _l("Kind"), "kode_klasifikasi": _l("Classification code"),
        "sifat": _l("Nature (sifat)"), "kertas": _l("Paper"), "perihal": _l("Subject (hal)"),
        "kepada": _l("To (Yth.)"), "isi": _l("Body"), "isi_penutup": _l("Closing"), "tembusan": _l("Copies"),
    }  # fmt: skip
    description_columns = {
        "isi": _l("Jinja wording run in a sandbox. Available: kasus.judul, kasus.nomor, kasus.tanggal_kegiatan, "
                  "kasus.sop, petugas (nama, nip, pangkat, jabatan, peran), instansi.nama, instansi.kota, unit.nama; "
                  "filter |tanggal. The result is plain text; a blank line starts a paragraph."),
    }  # fmt: skip
    formatters_columns = {"jenis": label_formatter(JENIS_LABELS)}
    # A template's own code may equal a kind's code (e.g. nota_dinas): that code is the template's name.
    sweep_exempt = {j.value: "template codes are identifiers the administrator chose" for j in JenisNaskah}
    validators_columns = {name: [WordingValidator()] for name in ("perihal", "kepada", "isi", "isi_penutup",
                                                                  "tembusan")}  # fmt: skip
    add_form_extra_fields = edit_form_extra_fields = {
        "jenis": SelectField(_l("Kind"), choices=select_choices(JENIS_CHOICES)),
        "sifat": SelectField(_l("Nature (sifat)"), choices=select_choices((s, s) for s in svc.SIFAT)),
        "kertas": SelectField(_l("Paper"), choices=select_choices([("a4", "A4"), ("f4", "F4 / Folio")])),
        "perihal": StringField(_l("Subject (hal)"), validators=[DataRequired(), Length(max=500), WordingValidator()]),
        "isi": TextAreaField(_l("Body"), validators=[DataRequired(), WordingValidator()], render_kw={"rows": 12}),
    }

    def extra_references(self, item):
        """SOP steps name a template in their effects (naskah_konsep:<kode>)."""
        steps = db.session.execute(select(func.count(Langkah.id)).where(
            Langkah.efek.contains(f"naskah_konsep:{item.kode}"))).scalar_one()  # fmt: skip
        return [(str(_l("SOP step(s)")), steps)] if steps else []


class PolaNomorView(ScopedModelView):
    datamodel = SQLAInterface(PolaNomor)
    list_title = _l("Numbering Patterns")
    show_title = _l("Numbering Pattern")
    add_title = _l("Add Numbering Pattern")
    edit_title = _l("Edit Numbering Pattern")
    list_columns = ["instansi", "jenis", "pola", "lebar_nomor"]
    add_columns = edit_columns = show_columns = ["instansi", "jenis", "pola", "lebar_nomor"]
    label_columns = {"instansi": _l("Agency"), "jenis": _l("Kind (empty: all kinds)"), "pola": _l("Pattern"),
                     "lebar_nomor": _l("Digits of the number")}  # fmt: skip
    description_columns = {
        "pola": _l("Placeholders: {nomor} {kode_klasifikasi} {kode_unit} {kode_instansi} {tahun} {bulan} "
                   "{bulan_romawi}. Default: {kode_klasifikasi}/{nomor}/{kode_unit}/{tahun}; a ministry style: "
                   "B-{nomor}/{kode_unit}/{kode_klasifikasi}/{bulan}/{tahun}. "
                   "Each pattern has its own yearly counter."),
    }  # fmt: skip
    formatters_columns = {"jenis": label_formatter(JENIS_LABELS)}
    validators_columns = {"pola": [PatternValidator()], "lebar_nomor": [NumberRange(min=1, max=8)]}
    add_form_extra_fields = edit_form_extra_fields = {
        "jenis": SelectField(
            _l("Kind (empty: all kinds)"),
            choices=select_choices([("", "—")] + JENIS_CHOICES),
            filters=[lambda v: v or ""],
        ),  # fmt: skip
    }


class KlasifikasiArsipView(ScopedModelView):
    datamodel = SQLAInterface(KlasifikasiArsip)
    list_title = _l("Archive Classification Codes")
    show_title = _l("Archive Classification Code")
    add_title = _l("Add Archive Classification Code")
    edit_title = _l("Edit Archive Classification Code")
    list_columns = add_columns = edit_columns = show_columns = ["kode", "nama"]
    base_order = ("kode", "asc")
    label_columns = {"kode": _l("Code"), "nama": _l("Name")}

    def extra_references(self, item):
        """Documents and templates carry the code as text."""
        used = []
        for model, label in ((NaskahDinas, _l("official document(s)")), (TemplateNaskah, _l("document template(s)"))):
            n = db.session.execute(select(func.count(model.id)).where(model.kode_klasifikasi == item.kode)).scalar_one()
            if n:
                used.append((str(label), n))
        return used


# -- public verification --------------------------------------------------------------------------


class VerifikasiView(BaseView):
    """Public: what a recipient needs to trust a signed document, and a byte-for-byte upload check."""

    route_base = "/verifikasi"
    default_view = "halaman"

    @expose("/<token>", methods=["GET", "POST"])
    def halaman(self, token):
        if request.method == "GET":
            self.update_redirect()  # the navbar's language switch brings the reader back here
        item = svc.verify(token)
        if item is None:
            # A forged or mistyped code: say so plainly, as a real 404 (with the usual headers).
            page = render_template("naskah/verifikasi.html", n=None, penerbit=svc.issuer_name(),
                                   appbuilder=current_app.appbuilder,
                                   base_template=current_app.appbuilder.base_template)  # fmt: skip
            return page, 404
        result = checked = None
        if request.method == "POST":
            upload = request.files.get("berkas")
            data = upload.read(svc.MAX_UPLOAD + 1) if upload else b""
            if not data:
                flash(_l("Choose the PDF file to check."), "warning")
            elif len(data) > svc.MAX_UPLOAD:
                flash(_l("The file is larger than 20 MB."), "warning")
            else:
                result, checked = svc.matches(item, data), svc.signature_check(data)
        return render_template("naskah/verifikasi.html", n=item, result=result, appbuilder=current_app.appbuilder,
                               tanggal=tanggal, base_template=current_app.appbuilder.base_template,
                               stored=svc.signature_check(item.pdf), checked=checked)  # fmt: skip
