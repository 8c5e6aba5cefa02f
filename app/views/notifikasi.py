"""The notification list (the bell in the navigation bar leads here): open one, mark all read."""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _l

from app.formatting import tanggal_waktu
from app.notifikasi import operations as ops

PAGE = 30


class NotifikasiView(BaseView):
    route_base = "/notifikasi"
    default_view = "index"

    @expose("/")
    @has_access
    def index(self):
        ops.sync_overdue(g.user)
        page = max(0, request.args.get("page", 0, type=int) or 0)
        items = ops.mine(g.user, PAGE, page * PAGE)
        total = ops.count_mine(g.user)
        return self.render_template(
            "notifikasi/index.html", items=items, page=page, pages=max(1, -(-total // PAGE)), total=total,
            title=_l("Notifications"), ops=ops, tanggal_waktu=tanggal_waktu,
        )  # fmt: skip

    @expose("/buka/<int:pk>", methods=["POST"])
    @has_access
    def buka(self, pk):
        """Mark read and go to what the notification is about."""
        item = ops.mark_read(pk, g.user)
        if item is None:
            abort(404)
        return redirect(ops.target_path(item))

    @expose("/baca-semua", methods=["POST"])
    @has_access
    def baca_semua(self):
        n = ops.mark_all_read(g.user)
        flash(_l("%(n)d notification(s) marked as read.", n=n), "success")
        return redirect(url_for("NotifikasiView.index"))


def unread_count() -> int:
    """For the bell in every page's navigation bar (0 for anonymous visitors)."""
    user = getattr(g, "user", None)
    if not getattr(user, "is_authenticated", False):
        return 0
    return ops.unread_count(user)


def register_globals() -> None:
    """The bell's count in every template (called while the views are registered)."""
    current_app.jinja_env.globals["notifikasi_belum_dibaca"] = unread_count
