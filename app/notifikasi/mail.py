"""E-mail through the agency's SMTP server, off unless MAIL_SERVER is set.

The standard library's smtplib is enough here: one plain-text message at a time, STARTTLS or SSL,
optional login. Flask-Mail would add a dependency for the same few lines and is not installed.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app, has_request_context, request


class MailError(RuntimeError):
    """The message could not be handed to the SMTP server."""


def configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def deliverable(address: str | None) -> bool:
    """A real address: not empty and not the reserved `.invalid` placeholder given to accounts without one."""
    address = (address or "").strip()
    return "@" in address and not address.lower().endswith(".invalid")


def absolute_url(path: str) -> str:
    """A link for an e-mail: PENKOM_URL_PUBLIK, else the address of the current request, else the path."""
    base = (current_app.config.get("PENKOM_URL_PUBLIK") or "").rstrip("/")
    if not base and has_request_context():
        base = request.host_url.rstrip("/")
    return f"{base}{path}"


def send(to: str, subject: str, body: str) -> None:
    """Send one plain-text message; MailError when the server refuses or cannot be reached."""
    cfg = current_app.config
    message = EmailMessage()
    message["From"] = cfg.get("MAIL_DEFAULT_SENDER") or f"penkom@{cfg['MAIL_SERVER']}"
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="penkom")
    message.set_content(body)
    host, port, timeout = cfg["MAIL_SERVER"], int(cfg.get("MAIL_PORT") or 25), float(cfg.get("MAIL_TIMEOUT") or 10)
    try:
        if cfg.get("MAIL_USE_SSL"):
            smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
        with smtp:
            if cfg.get("MAIL_USE_TLS") and not cfg.get("MAIL_USE_SSL"):
                smtp.starttls(context=ssl.create_default_context())
            if cfg.get("MAIL_USERNAME"):
                smtp.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"{host}:{port}: {exc}") from exc
