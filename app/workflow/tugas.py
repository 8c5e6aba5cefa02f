"""What waits on whom: running cases whose current step belongs to one of a user's roles, in scope; and
the SOPs a user may start.

One definition for the home page, the notifications and the daily digest (the "My Tasks" list uses
the same rule as a FAB filter in app/views/kasus.py).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, func, select

from app.extensions import db
from app.models import Kasus, Langkah, Pelaksana, Sop
from app.models.security import utcnow
from app.scope import scoped_sops
from app.workflow.engine import may_act, running_in_scope, user_role_ids


def startable_sops(user) -> list[Sop]:
    """SOP revisions in force, in scope, whose first step belongs to one of the user's roles."""
    query = scoped_sops(user).where(Sop.berlaku.is_(True)).order_by(Sop.nama)
    return [s for s in db.session.execute(query).scalars() if s.langkah and may_act(user, s.langkah[0])]


def my_step_ids(user) -> Select:
    """Subquery: the ids of SOP steps whose actor maps to one of the user's roles."""
    roles = sorted(user_role_ids(user)) or [-1]
    return select(Langkah.id).join(Pelaksana, Langkah.pelaksana_id == Pelaksana.id).where(Pelaksana.role_id.in_(roles))


def waiting_query(user) -> Select:
    """Running cases in the user's scope waiting on one of the user's roles, soonest due first
    (so overdue cases come first; cases without a time budget last)."""
    return (
        running_in_scope(user)
        .where(Kasus.langkah_id.in_(my_step_ids(user)))
        .order_by(Kasus.due_at.is_(None), Kasus.due_at, Kasus.id)
    )


def waiting(user, limit: int | None = None) -> list[Kasus]:
    query = waiting_query(user)
    if limit:
        query = query.limit(limit)
    return list(db.session.execute(query).scalars())


def count_waiting(user, now: dt.datetime | None = None) -> tuple[int, int]:
    """(waiting, of which overdue) for the user."""
    now = now or utcnow()
    base = waiting_query(user).order_by(None).subquery()
    total, late = db.session.execute(
        select(func.count(), func.count().filter(base.c.due_at < now)).select_from(base)
    ).one()  # fmt: skip
    return total, late


def overdue_for(user, now: dt.datetime | None = None) -> list[Kasus]:
    """The user's waiting cases that are past their due time, most overdue first."""
    now = now or utcnow()
    query = waiting_query(user).where(Kasus.due_at.isnot(None), Kasus.due_at < now)
    return list(db.session.execute(query).scalars())
