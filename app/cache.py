"""Process-wide caches that stay right with several workers and servers.

The permissions of a set of roles ("izin"), an agency's days off ("kalender") and the unit tree
("organisasi") are read on
nearly every request and change rarely. Each area has a row in `penkom_versi` whose number
changes, in the same transaction, with every write through the app's session to the rows the
area caches (`_bump` below). A request reads the numbers once, together with the logged-in user
(`app/security.py`), and a worker drops an area whose number moved: a change applies on the
next request in every worker and on every server sharing the database.

Rows written around the ORM session (raw SQL) do not move the numbers; every write in Penkom,
FAB's security views and `flask penkom init` goes through the session.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Hashable

from flask import current_app, g, has_app_context, has_request_context, request
from flask_appbuilder.security.sqla.models import Permission, PermissionView, Role, ViewMenu
from sqlalchemy import event, select, update

from app.extensions import db
from app.models import CacheVersi, HariLibur, Instansi, LingkupPeran, UnitKerja

# What each area caches, by the models whose rows it is read from.
# An agency's record says whether it works on cuti bersama, so its edits reload calendars too.
# The unit tree and the own-records roles decide every user's reach (app/scope.py).
WATCHED = {
    "izin": (Role, PermissionView, Permission, ViewMenu),
    "kalender": (HariLibur, Instansi),
    "organisasi": (UnitKerja, LingkupPeran),
}
AREAS = tuple(WATCHED)
_UNSEEN = object()  # a version that matches nothing: the cache reloads


def version_columns() -> list:
    """The areas' version numbers as columns to add to a query (the user load)."""
    return [
        select(CacheVersi.versi).where(CacheVersi.nama == nama).scalar_subquery().label(f"versi_{nama}")
        for nama in AREAS
    ]


def remember(versions) -> None:
    """The version numbers this request works with (read with the user)."""
    g._penkom_versi = dict(zip(AREAS, versions, strict=True))


def _version(nama: str):
    versions = g.get("_penkom_versi")
    if versions is None:  # no user was loaded (anonymous, CLI): read them now
        rows = dict(db.session.execute(select(CacheVersi.nama, CacheVersi.versi)).all())
        versions = g._penkom_versi = {area: rows.get(area) for area in AREAS}
    return versions[nama]


class AreaCache:
    """The values of one area in this process, valid for one version number."""

    def __init__(self, nama: str):
        self.nama = nama
        self._state: tuple[object, dict] = (_UNSEEN, {})
        self._lock = threading.Lock()

    def get(self, key: Hashable, load: Callable[[], object]):
        """The cached value of `key`, loaded (and kept for this version) when missing."""
        memo = g.setdefault("_penkom_cache_memo", {}).setdefault(self.nama, {})
        if key in memo:  # a page asks for the same permissions dozens of times
            return memo[key]
        version = _version(self.nama)
        if version is None or version is _UNSEEN:  # no version row yet, or written in this request
            return load()
        with self._lock:
            seen, values = self._state
            if seen != version:
                values = {}
                self._state = (version, values)
        if key not in values:
            values[key] = load()  # into this version's dict: a newer version has its own
        memo[key] = values[key]
        return memo[key]


def per_request(key: Hashable, load: Callable[[], object]):
    """`load()` once per request for `key` (values read several times by one page and not written by it);
    outside a request, every call loads."""
    if not has_request_context():
        return load()
    this = request._get_current_object()
    memo = g.get("_penkom_request_memo")
    if memo is None or memo[0] is not this:  # g outlives a request where an app context was pushed around it
        memo = g._penkom_request_memo = (this, {})
    if key not in memo[1]:
        memo[1][key] = load()
    return memo[1][key]


def area(nama: str) -> AreaCache:
    """This app's cache of one area (each app has its own, as each worker does)."""
    caches = current_app.extensions.setdefault("penkom_cache", {})
    if nama not in caches:
        caches[nama] = AreaCache(nama)
    return caches[nama]


@event.listens_for(db.session, "after_flush")
def _bump(session, flush_context) -> None:
    """A flush that writes rows an area caches gives that area a new number in the same transaction."""
    changed = (*session.new, *session.dirty, *session.deleted)
    for nama, kinds in WATCHED.items():
        if any(isinstance(item, kinds) for item in changed):
            session.connection().execute(
                update(CacheVersi.__table__).where(CacheVersi.nama == nama).values(versi=secrets.randbits(62))
            )
            if has_app_context():
                # The rest of this request reads the database; its values are never reused,
                # even if the transaction rolls back.
                g._penkom_versi = {**(g.get("_penkom_versi") or dict.fromkeys(AREAS)), nama: _UNSEEN}
                g.get("_penkom_cache_memo", {}).pop(nama, None)
