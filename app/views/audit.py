"""The audit trail, read-only, for administrators (recording is in app/audit.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import abort, current_app
from flask_appbuilder import ModelView, expose, has_access
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect
from wtforms import SelectField
from wtforms.fields import SelectChoice

from app import audit
from app.formatting import tanggal, tanggal_waktu
from app.models import AuditLog
from app.validators import select_choices
from app.views.base import ScopedModelView

AKSI_LABELS = {audit.CREATE: _l("created"), audit.UPDATE: _l("changed"), audit.DELETE: _l("deleted")}


def aksi_label(value: str) -> str:
    return str(AKSI_LABELS.get(value, value))


def tabel_label(value: str) -> str:
    return str(audit.audited_tables().get(value, value))


def user_label(value: str) -> str:
    return _("system/CLI") if value == audit.SYSTEM else value


@dataclass
class Row:
    """One line of the before/after table."""

    label: str
    before: list[Any]
    after: list[Any]
    note: str = ""


def _model_view(model: type) -> ModelView | None:
    """The app's ModelView of this model: its labels and formatters describe the fields."""
    for view in current_app.appbuilder.baseviews:
        if isinstance(view, ModelView) and getattr(view.datamodel, "obj", None) is model:
            return view
    return None


class _Display:
    """Field labels and values as the model's own screens show them."""

    def __init__(self, model: type | None):
        self.view = _model_view(model) if model else None
        self.columns = inspect(model).columns if model else {}

    def label(self, key: str) -> str:
        labels = self.view.label_columns if self.view else {}
        return str(labels.get(key) or key.replace("_", " ").capitalize())

    def _choices(self, key: str) -> dict:
        fields = (self.view.edit_form_extra_fields or {}) if self.view else {}
        field = fields.get(key)
        if field is None or field.field_class is not SelectField:
            return {}
        choices = field.kwargs.get("choices", [])
        return {c.value: c.label for c in choices} if all(isinstance(c, SelectChoice) for c in choices) else {}

    def value(self, key: str, value: Any) -> Any:
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        column = self.columns.get(key)
        python_type = _python_type(column)
        if python_type is dt.datetime and isinstance(value, str):
            return tanggal_waktu(dt.datetime.fromisoformat(value))
        if python_type is dt.date and isinstance(value, str):
            return tanggal(dt.date.fromisoformat(value))
        if isinstance(value, list | dict):
            return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        choices = self._choices(key)
        if value in choices:
            return str(choices[value])
        # The screens' formatters take column values (a reference is already stored as its label).
        formatter = (self.view.formatters_columns or {}).get(key) if self.view and column is not None else None
        if formatter is not None:
            try:
                return formatter(value)
            except (ValueError, KeyError, TypeError):
                return value
        return value


def _python_type(column) -> type | None:
    if column is None:
        return None
    try:
        return column.type.python_type
    except NotImplementedError:
        return None


def readable_changes(entry: AuditLog) -> list[Row]:
    """The before/after table of one audit entry, with the model's field labels and value formats."""
    display = _Display(audit.model_for_table(entry.tabel))
    rows = []
    for key, change in (entry.perubahan or {}).items():
        label = display.label(key)
        if change is None:
            note = {audit.CREATE: _("set (value not recorded)"), audit.DELETE: _("removed (value not recorded)")}
            rows.append(Row(label, [], [], note.get(entry.aksi, _("changed (value not recorded)"))))
        elif isinstance(change, dict):  # many-to-many: members removed and added
            rows.append(Row(label, [f"− {x}" for x in change.get("removed", [])],
                            [f"+ {x}" for x in change.get("added", [])]))  # fmt: skip
        else:
            old, new = change
            rows.append(Row(label, [display.value(key, old)], [display.value(key, new)]))
    return rows


class AuditLogView(ScopedModelView):
    """Who created, changed or deleted which row; read-only (the database refuses changes too)."""

    datamodel = SQLAInterface(AuditLog)
    base_permissions = ["can_list", "can_show"]
    list_title = _l("Audit Trail")
    show_title = _l("Audit Entry")
    show_template = "audit/show.html"
    list_columns = ["waktu", "username", "aksi", "tabel", "row_id", "label"]
    show_columns = ["waktu", "username", "user_id", "alamat_ip", "aksi", "tabel", "row_id", "label"]
    search_columns = ["tabel", "aksi", "username", "user_id", "waktu", "row_id"]
    order_columns = ["waktu", "username", "aksi", "tabel", "row_id"]
    base_order = ("id", "desc")
    page_size = 50
    label_columns = {
        "waktu": _l("Time"), "username": _l("User"), "user_id": _l("User ID"), "alamat_ip": _l("IP address"),
        "aksi": _l("Action"), "tabel": _l("Data"), "row_id": _l("Row ID"), "label": _l("Row"),
    }  # fmt: skip
    formatters_columns = {
        "waktu": tanggal_waktu, "aksi": aksi_label, "tabel": tabel_label, "username": user_label,
        "user_id": lambda v: "—" if v is None else v, "alamat_ip": lambda v: v or "—",
    }  # fmt: skip
    search_form_extra_fields = {
        "tabel": SelectField(_l("Data"), choices=select_choices(sorted(audit.audited_tables().items()))),
        "aksi": SelectField(_l("Action"), choices=select_choices(AKSI_LABELS.items())),
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # A chosen table or action means exactly that one ("sop" must not also match "sop_langkah").
        for filters in (self._filters._search_filters, self._filters._all_filters):  # the widget's and the URL's
            for column in ("tabel", "aksi"):
                filters[column] = [f for f in filters[column] if isinstance(f, FilterEqual)]

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        entry = self.datamodel.get(pk, self._base_filters)
        if entry is None:
            abort(404)
        return self.render_template(
            self.show_template, pk=pk, title=self.show_title, widgets=self._show(pk),
            related_views=self._related_views, changes=readable_changes(entry),
        )  # fmt: skip
