"""Rotating the signing secret: tokens of the previous key stay valid until they expire."""

import jwt

from tests.conftest import Client, running_stack

OLD = "old-secret-" + "k4Jx9pLm2Rt7Wn5Yb" * 3
NEW = "new-secret-" + "Q8vZ3cHd6Fg1Ae0Ws" * 3


def test_rotation_keeps_previous_tokens_until_they_expire(tmp_path_factory):
    with running_stack(tmp_path_factory, "sqlite", {"TASKSYNC_SECRET_KEY": OLD}) as stack:
        person = Client(stack.url).sign_up()
        old_kid = jwt.get_unverified_header(person.token)["kid"]

        stack.env.update(TASKSYNC_SECRET_KEY=NEW, TASKSYNC_PREVIOUS_SECRET_KEYS=OLD)
        stack.stop_service("rooms")
        stack.start_service("rooms")
        stack.wait_ready()

        assert person.get("/api/v1/users/me").status_code == 200  # signed by the previous key
        fresh = Client(stack.url).log_in(person.user["username"], "correct horse battery")
        assert jwt.get_unverified_header(fresh.token)["kid"] != old_kid
        assert fresh.post("/api/v1/rooms", json={"name": "after rotation"}).status_code == 201

        stack.env.pop("TASKSYNC_PREVIOUS_SECRET_KEYS")
        stack.stop_service("rooms")
        stack.start_service("rooms")
        stack.wait_ready()
        # Retired: the old key is no longer published, so its tokens stop working everywhere.
        assert Client(stack.url).log_in(person.user["username"], "correct horse battery")
        assert person.get("/api/v1/users/me").status_code == 401
