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

import json

from flask import request
from flask_appbuilder.api import ModelRestApi
from flask_babel import lazy_gettext as _l

from app.extensions import db
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


# -- What the action routes of every resource share (assessment, reports) -------------------------

_ACTION_RESPONSES = """
  parameters:
  - in: path
    name: pk
    schema: {{type: integer}}
  responses:
    200:
      description: {ok}
    400:
      $ref: '#/components/responses/400'
    401:
      $ref: '#/components/responses/401'
    403:
      $ref: '#/components/responses/403'
    404:
      $ref: '#/components/responses/404'
    409:
      description: Not possible in the current state
    422:
      $ref: '#/components/responses/422'
"""


def action_doc(summary: str, method: str, ok: str = "Done", **fields):
    """The OpenAPI description of an action route on one record (FAB reads it from the docstring);
    `fields` are the JSON body's properties (app/api_input.py refuses a body whose fields have another type)."""

    def wrap(fn):
        body = ""
        if fields:
            schema = json.dumps({"type": "object", "properties": fields})
            body = f"  requestBody:\n    content:\n      application/json:\n        schema: {schema}\n"
        fn.__doc__ = f"{summary}\n---\n{method}:\n" + body + _ACTION_RESPONSES.format(ok=json.dumps(ok))
        return fn

    return wrap


def refused(api, exc, **extra):
    """An operation's refusal (an area error with its HTTP status) as the response, nothing kept."""
    db.session.rollback()
    return api.response(exc.status, message=str(exc), **extra)


def json_body() -> dict:
    """The request's JSON object; anything else reads as an empty body."""
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


def whole(value) -> int | None:
    """A JSON whole number (not a boolean), else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def wholes(values) -> list[int] | None:
    """A JSON list of whole numbers, else None."""
    if not isinstance(values, list) or any(whole(v) is None for v in values):
        return None
    return list(values)
