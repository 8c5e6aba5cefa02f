"""WTForms validators with messages in the user's language."""

from __future__ import annotations

from flask import request
from flask_appbuilder.fieldwidgets import BS3TextFieldWidget
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import StopValidation, ValidationError

from app import nip as nip_mod
from app.extensions import db


def _editing_pk():
    """Primary key of the row being edited (FAB's /edit/<pk>), None when adding."""
    pk = (request.view_args or {}).get("pk") if request else None
    return int(pk) if pk is not None and str(pk).isdigit() else None


class NipValidator:
    """A valid NIP (Perka BKN 22/2007); with a model, one that no other row of it already has.
    Not required (`required=False`): an empty field passes."""

    def __init__(self, model=None, required: bool = True):
        self.model, self.required = model, required

    def __call__(self, form, field):
        if not self.required and not nip_mod.normalize(field.data):
            field.data = ""
            raise StopValidation()
        try:
            parsed = nip_mod.parse(field.data)
        except nip_mod.NipError as exc:
            raise StopValidation(str(exc)) from None
        field.data = parsed.digits
        if self.model is None:
            return
        owner = db.session.execute(select(self.model.id).where(self.model.nip == parsed.digits)).scalar()
        if owner is not None and owner != _editing_pk():
            raise StopValidation(_l("NIP %(nip)s is already registered to another civil servant.", nip=str(parsed)))


# Wide enough for the grouped forms people type: "19640327 199201 1 002", "19640327.199201.1.002".
NIP_INPUT_LENGTH = 25


def nip_field(label, model=None, required: bool = True, description=None) -> StringField:
    """A NIP form field that accepts the grouped forms (spaces or dots) and stores the 18 digits.
    It replaces the field FAB would generate, whose length limit (18) refused the grouped form and
    whose own uniqueness check repeated ours."""
    return StringField(
        label,
        description=description or _l("18 digits; spaces and dots are allowed, e.g. 19640327 199201 1 002."),
        filters=[lambda v: nip_mod.format_nip(v.strip()) if isinstance(v, str) else v],
        validators=[NipValidator(model, required)],
        widget=BS3TextFieldWidget(),  # FAB's look (form-control) like the fields it generates
        render_kw={"maxlength": NIP_INPUT_LENGTH, "required": required},
    )


class UnitParentValidator:
    """The parent unit belongs to the same agency and is not the unit itself or below it."""

    def __call__(self, form, field):
        parent = field.data
        if parent is None:
            return
        instansi = form.instansi.data if "instansi" in form else None
        if instansi is not None and parent.instansi_id != instansi.id:
            raise ValidationError(_l("The parent unit must belong to the same agency."))
        pk = _editing_pk()
        if pk is not None:
            from app.scope import descendant_unit_ids

            if parent.id in descendant_unit_ids([pk]):
                raise ValidationError(_l("A unit cannot be placed under itself or one of its sub-units."))


class NoNormalizedDuplicate:
    """Unique text column, compared without surrounding spaces and case."""

    def __init__(self, model, column: str, message):
        self.model, self.column, self.message = model, column, message

    def __call__(self, form, field):
        value = (field.data or "").strip()
        field.data = value
        col = getattr(self.model, self.column)
        from sqlalchemy import func

        owner = db.session.execute(select(self.model.id).where(func.lower(col) == value.lower())).scalar()
        if owner is not None and owner != _editing_pk():
            raise ValidationError(self.message)


class UniqueJabatan:
    """One position per agency with the same name and jenjang (national ones: one in the country)."""

    def __call__(self, form, field):
        from sqlalchemy import func

        from app.models import Jabatan

        nama = (field.data or "").strip()
        field.data = nama
        instansi = form.instansi.data if "instansi" in form else None
        jenjang = ((form.jenjang.data if "jenjang" in form else "") or "").strip()
        query = select(Jabatan.id).where(
            func.lower(Jabatan.nama) == nama.lower(),
            func.lower(func.coalesce(Jabatan.jenjang, "")) == jenjang.lower(),
            Jabatan.instansi_id.is_(None) if instansi is None else Jabatan.instansi_id == instansi.id,
        )
        owner = db.session.execute(query).scalar()
        if owner is not None and owner != _editing_pk():
            raise ValidationError(_l("This position already exists with the same level."))


def select_choices(pairs) -> list:
    """WTForms 3.3 wants SelectChoice objects instead of (value, label) tuples."""
    from wtforms.fields import SelectChoice

    return [SelectChoice(value, label) for value, label in pairs]
