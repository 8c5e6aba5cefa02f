"""The input boundary: one check of every request before any view runs.

- A query argument, form field, JSON string (key or value), upload file name or path with a C0
  control character other than TAB/LF/CR (NUL among them) or a lone surrogate is refused with 400
  and an Indonesian message: a page for browsers, `{"message": ...}` under /api/. No view has run,
  so nothing changes. Uploaded file contents are not checked.
- Invisible format characters (bidi overrides and the like) are removed from query arguments, form
  fields and JSON strings, so they never reach the database or a document.

The rules live in app/textclean.py; PDF rendering applies the same cleaning again. After this check
come the range of ids (app/bounds.py: a `<pk>` or `pk` argument that is no id answers 404) and, under
/api/, the shape of JSON bodies and of `q` (app/api_input.py).
"""

from __future__ import annotations

from flask import Flask, request
from flask_babel import gettext as _
from werkzeug.datastructures import ImmutableMultiDict, MultiDict

from app import api_input, bounds, textclean
from app.errors import abort_with

# Passwords are compared as typed: removing characters from them would change them.
UNCLEANED_FIELDS = ("password", "conf_password")
BODY_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def refuse(where: str, ch: str) -> None:
    message = _("%(where)s contains a control character (%(code)s) that Penkom does not accept. Remove it "
                "(it often comes from text copied out of another program) and try again.",
                where=where, code=textclean.describe(ch))  # fmt: skip
    abort_with(400, message)


def _check_fields(values: MultiDict, label: str) -> None:
    for key, value in values.items(multi=True):
        ch = textclean.forbidden_character(key) or (
            textclean.forbidden_character(value) if isinstance(value, str) else None
        )
        if ch is not None:
            refuse(label % {"name": textclean.without_forbidden(key)[:60]}, ch)


def _cleaned(values: MultiDict) -> ImmutableMultiDict | None:
    """A copy without format characters, or None when there were none (the usual case)."""
    items = list(values.items(multi=True))
    cleaned = [(textclean.strip_format(k), v if k in UNCLEANED_FIELDS else textclean.strip_format(v)) for k, v in items]
    return ImmutableMultiDict(cleaned) if cleaned != items else None


def _json_body():
    """The parsed JSON body of a JSON request (None if absent or invalid: the view answers that)."""
    if request.method not in BODY_METHODS or not request.is_json:
        return None
    try:
        return request.get_json(silent=True)
    except RecursionError:
        abort_with(400, _("The JSON data is nested too deeply."))


def check_request_text():
    """before_request: refuse control characters anywhere in the request's text; strip format characters."""
    ch = textclean.forbidden_character(request.path)
    if ch is not None:
        refuse(_("The address"), ch)
    _check_fields(request.args, _("The query parameter %(name)s"))
    has_body = request.method in BODY_METHODS
    if has_body:
        _check_fields(request.form, _("The field %(name)s"))
        for key, upload in request.files.items(multi=True):
            ch = textclean.forbidden_character(upload.filename or "")
            if ch is not None:
                refuse(_("The file name in %(name)s", name=textclean.without_forbidden(key)[:60]), ch)
    body = _json_body()
    try:
        ch = textclean.first_forbidden(body)
        cleaned_body = textclean.clean(body, keep=UNCLEANED_FIELDS)
    except RecursionError:
        abort_with(400, _("The JSON data is nested too deeply."))
    if ch is not None:
        refuse(_("The JSON data"), ch)

    # Werkzeug documents that setting a cached property replaces its value: views read the clean one.
    args = _cleaned(request.args)
    if args is not None:
        request.args = args
    form = _cleaned(request.form) if has_body else None
    if form is not None:
        request.form = form
    if (args is not None or form is not None) and "values" in request.__dict__:
        del request.values  # rebuilt from the cleaned args and form when next read
    if cleaned_body != body:
        # get_json() caches its result in this pair (normal, silent); later calls get the clean value.
        request._cached_json = (cleaned_body, cleaned_body)


def init_app(app: Flask) -> None:
    """Register the checks; call after AppBuilder.init_app, so that FAB's own hook has set g.user."""
    app.before_request(check_request_text)
    app.before_request(bounds.check_ids)
    app.before_request(api_input.check_api_input)
