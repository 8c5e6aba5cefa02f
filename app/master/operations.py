"""State changes on master data: one function per verb, scope checked inside."""

from __future__ import annotations

from collections.abc import Iterable

from app import scope
from app.extensions import db
from app.models import Pegawai


def scoped_pegawai(ids: Iterable[int]) -> list[Pegawai]:
    """The pegawai with these ids that the caller may see (FAB actions skip base filters)."""
    return scope.visible(Pegawai, ids=ids)


def nonaktifkan_pegawai(ids: Iterable[int]) -> tuple[int, int]:
    """Mark civil servants inactive; return (changed, refused) counts."""
    ids = list(ids)
    items = scoped_pegawai(ids)
    for item in items:
        item.aktif = False
    db.session.commit()
    return len(items), len(ids) - len(items)
