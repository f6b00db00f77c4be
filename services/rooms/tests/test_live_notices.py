"""What the rooms service tells the gateway's event streams: a member who leaves or is removed,
and a person who logs out or changes their password, must recheck, once the transaction has
committed and after its own publications (the role, the revoked tokens) are out, since the
gateway rechecks by reading them. Heard on the embedded transport, as a gateway worker hears it;
each notice is also looked at as it is sent, to see what the shared cache says at that moment."""

from __future__ import annotations

import jwt
import pytest

from tasksync_common import live
from tasksync_common.board_access import NOT_MEMBER, member_key
from tasksync_common.cache import REVOKED, cache, token_key
from tools.live_listener import listening

from .conftest import headers


@pytest.fixture
def heard(app):
    with listening(app.config["SETTINGS"]) as listener:
        yield listener


@pytest.fixture
def sent(monkeypatch):
    """Each notice as it is published: (topic, notice, what ``look()`` read from the cache then)."""
    seen: list[tuple] = []
    publish = live.publish
    looks: dict = {"at": lambda: None}

    def spy(topic, notice):
        seen.append((topic, notice, looks["at"]()))
        publish(topic, notice)

    monkeypatch.setattr(live, "publish", spy)
    return seen, looks


def token_id(person) -> str:
    token = person["Authorization"].removeprefix("Bearer ")
    return jwt.decode(token, options={"verify_signature": False})["jti"]


def test_a_member_who_leaves_or_is_removed_rechecks_once_the_role_is_out(client, auth, heard, sent):
    owner, member = auth.sign_up("live_owner"), auth.sign_up("live_member")
    room = client.post("/api/v1/rooms", json={"name": "Live"}, headers=headers(owner)).get_json()
    seen, looks = sent
    looks["at"] = lambda: cache.get(member_key(room["id"], member["user_id"]))
    topic, path = live.user_topic(member["user_id"]), f"/api/v1/rooms/{room['id']}/members/{member['user_id']}"
    for remover in (member, owner):  # leaves, then joins again and is removed
        client.post("/api/v1/rooms/join", json={"code": room["code"]}, headers=headers(member))
        assert client.delete(path, headers=headers(remover)).status_code == 204
        assert seen.pop() == (topic, {"recheck": True}, NOT_MEMBER)
        assert heard.next(topic) == {"recheck": True}
    # Refused changes tell nobody: the owner cannot leave, nor a member remove them, and a room
    # whose tasks cannot be deleted (this app's tasks service is unreachable) stays.
    owners = f"/api/v1/rooms/{room['id']}/members/{owner['user_id']}"
    assert client.delete(owners, headers=headers(owner)).status_code == 409
    client.post("/api/v1/rooms/join", json={"code": room["code"]}, headers=headers(member))
    assert client.delete(owners, headers=headers(member)).status_code == 403
    assert client.delete(f"/api/v1/rooms/{room['id']}", headers=headers(owner)).status_code == 503
    assert seen == []


def test_logout_rechecks_once_the_token_is_revoked(client, auth, heard, sent):
    person = auth.sign_up("live_logout")
    seen, looks = sent
    looks["at"] = lambda: cache.get(token_key(token_id(person)))
    assert client.post("/api/v1/auth/logout", headers=headers(person)).status_code == 204
    topic = live.user_topic(person["user_id"])
    assert seen == [(topic, {"recheck": True}, REVOKED)]
    assert heard.next(topic) == {"recheck": True}


def test_a_password_change_rechecks_once_every_token_is_revoked(client, auth, heard, sent):
    first = auth.sign_up("live_password")
    second = auth.log_in("live_password")
    seen, looks = sent
    looks["at"] = lambda: (cache.get(token_key(token_id(first))), cache.get(token_key(token_id(second))))
    body = {"current_password": "correct horse battery", "new_password": "another horse battery"}
    assert client.put("/api/v1/users/me/password", json=body, headers=headers(first)).status_code == 204
    topic = live.user_topic(first["user_id"])
    assert seen == [(topic, {"recheck": True}, (REVOKED, REVOKED))]  # one notice for both tokens
    assert heard.next(topic) == {"recheck": True}
    # A wrong current password changes nothing and tells nobody.
    third = auth.log_in("live_password", "another horse battery")
    body = {"current_password": "wrong horse battery", "new_password": "third horse battery"}
    assert client.put("/api/v1/users/me/password", json=body, headers=headers(third)).status_code == 403
    assert len(seen) == 1
