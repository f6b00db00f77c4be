#!/bin/sh
# First start of the PostgreSQL container (an empty volume): one database per TaskSync service,
# each owned by a login role of the same name that no other role may connect to, so that a
# service cannot read another's data. The roles use POSTGRES_PASSWORD; the official image runs
# this from /docker-entrypoint-initdb.d with POSTGRES_USER and POSTGRES_DB set.
set -eu

for database in tasksync_rooms tasksync_tasks; do
    psql --no-psqlrc --set=ON_ERROR_STOP=1 --username="$POSTGRES_USER" --dbname="$POSTGRES_DB" \
        --set=name="$database" --set=password="$POSTGRES_PASSWORD" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
done
