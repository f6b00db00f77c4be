"""The service's own Flask extensions."""

from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from tasksync_common import after_commit

# Its sessions run what a write deferred (after_commit.defer) once the write commits.
db = SQLAlchemy(session_options=after_commit.session_options())
migrate = Migrate()
