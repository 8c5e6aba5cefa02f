"""The base of every Penkom CRUD view: the scope module on rows *and* on every related-field
choice (search filters, add and edit forms), writes refused on rows the user may only read, and
deletes refused while other records still point at the row."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect
from flask_appbuilder import ModelView
from flask_babel import lazy_gettext as _l

from app import bounds, scope
from app.delete_guard import refuse_if_referenced
from app.extensions import db
from app.search_choices import LazySearchChoices


class ScopedModelView(LazySearchChoices, ModelView):
    """A FAB ModelView whose every row query goes through `app.scope`.

    Subclasses declare their own `base_filters` (e.g. "my tasks"); the scope filter is always
    added in front. `rel_field_filters` adds filters to one relation's choices (e.g. a step's
    actors: only those of the step's own SOP). Relation filters of the search form load their (scoped)
    options only when opened (app/search_choices.py)."""

    rel_field_filters: dict[str, list] = {}
    refused_write_message = _l("This record is shared reference data; only an administrator can change it.")

    def __init__(self, **kwargs):
        cls = type(self)
        self.base_filters = [scope.scope_filter(), *(cls.base_filters or [])]
        relations = self._scoped_relations()
        self.search_form_query_rel_fields = relations
        self.add_form_query_rel_fields = relations
        self.edit_form_query_rel_fields = relations
        super().__init__(**kwargs)

    def _init_forms(self):
        super()._init_forms()
        for form in (self.add_form, self.edit_form):
            bounds.bound_integer_fields(form)

    def _scoped_relations(self) -> dict[str, list]:
        """Every relation of the model, with the scope of the related model (and any extra filter)."""
        result = {}
        for name in self.datamodel.get_columns_list():
            if not self.datamodel.is_relation(name):
                continue
            model = self.datamodel.get_related_model(name)
            scope.where_rule(model)  # raises UnscopedModel at start-up if the model has no rule
            result[name] = [scope.scope_filter(), *self.rel_field_filters.get(name, [])]
        return result

    # -- writes --------------------------------------------------------------------------------

    def _refused_write(self, pk) -> bool:
        """True (and a message) when the row is visible but not the user's to change."""
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            abort(404)
        if scope.writable(item):
            return False
        flash(self.refused_write_message, "warning")
        return True

    def _edit(self, pk):
        # None makes FAB redirect back, with the message above.
        return None if self._refused_write(pk) else super()._edit(pk)

    def _delete(self, pk):
        return None if self._refused_write(pk) else super()._delete(pk)

    def pre_delete(self, item):
        """Refuse a delete that would leave other records pointing at nothing."""
        refuse_if_referenced(item, self.extra_references(item))

    def extra_references(self, item) -> list[tuple[str, int]]:
        """References by code rather than foreign key (views override); (label, count) pairs."""
        return []


def attempt(fn, done) -> tuple[bool, object]:
    """One state change asked for from a page: `fn()` runs the area's operation. A refusal (any
    `TransitionError`: the engine's and every area's) is rolled back and shown as the user's message;
    a row out of the caller's scope answers 404. On success `done` (a message, or a function of the
    operation's result) is shown. Returns (done, result)."""
    from app.workflow.engine import TransitionError

    try:
        result = fn()
    except TransitionError as exc:
        db.session.rollback()
        if exc.status == 404:
            abort(404)
        flash(str(exc), "danger")
        return False, None
    flash(done(result) if callable(done) else done, "success")
    return True, result


def form_page(view, form, run, done, to, *, template: str = "penilaian/form.html", **page):
    """A page with one form that asks for one state change (the add and edit pages of records): a valid post
    runs `run()` through `attempt` and, once done, goes to `to(result)`; otherwise, or after a refusal, the
    form is shown again (`template`, with `form` and `page`: its title, fields, submit label, back link)."""
    if form.validate_on_submit():
        ok, result = attempt(run, done)
        if ok:
            return redirect(to(result))
    return view.render_template(template, form=form, **page)


def form_date(value) -> dt.date | None:
    """A date typed into a form (YYYY-MM-DD); None when it is empty or not a date."""
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def agency_unless_admin(item):
    """For a `pre_add`/`pre_update` of reference data an agency may keep: a row without an agency is
    national, and only administrators keep those."""
    if (
        getattr(item, "instansi_id", None) is None
        and getattr(item, "instansi", None) is None
        and not scope.reach().admin
    ):
        raise ValueError(_l("Choose your agency; national reference data is kept by administrators."))
