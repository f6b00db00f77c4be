"""The service's own Flask extensions."""

from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

# Nothing is shared between requests, so what was written stays readable after the commit
# without being loaded again (a task is served right after it is saved).
db = SQLAlchemy(session_options={"expire_on_commit": False})
migrate = Migrate()
