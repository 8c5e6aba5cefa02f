"""Penkom's security manager: linked user model, login log, API login throttling, and permission
checks answered from memory."""

from __future__ import annotations

import re

from flask import abort, current_app, flash, g, has_request_context, jsonify, redirect, request, url_for
from flask_appbuilder import ModelView
from flask_appbuilder.actions import action
from flask_appbuilder.security.api import SecurityApi
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.sqla.models import (
    Permission,
    PermissionView,
    Role,
    ViewMenu,
    assoc_permissionview_role,
)
from flask_appbuilder.security.views import UserDBModelView
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import configure_mappers, joinedload
from werkzeug.utils import import_string

from app import bounds, cache, sessions, tampilan
from app.delete_guard import refuse_if_referenced
from app.errors import abort_with
from app.models import LoginLog, PenkomUser
from app.search_choices import LazySearchChoices
from app.tampilan import PenkomGroupModelView, PenkomPermissionViewModelView

SCOPE_COLUMNS = ["unit_kerja", "pegawai"]

# FAB's `/<view>/download/<file>` serves files of FAB file columns from UPLOAD_FOLDER and answers
# 500 for a name it did not store. Penkom keeps no files in FAB file columns (attachments and
# letters have their own scoped routes), so no model view, FAB's security views included, has it.
ModelView.exclude_route_methods = frozenset({"download"})


class PenkomUserDBModelView(LazySearchChoices, UserDBModelView):
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


class PenkomRoleModelView(tampilan.PenkomRoleModelView):
    """FAB's role admin. Its "Copy Role" named every copy "<name> copy", so copying a role twice
    broke the unique role name and answered 500; here each copy gets a free name, and a copy of an
    "own records only" role keeps that narrower scope."""

    @action("copyrole", _l("Copy Role"), _l("Copy the selected roles?"), icon="fa-copy", single=False)
    def copy_role(self, items):
        from app.models import LingkupPeran

        self.update_redirect()
        items = items if isinstance(items, list) else [items]
        taken = {name.lower() for name in self.datamodel.session.execute(select(Role.name)).scalars()}
        for item in items:
            base = f"{item.name} copy"[:60]
            name, n = base, 2
            while name.lower() in taken:
                name, n = f"{base} {n}", n + 1
            taken.add(name.lower())
            copy = Role(name=name)
            copy.permissions = list(item.permissions)
            self.datamodel.session.add(copy)
            scope_row = self.datamodel.session.execute(
                select(LingkupPeran).where(LingkupPeran.role_id == item.id)
            ).scalar()
            if scope_row is not None:
                self.datamodel.session.add(LingkupPeran(role=copy, lingkup=scope_row.lingkup))
        self.datamodel.session.commit()
        flash(_l("Role(s) copied."), "success")
        return redirect(self.get_redirect())


class PenkomSecurityManager(SecurityManager):
    user_model = PenkomUser
    userdbmodelview = PenkomUserDBModelView
    # FAB's security views with Indonesian labels and formatted values (app/tampilan.py).
    rolemodelview = PenkomRoleModelView
    groupmodelview = PenkomGroupModelView
    permissionviewmodelview = PenkomPermissionViewModelView

    def register_views(self):
        """FAB's security views, with Security → User's Statistics drawn on the server: FAB's own
        statistics view loads Google Charts from the internet. The page is named in the settings
        (PENKOM_STATISTIK_VIEW, as FAB names its index view), so the security manager imports no page;
        it is loaded here, not at start: app.views needs Babel, which FAB sets up after this manager."""
        self.userstatschartview = import_string(current_app.config["PENKOM_STATISTIK_VIEW"])
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
        password is done; a password an administrator set must be replaced at the next login. Either
        ends the user's other sessions and tokens (app/sessions.py); one's own change keeps this one."""
        user = self.get_user_by_id(userid)
        own = has_request_context() and getattr(getattr(g, "user", None), "id", None) == userid
        user.wajib_ganti_sandi = not own
        super().reset_password(userid, password)  # commits both in one transaction
        if own:
            sessions.keep_this_session(user)

    def on_user_logout(self, user) -> None:
        """A logout ends every session and token of the user, a copied cookie too (app/sessions.py)."""
        sessions.end_all(user)
        self.session.commit()

    # -- sessions: the user of a session cookie or a JWT, if it has not been ended (app/sessions.py) --

    def create_login_manager(self, app):
        manager = super().create_login_manager(app)
        manager.user_loader(lambda pk: sessions.session_user(self.load_user(pk)))
        return manager

    def load_user_jwt(self, _jwt_header, jwt_data):
        user = sessions.token_user(self.load_user(jwt_data["sub"]), jwt_data)
        if user is not None:
            g.user = user  # as FAB does: the views read g.user
        return user

    # -- permission checks: answered from memory -------------------------------------------------
    # FAB asks the database once per has_access() call: every menu item, button and action of a
    # page (31 queries on the case list). Penkom loads the user with roles, groups and the cache
    # version numbers in one query; the (permission, view) pairs of a set of roles are kept per
    # process and reloaded when their version moves (app/cache.py), so a change of permissions
    # applies to every user's next request in every worker, and a change of a user's roles does
    # too (the roles come with the user on each request).

    def load_user(self, pk):
        """The logged-in user with roles, groups and the cache versions in one query."""
        configure_mappers()  # the `roles`/`groups` backrefs exist once the mappers are configured
        model = self.user_model
        query = (
            select(model, *cache.version_columns())
            .options(joinedload(model.roles), joinedload(model.groups))
            .where(model.id == int(pk))
        )
        row = self.session.execute(query).unique().first()
        if row is None:
            return None
        user, *versions = row
        cache.remember(versions)
        return user if user.is_active else None

    def role_permissions(self, role_ids) -> frozenset[tuple[str, str]]:
        """Every (permission, view) pair granted to these roles, from this worker's cache."""
        key = frozenset(role_ids)
        return cache.area("izin").get(key, lambda: self._load_role_permissions(key))

    def _load_role_permissions(self, role_ids: frozenset[int]) -> frozenset[tuple[str, str]]:
        query = (
            select(Permission.name, ViewMenu.name)
            .select_from(PermissionView)
            .join(Permission, PermissionView.permission_id == Permission.id)
            .join(ViewMenu, PermissionView.view_menu_id == ViewMenu.id)
            .join(assoc_permissionview_role, assoc_permissionview_role.c.permission_view_id == PermissionView.id)
            .where(assoc_permissionview_role.c.role_id.in_(sorted(role_ids)))
        )
        return frozenset(tuple(row) for row in self.session.execute(query))

    def exist_permission_on_roles(self, view_name: str, permission_name: str, role_ids: list[int]) -> bool:
        """FAB's extension point for has_access: answered from the cached permission set."""
        if not has_request_context():
            return super().exist_permission_on_roles(view_name, permission_name, role_ids)
        return (permission_name, view_name) in self.role_permissions(role_ids)

    def has_access(self, permission_name: str, view_name: str) -> bool:
        """Every menu item, button and action of a page asks this (about 50 times per page): a signed-in
        user's answer comes from their roles' permission set, taken from the cache once per request.
        API-key users, anonymous visitors and FAB's built-in roles take FAB's own path."""
        if not has_request_context() or getattr(g, "_api_key_user", False) or not current_user.is_authenticated:
            return super().has_access(permission_name, view_name)
        user, this = g.user, request._get_current_object()
        found = g.get("_penkom_access")  # g outlives a request where an app context was pushed around it
        if found is None or found[0] is not this or found[1] is not user:
            roles = self.get_user_roles(user) if user.is_active else []
            if any(role.name in self.builtin_roles for role in roles):
                return super().has_access(permission_name, view_name)
            pairs = self.role_permissions([role.id for role in roles]) if roles else frozenset()
            found = g._penkom_access = (this, user, pairs)
        return (permission_name, view_name) in found[2]

    def get_public_permissions(self):
        """The anonymous role's permissions (login and verification pages), once per request."""
        if not has_request_context():
            return super().get_public_permissions()
        if "_penkom_public_permissions" not in g:
            g._penkom_public_permissions = list(super().get_public_permissions())
        return g._penkom_public_permissions

    def limit_api_login(self) -> None:
        """FAB throttles only the login form; apply the same limit to the API login."""
        if not self.is_auth_limited:
            return
        for view in self.appbuilder.baseviews:
            if isinstance(view, SecurityApi):
                self.limiter.limit(self.auth_rate_limit, methods=["POST"])(view.blueprint)


# A list page never shows more rows than this at once (FAB has no cap of its own).
MAX_PAGE_SIZE = 500

# Endpoints a user who must change their password may still reach.
_PASSWORD_CHANGE_OPEN = {"ResetMyPasswordView.this_form_get", "ResetMyPasswordView.this_form_post",
                         "AuthDBView.logout", "AuthDBView.login", "LocaleView.index", "static",
                         "appbuilder.static"}  # fmt: skip


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
        single = endpoint.endswith(".action")
        name = (request.view_args or {}).get("name") if single else request.form.get("action")
        item = getattr(view, "actions", {}).get(name) if view is not None else None
        # FAB also hands a list to a one-row action and one row to a list-only action (500 as well).
        if item is None or not (item.single if single else item.multiple):
            abort(404)
        return None

    @app.before_request
    def _list_arguments_are_sane():
        # FAB parses page_/psize_ with int() and orders by any _oc_ name: bad values answered 500.
        view = None
        for arg, value in request.args.items():
            if arg == "page" or re.search("(page|psize)_", arg):
                low, high = (1, MAX_PAGE_SIZE) if "psize_" in arg else (0, 10**6)
                if not value.isascii() or bounds.whole(value, low, high) is None:
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
                if not bounds.fits_column(view.datamodel, match[2], value):
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
