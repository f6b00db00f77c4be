"""TaskSync tasks service: the tasks inside rooms."""

from __future__ import annotations

from tasksync_common import auth, config, database, peers
from tasksync_common.peers import RemoteKeys, remote_token_state
from tasksync_common.service_app import create_base_app
from tasksync_common.signing import Verifier

from .extensions import db, migrate


def create_app(test_config=None, settings=None, key_lookup=None):
    """Build the tasks service from the environment (or ``settings``)."""
    settings = settings or config.load()
    app = create_base_app(__name__, "TaskSync API", settings, test_config)
    database.init_app(app, db, migrate, app.config.get("DATABASE_URL") or settings.tasks_database_url)
    from .activity import models as _activity_models  # noqa: F401  (registers the tables)
    from .calendar import models as _calendar_models  # noqa: F401
    from .checklists import models as _checklist_models  # noqa: F401
    from .comments import models as _comment_models  # noqa: F401
    from .labels import models as _label_models  # noqa: F401
    from .notifications import models as _notification_models  # noqa: F401
    from .reminders import models as _reminder_models  # noqa: F401
    from .tasks import models as _models  # noqa: F401

    rooms = peers.init_app(app, settings, "rooms")["rooms"]
    auth.init_app(app, auth.Authenticator(Verifier(key_lookup or RemoteKeys(rooms)), remote_token_state(rooms)))

    from . import internal
    from .activity import routes as activity
    from .assigned import routes as assigned
    from .calendar import routes as calendar
    from .checklists import routes as checklists
    from .comments import routes as comments
    from .labels import routes as labels
    from .notifications import routes as notifications
    from .reminders import routes as reminders
    from .reminders import worker as reminder_worker
    from .tasks import routes as tasks

    app.register_blueprint(tasks.bp)
    app.register_blueprint(checklists.bp)
    app.register_blueprint(labels.bp)
    app.register_blueprint(assigned.bp)
    app.register_blueprint(activity.bp)
    app.register_blueprint(comments.bp)
    app.register_blueprint(notifications.bp)
    app.register_blueprint(calendar.bp)
    app.register_blueprint(reminders.bp)
    app.register_blueprint(internal.bp)
    reminder_worker.init_app(app)

    return app
