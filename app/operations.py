"""State changes on master data: one function per verb, scope checked inside."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from app.extensions import db
from app.models import Pegawai
from app.scope import allowed_unit_ids


def scoped_pegawai(ids: Iterable[int]) -> list[Pegawai]:
    """The pegawai with these ids that the caller may see (FAB actions skip base filters)."""
    query = select(Pegawai).where(Pegawai.id.in_(list(ids)))
    allowed = allowed_unit_ids()
    if allowed is not None:
        query = query.where(Pegawai.unit_kerja_id.in_(sorted(allowed)))
    return list(db.session.execute(query).scalars())


def nonaktifkan_pegawai(ids: Iterable[int]) -> tuple[int, int]:
    """Mark civil servants inactive; return (changed, refused) counts."""
    ids = list(ids)
    items = scoped_pegawai(ids)
    for item in items:
        item.aktif = False
    db.session.commit()
    return len(items), len(ids) - len(items)
