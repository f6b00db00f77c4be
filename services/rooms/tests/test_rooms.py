"""Rooms and membership rules, through the rooms service's own routes."""

import re

import pytest

from tasksync_common.board_access import NOT_MEMBER, member_key
from tasksync_common.cache import cache
from tasksync_rooms.rooms import codes
from tasksync_rooms.rooms.models import Room

from .conftest import headers


@pytest.fixture
def owner(auth):
    return auth.sign_up("owner_person")


@pytest.fixture
def member(auth):
    return auth.sign_up("member_person")


@pytest.fixture
def room(client, owner):
    response = client.post("/api/v1/rooms", json={"name": "  Study group  "}, headers=headers(owner))
    assert response.status_code == 201
    return response.get_json()


def test_create_room_trims_name_and_draws_a_code(room, owner):
    assert room["name"] == "Study group"
    assert re.fullmatch(r"[A-Z0-9]{9}", room["code"])
    assert room["role"] == "owner" and room["owner_id"] == owner["user_id"] and room["member_count"] == 1


def test_codes_use_the_whole_alphabet_and_length():
    drawn = {codes.new_code() for _ in range(300)}
    assert len(drawn) == 300
    assert set("".join(drawn)) == set(codes.ALPHABET)


def test_code_collision_draws_again(client, owner, db, monkeypatch):
    first = client.post("/api/v1/rooms", json={"name": "one"}, headers=headers(owner)).get_json()
    drawn = iter([first["code"], first["code"], "ZZZZZZZZ9"])
    monkeypatch.setattr(codes, "new_code", lambda: next(drawn))
    second = client.post("/api/v1/rooms", json={"name": "two"}, headers=headers(owner))
    assert second.status_code == 201
    assert second.get_json()["code"] == "ZZZZZZZZ9"


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, 5, None, "bell\x07"])
def test_bad_room_names_are_named(client, owner, name):
    response = client.post("/api/v1/rooms", json={"name": name}, headers=headers(owner))
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["name"]


def test_join_in_any_case_publishes_membership(client, room, member):
    response = client.post("/api/v1/rooms/join", json={"code": room["code"].lower()}, headers=headers(member))
    assert response.status_code == 200
    assert response.get_json()["role"] == "member" and response.get_json()["member_count"] == 2
    assert cache.get(member_key(room["id"], member["user_id"])) == "member"
    again = client.post("/api/v1/rooms/join", json={"code": room["code"]}, headers=headers(member))
    assert again.status_code == 200 and again.get_json()["member_count"] == 2


def test_unknown_and_malformed_codes(client, member):
    assert client.post("/api/v1/rooms/join", json={"code": "AAAAAAAAA"}, headers=headers(member)).status_code == 404
    malformed = client.post("/api/v1/rooms/join", json={"code": "short"}, headers=headers(member))
    assert malformed.status_code == 422 and malformed.get_json()["errors"][0]["field"] == "code"


def test_rotating_the_code_retires_the_old_one(client, room, owner, member):
    rotated = client.post(f"/api/v1/rooms/{room['id']}/code", headers=headers(owner)).get_json()
    assert rotated["code"] != room["code"]
    assert client.post("/api/v1/rooms/join", json={"code": room["code"]}, headers=headers(member)).status_code == 404
    assert client.post("/api/v1/rooms/join", json={"code": rotated["code"]}, headers=headers(member)).status_code == 200


def test_owner_only_actions_refuse_members(client, room, member):
    client.post("/api/v1/rooms/join", json={"code": room["code"]}, headers=headers(member))
    path = f"/api/v1/rooms/{room['id']}"
    assert client.patch(path, json={"name": "mine"}, headers=headers(member)).status_code == 403
    assert client.post(path + "/code", headers=headers(member)).status_code == 403
    assert client.delete(path, headers=headers(member)).status_code == 403


def test_leaving_is_published_at_once(client, room, member, owner):
    client.post("/api/v1/rooms/join", json={"code": room["code"]}, headers=headers(member))
    path = f"/api/v1/rooms/{room['id']}/members/{member['user_id']}"
    assert client.delete(path, headers=headers(member)).status_code == 204
    assert cache.get(member_key(room["id"], member["user_id"])) == NOT_MEMBER
    assert client.get(f"/api/v1/rooms/{room['id']}", headers=headers(member)).status_code == 404
    assert client.delete(path, headers=headers(owner)).status_code == 404


def test_owner_cannot_leave(client, room, owner):
    response = client.delete(f"/api/v1/rooms/{room['id']}/members/{owner['user_id']}", headers=headers(owner))
    assert response.status_code == 409


def test_members_list_owner_first(client, room, owner, member):
    client.post("/api/v1/rooms/join", json={"code": room["code"]}, headers=headers(member))
    items = client.get(f"/api/v1/rooms/{room['id']}/members", headers=headers(member)).get_json()["items"]
    assert [(i["username"], i["role"]) for i in items] == [("owner_person", "owner"), ("member_person", "member")]


def test_delete_refused_cleanly_while_tasks_service_is_down(client, room, owner, db):
    # The test app's tasks service address answers nothing: the room must stay, whole.
    response = client.delete(f"/api/v1/rooms/{room['id']}", headers=headers(owner))
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert db.session.get(Room, room["id"]).deleting is False
    assert client.get(f"/api/v1/rooms/{room['id']}", headers=headers(owner)).status_code == 200
    assert cache.get(member_key(room["id"], owner["user_id"])) == "owner"


def test_internal_membership_answers_only_members(client, room, owner, member, auth):
    path = f"/internal/v1/rooms/{room['id']}/members/{owner['user_id']}"
    assert client.get(path, headers=headers(owner)).get_json() == {"role": "owner"}
    assert client.get(path, headers=headers(member)).status_code == 404
    assert client.get(path).status_code == 401
