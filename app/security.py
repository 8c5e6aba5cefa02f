"""Penkom's security manager: linked user model, login log, API login throttling, and permission
checks answered from memory."""

from __future__ import annotations

from flask import current_app, g, has_request_context, request
from flask_appbuilder.security.api import SecurityApi
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.sqla.models import Permission, PermissionView, ViewMenu, assoc_permissionview_role
from flask_appbuilder.security.views import UserDBModelView
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import configure_mappers, joinedload

from app import cache
from app.models import LoginLog, PenkomUser
from app.search_choices import LazySearchChoices

SCOPE_COLUMNS = ["unit_kerja", "pegawai"]


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

    def limit_verification(self) -> None:
        """The public verification page (GET and upload) is throttled per client address."""
        from app.views.naskah import VerifikasiView

        limit = current_app.config["PENKOM_VERIFIKASI_LIMIT"]
        for view in self.appbuilder.baseviews:
            if isinstance(view, VerifikasiView):
                self.limiter.limit(limit)(view.blueprint)
