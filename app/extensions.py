"""Extension objects shared by the app factory, models and CLI."""

from __future__ import annotations

import click
from flask_appbuilder import Model
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

# One metadata for everything: FAB's Model carries its own MetaData, so
# Flask-SQLAlchemy and Alembic must use it too (see FAB field guide).
db = SQLAlchemy(metadata=Model.metadata)
csrf = CSRFProtect()


class LazyMigrate:
    """Flask-Migrate, imported only where a migration runs (`flask db ...`, `penkom init`).

    Importing it loads Alembic, Mako and Pygments: about 9 MB in every web worker, which never
    migrates (the schema is upgraded once per deploy by `flask penkom init`)."""

    def __init__(self, **alembic_kwargs):
        self.alembic_kwargs = alembic_kwargs

    def init_app(self, app, db, directory: str) -> None:
        app.extensions["penkom_migrate"] = (db, directory)
        app.cli.add_command(_MigrateCommands(name="db", help="Perform database migrations."))

    def ensure(self, app) -> None:
        """Register the real Flask-Migrate on `app` (once) before a migration runs."""
        if "migrate" not in app.extensions:
            from flask_migrate import Migrate

            db, directory = app.extensions["penkom_migrate"]
            Migrate(**self.alembic_kwargs).init_app(app, db, directory=directory)


class _MigrateCommands(click.Group):
    """`flask db`: Flask-Migrate's command group (options, callback, commands), loaded when used."""

    def _real(self, ctx) -> click.Group:
        from flask.cli import ScriptInfo

        migrate.ensure(ctx.ensure_object(ScriptInfo).load_app())
        from flask_migrate.cli import db as commands

        self.callback = commands.callback  # sets the migrations directory for the subcommand
        return commands

    def get_params(self, ctx):
        return self._real(ctx).get_params(ctx)

    def list_commands(self, ctx):
        return self._real(ctx).list_commands(ctx)

    def get_command(self, ctx, name):
        return self._real(ctx).get_command(ctx, name)


migrate = LazyMigrate(compare_type=True, render_as_batch=True)
