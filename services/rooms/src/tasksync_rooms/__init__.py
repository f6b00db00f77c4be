"""TaskSync rooms service: users, tokens, rooms and membership."""

from __future__ import annotations

from tasksync_common import auth, config, database, peers
from tasksync_common.service_app import create_base_app
from tasksync_common.signing import Verifier

from .access_tokens import service as access_tokens
from .access_tokens import signer as access_token_signer
from .activity import relay
from .extensions import db, migrate
from .mail import sender


def create_app(test_config=None, settings=None):
    """Build the rooms service from the environment (or ``settings``)."""
    settings = settings or config.load()
    app = create_base_app(__name__, "TaskSync API", settings, test_config)
    database.init_app(app, db, migrate, app.config.get("DATABASE_URL") or settings.rooms_database_url)
    from .access_tokens import models as _access_token_models  # noqa: F401  (registers the table)
    from .activity import models as _activity_models  # noqa: F401
    from .mail import models as _mail_models  # noqa: F401

    signer = access_token_signer.init_app(app, settings)
    auth.init_app(app, auth.Authenticator(Verifier(signer.public_keys.get), access_tokens.is_active))
    peers.init_app(app, settings, "tasks")
    relay.init_app(app)
    sender.init_app(app)

    from . import internal
    from .rooms import routes as rooms
    from .users import routes as users

    app.register_blueprint(users.bp)
    app.register_blueprint(rooms.bp)
    app.register_blueprint(internal.bp)

    return app
