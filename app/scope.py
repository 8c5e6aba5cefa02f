"""Row scope: who may see which rows. The one place that decides it.

Every list, show page, filter drop-down, form choice, action, export, download and API call
asks this module for the WHERE clause of the model it shows (`where(Model, user)`), through
`ScopeFilter` (FAB base filters and related-field choices) or directly in services.

- Administrators see everything.
- Staff see the rows of their unit kerja and of every unit below it; agency-wide reference
  rows (positions, numbering patterns, days off) of the agencies those units belong to; and
  national reference data (ranks, archive codes, national positions).
- Holders of "own records only" roles (people outside the agency, such as the applicant of a
  transfer, `LingkupPeran`) see the cases they started, those cases' files, and the signed
  documents of those cases — nothing else. They still read the SOPs of their unit, to start one.
- A user without a unit sees nothing.

A model without a rule here cannot be shown by a Penkom view: `where()` raises, so a new view
that forgets scope fails at start-up and in the route × role matrix test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import current_app, g, has_request_context
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.security.sqla.models import Role
from sqlalchemy import false, or_, select
from sqlalchemy.sql.elements import ColumnElement

from app.extensions import db
from app.models import (
    AuditLog,
    EvaluasiSop,
    HariLibur,
    Instansi,
    Jabatan,
    Kasus,
    KasusPetugas,
    KasusRiwayat,
    KlasifikasiArsip,
    Lampiran,
    Langkah,
    LingkupPeran,
    LoginLog,
    NaskahDinas,
    NaskahPemeriksa,
    NaskahRiwayat,
    Pangkat,
    Pegawai,
    Pelaksana,
    PenkomUser,
    PolaNomor,
    Sop,
    TemplateNaskah,
    UnitKerja,
)
from app.models.naskah import FINAL

NO_UNIT = -1  # sentinel kept for callers that need "a set that matches nothing"
SENDIRI = "sendiri"


class UnscopedModel(LookupError):
    """A view or service asked for rows of a model that has no scope rule."""


@dataclass(frozen=True)
class Reach:
    """What one user may see. `units` None means every unit (administrator)."""

    user_id: int | None
    units: frozenset[int] | None  # units whose records the user sees
    agencies: frozenset[int] | None  # agencies of those units (reference data per agency)
    sop_units: frozenset[int] | None  # units whose SOPs the user may read and start
    own_records: bool  # sees the cases they started (outside parties)

    @property
    def admin(self) -> bool:
        return self.units is None


NOBODY = Reach(None, frozenset(), frozenset(), frozenset(), False)


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


def own_records_role_ids() -> set[int]:
    """Roles whose holders see only their own records."""
    return set(db.session.execute(select(LingkupPeran.role_id).where(LingkupPeran.lingkup == SENDIRI)).scalars())


def _current_user():
    user = getattr(g, "user", None) if has_request_context() else None
    return user


def reach(user=None) -> Reach:
    """The user's reach, computed once per request."""
    if user is None:
        user = _current_user()
    if user is None or not getattr(user, "is_authenticated", False):
        return NOBODY
    cache = g.setdefault("_penkom_reach", {}) if has_request_context() else {}
    if user.id in cache:
        return cache[user.id]
    if is_admin(user):
        result = Reach(user.id, None, None, None, False)
    else:
        unit_id = user.unit_kerja_id or (user.pegawai.unit_kerja_id if user.pegawai else None)
        subtree = frozenset(descendant_unit_ids([unit_id])) if unit_id else frozenset()
        role_ids = {role.id for role in user.roles}
        outside = own_records_role_ids()
        own_only = bool(role_ids) and role_ids <= outside
        units = frozenset() if own_only else subtree
        agencies = frozenset(
            db.session.execute(select(UnitKerja.instansi_id).where(UnitKerja.id.in_(sorted(units)))).scalars()
        ) if units else frozenset()  # fmt: skip
        result = Reach(user.id, units, agencies, subtree, own_only)
    cache[user.id] = result
    return result


def allowed_unit_ids(user=None) -> set[int] | None:
    """None means "all units" (administrator); otherwise the set of units whose records are visible."""
    r = reach(user)
    if r.admin:
        return None
    return set(r.units) or {NO_UNIT}


def can_see_unit(unit_id: int | None, user=None) -> bool:
    allowed = allowed_unit_ids(user)
    return allowed is None or unit_id in allowed


# -- the rules, one per model ------------------------------------------------------------------


def _in(column, ids: frozenset[int]) -> ColumnElement:
    return column.in_(sorted(ids)) if ids else false()


def _units(column) -> Callable[[Reach], ColumnElement | None]:
    return lambda r: None if r.admin else _in(column, r.units)


def _agency_or_national(column) -> Callable[[Reach], ColumnElement | None]:
    return lambda r: None if r.admin else or_(column.is_(None), _in(column, r.agencies))


def _agency(column) -> Callable[[Reach], ColumnElement | None]:
    return lambda r: None if r.admin else _in(column, r.agencies)


def _national(r: Reach) -> ColumnElement | None:
    return None


def _sop(r: Reach) -> ColumnElement | None:
    return None if r.admin else _in(Sop.unit_kerja_id, r.sop_units)


def _kasus(r: Reach) -> ColumnElement | None:
    if r.admin:
        return None
    clauses = [_in(Kasus.unit_kerja_id, r.units)] if r.units else []
    if r.own_records:
        clauses.append(Kasus.dibuat_oleh_id == r.user_id)
    return or_(*clauses) if clauses else false()


def _naskah(r: Reach) -> ColumnElement | None:
    if r.admin:
        return None
    clauses = [_in(NaskahDinas.unit_kerja_id, r.units)] if r.units else []
    if r.own_records:
        own_cases = select(Kasus.id).where(Kasus.dibuat_oleh_id == r.user_id)
        clauses.append(NaskahDinas.kasus_id.in_(own_cases) & NaskahDinas.status.in_(FINAL))
    return or_(*clauses) if clauses else false()


def _via(column, parent) -> Callable[[Reach], ColumnElement | None]:
    """Rows that belong to a scoped parent row (a case's files, an SOP's steps, ...)."""

    def rule(r: Reach) -> ColumnElement | None:
        parent_clause = RULES[parent](r)
        if parent_clause is None:
            return None
        return column.in_(select(parent.id).where(parent_clause))

    return rule


def _own_user(column) -> Callable[[Reach], ColumnElement | None]:
    return lambda r: None if r.admin else column == (r.user_id if r.user_id is not None else NO_UNIT)


RULES: dict[type, Callable[[Reach], ColumnElement | None]] = {
    # Master data
    UnitKerja: _units(UnitKerja.id),
    Pegawai: _units(Pegawai.unit_kerja_id),
    Instansi: lambda r: None if r.admin else _in(Instansi.id, r.agencies),
    Jabatan: _agency_or_national(Jabatan.instansi_id),
    Pangkat: _national,
    # SOPs and their calendar
    Sop: _sop,
    Pelaksana: _via(Pelaksana.sop_id, Sop),
    Langkah: _via(Langkah.sop_id, Sop),
    EvaluasiSop: _via(EvaluasiSop.sop_id, Sop),
    HariLibur: _agency_or_national(HariLibur.instansi_id),
    Role: _national,
    # Cases
    Kasus: _kasus,
    KasusRiwayat: _via(KasusRiwayat.kasus_id, Kasus),
    Lampiran: _via(Lampiran.kasus_id, Kasus),
    KasusPetugas: _via(KasusPetugas.kasus_id, Kasus),
    # Official documents and their reference data
    NaskahDinas: _naskah,
    NaskahPemeriksa: _via(NaskahPemeriksa.naskah_id, NaskahDinas),
    NaskahRiwayat: _via(NaskahRiwayat.naskah_id, NaskahDinas),
    TemplateNaskah: _national,
    KlasifikasiArsip: _national,
    PolaNomor: _agency(PolaNomor.instansi_id),
    # Accounts
    PenkomUser: _units(PenkomUser.unit_kerja_id),
    LoginLog: _own_user(LoginLog.user_id),
    LingkupPeran: _national,
    AuditLog: lambda r: None if r.admin else false(),  # administrators only
}


def register(model: type, rule: Callable[[Reach], ColumnElement | None]) -> None:
    """Areas add the rules of their own models (e.g. assessment records) at import time."""
    RULES[model] = rule


def where_rule(model: type) -> Callable[[Reach], ColumnElement | None]:
    """The rule of a model (or of its nearest mapped base); UnscopedModel if it has none."""
    for cls in getattr(model, "__mro__", (model,)):
        if cls in RULES:
            return RULES[cls]
    raise UnscopedModel(f"no scope rule for {getattr(model, '__name__', model)}")


def where(model: type, user=None) -> ColumnElement | None:
    """The WHERE clause that limits `model` to the user's rows; None when nothing is hidden."""
    return where_rule(model)(reach(user))


# Rows some may read but only some may change: agency reference data next to national rows.
WRITE_RULES: dict[type, Callable[[Reach, object], bool]] = {
    Jabatan: lambda r, item: r.admin or item.instansi_id in r.agencies,
    HariLibur: lambda r, item: r.admin or item.instansi_id in r.agencies,
    Pangkat: lambda r, item: r.admin,
    KlasifikasiArsip: lambda r, item: r.admin,
}


def writable(item, user=None) -> bool:
    """May the user change this (visible) row? Permissions decide the rest."""
    rule = WRITE_RULES.get(type(item))
    return True if rule is None else rule(reach(user), item)


def scoped(model: type, user=None):
    """`select(model)` limited to the user's rows."""
    query = select(model)
    clause = where(model, user)
    return query if clause is None else query.where(clause)


def get(model: type, pk, user=None):
    """One row by primary key through the scope; None when missing or not visible."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return db.session.execute(scoped(model, user).where(model.id == pk)).scalar()


def visible(model: type, user=None, ids: Iterable[int] | None = None) -> list:
    """Rows of `model` the user may see (optionally only these ids)."""
    query = scoped(model, user)
    if ids is not None:
        query = query.where(model.id.in_(list(ids)))
    return list(db.session.execute(query).scalars())


class ScopeFilter(BaseFilter):
    """FAB filter: the caller's scope on the filtered model (base filters and drop-down choices)."""

    name = "Scope"
    arg_name = "scope"

    def apply(self, query, value):
        clause = where(self.model)
        return query if clause is None else query.filter(clause)


def scope_filter() -> list:
    """A `base_filters` / `*_query_rel_fields` entry that applies the caller's scope."""
    return ["id", ScopeFilter, lambda: None]


def agency_people(instansi_id: int, user=None) -> list[Pegawai]:
    """Active civil servants of one agency, for choosing a signer, reviewer or assigned person.
    Agency-wide (a letter of a sub-unit is signed by the head of the agency), but only for an
    agency the user belongs to."""
    r = reach(user)
    if not r.admin and instansi_id not in (r.agencies or ()):
        return []
    query = (
        select(Pegawai).join(UnitKerja, Pegawai.unit_kerja_id == UnitKerja.id)
        .where(UnitKerja.instansi_id == instansi_id, Pegawai.aktif.isnot(False)).order_by(Pegawai.nama)
    )  # fmt: skip
    return list(db.session.execute(query).scalars())


def scoped_sops(user=None):
    """Query of the SOP revisions the caller may read (by the SOP's unit)."""
    return scoped(Sop, user)
