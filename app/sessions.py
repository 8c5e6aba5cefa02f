"""Sessions that really end, and the client's own address behind a reverse proxy.

Every login carries the user's session version (`ab_user.versi_sesi`): the session cookie of the
login form in `session[KEY]`, the API's JWT (access and refresh) in the claim `CLAIM`. Each request
compares it with the user's current version, which comes in the same query as the user (the
security manager's `load_user`); a cookie or token of another version is treated as logged out:
pages go to the login form with `ENDED`, the API answers 401 `{"message": ENDED}`.

The version moves on at a logout (every session and token of the user ends, on every device: a
cookie copied before the logout stops working), at every password change and when an administrator
deactivates the account (app/models/security.py, whichever way the change is made). After changing
one's own password the session that made the change goes on with the new version; the others end.

`PENKOM_PROXY_HOPS`: the number of reverse proxies in front of Penkom whose X-Forwarded-For, -Proto
and -Host are trusted (werkzeug's ProxyFix). Then the login throttle, the login log and the audit
trail see the client's address instead of the proxy's. 0 (the default) ignores these headers, which
any client could otherwise set to escape the throttle or to put a false address in the logs.
"""

from __future__ import annotations

from flask import Flask, current_app, flash, g, jsonify, redirect, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, user_logged_in, user_logged_out
from werkzeug.middleware.proxy_fix import ProxyFix

KEY = "_penkom_sesi"
CLAIM = "penkom_sesi"
ENDED = _l(
    "Your session has ended: you logged out, your password was changed or your account was deactivated. "
    "Please log in again."
)
# Flask-JWT-Extended answers its refusals as English `{"msg": ...}`; the API answers `{"message": ...}`.
NO_TOKEN = _l("Log in first: this address needs a login session or an API token (Authorization: Bearer ...).")
BAD_TOKEN = _l("The API token is not valid. Log in again to get a new one.")
OLD_TOKEN = _l("The API token has expired. Log in again, or use the refresh token, to get a new one.")
_LOGIN_KEYS = ("_user_id", "_fresh", "_id", KEY)
# Where an ended session shows its message without being sent to the login form first.
_OPEN = {"AuthDBView.login", "AuthDBView.logout"}


def session_user(user):
    """Flask-Login's loader: the user of this session cookie, or None (logged out) when the account is
    gone or inactive or the session was ended since it was issued."""
    if user is not None and session.get(KEY) == user.versi_sesi:
        return user
    g.penkom_session_ended = True
    for key in _LOGIN_KEYS:  # the cookie goes back without the login; its CSRF token and language stay
        session.pop(key, None)
    return None


def token_user(user, claims: dict):
    """The user of a JWT, or None when its version is not the user's current one."""
    if user is None or claims.get(CLAIM) != user.versi_sesi:
        return None
    return user


def end_all(user) -> None:
    """Every session and token of this user stops working at its next request."""
    user.versi_sesi = type(user).versi_sesi + 1  # in SQL: two ends at once both count


def keep_this_session(user) -> None:
    """After its own password change, this session goes on (it takes the new version)."""
    session[KEY] = user.versi_sesi


def _remember_version(_app, user) -> None:
    session[KEY] = user.versi_sesi


def _forget_version(_app, user) -> None:
    session.pop(KEY, None)


def _token_claims(identity) -> dict:
    user = current_app.appbuilder.sm.get_user_by_id(int(identity))
    return {CLAIM: user.versi_sesi if user is not None else None}


def _refusal(message):
    return lambda *_args: (jsonify(message=str(message)), 401)


def _refuse_ended_session():
    """Before the views: an ended session gets its message once (the login keys are gone from it)."""
    if request.endpoint in (None, "static", "appbuilder.static"):
        return None
    current_user._get_current_object()  # runs the loader (FAB's g.user is the lazy proxy)
    if not g.pop("penkom_session_ended", False):
        return None
    if request.path.startswith("/api/"):
        # A request that brings its own token is judged by that token (the view checks it).
        return None if request.headers.get("Authorization") else (jsonify(message=str(ENDED)), 401)
    flash(ENDED, "warning")
    if request.endpoint in _OPEN:
        return None
    target = request.full_path.rstrip("?") if request.method == "GET" else ""
    return redirect(current_app.appbuilder.get_url_for_login_with(target))


def init_app(app: Flask) -> None:
    hops = int(app.config.get("PENKOM_PROXY_HOPS") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    user_logged_in.connect(_remember_version, app)
    user_logged_out.connect(_forget_version, app)
    jwt = app.appbuilder.sm.jwt_manager
    jwt.additional_claims_loader(_token_claims)
    jwt.user_lookup_error_loader(_refusal(ENDED))
    jwt.unauthorized_loader(_refusal(NO_TOKEN))
    jwt.invalid_token_loader(_refusal(BAD_TOKEN))
    jwt.expired_token_loader(_refusal(OLD_TOKEN))
    app.before_request(_refuse_ended_session)
