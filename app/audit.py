"""Audit trail: every create, update and delete of an audited row, field by field.

What is recorded, in the same transaction as the change (table `audit_log`): who (user id and
username of the request's user, or "system/CLI"), when, the table, row id and a readable label
of the row, the action, and old -> new per changed field. A many-to-one field is recorded as the
related row's label, a many-to-many field as the sorted list of labels; a secret field (the
password hash) only as "changed", never its value.

Opting in is one line: decorate the model with `@audited(title=_l("..."))`; FAB's own classes
are registered the same way (`audited(title=...)(Role)`).

How it records:
- mapper events (`after_insert`, `before_update`, `before_delete`) see every row a Session
  flush writes, including cascaded deletes, delete-orphans and many-to-many collections;
- the Session's `do_orm_execute` event sees ORM bulk statements: `session.execute(update(M)...)`,
  `delete(M)`, `insert(M)` with rows, and the legacy `Query.update()/delete()`;
- changes are collected per transaction and merged per row (a form save that autoflushes
  half-way is one entry), then written in `before_commit`, inside the same transaction; a
  transaction that is rolled back or closed without commit leaves no entry.
Not recorded: Core statements on tables (`text(...)`, `Table.update()`) and the legacy
`Session.bulk_*_mappings()` methods, which bypass the ORM events; Penkom uses neither.

Why this and not SQLAlchemy-Continuum 2.0.0 (tried on this app with FAB 5.3.0,
SQLAlchemy 2.0.58 and Flask-SQLAlchemy 3.1.1):
- FAB's association tables carry their own `id` primary key; Continuum's `ab_user_role_version`
  copies it as NOT NULL and inserts no value, so `sm.add_user()` failed with
  "NOT NULL constraint failed: ab_user_role_version.id";
- FAB's `Role`/`PermissionView` are mapped before `make_versioned()` runs, so they could only be
  versioned by subclassing them into the security manager;
- ORM bulk UPDATE is not versioned (no version row after `session.execute(update(Pegawai))`),
  a change of an excluded column (the password hash) leaves no trace at all, and its default
  "validity" strategy UPDATEs earlier version rows, which an append-only table must refuse;
- it adds one shadow table per model plus `transaction`, while administrators need one list
  filtered by table, action, user, date and row id, with the old and new value of each field.
What we would use from it, old/new values from SQLAlchemy's attribute history, is the public
API this module uses directly.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import g, has_request_context, request
from flask_appbuilder import Model
from sqlalchemy import JSON, DateTime, Integer, String, event, select
from sqlalchemy.orm import Mapped, Mapper, ORMExecuteState, Session, mapped_column
from sqlalchemy.orm.interfaces import MANYTOMANY, MANYTOONE

log = logging.getLogger(__name__)


# -- the trail's table (the models decorate themselves with @audited: this module imports none of them) ----


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class AuditLog(Model):
    """Who changed which row, when, and each field's old and new value.

    The database refuses UPDATE and DELETE on this table (triggers made by the migration), so
    rows can only be added. `user_id` has no foreign key on purpose: the trail outlives deleted
    accounts, and an ON DELETE rule would have to change rows the triggers protect.
    `perubahan` maps each field to `[old, new]`; a many-to-many field to `{"removed": [...],
    "added": [...]}` (labels); a secret field (password) to null: it changed, and its values
    are not recorded.
    """

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    waktu: Mapped[dt.datetime] = mapped_column(DateTime, default=_utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    username: Mapped[str] = mapped_column(String(128), index=True)
    alamat_ip: Mapped[str | None] = mapped_column(String(64), default="")
    tabel: Mapped[str] = mapped_column(String(64), index=True)
    row_id: Mapped[int] = mapped_column(Integer, index=True)
    label: Mapped[str] = mapped_column(String(300), default="")
    aksi: Mapped[str] = mapped_column(String(10), index=True)
    perubahan: Mapped[dict] = mapped_column(JSON, default=dict)

    def __str__(self) -> str:
        return f"{self.aksi} {self.tabel} #{self.row_id}"


SYSTEM = "system/CLI"
CREATE, UPDATE, DELETE = "create", "update", "delete"
LABEL_LENGTH = 300


@dataclass(frozen=True)
class Field:
    """One recorded field: a column, a many-to-one reference (through its key column) or a
    many-to-many collection."""

    key: str
    kind: str  # "column" | "ref" | "many"
    column: str = ""  # the foreign-key attribute of a "ref"
    target: type | None = None


@dataclass
class AuditSpec:
    title: Any
    exclude: frozenset[str]
    secret: frozenset[str]
    describe: Callable[[Any], str]
    fields: dict[Mapper, list[Field]] = field(default_factory=dict)


_REGISTRY: dict[type, AuditSpec] = {}


def audited(cls: type | None = None, *, title: Any = None, exclude=(), secret=(), describe=None):
    """Class decorator: record every create, update and delete of this model in the audit trail.

    `exclude` names attributes that are not recorded (noise such as login counters), `secret`
    those recorded only as "changed" (password hashes), `describe` makes the row's readable
    label (default `str(row)`)."""

    def register(model: type) -> type:
        _REGISTRY[model] = AuditSpec(title or model.__name__, frozenset(exclude), frozenset(secret), describe or str)
        event.listen(model, "after_insert", _after_insert, propagate=True)
        event.listen(model, "before_update", _before_update, propagate=True)
        event.listen(model, "before_delete", _before_delete, propagate=True)
        return model

    return register(cls) if cls is not None else register


def spec_for(model: type) -> AuditSpec | None:
    return next((_REGISTRY[k] for k in model.__mro__ if k in _REGISTRY), None)


def audited_tables() -> dict[str, Any]:
    """Table name -> display title of every audited model."""
    return {sa.inspect(model).local_table.name: spec.title for model, spec in _REGISTRY.items()}


def model_for_table(table: str) -> type | None:
    return next((m for m in _REGISTRY if sa.inspect(m).local_table.name == table), None)


def fields_of(mapper: Mapper) -> list[Field]:
    """The recorded fields of a mapped class, in column order, many-to-many fields last."""
    spec = spec_for(mapper.class_)
    if mapper not in spec.fields:
        refs: dict[str, Field] = {}
        many: list[Field] = []
        for rel in mapper.relationships:
            if rel.key in spec.exclude or rel.viewonly:
                continue
            if rel.direction is MANYTOONE and len(rel.local_columns) == 1:
                column = mapper.get_property_by_column(next(iter(rel.local_columns))).key
                refs.setdefault(column, Field(rel.key, "ref", column, rel.mapper.class_))
            elif rel.direction is MANYTOMANY:
                many.append(Field(rel.key, "many", target=rel.mapper.class_))
        result = []
        for attr in mapper.column_attrs:
            # `versi` is the claim's bookkeeping (app/konkurensi.py), not a change anyone made.
            if attr.key in spec.exclude or attr.key == "versi" or any(c.primary_key for c in attr.columns):
                continue
            ref = refs.get(attr.key)
            if ref is None:
                result.append(Field(attr.key, "column"))
            elif ref.key not in spec.exclude:
                result.append(ref)
        spec.fields[mapper] = result + many
    return spec.fields[mapper]


# -- values ------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """A JSON-safe form of a column value."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(value)} bytes>"
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return str(value)


def describe(obj: Any) -> str | None:
    if obj is None:
        return None
    spec = spec_for(type(obj))
    return str(spec.describe(obj) if spec else obj)[:LABEL_LENGTH]


def _ref_label(session: Session, target: type, ident: Any) -> str | None:
    if ident is None:
        return None
    obj = session.get(target, ident)
    return describe(obj) if obj is not None else f"#{ident}"


def _labels(items) -> list[str]:
    return sorted(describe(item) for item in items if item is not None)


def _delta(old: list[str], new: list[str]) -> dict[str, list[str]]:
    """A many-to-many change as the labels removed and added (a role has hundreds of permissions)."""
    removed, added = sorted(set(old) - set(new)), sorted(set(new) - set(old))
    return {k: v for k, v in (("removed", removed), ("added", added)) if v}


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


# -- who ---------------------------------------------------------------------------------


def _actor() -> tuple[int | None, str, str]:
    """(user id, username, address) of the request's user; "system/CLI" without one."""
    if not has_request_context():
        return None, SYSTEM, ""
    cached = g.get("_penkom_audit_actor")
    if cached:
        return cached
    address = (request.remote_addr or "")[:64]
    user = g.get("user")
    if user is None or not getattr(user, "is_authenticated", False) or getattr(user, "id", None) is None:
        return None, SYSTEM, address
    g._penkom_audit_actor = (user.id, user.username, address)
    return g._penkom_audit_actor


@dataclass
class Entry:
    """A pending audit row; the changes of one transaction to one row are merged into one entry."""

    tabel: str
    row_id: Any
    label: str
    aksi: str
    changes: dict
    actor: tuple[int | None, str, str]


def _merge_many(first: dict, then: dict) -> dict:
    r1, a1 = set(first.get("removed", [])), set(first.get("added", []))
    r2, a2 = set(then.get("removed", [])), set(then.get("added", []))
    return _delta(sorted((r1 - a2) | (r2 - a1)), sorted((a1 - r2) | (a2 - r1)))


def _merge(entry: Entry, aksi: str, changes: dict, label: str) -> bool:
    """Fold a later change of the same row into its pending entry; False: nothing is left to record."""
    entry.label = label or entry.label
    if aksi == DELETE:
        if entry.aksi == CREATE:
            return False  # created and deleted in one transaction: nothing reached the database
        entry.changes = _deleted_after_update(entry.changes, changes)
        entry.aksi = DELETE
        return True
    merged = dict(entry.changes)
    for key, change in changes.items():
        before = merged.get(key)
        if before is None or change is None:
            merged[key] = change
        elif isinstance(change, dict):
            merged[key] = _merge_many(before, change)
        else:
            merged[key] = [before[0], change[1]]
        value = merged[key]
        unchanged = isinstance(value, list) and (value[0] == value[1] or (entry.aksi == CREATE and _empty(value[1])))
        if value == {} or unchanged:
            del merged[key]
    entry.changes = merged
    return True


def _deleted_after_update(updated: dict, deleted: dict) -> dict:
    """A row changed and then deleted in one transaction: record the values it had before."""
    result = dict(deleted)
    for key, change in updated.items():
        now = deleted.get(key)
        if isinstance(change, dict):
            members = set((now or {}).get("removed", [])) | set(change.get("removed", []))
            result[key] = _delta(sorted(members - set(change.get("added", []))), [])
        elif change is not None:
            result[key] = [change[0], None]
        if result[key] in ({}, [None, None]):
            del result[key]
    return result


def _record(session: Session, mapper: Mapper, row_id: Any, label: str | None, aksi: str, changes: dict) -> None:
    """Add a change to the session's pending entries; they are written when the transaction commits."""
    if aksi == UPDATE and not changes:
        return
    pending: dict[tuple[str, Any], Entry] = session.info.setdefault("penkom_audit", {})
    key = (mapper.local_table.name, row_id)
    entry = pending.get(key)
    if entry is not None and entry.aksi != DELETE:
        if not _merge(entry, aksi, changes, label or ""):
            del pending[key]
        return
    if entry is not None:  # deleted, then a new row with the same id: keep both
        pending[(*key, len(pending))] = pending.pop(key)
    pending[key] = Entry(key[0], row_id, label or "", aksi, changes, _actor())


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    """Flush what is left, then write one audit row per changed row, in the same transaction."""
    session.flush()
    pending = session.info.pop("penkom_audit", None)
    if not pending:
        return
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows = [
        {"waktu": now, "user_id": e.actor[0], "username": e.actor[1][:128], "alamat_ip": e.actor[2],
         "tabel": e.tabel, "row_id": e.row_id, "label": e.label[:LABEL_LENGTH], "aksi": e.aksi, "perubahan": e.changes}
        for e in pending.values() if e.aksi != UPDATE or e.changes
    ]  # fmt: skip
    if rows:
        session.connection().execute(AuditLog.__table__.insert(), rows)


@event.listens_for(Session, "after_transaction_end")
def _discard_pending(session: Session, transaction) -> None:
    """A transaction that ends without commit (rollback, close) leaves nothing in the trail."""
    if transaction.parent is None:
        session.info.pop("penkom_audit", None)


def _write(connection, mapper: Mapper, target: Any, aksi: str, changes: dict) -> None:
    ident = mapper.primary_key_from_instance(target)[0]
    _record(sa.inspect(target).session, mapper, ident, describe(target), aksi, changes)


def _entry(spec: AuditSpec, key: str, old: Any, new: Any) -> list | None:
    return None if key in spec.secret else [old, new]


# -- flush: mapper events ------------------------------------------------------------------


def _snapshot(session: Session, mapper: Mapper, obj: Any, with_many: bool = True) -> dict[str, Any]:
    """Current recorded values of a row (loads what is not loaded)."""
    values = {}
    for f in fields_of(mapper):
        if f.kind == "column":
            values[f.key] = plain(getattr(obj, f.key))
        elif f.kind == "ref":
            values[f.key] = _ref_label(session, f.target, getattr(obj, f.column))
        elif with_many:
            values[f.key] = _labels(getattr(obj, f.key))
    return values


def _after_insert(mapper: Mapper, connection, target: Any) -> None:
    state = sa.inspect(target)
    spec = spec_for(mapper.class_)
    changes = {}
    for f in fields_of(mapper):
        if f.kind == "column":
            new = plain(state.dict.get(f.key))
        elif f.kind == "ref":
            related = state.dict.get(f.key)
            new = (
                describe(related)
                if related is not None
                else _ref_label(state.session, f.target, state.dict.get(f.column))
            )
        else:
            new = _delta([], _labels(state.dict.get(f.key) or []))
        if f.kind == "many":
            if new:
                changes[f.key] = new
        elif not _empty(new):
            changes[f.key] = _entry(spec, f.key, None, new)
    _write(connection, mapper, target, CREATE, changes)


def _before_update(mapper: Mapper, connection, target: Any) -> None:
    state = sa.inspect(target)
    spec = spec_for(mapper.class_)
    session = state.session
    changes: dict[str, Any] = {}
    unknown_old: dict[str, Field] = {}  # changed columns whose old value was never loaded
    new_values: dict[str, Any] = {}
    for f in fields_of(mapper):
        if f.kind == "many":
            hist = state.attrs[f.key].history
            if hist.has_changes():
                # Unchanged members cancel out: only the removed and added ones need labels.
                delta = _delta(_labels(hist.deleted), _labels(hist.added))
                if delta:
                    changes[f.key] = delta
            continue
        key = f.column if f.kind == "ref" else f.key
        hist = state.attrs[key].history
        if not hist.has_changes():
            continue
        new = hist.added[0] if hist.added else None
        if not hist.deleted:
            unknown_old[key] = f
            new_values[key] = new
            continue
        old = hist.deleted[0]
        if f.kind == "ref":
            old, new = _ref_label(session, f.target, old), _ref_label(session, f.target, new)
        else:
            old, new = plain(old), plain(new)
        if old != new:
            changes[f.key] = _entry(spec, f.key, old, new)
    if unknown_old:
        # Assigned without being read first: the database still holds the old value (before UPDATE).
        columns = [mapper.get_property(key).columns[0] for key in unknown_old]
        pk = mapper.primary_key[0]
        row = connection.execute(select(*columns).where(pk == mapper.primary_key_from_instance(target)[0])).one()
        for (key, f), old in zip(unknown_old.items(), row, strict=True):
            new = new_values[key]
            if f.kind == "ref":
                old, new = _ref_label(session, f.target, old), _ref_label(session, f.target, new)
            else:
                old, new = plain(old), plain(new)
            if old != new:
                changes[f.key] = _entry(spec, f.key, old, new)
    ordered = {f.key: changes[f.key] for f in fields_of(mapper) if f.key in changes}
    _write(connection, mapper, target, UPDATE, ordered)


def _before_delete(mapper: Mapper, connection, target: Any) -> None:
    spec = spec_for(mapper.class_)
    values = _snapshot(sa.inspect(target).session, mapper, target)
    many = {f.key for f in fields_of(mapper) if f.kind == "many"}
    changes = {k: _delta(v, []) if k in many else _entry(spec, k, v, None) for k, v in values.items() if not _empty(v)}
    _write(connection, mapper, target, DELETE, changes)


# -- ORM bulk statements -------------------------------------------------------------------


@event.listens_for(Session, "do_orm_execute")
def _bulk(state: ORMExecuteState):
    """Record ORM bulk INSERT/UPDATE/DELETE on audited models, which skip the mapper events."""
    if not (state.is_update or state.is_delete or state.is_insert):
        return None
    mapper = state.bind_mapper
    if mapper is None or spec_for(mapper.class_) is None:
        return None
    if state.is_insert:
        return _bulk_insert(state, mapper)
    session, model, pk = state.session, mapper.class_, mapper.primary_key[0]
    params = state.parameters
    if isinstance(params, list) and params and pk.key in params[0]:  # bulk UPDATE by primary key
        query = select(model).where(pk.in_([p[pk.key] for p in params]))
    else:
        query = select(model)
        if state.statement.whereclause is not None:
            query = query.where(state.statement.whereclause)
    refresh = {"populate_existing": True}
    rows = session.execute(query.execution_options(**refresh)).scalars().all()
    before = {mapper.primary_key_from_instance(o)[0]: (describe(o), _snapshot(session, mapper, o, False)) for o in rows}
    result = state.invoke_statement()
    spec = spec_for(model)
    if state.is_delete:
        for ident, (label, values) in before.items():
            changes = {k: _entry(spec, k, v, None) for k, v in values.items() if not _empty(v)}
            _record(session, mapper, ident, label, DELETE, changes)
        return result
    after = session.execute(select(model).where(pk.in_(list(before))).execution_options(**refresh)).scalars()
    for obj in after:
        ident = mapper.primary_key_from_instance(obj)[0]
        old = before[ident][1]
        new = _snapshot(session, mapper, obj, False)
        changes = {k: _entry(spec, k, old[k], new[k]) for k in new if old[k] != new[k]}
        if changes:
            _record(session, mapper, ident, describe(obj), UPDATE, changes)
    return result


def _bulk_insert(state: ORMExecuteState, mapper: Mapper):
    statement = state.statement
    if getattr(statement, "_returning", ()):
        log.warning("ORM bulk INSERT with its own RETURNING on %s is not in the audit trail", mapper.class_.__name__)
        return None
    frozen = state.invoke_statement(statement=statement.returning(*mapper.primary_key)).freeze()
    idents = [row[0] for row in frozen.data]
    session, spec = state.session, spec_for(mapper.class_)
    pk = mapper.primary_key[0]
    for obj in session.execute(select(mapper.class_).where(pk.in_(idents))).scalars():
        values = _snapshot(session, mapper, obj, False)
        changes = {k: _entry(spec, k, None, v) for k, v in values.items() if not _empty(v)}
        _record(session, mapper, mapper.primary_key_from_instance(obj)[0], describe(obj), CREATE, changes)
    return frozen()
