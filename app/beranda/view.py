"""The home page (Beranda) view: what waits on the user, in sections that areas register (app/beranda).

It lives here, not in app/views, because FAB imports the index view (FAB_INDEX_VIEW) while it starts,
before Babel is ready; importing the app.views package at that moment would fail."""

from __future__ import annotations

from flask import g, redirect, url_for
from flask_appbuilder import IndexView, expose
from flask_babel import lazy_gettext as _l

from app import beranda
from app.beranda import laporan, penilaian, sections  # noqa: F401  (register their sections)
from app.formatting import tanggal, tanggal_waktu
from app.notifikasi import operations as notifikasi
from app.workflow.monitoring import durasi


class BerandaView(IndexView):
    """FAB's index, replaced (FAB_INDEX_VIEW): anonymous visitors go to the login page."""

    index_template = "beranda/index.html"

    @expose("/")
    def index(self):
        user = getattr(g, "user", None)
        if not getattr(user, "is_authenticated", False):
            return redirect(url_for(f"{self.appbuilder.sm.auth_view.endpoint}.login"))
        notifikasi.sync_overdue(user)
        self.update_redirect()
        return self.render_template(
            self.index_template, appbuilder=self.appbuilder, title=_l("Home"), shown=beranda.sections_for(user),
            durasi=durasi, tanggal=tanggal, tanggal_waktu=tanggal_waktu, user=user, nama=notifikasi.display_name(user),
        )  # fmt: skip
