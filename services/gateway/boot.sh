#!/bin/sh
# Start the gateway under gunicorn (it owns no database, so there is nothing to migrate).
set -eu
exec python -m tasksync_common.serve gateway
