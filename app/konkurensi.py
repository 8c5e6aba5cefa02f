"""One way for every state change to take its row before it does anything: a conditional UPDATE on the
row's `versi`.

Ten clicks on "Tandatangani" are ten requests that each read the letter, each pass its checks and each
go on to number and sign it. So every state-changing operation first calls `claim(row, ...)`, before any
side effect (a letter number, a PDF, a notification, a new row):

    UPDATE <table> SET versi = versi + 1 WHERE id = :id AND versi = :seen

One row changed: the row is this transaction's until it commits. No row: someone else got there first,
the transaction is rolled back and the caller's error answers 409 with `CONFLICT`. This serialises on
both engines:
- PostgreSQL (READ COMMITTED): the second UPDATE waits for the first one's row lock, then re-reads the
  row, finds the new `versi` and matches nothing;
- SQLite: the driver begins a transaction at its first write, so the claim (each operation's first write)
  waits for the database's write lock (the busy timeout set in `create_app`), then sees the committed row.
A lock that is still not granted (SQLite's timeout, a PostgreSQL deadlock) is a lost race too: 409, not 500.

`seen_versi` is the version the user's page (or API client) saw, so a repeated post of the same page
loses even when it arrives after the first one committed; without it, the version this request loaded.
Claiming a row again in the same transaction succeeds: it is this transaction's already.
SQLAlchemy's own `version_id_col` is not used: it checks at flush time, after the side effects.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db

CONFLICT = _l("This has already been changed by someone else or already processed; reload the page.")

# PostgreSQL's codes for a lock not granted: deadlock, lock timeout, serialization failure.
_LOCK_STATES = {"40P01", "55P03", "40001"}


def lost_race(exc: DBAPIError) -> bool:
    """Is this database error a lock that was not granted (another transaction holds the row)?"""
    orig = getattr(exc, "orig", None)
    return "database is locked" in str(orig) or getattr(orig, "sqlstate", None) in _LOCK_STATES


def refuse_stale(row, error: type[Exception], seen_versi: int | None) -> None:
    """Refuse at once (409) a request from a page older than the row; no lock is taken."""
    if seen_versi is not None and seen_versi != row.versi:
        db.session.rollback()
        raise error(CONFLICT, 409)


def claim(row, error: type[Exception], seen_versi: int | None = None, **values) -> None:
    """Take `row` for this transaction by bumping its `versi` (and setting `values` in the same UPDATE),
    or roll back and raise `error(CONFLICT, 409)` (the area's refusal, which its pages and API show).
    The row's other attributes keep the values it was loaded with."""
    if inspect(row).pending:
        return  # created in this transaction, not yet written: nobody else can see it
    refuse_stale(row, error, seen_versi)
    table = type(row).__table__
    seen = row.versi
    statement = table.update().where(table.c.id == row.id, table.c.versi == seen).values(versi=seen + 1, **values)
    try:
        # A table statement: the audit trail records the operation's changes, not this bookkeeping.
        changed = db.session.execute(statement).rowcount
    except DBAPIError as exc:
        if not lost_race(exc):
            raise
        changed = 0
    if changed != 1:
        db.session.rollback()
        raise error(CONFLICT, 409)
    set_committed_value(row, "versi", seen + 1)
