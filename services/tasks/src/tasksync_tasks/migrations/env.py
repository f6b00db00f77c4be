"""Alembic entry point of this service's migration history (see tasksync_common.migration_env)."""

from tasksync_common.migration_env import run

run()
