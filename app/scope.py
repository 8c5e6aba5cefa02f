"""Row scope: who may see which rows. Used by every list, show page, action, download and API.

Administrators see everything; everyone else sees the rows of their own unit kerja and
of all units below it. A user without a unit sees nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app, g, has_request_context
from flask_appbuilder.models.filters import BaseFilter
from sqlalchemy import select

from app.extensions import db
from app.models import UnitKerja

NO_UNIT = -1  # sentinel: an empty IN () list must still match nothing


def is_admin(user) -> bool:
    admin = current_app.config["AUTH_ROLE_ADMIN"]
    return any(role.name == admin for role in getattr(user, "roles", []) or [])


def descendant_unit_ids(root_ids: Iterable[int]) -> set[int]:
    """The given units and every unit below them in the tree."""
    rows = db.session.execute(select(UnitKerja.id, UnitKerja.induk_id)).all()
    children: dict[int | None, list[int]] = {}
    for unit_id, parent_id in rows:
        children.setdefault(parent_id, []).append(unit_id)
    result: set[int] = set()
    stack = [i for i in root_ids if i is not None]
    while stack:
        unit_id = stack.pop()
        if unit_id in result:
            continue
        result.add(unit_id)
        stack.extend(children.get(unit_id, []))
    return result


def allowed_unit_ids(user=None) -> set[int] | None:
    """None means "all units" (administrator); otherwise the set of visible unit ids."""
    if user is None:
        user = getattr(g, "user", None) if has_request_context() else None
    if user is None or not getattr(user, "is_authenticated", False):
        return {NO_UNIT}
    if is_admin(user):
        return None
    cache = g.setdefault("_penkom_scope", {}) if has_request_context() else {}
    if user.id not in cache:
        unit_id = user.unit_kerja_id or (user.pegawai.unit_kerja_id if user.pegawai else None)
        cache[user.id] = descendant_unit_ids([unit_id]) if unit_id else {NO_UNIT}
    return cache[user.id]


def can_see_unit(unit_id: int | None, user=None) -> bool:
    allowed = allowed_unit_ids(user)
    return allowed is None or unit_id in allowed


class UnitScopeFilter(BaseFilter):
    """FAB base filter: restrict a query to the caller's units (column = unit foreign key)."""

    name = "Unit scope"
    arg_name = "unit_scope"

    def apply(self, query, value):
        allowed = allowed_unit_ids()
        if allowed is None:
            return query
        column = getattr(self.model, self.column_name)
        return query.filter(column.in_(sorted(allowed)))


def scope_filter(column: str = "unit_kerja_id") -> list:
    """A `base_filters` entry that applies the caller's unit scope on `column`."""
    return [column, UnitScopeFilter, lambda: None]


class ViaSopScopeFilter(BaseFilter):
    """Scope for rows that belong to an SOP (actors, steps, cases' children): via the SOP's unit."""

    name = "SOP scope"
    arg_name = "sop_scope"

    def apply(self, query, value):
        from app.models import Sop

        allowed = allowed_unit_ids()
        if allowed is None:
            return query
        sops = select(Sop.id).where(Sop.unit_kerja_id.in_(sorted(allowed)))
        return query.filter(getattr(self.model, self.column_name).in_(sops))


def sop_scope_filter(column: str = "sop_id") -> list:
    return [column, ViaSopScopeFilter, lambda: None]


def scoped_sops(user=None):
    """Query of the SOP revisions the caller may see (by the SOP's unit)."""
    from app.models import Sop

    allowed = allowed_unit_ids(user)
    query = select(Sop)
    return query if allowed is None else query.where(Sop.unit_kerja_id.in_(sorted(allowed)))
