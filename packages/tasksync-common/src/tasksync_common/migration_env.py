"""The Alembic environment every service's migration history runs in (its env.py calls run())."""

from __future__ import annotations

import logging

from alembic import context
from flask import current_app

log = logging.getLogger("alembic.env")


def _skip_empty_autogenerate(context_, revision, directives):
    """`flask db migrate` with no model change writes no empty migration."""
    if getattr(context_.config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        log.info("No changes in schema detected.")


def run() -> None:
    """Run the migrations of the current Flask app's service, online or offline."""
    migrate = current_app.extensions["migrate"]
    db = migrate.db
    options = {
        "target_metadata": db.metadata,
        "process_revision_directives": _skip_empty_autogenerate,
        **migrate.configure_args,
    }
    if context.is_offline_mode():
        context.configure(url=db.engine.url.render_as_string(hide_password=False), literal_binds=True, **options)
        with context.begin_transaction():
            context.run_migrations()
        return
    with db.engine.connect() as connection:
        context.configure(connection=connection, **options)
        with context.begin_transaction():
            context.run_migrations()
