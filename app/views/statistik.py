"""Security → User's Statistics: logins per account, drawn on the server (app/charts.py).

It replaces FAB's UserStatsChartView, which loads Google's chart loader from the internet and
stays blank offline; the security manager registers this view in its place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import request
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import charts
from app.documents.pdf import pdf_response, render_pdf
from app.extensions import db
from app.formatting import tanggal_waktu
from app.models import LoginLog, PenkomUser
from app.models.security import utcnow

PERIODS = (7, 30, 90, 365)
CHART_USERS = 15  # the chart shows the busiest accounts; the table lists them all


@dataclass(frozen=True)
class LoginCount:
    username: str
    name: str
    active: bool
    berhasil: int
    gagal: int
    total_masuk: int  # FAB's own counter since the account was made
    terakhir: dt.datetime | None


def login_counts(days: int) -> tuple[list[LoginCount], int]:
    """Successful and failed logins per account in the last `days` days (from the login log), and
    the failed attempts with user names that do not exist."""
    since = utcnow() - dt.timedelta(days=days)
    ok = func.count(LoginLog.id).filter(LoginLog.berhasil.is_(True))
    failed = func.count(LoginLog.id).filter(LoginLog.berhasil.is_(False))
    rows = db.session.execute(
        select(PenkomUser.username, PenkomUser.first_name, PenkomUser.last_name, PenkomUser.active,
               PenkomUser.login_count, PenkomUser.last_login, ok, failed)
        .outerjoin(LoginLog, (LoginLog.user_id == PenkomUser.id) & (LoginLog.waktu >= since))
        .group_by(PenkomUser.id, PenkomUser.username, PenkomUser.first_name, PenkomUser.last_name,
                  PenkomUser.active, PenkomUser.login_count, PenkomUser.last_login)
        .order_by(PenkomUser.username)
    ).all()  # fmt: skip
    unknown = db.session.execute(
        select(func.count(LoginLog.id)).where(LoginLog.user_id.is_(None), LoginLog.waktu >= since)
    ).scalar_one()
    counts = [
        LoginCount(r.username, f"{r.first_name or ''} {r.last_name or ''}".strip(), bool(r.active), r[6], r[7],
                   r.login_count or 0, r.last_login)
        for r in rows
    ]  # fmt: skip
    return counts, unknown


def login_chart(counts: list[LoginCount], days: int) -> charts.Chart:
    """The busiest accounts of the period, successful and failed logins side by side."""
    busiest = sorted((c for c in counts if c.berhasil or c.gagal), key=lambda c: (-(c.berhasil + c.gagal), c.username))
    busiest = busiest[:CHART_USERS]
    return charts.bar_chart(
        [c.username for c in busiest],
        [charts.Series(_("Successful logins"), [c.berhasil for c in busiest]),
         charts.Series(_("Failed logins"), [c.gagal for c in busiest])],
        horizontal=True,
        title=_("Logins per user, last %(n)d days", n=days),
        description=_("Successful and failed logins of the %(n)d busiest accounts.", n=len(busiest)),
        empty_text=_("No logins in this period."),
    )  # fmt: skip


def period() -> int:
    days = request.args.get("hari", type=int)
    return days if days in PERIODS else 30


class StatistikPenggunaView(BaseView):
    """Logins per user as a chart and a table, on screen and as PDF; administrators only."""

    route_base = "/statistikpengguna"
    default_view = "chart"
    datamodel = None  # FAB's security manager assigns the user model here; this view does not use it

    def _context(self) -> dict:
        days = period()
        counts, unknown = login_counts(days)
        chart = login_chart(counts, days)
        return dict(days=days, counts=counts, unknown=unknown, chart=chart, grafik=charts.data_uri(chart),
                    periods=PERIODS, tanggal_waktu=tanggal_waktu)  # fmt: skip

    @expose("/chart/")
    @has_access
    def chart(self):
        return self.render_template("statistik/pengguna.html", title=_l("User Statistics"), **self._context())

    @expose("/pdf/")
    @has_access
    def pdf(self):
        context = self._context()
        data = render_pdf("pdf/statistik_pengguna.html", now=utcnow(), **context)
        return pdf_response(data, f"statistik-pengguna-{context['days']}-hari.pdf")
