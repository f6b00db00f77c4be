#!/bin/sh
# Start the tasks service: migrations first (waiting, bounded, for the database), then gunicorn.
set -eu
exec python -m tasksync_common.serve tasks
