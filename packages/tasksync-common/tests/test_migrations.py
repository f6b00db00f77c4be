"""Migrations applied by several replicas at once, as `--scale` starts them on an empty database."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import create_engine, inspect

from tasksync_common.serve import apply_migrations
from tools.databases import postgres_base_url, temporary_postgres_database


@pytest.mark.skipif(not postgres_base_url(), reason="needs TASKSYNC_TEST_POSTGRES_URL")
@pytest.mark.parametrize("service", ["tasksync_rooms", "tasksync_tasks"])
def test_replicas_migrating_at_once_all_succeed(service, tmp_path, monkeypatch):
    variable = "ROOMS_DATABASE_URL" if service == "tasksync_rooms" else "TASKS_DATABASE_URL"
    with temporary_postgres_database(postgres_base_url(), "migrate") as url:
        monkeypatch.setenv(variable, url)
        monkeypatch.setenv("TASKSYNC_DATA_DIR", str(tmp_path))
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda _: apply_migrations(service), range(4)))
        engine = create_engine(url)
        assert {"tasks", "users"} & set(inspect(engine).get_table_names())
        engine.dispose()
