"""Indonesian display of dates and numbers ("22 November 2026", Asia/Jakarta)."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date as babel_format_date
from flask import current_app
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import gettext as _
from markupsafe import Markup


def tanggal(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return format_datetime(value, "d MMMM yyyy")
    return format_date(value, "d MMMM yyyy")


def tanggal_id(value: dt.date | None) -> str:
    """Always Indonesian, whatever the reader's language: the date on an official document."""
    return babel_format_date(value, "d MMMM yyyy", locale="id") if value else ""


def tanggal_waktu(value: dt.datetime | None) -> str:
    """Date and time in the configured time zone; naive datetimes are stored as UTC."""
    return format_datetime(value, "d MMMM yyyy HH:mm") if value else ""


def angka_level(v) -> str:
    """A competency level as Indonesians write it: 2,5 (and 3, not 3,0)."""
    return f"{v:g}".replace(".", ",") if isinstance(v, int | float) else ("" if v is None else str(v))


def persen(v) -> str:
    """A percentage with two decimals and a decimal comma: 87,50."""
    return f"{v:.2f}".replace(".", ",") if isinstance(v, int | float) else ""


EMPTY = "—"


def tampil(value):
    """A value as a person reads it on a list or show page: empty as "—", booleans as Ya/Tidak, several
    related records as their names separated by commas. Anything else (formatted text, Markup) as is."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return EMPTY
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list | tuple | set | frozenset):
        items = [tampil(v) for v in value]
        return Markup(", ").join(items) if items else EMPTY
    return value


def label_formatter(labels: dict):
    """A list/show formatter that prints a stored code (an enum value) as its label."""
    return lambda value: str(labels.get(value, value)) if value else EMPTY


def active_language() -> str:
    """The language of the page being rendered ("id", "en"), for <html lang>."""
    locale = get_locale()
    return str(locale.language) if locale else current_app.config.get("BABEL_DEFAULT_LOCALE", "id")


def orang(user) -> str:
    """A person as colleagues read them: the civil servant's name with academic titles and position,
    else the account's name (never the bare username when a name is known)."""
    if user is None:
        return "—"
    pegawai = getattr(user, "pegawai", None)
    if pegawai is not None:
        return f"{pegawai.nama_lengkap} — {pegawai.jabatan}" if pegawai.jabatan else pegawai.nama_lengkap
    parts = (getattr(user, "first_name", ""), getattr(user, "last_name", ""))
    name = " ".join(part for part in parts if part and part != "-")
    return name or getattr(user, "username", "") or "—"


def init_app(app) -> None:
    app.jinja_env.globals["penkom_lang"] = active_language
    app.jinja_env.filters["tampil"] = tampil
    app.jinja_env.filters["tanggal"] = tanggal
    app.jinja_env.filters["tanggal_waktu"] = tanggal_waktu
    app.jinja_env.filters["tanggal_id"] = tanggal_id
    app.jinja_env.filters["orang"] = orang
