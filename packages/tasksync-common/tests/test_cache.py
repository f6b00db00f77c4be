"""Publishing a counter (a room's revision) to the shared cache, on Redis and on the file cache:
whatever order writers publish in, the largest committed value is what readers find."""

import contextlib
import random
import threading

import pytest
from flask import Flask

from tasksync_common import cache as shared
from tasksync_common.config import load
from tools.databases import redis_url, temporary_redis_prefix


def _caches() -> list[str]:
    return ["files", "redis"] if redis_url() else ["files"]


@pytest.fixture(params=_caches())
def app(request, tmp_path):
    environment = {"TASKSYNC_DATA_DIR": str(tmp_path)}
    prefixes = temporary_redis_prefix(redis_url()) if request.param == "redis" else contextlib.nullcontext()
    with prefixes as prefix:
        if prefix:
            environment |= {"REDIS_URL": redis_url(), "TASKSYNC_CACHE_PREFIX": prefix}
        app = Flask(__name__)
        shared.init_app(app, load(environment))
        with app.app_context():
            yield app


class Counter:
    """The source of truth the publishers read back from (the database, in the tasks service)."""

    def __init__(self):
        self.value = 0
        self.lock = threading.Lock()

    def bump(self) -> int:
        with self.lock:
            self.value += 1
            return self.value

    def load(self) -> int:
        return self.value


def test_a_larger_value_replaces_a_smaller_one(app):
    counter = Counter()
    for _ in range(3):
        shared.publish_counter("revision:1", counter.bump(), counter.load)
    assert shared.cache.get("revision:1") == 3


def test_a_late_smaller_value_never_replaces_a_larger_one(app):
    counter = Counter()
    first, second = counter.bump(), counter.bump()
    shared.publish_counter("revision:1", second, counter.load)
    shared.publish_counter("revision:1", first, counter.load)  # the slower writer, publishing last
    assert shared.cache.get("revision:1") == 2


def test_the_published_value_expires(app):
    shared.publish_counter("revision:1", 1, lambda: 1, timeout=1)
    if shared.cache.cache.__class__.__name__ == "RedisCache":
        client = shared.cache.cache._write_client
        assert 0 < client.ttl(shared.cache.cache._get_prefix() + "revision:1") <= 1
    assert shared.cache.get("revision:1") == 1


def test_writers_publishing_at_once_leave_the_last_commit(app):
    counter = Counter()
    commits = [counter.bump() for _ in range(40)]
    random.Random(7).shuffle(commits)
    ctx = app.app_context

    def publisher(values):
        with ctx():
            for value in values:
                shared.publish_counter("revision:9", value, counter.load)

    threads = [threading.Thread(target=publisher, args=(commits[n::4],)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert shared.cache.get("revision:9") == 40
