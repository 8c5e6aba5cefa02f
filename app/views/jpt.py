"""JPT selection screens (menu "Penilaian" → "Seleksi JPT"): the selection with its vacant posts, panel,
stage weights and rule; its candidates and their stage scores; the compilation. The show page carries
the workflow buttons of the case the selection runs (the case page's own panel). Thin: each POST parses
the form and calls one operation of `app.jpt`; every row comes through the scope module."""

from __future__ import annotations

from flask import abort, flash, g, make_response, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, SelectField
from wtforms.validators import DataRequired, InputRequired, NumberRange
from wtforms.validators import Optional as OptionalV

from app import scope
from app.extensions import db
from app.formatting import tanggal_waktu
from app.jpt import hooks as _hooks  # noqa: F401  (registers the JPT steps in the workflow hooks)
from app.jpt import impor
from app.jpt import operations as ops
from app.models import FormasiJpt, KandidatJpt, PanselJpt, SeleksiJpt
from app.models.jpt import ATURAN_LABELS, PERAN_PANSEL_LABELS, SUMBER_LABELS, TAHAP, AturanStandar
from app.validators import nip_field, select_choices
from app.views.base import ScopedModelView
from app.views.panels import case_panel

BOBOT = [f"bobot_{kode}" for kode, _label, _w in TAHAP]
NILAI = [f"nilai_{kode}" for kode, _label, _w in TAHAP]


def _angka(value) -> str:
    return "—" if value is None else f"{float(value):g}".replace(".", ",")


def _label(labels: dict):
    return lambda v: str(next((text for key, text in labels.items() if key == v), v or "—"))


def _refuse_frozen(item: SeleksiJpt | None) -> None:
    """FAB shows a ValueError from pre_add/pre_update/pre_delete as the form's message; nothing is saved."""
    if item is not None and item.beku:
        raise ValueError(str(_l("The compilation of %(nama)s has been approved and is frozen; its candidates and "
                                "scores can no longer be changed.", nama=item.nama)))  # fmt: skip


class FormasiJptView(ScopedModelView):
    datamodel = SQLAInterface(FormasiJpt)
    list_title = _l("Vacant Posts")
    show_title = add_title = edit_title = _l("Vacant Post")
    list_columns = ["nama", "unit", "seleksi"]
    show_columns = add_columns = edit_columns = ["seleksi", "nama", "unit"]
    search_columns = ["nama", "seleksi"]
    label_columns = {"nama": _l("Position"), "unit": _l("Unit"), "seleksi": _l("JPT selection")}
    validators_columns = {"nama": [DataRequired()], "seleksi": [DataRequired()]}

    def pre_add(self, item):
        _refuse_frozen(item.seleksi)

    pre_update = pre_delete = pre_add


class PanselJptView(ScopedModelView):
    datamodel = SQLAInterface(PanselJpt)
    list_title = _l("Selection Panel")
    show_title = add_title = edit_title = _l("Selection Panel Member")
    list_columns = ["nama", "unsur", "peran", "seleksi"]
    show_columns = add_columns = edit_columns = ["seleksi", "nama", "unsur", "peran"]
    search_columns = ["nama", "peran", "seleksi"]
    label_columns = {"nama": _l("Name"), "unsur": _l("Position or element"), "peran": _l("Role in the panel"),
                     "seleksi": _l("JPT selection")}  # fmt: skip
    formatters_columns = {"peran": _label(PERAN_PANSEL_LABELS)}
    validators_columns = {"nama": [DataRequired()], "seleksi": [DataRequired()]}
    add_form_extra_fields = edit_form_extra_fields = {
        "peran": SelectField(_l("Role in the panel"), validators=[DataRequired()],
                             choices=select_choices((k.value, v) for k, v in PERAN_PANSEL_LABELS.items())),
    }  # fmt: skip

    def pre_add(self, item):
        try:
            ops.periksa_pansel(item.seleksi, item.peran, kecuali=item.id)
        except ops.JptError as exc:
            raise ValueError(str(exc)) from None

    pre_update = pre_add


class KandidatJptView(ScopedModelView):
    datamodel = SQLAInterface(KandidatJpt)
    list_title = _l("JPT Candidates")
    show_title = add_title = edit_title = _l("JPT Candidate")
    list_columns = ["nip", "nama", "formasi", *NILAI, "nilai_akhir", "peringkat", "standar", "tiga_besar"]
    show_columns = ["seleksi", "formasi", "nip", "nama", "instansi_asal", "jabatan_asal", *NILAI, "sumber_assessment",
                    "nilai_akhir", "peringkat", "standar", "tiga_besar"]  # fmt: skip
    add_columns = edit_columns = ["seleksi", "formasi", "nip", "nama", "instansi_asal", "jabatan_asal", *NILAI]
    search_columns = ["nama", "nip", "seleksi", "formasi"]
    order_columns = ["nama", "nilai_akhir", "peringkat"]
    label_columns = {
        "seleksi": _l("JPT selection"), "formasi": _l("Vacant post applied for"), "nip": _l("NIP"),
        "nama": _l("Name"), "instansi_asal": _l("Agency of origin"), "jabatan_asal": _l("Current position"),
        **{f"nilai_{kode}": label for kode, label, _w in TAHAP},
        "sumber_assessment": _l("Source of the assessment-center score"), "nilai_akhir": _l("Weighted total"),
        "peringkat": _l("Rank in the post"), "standar": _l("Category"), "tiga_besar": _l("Three best"),
    }  # fmt: skip
    formatters_columns = {
        **{name: _angka for name in NILAI}, "nilai_akhir": _angka,
        "sumber_assessment": _label(SUMBER_LABELS),
        "standar": lambda v: "—" if v is None else str(_l("standard") if v else _l("below standard")),
        "tiga_besar": lambda v: str(_l("yes") if v else _l("no")),
        "nip": lambda v: KandidatJpt(nip=v).nip_tampil,
        "peringkat": lambda v: v or "—",
    }  # fmt: skip
    validators_columns = {"nama": [DataRequired()], "seleksi": [DataRequired()], "formasi": [DataRequired()]}
    add_form_extra_fields = edit_form_extra_fields = {
        "nip": nip_field(_l("NIP")),
        **{f"nilai_{kode}": DecimalField(label, places=2, validators=[OptionalV(), NumberRange(0, 100)],
                                         description=_l("0–100"))
           for kode, label, _w in TAHAP},
    }  # fmt: skip

    def pre_add(self, item):
        seleksi = item.seleksi
        _refuse_frozen(seleksi)
        try:
            item.nip = ops.periksa_kandidat(seleksi, item.nip, item.formasi_id or getattr(item.formasi, "id", None),
                                            kecuali=item.id)  # fmt: skip
        except ops.JptError as exc:
            raise ValueError(str(exc)) from None
        for name in NILAI:  # the form gives Decimals; the column stores floats
            value = getattr(item, name)
            setattr(item, name, None if value is None else float(value))
        ops._reset(seleksi)

    pre_update = pre_add

    def pre_delete(self, item):
        _refuse_frozen(item.seleksi)
        super().pre_delete(item)
        ops._reset(item.seleksi)


class SeleksiJptView(ScopedModelView):
    datamodel = SQLAInterface(SeleksiJpt)
    base_permissions = ["can_list", "can_show", "can_add", "can_edit", "can_delete", "can_kompilasi", "can_ambil",
                        "can_impor", "can_templat"]  # fmt: skip
    list_title = _l("JPT Selections")
    show_title = _l("JPT Selection")
    add_title = _l("New JPT Selection")
    edit_title = _l("Edit JPT Selection")
    show_template = "jpt/show.html"
    list_columns = ["nama", "tahun", "unit_kerja", "kasus", "status_kompilasi"]
    show_columns = ["nama", "tahun", "unit_kerja", "kasus", "kegiatan", *BOBOT, "aturan_standar", "ambang_standar",
                    "status_kompilasi", "catatan_kompilasi", "dikompilasi_at", "disetujui_at", "disetujui_oleh",
                    "ditetapkan_at"]  # fmt: skip
    add_columns = edit_columns = ["nama", "tahun", "unit_kerja", "kegiatan", *BOBOT, "aturan_standar",
                                  "ambang_standar"]  # fmt: skip
    search_columns = ["nama", "tahun", "unit_kerja", "status_kompilasi"]
    order_columns = ["nama", "tahun"]
    base_order = ("id", "desc")
    related_views = [FormasiJptView, PanselJptView, KandidatJptView]
    label_columns = {
        "nama": _l("Name"), "tahun": _l("Year"), "unit_kerja": _l("Work Unit"), "kasus": _l("Case"),
        "kegiatan": _l("Assessment event (source of assessment-center scores)"),
        **{f"bobot_{kode}": _l("Weight: %(stage)s (%%)", stage=label) for kode, label, _w in TAHAP},
        "aturan_standar": _l("Rule for standar / di bawah standar"), "ambang_standar": _l("Threshold"),
        "status_kompilasi": _l("Compilation"), "catatan_kompilasi": _l("Note of the last return"),
        "dikompilasi_at": _l("Compiled at"), "disetujui_at": _l("Approved at"), "disetujui_oleh": _l("Approved by"),
        "ditetapkan_at": _l("Results set at"),
    }  # fmt: skip
    formatters_columns = {
        **{name: _angka for name in BOBOT}, "ambang_standar": _angka,
        "aturan_standar": _label(ATURAN_LABELS),
        "status_kompilasi": lambda v: SeleksiJpt(status_kompilasi=v).status_label,
        "dikompilasi_at": tanggal_waktu, "disetujui_at": tanggal_waktu, "ditetapkan_at": tanggal_waktu,
        "catatan_kompilasi": lambda v: v or "—",
    }  # fmt: skip
    validators_columns = {"nama": [DataRequired()], "tahun": [DataRequired(), NumberRange(2000, 2100)],
                          "unit_kerja": [DataRequired()]}  # fmt: skip
    add_form_extra_fields = edit_form_extra_fields = {
        **{f"bobot_{kode}": DecimalField(_l("Weight: %(stage)s (%%)", stage=label), places=2, default=w,
                                         validators=[InputRequired(), NumberRange(0, 100)])
           for kode, label, w in TAHAP},
        "aturan_standar": SelectField(_l("Rule for standar / di bawah standar"),
                                      default=AturanStandar.NILAI_AKHIR.value,
                                      choices=select_choices((k.value, v) for k, v in ATURAN_LABELS.items())),
        "ambang_standar": DecimalField(_l("Threshold"), places=2, default=70, validators=[NumberRange(0, 100)]),
    }  # fmt: skip

    def pre_add(self, item):
        _refuse_frozen(item if item.id else None)
        values = {kode: (float(getattr(item, f"bobot_{kode}")) if getattr(item, f"bobot_{kode}") is not None else None)
                  for kode, _label, _w in TAHAP}  # fmt: skip
        error = ops.kesalahan_bobot(values) or ops.kesalahan_aturan(item.aturan_standar, item.ambang_standar)
        if error:
            raise ValueError(error)
        for kode, value in values.items():
            setattr(item, f"bobot_{kode}", value)
        item.ambang_standar = float(item.ambang_standar)
        if item.id:
            ops._reset(item)

    pre_update = pre_add

    def pre_delete(self, item):
        _refuse_frozen(item)
        super().pre_delete(item)

    # -- the page -------------------------------------------------------------------------------

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        item = scope.get(SeleksiJpt, pk)
        if item is None:
            abort(404)
        widgets = self._show(pk)  # FAB's: the fields and the related lists (posts, panel, candidates)
        kasus = ops.kasus_seleksi_terlihat(item.kasus_id, g.user)
        panel = case_panel(kasus, g.user) | {"kembali_ke": url_for("SeleksiJptView.show", pk=item.id)} if kasus else {}
        return self.render_template(
            self.show_template, pk=pk, title=self.show_title, widgets=widgets, related_views=self._related_views,
            seleksi=item, baris=ops.tabel_kompilasi(item), tahap=[(k, label) for k, label, _w in TAHAP],
            bobot=item.bobot(), angka=_angka, kurang=ops.kurang_nilai(item), **panel,
        )  # fmt: skip

    def _run(self, pk, fn, done):
        item = scope.get(SeleksiJpt, pk)
        if item is None:
            abort(404)
        try:
            result = fn(item)
        except impor.ImporError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            for row in exc.baris:
                flash(str(row), "danger")
        except ops.JptError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            db.session.commit()
            flash(done(result), "success")
        return redirect(url_for("SeleksiJptView.show", pk=pk))

    @expose("/kompilasi/<int:pk>", methods=["POST"])
    @has_access
    def kompilasi(self, pk):
        """Compile the weighted totals and ranks (SOP steps 4 and 6)."""
        return self._run(pk, ops.kompilasi, lambda _r: str(_l("The compilation is made.")))

    @expose("/ambil/<int:pk>", methods=["POST"])
    @has_access
    def ambil(self, pk):
        """Take the assessment-center scores from the selection's assessment event."""
        return self._run(pk, lambda item: ops.ambil_dari_kegiatan(item, g.user),
                         lambda n: str(_l("%(n)d assessment-center scores taken.", n=n)))  # fmt: skip

    @expose("/impor/<int:pk>", methods=["POST"])
    @has_access
    def impor(self, pk):
        """Import the independent assessor team's Excel (all rows or none)."""
        upload = request.files.get("berkas")
        data = upload.read() if upload else b""
        return self._run(pk, lambda item: impor.impor_assessment(item, data),
                         lambda n: str(_l("%(n)d assessment-center scores imported.", n=n)))  # fmt: skip

    @expose("/templat/<int:pk>", methods=["GET"])
    @has_access
    def templat(self, pk):
        """The sheet for the assessor team: the candidates with an empty score column."""
        item = scope.get(SeleksiJpt, pk)
        if item is None:
            abort(404)
        response = make_response(impor.templat(item))
        response.headers["Content-Type"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response.headers["Content-Disposition"] = f'attachment; filename="hasil-assessment-{item.id}.xlsx"'
        return response
