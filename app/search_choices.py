"""Relation drop-downs of a list's search form, filled only when the user opens them.

FAB renders every search filter into each list page, so a relation filter (SOP, unit, rank...)
loads its whole related table, twice (a count and the rows), on every list request, whether or
not anyone filters. `LazySearchChoices` renders those drop-downs empty; the browser asks
`/<view>/choices/<column>` for the options when the user opens one (static/js/penkom-pilihan.js). The
options come from the very form field FAB would have rendered, so whatever restricts them (the
view's `search_form_query_rel_fields`, i.e. the row scope) restricts the endpoint too. Only the
values of an active filter are rendered with the page, so the chosen value stays shown.
"""

from __future__ import annotations

import re

from flask import abort, jsonify, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.fields import QuerySelectField, QuerySelectMultipleField
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from markupsafe import Markup, escape
from wtforms.widgets import html_params

MAX_CHOICES = 200


def _active_values(name: str) -> set[str]:
    """Values of the active search filters on this column (`_flt_<op>_<name>=<pk>`)."""
    pattern = re.compile(rf"^_flt_\d+_{re.escape(name)}$")
    return {value for key in request.args if pattern.match(key) for value in request.args.getlist(key)}


def _choices(field) -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label, *_ in field.iter_choices() if value != "__None"]


class LazySelectWidget:
    """An empty select2 box that loads its options from the view's choices endpoint when opened."""

    def __init__(self, view, multiple: bool = False):
        self.view = view
        self.multiple = multiple

    def __call__(self, field, **kwargs):
        active = _active_values(field.name)
        # Without an active filter on this column nothing is queried; with one, its label is shown.
        options = [(v, label) for v, label in _choices(field) if v in active] if active else []
        attrs = {
            "id": field.id,
            "name": field.name,
            "class": "form-control penkom-lazy-select",
            "data-url": url_for(f"{self.view.endpoint}.choices", col=field.name),
            "data-placeholder": _("Select Value"),
        }
        if self.multiple:
            attrs["multiple"] = True
        items = "".join(f'<option value="{escape(v)}">{escape(label)}</option>' for v, label in options)
        return Markup(f"<select {html_params(**attrs)}>{items}</select>")


class LazySearchChoices:
    """Mixin for ModelViews: relation filters of the search form load their options on demand."""

    def _init_forms(self):
        super()._init_forms()
        lazy = False
        for col in self.search_columns:
            unbound = getattr(self.search_form, col, None)
            if unbound is not None and unbound.field_class in (QuerySelectField, QuerySelectMultipleField):
                multiple = unbound.field_class is QuerySelectMultipleField
                unbound.kwargs["widget"] = LazySelectWidget(self, multiple)
                lazy = True
        if not lazy:  # nothing to load: no /choices/ route for this view (its blueprint is made later)
            self.exclude_route_methods = frozenset(self.exclude_route_methods) | {"choices"}

    @expose("/choices/<col>")
    @has_access
    @permission_name("list")
    def choices(self, col):
        """Options of one relation filter as select2 results, narrowed by the typed text."""
        form = self.search_form.refresh()
        if col not in self.search_columns or col not in form or not isinstance(form[col].widget, LazySelectWidget):
            abort(404)
        field = form[col]
        term = (request.args.get("q") or "").strip().lower()
        found = [{"id": v, "text": label} for v, label in _choices(field) if term in label.lower()]
        return jsonify({"results": found[:MAX_CHOICES], "pagination": {"more": len(found) > MAX_CHOICES}})
