"""Indonesian display of dates and numbers ("22 November 2026", Asia/Jakarta)."""

from __future__ import annotations

import datetime as dt

from flask_babel import format_date, format_datetime


def tanggal(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return format_datetime(value, "d MMMM yyyy")
    return format_date(value, "d MMMM yyyy")


def tanggal_waktu(value: dt.datetime | None) -> str:
    """Date and time in the configured time zone; naive datetimes are stored as UTC."""
    return format_datetime(value, "d MMMM yyyy HH:mm") if value else ""


def init_app(app) -> None:
    app.jinja_env.filters["tanggal"] = tanggal
    app.jinja_env.filters["tanggal_waktu"] = tanggal_waktu
