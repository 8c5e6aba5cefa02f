"""Indonesian display of dates and numbers ("22 November 2026", Asia/Jakarta)."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date as babel_format_date
from flask_babel import format_date, format_datetime


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
    app.jinja_env.filters["tanggal"] = tanggal
    app.jinja_env.filters["tanggal_waktu"] = tanggal_waktu
    app.jinja_env.filters["tanggal_id"] = tanggal_id
    app.jinja_env.filters["orang"] = orang
