"""Penkom: SOP-driven competency assessment for Indonesian government agencies."""

from pathlib import Path

from flask import Flask, session
from flask_appbuilder import AppBuilder

from app import boundary, bounds, errors, headers
from app.extensions import csrf, db, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build a Penkom app: config, extensions, a fresh AppBuilder, views, CLI."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_object("config.Config")
    if test_config:
        app.config.update(test_config)
    _sqlite_waits_for_locks(app)

    from app import models  # noqa: F401  (tables on the metadata before init_app)

    headers.init_app(app)  # first: its nonce must exist before any other hook can answer
    errors.init_app(app)
    bounds.init_converters(app)  # before any route is added

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)

    @app.before_request
    def _idle_timeout():
        # FAB never marks the session permanent; without it there is no idle expiry.
        session.permanent = True

    appbuilder = AppBuilder()
    with app.app_context():
        appbuilder.init_app(app, db.session)
        from app.views import register_views

        register_views(appbuilder)
        appbuilder.sm.limit_api_login()
    boundary.init_app(app)  # after FAB's own before_request (g.user for error pages)

    from app import sessions
    from app.security import init_request_guards

    sessions.init_app(app)  # before the guards: an ended session is logged out before they look at the user
    init_request_guards(app)

    from app import cli, formatting, menu

    formatting.init_app(app)
    menu.init_app(app)
    cli.init_app(app)
    return app


def _sqlite_waits_for_locks(app: Flask) -> None:
    """SQLite has one write lock for the whole file: a writer waits up to 30 s for it (the driver's
    default is 5 s) instead of failing with "database is locked" while another request signs a letter.
    A lock still not granted is a lost race, answered 409 (app/konkurensi.py, app/errors.py)."""
    if str(app.config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("sqlite"):
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        options["connect_args"] = {"timeout": 30, **options.get("connect_args", {})}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
