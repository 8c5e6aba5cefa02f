"""Error pages in Indonesian inside the app's layout, and `{"message": ...}` JSON under /api/.

Werkzeug's own pages are English and outside the layout; a 500 must never show a traceback.
A handler answers with the message a view gave to `abort_with(code, message)`, else with the
generic message of the status.
"""

from __future__ import annotations

import logging
import secrets
from typing import NoReturn
from urllib.parse import urlsplit

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, default_exceptions

log = logging.getLogger(__name__)

TITLES = {
    400: _l("Bad request"),
    403: _l("Access denied"),
    404: _l("Page not found"),
    405: _l("Method not allowed"),
    409: _l("Changed in the meantime"),
    413: _l("Too large"),
    429: _l("Too many requests"),
    500: _l("Server error"),
}
MESSAGES = {
    400: _l("The request could not be processed because it contains invalid data."),
    403: _l("You do not have permission to open this page. Ask your administrator if you need access."),
    404: _l("The page or record you are looking for does not exist, or it is outside your work unit."),
    405: _l("This address cannot be used this way. Open it from the menu or a button in Penkom."),
    413: _l("The data or file you sent is larger than Penkom accepts (at most %(mb)d MB)."),
    429: _l("Too many requests from your address in a short time. Wait a moment, then try again."),
    500: _l("An error occurred on the server. Try again; if it keeps happening, tell your administrator."),
}
CSRF_MESSAGE = _l("The form has expired or its security token is missing. Reload the page and try again.")


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def abort_with(code: int, message: str) -> NoReturn:
    """Stop the request with an HTTP error whose page (or JSON) shows this message to the user.
    (Descriptions that Werkzeug or an extension put on an error are English and technical: they
    are never shown.)"""
    error = default_exceptions[code](description=str(message))
    error.for_user = True
    raise error


def message_for(error: HTTPException) -> str:
    """The message given to abort_with, else the generic message of the status."""
    code = error.code or 500
    if getattr(error, "for_user", False):
        return str(error.description)
    if isinstance(error, CSRFError):
        return str(CSRF_MESSAGE)
    if code == 413:
        return str(MESSAGES[413] % {"mb": (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)})
    return str(MESSAGES.get(code, MESSAGES[500] if code >= 500 else MESSAGES[400]))


def _back_link() -> str:
    """The previous page, only when it is on this server (never send people elsewhere)."""
    referrer = request.referrer or ""
    parts = urlsplit(referrer)
    if referrer and parts.netloc == request.host and parts.scheme in ("http", "https") and referrer != request.url:
        return referrer
    return ""


def render_error(code: int, message: str, reference: str = "", headers=None):
    """The error as JSON (API) or as a page in the app's layout (everything else)."""
    if is_api_request():
        response = jsonify(message=message)
    else:
        response = current_app.make_response(_page(code, message, reference))
    response.status_code = code
    for name, value in headers or []:
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def _page(code: int, message: str, reference: str) -> str:
    appbuilder = current_app.appbuilder
    title = str(TITLES.get(code, TITLES[500] if code >= 500 else TITLES[400]))
    if "user" not in g:  # an early hook (CSRF, input check) answered before FAB's own hook set it
        g.user = current_user
    try:
        return render_template(
            "penkom/error.html", appbuilder=appbuilder, base_template=appbuilder.base_template, code=code,
            title=title, message=message, reference=reference, back=_back_link(),
            home=appbuilder.get_url_for_index,
        )  # fmt: skip
    except Exception:  # noqa: BLE001 - the layout itself failed (e.g. the database is down): plain page
        log.exception("The error page for %s could not be rendered in the layout", code)
        return (
            f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>{code} {escape(title)}</title>'
            f"</head><body><h1>{code} {escape(title)}</h1><p>{escape(message)}</p>"
            f'<p><a href="/">{escape(str(_l("To the home page")))}</a></p></body></html>'
        )


def handle_http_error(error: HTTPException):
    code = error.code or 500
    return render_error(code, message_for(error), headers=error.get_headers())


def handle_server_error(error: InternalServerError):
    """500: log the cause with a short reference the user can quote; show no detail of it."""
    from app.extensions import db

    reference = secrets.token_hex(4)
    cause = getattr(error, "original_exception", None)
    # Flask has just logged the traceback of an unhandled exception; this line ties it to the reference.
    log.error("Server error %s on %s %s", reference, request.method, request.path, exc_info=cause is None)
    try:
        db.session.rollback()  # a failed transaction must not break the layout's own queries
    except Exception:  # noqa: BLE001 - nothing more can be done for the session here
        log.exception("Rollback after server error %s failed", reference)
    message = str(MESSAGES[500])
    if is_api_request():
        message = str(_l("%(message)s (reference: %(reference)s)", message=message, reference=reference))
    return render_error(500, message, reference)


def handle_lost_race(error: OperationalError):
    """A write that waited for a lock and did not get it (SQLite's busy timeout, a PostgreSQL deadlock):
    409 with the message `claim` gives, never a 500. Any other database error stays a server error."""
    from app.extensions import db
    from app.konkurensi import CONFLICT, lost_race

    if not lost_race(error):
        raise error  # Flask logs it and answers with the 500 page
    db.session.rollback()
    return render_error(409, str(CONFLICT))


def init_app(app: Flask) -> None:
    # Every HTTP error (Flask leaves routing redirects alone), and 500 for any unhandled exception.
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_server_error)
    app.register_error_handler(OperationalError, handle_lost_race)
