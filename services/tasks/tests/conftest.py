"""Fixtures: the tasks app on each database backend, a rolled-back transaction per test.

The tasks service learns membership and token state from the rooms service through the shared
cache; these tests write those answers into the cache, as the rooms service does. The rooms
service itself runs too (its liveness is checked), on a database of its own."""

import contextlib

import pytest

from tasksync_common.board_access import NOT_MEMBER, member_key
from tasksync_common.cache import ACTIVE, cache, token_key
from tasksync_tasks import create_app
from tasksync_tasks.people import username_key
from tools.service_testing import backends, client, db, service_app, serving, signer, token_for, upgraded_from  # noqa: F401


@pytest.fixture(scope="session")
def rooms_url(tmp_path_factory):
    """The real rooms service, serving in a thread: the tasks service needs its peer alive."""
    from tasksync_rooms import create_app as create_rooms_app

    with (
        service_app(create_rooms_app, "sqlite", tmp_path_factory.mktemp("rooms"), "rooms") as rooms,
        serving(rooms) as url,
    ):
        yield url


@pytest.fixture(scope="session", params=backends())
def app(request, tmp_path_factory, rooms_url):
    folder = tmp_path_factory.mktemp("tasks")
    peers = {"ROOMS_URL": rooms_url}
    with service_app(create_app, request.param, folder, "tasks", peers, key_lookup=signer().public_keys.get) as built:
        yield built


class People:
    """Makes signed-in people (named ``user<id>``) and sets their rooms (and usernames, which notifications name), as
    the rooms service would publish them."""

    def __call__(self, user_id: int, rooms: dict | None = None) -> dict:
        token, claims = token_for(user_id)
        cache.set(token_key(claims["jti"]), ACTIVE)
        cache.set(username_key(user_id), f"user{user_id}")  # as the rooms service would answer
        for room_id, role in (rooms or {}).items():
            self.set_role(room_id, user_id, role)
        return {"Authorization": f"Bearer {token}"}

    @staticmethod
    def set_role(room_id: int, user_id: int, role: str | None) -> None:
        cache.set(member_key(room_id, user_id), role or NOT_MEMBER)


@pytest.fixture
def people(db):
    return People()


@contextlib.contextmanager
def migrated(backend: str, tmp_path, rooms_url: str, previous: str, fill):
    """The tasks service's app on a database the migrations up to ``previous`` built and
    ``fill(db)`` filled, then upgraded to the newest: (app, db), inside an app context."""
    env = {"ROOMS_URL": rooms_url}
    with upgraded_from(
        create_app, backend, tmp_path, env, previous, fill, key_lookup=signer().public_keys.get
    ) as built:
        yield built
