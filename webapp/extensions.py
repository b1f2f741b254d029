"""Flask extensions, created once here and attached to the app in ``create_app``."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

#: Named constraints from the first migration on, so later migrations can alter them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def not_the_queue(name, type_, parent_names) -> bool:
    """Leave the job queue's own tables (huey's, on PostgreSQL) out of schema comparisons:
    migration 0026 makes them as huey defines them, and no model describes them."""
    return not (type_ == "table" and name and name.startswith("huey_"))


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True, include_name=not_the_queue)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
