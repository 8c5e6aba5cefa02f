"""Penkom's security manager: linked user model, login log, API login throttling."""

from __future__ import annotations

import math
import re

from flask import abort, current_app, flash, g, jsonify, redirect, request, url_for
from flask_appbuilder.security.api import SecurityApi
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.views import UserDBModelView
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.errors import abort_with
from app.models import LoginLog, PenkomUser
from app.references import refuse_if_referenced
from app.tampilan import (
    PenkomGroupModelView,
    PenkomPermissionViewModelView,
    PenkomRoleModelView,
)

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
    # FAB's security views with Indonesian labels and formatted values (app/tampilan.py).
    rolemodelview = PenkomRoleModelView
    groupmodelview = PenkomGroupModelView
    permissionviewmodelview = PenkomPermissionViewModelView

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


# A list page never shows more rows than this at once (FAB has no cap of its own).
MAX_PAGE_SIZE = 500

# Endpoints a user who must change their password may still reach.
_PASSWORD_CHANGE_OPEN = {"ResetMyPasswordView.this_form_get", "ResetMyPasswordView.this_form_post",
                         "AuthDBView.logout", "AuthDBView.login", "LocaleView.index", "static",
                         "appbuilder.static"}  # fmt: skip


INT64 = 2**63 - 1


def _fits_column(datamodel, column: str, value: str) -> bool:
    """A filter value the database can compare with the column (FAB passes big numbers and
    non-numeric related ids straight to the driver)."""
    if datamodel.is_relation(column) or datamodel.is_integer(column):
        text = value.strip()
        if datamodel.is_relation(column) and not text:
            return True
        return text.lstrip("-").isdigit() and abs(int(text)) <= INT64 if text else True
    if datamodel.is_boolean(column):
        return value in ("y", "n", "")
    if datamodel.is_float(column):
        try:
            return math.isfinite(float(value)) if value.strip() else True
        except ValueError:
            return False
    return True


def _current_view(app):
    return next((v for v in app.appbuilder.baseviews if v.endpoint == request.blueprint), None)


def init_request_guards(app) -> None:
    """Request-level rules that hold for every view, FAB's own included."""

    @app.before_request
    def _unknown_action_is_404():
        # FAB looks an action up without checking it exists and answers 500 for an unknown name.
        endpoint = request.endpoint or ""
        if not endpoint.endswith((".action", ".action_post")):
            return None
        view = next((v for v in app.appbuilder.baseviews if v.endpoint == request.blueprint), None)
        name = (request.view_args or {}).get("name") if endpoint.endswith(".action") else request.form.get("action")
        if view is None or name not in getattr(view, "actions", {}):
            abort(404)
        return None

    @app.before_request
    def _list_arguments_are_sane():
        # FAB parses page_/psize_ with int() and orders by any _oc_ name: bad values answered 500.
        view = None
        for arg, value in request.args.items():
            if re.search("(page|psize)_", arg):
                limit = MAX_PAGE_SIZE if "psize_" in arg else 10**6
                if not value.isdigit() or int(value) > limit or ("psize_" in arg and int(value) < 1):
                    abort_with(400, _("The list address has an invalid page number or page size."))
            elif re.search("_oc_", arg):
                view = view or _current_view(app)
                if value not in (getattr(view, "order_columns", None) or []):
                    abort_with(400, _("The list cannot be sorted by that column."))
            elif match := re.match(r"_flt_(\d)_(.*)", arg):
                view = view or _current_view(app)
                filters = getattr(getattr(view, "_filters", None), "_all_filters", {})
                if match[2] not in filters or int(match[1]) >= len(filters[match[2]]):
                    abort_with(400, _("The list cannot be filtered that way."))
                if not _fits_column(view.datamodel, match[2], value):
                    abort_with(400, _("The filter value does not fit this column."))
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
