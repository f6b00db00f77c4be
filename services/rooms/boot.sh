#!/bin/sh
# Start the rooms service: migrations first (waiting, bounded, for the database), then gunicorn.
set -eu
exec python -m tasksync_common.serve rooms
