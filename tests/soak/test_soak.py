"""The 30-second soak (the 5-minute one is `make soak`): 32 people at once, on the production
configuration when PostgreSQL is there (always in CI). No 5xx, no lost acknowledged write."""

import json

from tools.databases import postgres_base_url
from tools.soak import soak
from tools.stack import private_stack


def test_thirty_second_soak(tmp_path):
    backend = "postgres" if postgres_base_url() else "sqlite"
    with private_stack(tmp_path, backend) as stack:
        report = soak(stack, users=32, seconds=30)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    assert report["requests"] > 200, report["locust_stderr_tail"]
    assert report["acknowledged_tasks_kept"] > 0
    assert report["server_errors"] == []
    assert report["violations"] == []
    assert report["lost_writes"] == []
    assert report["failed_requests"] == 0, report["locust_stderr_tail"]
