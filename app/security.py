"""Penkom's security manager: linked user model, login log, API login throttling."""

from __future__ import annotations

from flask import current_app, request
from flask_appbuilder.security.api import SecurityApi
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.views import UserDBModelView
from flask_babel import lazy_gettext as _l

from app.models import LoginLog, PenkomUser

SCOPE_COLUMNS = ["unit_kerja", "pegawai"]


class PenkomUserDBModelView(UserDBModelView):
    """FAB's user admin plus the unit kerja (row scope) and the linked pegawai."""

    list_columns = ["first_name", "last_name", "username", "unit_kerja", "active", "roles"]
    add_columns = UserDBModelView.add_columns + SCOPE_COLUMNS
    edit_columns = UserDBModelView.edit_columns + SCOPE_COLUMNS
    search_columns = ["first_name", "last_name", "username", "email", "active", "roles", "unit_kerja"]
    show_fieldsets = [
        (_l("User info"), {"fields": ["username", "active", "roles", "login_count", "unit_kerja", "pegawai"]}),
        (_l("Personal Info"), {"fields": ["first_name", "last_name", "email"], "expanded": True}),
        (
            _l("Audit Info"),
            {
                "fields": [
                    "last_login",
                    "fail_login_count",
                    "created_on",
                    "created_by",
                    "changed_on",
                    "changed_by",
                ],
                "expanded": False,
            },
        ),
    ]
    label_columns = {
        **UserDBModelView.label_columns,
        "unit_kerja": _l("Work Unit"),
        "pegawai": _l("Civil Servant"),
    }
    description_columns = {
        **UserDBModelView.description_columns,
        "unit_kerja": _l("Limits the rows this user sees to this unit and its sub-units (administrators see all)."),
    }


class PenkomSecurityManager(SecurityManager):
    user_model = PenkomUser
    userdbmodelview = PenkomUserDBModelView

    def auth_user_db(self, username, password):
        """Authenticate as FAB does, and log every attempt (unknown usernames too)."""
        user = super().auth_user_db(username, password)
        found = user or (self.find_user(username=username) if username else None)
        self.session.add(
            LoginLog(
                username=(username or "")[:128],
                user_id=found.id if found else None,
                berhasil=user is not None,
                alamat_ip=(request.remote_addr or "")[:64] if request else "",
                saluran="api" if request and request.path.startswith("/api/") else "form",
            )
        )
        self.session.commit()
        return user

    def limit_api_login(self) -> None:
        """FAB throttles only the login form; apply the same limit to the API login."""
        if not self.is_auth_limited:
            return
        for view in self.appbuilder.baseviews:
            if isinstance(view, SecurityApi):
                self.limiter.limit(self.auth_rate_limit, methods=["POST"])(view.blueprint)

    def limit_verification(self) -> None:
        """The public verification page (GET and upload) is throttled per client address."""
        from app.views.naskah import VerifikasiView

        limit = current_app.config["PENKOM_VERIFIKASI_LIMIT"]
        for view in self.appbuilder.baseviews:
            if isinstance(view, VerifikasiView):
                self.limiter.limit(limit)(view.blueprint)
