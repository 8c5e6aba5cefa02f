"""FAB's own screens in plain Indonesian: labels of the security views that FAB leaves to the column
names, the standard list/show widgets for roles (so values pass the "tampil" filter), and a visible
"—" for the empty choice of every drop-down (FAB leaves it blank and WTForms then prints "__None")."""

from __future__ import annotations

from flask_appbuilder.fields import QuerySelectField
from flask_appbuilder.security.views import PermissionViewModelView, RoleModelView, UserGroupModelView
from flask_appbuilder.widgets import ListWidget, ShowWidget
from flask_babel import lazy_gettext as _l
from wtforms.fields.core import UnboundField

from app.formatting import EMPTY


class PenkomRoleModelView(RoleModelView):
    # FAB's role widgets print the raw list of permissions; the standard widgets format it.
    list_widget = ListWidget
    show_widget = ShowWidget
    list_title = _l("List Roles")
    label_columns = {"name": _l("Name"), "permissions": _l("Permissions"), "user": _l("Users"), "groups": _l("Groups")}


class PenkomGroupModelView(UserGroupModelView):
    label_columns = {"name": _l("Name"), "label": _l("Label"), "description": _l("Description"),
                     "users": _l("Users"), "roles": _l("Roles")}  # fmt: skip


class PenkomPermissionViewModelView(PermissionViewModelView):
    label_columns = {**PermissionViewModelView.label_columns, "role": _l("Role")}


def blank_choice_text(appbuilder) -> None:
    """Give the empty option of every relation drop-down (add, edit and search forms of every view,
    FAB's own included) the text "—"."""
    for view in appbuilder.baseviews:
        for attr in ("add_form", "edit_form", "search_form"):
            form = getattr(view, attr, None)
            if form is None:
                continue
            for name in dir(form):
                field = getattr(form, name, None)
                if isinstance(field, UnboundField) and issubclass(field.field_class, QuerySelectField):
                    field.kwargs.setdefault("blank_text", EMPTY)
