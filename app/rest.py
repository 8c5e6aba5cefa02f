"""The base of every record's REST resource under /api/v1/.

One place decides what all of them share, so that a new resource cannot forget it:
- rows only through the scope module (`scope_filter`: list, show and the related-field lookups);
- the browser's session accepted beside the JWT (the pages call the same API);
- one permission per verb on the resource: every route reads (`can_get`) unless `writes` names the
  verb it needs (`post`, `put`), so a role's grants read "may read" / "may write" per record kind.

A resource lists its extra read routes in `reads` and its write routes in `writes`:

    class KandidatApi(ScopedRestApi):
        resource_name = "kandidat"
        datamodel = SQLAInterface(Kandidat)
        reads = ("kompilasi",)
        writes = {"tambah": "post"}
"""

from __future__ import annotations

from flask_appbuilder.api import ModelRestApi
from flask_babel import lazy_gettext as _l

from app.scope import scope_filter

VERSI_INVALID = _l("versi (the version of the record you read) must be a whole number.")


def seen_versi(value) -> int | None:
    """The optional `versi` a write may carry: the version of the record the client read (app/konkurensi.py);
    with it, a repeated request is refused with 409 however late it arrives. ValueError unless it is
    absent or a whole number (JSON, or the digits of a form field)."""
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    raise ValueError(value)


class ScopedRestApi(ModelRestApi):
    allow_browser_login = True
    base_filters = [scope_filter()]
    reads: tuple[str, ...] = ()
    writes: dict[str, str] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.include_route_methods = {"get", "get_list", *cls.reads, *cls.writes}
        cls.method_permission_name = {name: cls.writes.get(name, "get") for name in cls.include_route_methods}
