"""Extension objects shared by the app factory, models and CLI."""

from flask_appbuilder import Model
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

# One metadata for everything: FAB's Model carries its own MetaData, so
# Flask-SQLAlchemy and Alembic must use it too (see FAB field guide).
db = SQLAlchemy(metadata=Model.metadata)
migrate = Migrate(compare_type=True, render_as_batch=True)
csrf = CSRFProtect()
