"""Security headers on every response (HTML, API JSON, PDFs, error pages), set by Flask-Talisman.

Scripts run only from our own server and only when they carry the per-request nonce: FAB 5.3's
templates put `nonce="{{ baselib.get_nonce() }}"` on every script tag, and our own templates have no
inline script, no `on*=` handler and no `javascript:` URL. Styles keep 'unsafe-inline' because FAB,
Bootstrap and Select2 use style attributes. Images may be data: URIs (our SVG charts, QR codes).
HTTPS-only settings (HSTS, redirect to https, Secure cookies) apply only with PENKOM_HTTPS=1:
on plain http they would lock users out.
"""

from __future__ import annotations

from flask import Flask
from flask_talisman import Talisman

SELF = "'self'"
CSP = {
    "default-src": SELF,
    "script-src": SELF,  # + the request's nonce (content_security_policy_nonce_in)
    "style-src": [SELF, "'unsafe-inline'"],
    "img-src": [SELF, "data:"],
    "font-src": SELF,
    "object-src": "'none'",
    "base-uri": SELF,
    "form-action": SELF,
    "frame-ancestors": "'none'",
}
# Browser features Penkom never uses.
PERMISSIONS = {"browsing-topics": "()", "camera": "()", "microphone": "()", "geolocation": "()", "payment": "()"}


def init_app(app: Flask) -> Talisman:
    """Install the headers. Call first in create_app, so the nonce exists before any other hook can
    answer (an error page rendered by an early hook needs it for its scripts)."""
    https = bool(app.config.get("PENKOM_HTTPS"))
    talisman = Talisman(
        app,
        force_https=https,
        strict_transport_security=https,
        session_cookie_secure=https,
        session_cookie_samesite=app.config.get("SESSION_COOKIE_SAMESITE", "Lax"),
        content_security_policy=CSP,
        content_security_policy_nonce_in=["script-src"],
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        permissions_policy=PERMISSIONS,
        x_content_type_options=True,
    )
    app.extensions["talisman"] = talisman
    return talisman
