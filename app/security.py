"""Penkom's security manager: linked user model, login log, API login throttling."""

from __future__ import annotations

from flask import abort, current_app, flash, g, jsonify, redirect, request, url_for
from flask_appbuilder.security.api import SecurityApi
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.views import UserDBModelView
from flask_babel import lazy_gettext as _l

from app.models import LoginLog, PenkomUser
from app.references import refuse_if_referenced

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

    def pre_add(self, item):
        super().pre_add(item)
        # The administrator chose this password: its owner must replace it at first login.
        item.wajib_ganti_sandi = True

    def pre_delete(self, item):
        """A user who acted on cases or documents is deactivated, not deleted (the history names them)."""
        refuse_if_referenced(item)


class PenkomSecurityManager(SecurityManager):
    user_model = PenkomUser
    userdbmodelview = PenkomUserDBModelView

    def register_views(self):
        """FAB's security views, with Security → User's Statistics drawn on the server: FAB's own
        statistics view loads Google Charts from the internet. (Imported here, not at module level:
        app.views needs Babel, which FAB sets up after creating the security manager.)"""
        from app.views.statistik import StatistikPenggunaView

        self.userstatschartview = StatistikPenggunaView
        super().register_views()

    def auth_user_db(self, username, password):
        """Authenticate as FAB does, and log every attempt (unknown usernames too). A user who must still
        replace a generated password gets no API token: the change happens in the browser first."""
        user = super().auth_user_db(username, password)
        if user is not None and user.wajib_ganti_sandi and request and request.path.startswith("/api/"):
            user = None
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

    def reset_password(self, userid, password):
        """FAB's own-password and administrator resets both land here: a user who chose their own
        password is done; a password an administrator set must be replaced at the next login."""
        user = self.get_user_by_id(userid)
        own = getattr(getattr(g, "user", None), "id", None) == userid
        user.wajib_ganti_sandi = not own
        super().reset_password(userid, password)  # commits both in one transaction

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


# Endpoints a user who must change their password may still reach.
_PASSWORD_CHANGE_OPEN = {"ResetMyPasswordView.this_form_get", "ResetMyPasswordView.this_form_post",
                         "AuthDBView.logout", "AuthDBView.login", "LocaleView.index", "static",
                         "appbuilder.static"}  # fmt: skip


def init_request_guards(app) -> None:
    """Request-level rules that hold for every view, FAB's own included."""

    @app.before_request
    def _unknown_action_is_404():
        # FAB looks an action up without checking it exists and answers 500 for an unknown name.
        endpoint = request.endpoint or ""
        if not endpoint.endswith((".action", ".action_post")):
            return None
        view = next((v for v in app.appbuilder.baseviews if v.endpoint == request.blueprint), None)
        single = endpoint.endswith(".action")
        name = (request.view_args or {}).get("name") if single else request.form.get("action")
        item = getattr(view, "actions", {}).get(name) if view is not None else None
        # FAB also hands a list to a one-row action and one row to a list-only action (500 as well).
        if item is None or not (item.single if single else item.multiple):
            abort(404)
        return None

    @app.before_request
    def _must_change_password():
        user = getattr(g, "user", None)
        if not getattr(user, "is_authenticated", False) or not getattr(user, "wajib_ganti_sandi", False):
            return None
        if request.endpoint in _PASSWORD_CHANGE_OPEN:
            return None
        message = _l("Please replace the password you were given with one of your own before continuing.")
        if request.path.startswith("/api/"):
            return jsonify(message=str(message)), 403
        flash(message, "warning")
        return redirect(url_for("ResetMyPasswordView.this_form_get"))
