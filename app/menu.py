"""The main menu, rendered once per worker for each set of roles and language.

FAB renders the menu item by item on every page, asking for each item whether the user may see it:
about a third of a page's time once the assessment areas added their menus. What a user sees of the
menu depends only on their roles' permissions and the language, so the rendered HTML is kept in the
permission cache ("izin", app/cache.py): a change of permissions or roles shows on the next request.
"""

from __future__ import annotations

from flask import current_app, g, render_template
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from app import cache

TEMPLATE = "appbuilder/_menu_items.html"


def _render() -> Markup:
    return Markup(render_template(TEMPLATE, menu=current_app.appbuilder.menu))


def menu_html() -> Markup:
    """The menu's <li> items for the current user."""
    sm = current_app.appbuilder.sm
    if not current_user.is_authenticated or getattr(g, "_api_key_user", False):
        return _render()
    roles = sm.get_user_roles(g.user)
    if any(role.name in sm.builtin_roles for role in roles):
        return _render()
    key = ("menu", frozenset(role.id for role in roles), str(get_locale()))
    return cache.area("izin").get(key, _render)


def init_app(app) -> None:
    app.jinja_env.globals["penkom_menu"] = menu_html
