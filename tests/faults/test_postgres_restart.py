"""PostgreSQL restarts under load: the services recover by themselves, and every write that was
acknowledged with a 2xx is still there afterwards."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import Client, running_stack
from tools.databases import postgres_base_url

pytestmark = pytest.mark.skipif(not postgres_base_url(), reason="needs TASKSYNC_TEST_POSTGRES_URL")


def restart_postgres() -> None:
    """Restart the machine's PostgreSQL cluster (as this machine's services are started)."""
    versions = sorted(os.listdir("/etc/postgresql")) if Path("/etc/postgresql").is_dir() else []
    assert versions, "no PostgreSQL cluster found to restart"
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "restart"],
        check=True,
        capture_output=True,
        timeout=120,
    )


def test_acknowledged_writes_survive_a_postgres_restart(tmp_path_factory):
    with running_stack(tmp_path_factory, "postgres") as stack:
        person = Client(stack.url).sign_up()
        room = person.post("/api/v1/rooms", json={"name": "Restart"}).json()
        acknowledged, statuses, stop = [], [], threading.Event()

        def write(worker: int):
            writer = Client(stack.url)
            writer.token = person.token
            number = 0
            while not stop.is_set():
                number += 1
                try:
                    response = writer.post(f"/api/v1/rooms/{room['id']}/tasks", json={"title": f"w{worker}-{number}"})
                except OSError:
                    statuses.append("no answer")
                    continue
                statuses.append(response.status_code)
                if response.status_code == 201:
                    acknowledged.append(response.json()["id"])
                else:
                    time.sleep(0.1)

        threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
        for thread in threads:
            thread.start()
        time.sleep(3)
        before_restart = len(acknowledged)
        restart_postgres()
        restarted_at = time.monotonic()
        while time.monotonic() - restarted_at < 20 and statuses[-1:] != [201]:
            time.sleep(0.2)
        time.sleep(3)  # keep writing after recovery
        stop.set()
        for thread in threads:
            thread.join(30)

        assert before_restart > 0
        assert statuses[-1] == 201, "the services did not recover by themselves"
        assert set(statuses) <= {201, 503}, f"only successes and 503s are acceptable: {set(statuses)}"
        held, cursor = set(), None
        while True:
            query = {"limit": 200, **({"cursor": cursor} if cursor else {})}
            page = person.get(f"/api/v1/rooms/{room['id']}/tasks", params=query).json()
            held |= {task["id"] for task in page["items"]}
            cursor = page["next_cursor"]
            if not cursor:
                break
        print(
            f"acknowledged {len(acknowledged)} writes ({before_restart} before the restart), "
            f"{statuses.count(503)} answered 503, all {len(held & set(acknowledged))} found afterwards"
        )
        assert set(acknowledged) <= held
