"""docs/api.md, Rooms: create, list, get, rename, delete, join, code rotation, members, leave, remove."""

from __future__ import annotations

import secrets
import string

import pytest

from tests.contract.helpers import (
    MEMBER_KEYS,
    RFC3339_UTC,
    assert_room,
    join,
    make_room,
    make_task,
    ok,
    problem,
    sign_up,
    unique,
)

ROOMS = "/api/v1/rooms"
JOIN = "/api/v1/rooms/join"


def unknown_code() -> str:
    return "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(9))


def member_ids(client, room_id) -> dict[int, str]:
    return {m["user_id"]: m["role"] for m in ok(client.get(f"{ROOMS}/{room_id}/members"))["items"]}


# --- create, get, list ------------------------------------------------------------------------


def test_create_room(owner):
    room = ok(owner.post(ROOMS, json={"name": "  Launch plan  "}), 201)
    assert_room(room)
    assert room["name"] == "Launch plan"
    assert room["owner_id"] == owner.user["id"]
    assert room["role"] == "owner"
    assert room["member_count"] == 1
    assert ok(owner.get(f"{ROOMS}/{room['id']}")) == room


def test_codes_are_distinct(owner):
    codes = [make_room(owner)["code"] for _ in range(10)]
    assert len(set(codes)) == len(codes)


@pytest.mark.parametrize(
    "name, stored",
    [
        pytest.param("x", "x", id="1-char"),
        pytest.param("n" * 100, "n" * 100, id="100-chars"),
        pytest.param("  " + "я" * 100 + "  ", "я" * 100, id="100-cyrillic-plus-spaces"),
        pytest.param("\tTab and newline\n", "Tab and newline", id="tab-newline"),
        pytest.param("Inner   spaces", "Inner   spaces", id="inner-spaces-kept"),
    ],
)
def test_room_name_is_trimmed_and_kept(owner, name, stored):
    room = ok(owner.post(ROOMS, json={"name": name}), 201)
    assert room["name"] == stored
    assert ok(owner.get(f"{ROOMS}/{room['id']}"))["name"] == stored


INVALID_NAMES = [
    pytest.param("", id="empty"),
    pytest.param("   \t ", id="blank"),
    pytest.param("n" * 101, id="101-chars"),
    pytest.param(" " + "я" * 101 + " ", id="101-cyrillic"),
    pytest.param(None, id="null"),
    pytest.param(42, id="integer"),
    pytest.param(["room"], id="array"),
    pytest.param({"text": "room"}, id="object"),
]


@pytest.mark.parametrize("name", INVALID_NAMES)
def test_create_room_rejects_invalid_names(owner, name):
    before = ok(owner.get(ROOMS))["items"]
    problem(owner.post(ROOMS, json={"name": name}), 422, "name")
    assert ok(owner.get(ROOMS))["items"] == before


def test_create_room_without_name_is_422(owner):
    problem(owner.post(ROOMS, json={}), 422, "name")


def test_list_holds_exactly_the_callers_rooms(stack, member):
    me = sign_up(stack.url)
    assert ok(me.get(ROOMS)) == {"items": []}
    mine = make_room(me)
    theirs = make_room(member)
    joined = join(me, theirs)
    make_room(member)  # not joined: must not be listed
    items = ok(me.get(ROOMS))["items"]
    for room in items:
        assert_room(room)
    by_id = {room["id"]: room for room in items}
    assert set(by_id) == {mine["id"], theirs["id"]}
    assert by_id[mine["id"]]["role"] == "owner"
    assert by_id[theirs["id"]]["role"] == "member"
    assert by_id[theirs["id"]] == joined


def test_get_room_as_member(team, member, owner):
    room = ok(member.get(f"{ROOMS}/{team['id']}"))
    assert room["role"] == "member"
    assert room["owner_id"] == owner.user["id"]
    assert room["member_count"] == 2
    for key in ("id", "name", "code", "owner_id", "created_at"):
        assert room[key] == team[key], key


# --- rename, delete ---------------------------------------------------------------------------


def test_rename_room(team, owner, member):
    renamed = ok(owner.patch(f"{ROOMS}/{team['id']}", json={"name": "  Renamed  "}))
    assert renamed["name"] == "Renamed"
    assert renamed["code"] == team["code"] and renamed["id"] == team["id"]
    assert ok(member.get(f"{ROOMS}/{team['id']}"))["name"] == "Renamed"


@pytest.mark.parametrize("name", INVALID_NAMES)
def test_rename_rejects_invalid_names(team, owner, name):
    problem(owner.patch(f"{ROOMS}/{team['id']}", json={"name": name}), 422, "name")
    assert ok(owner.get(f"{ROOMS}/{team['id']}"))["name"] == team["name"]


def test_delete_room_deletes_its_tasks(owner, member, team):
    task = make_task(member, team["id"])
    ok(owner.delete(f"{ROOMS}/{team['id']}"), 204)
    for client in (owner, member):
        problem(client.get(f"{ROOMS}/{team['id']}"), 404)
        problem(client.get(f"{ROOMS}/{team['id']}/tasks"), 404)
        problem(client.get(f"{ROOMS}/{team['id']}/tasks/{task['id']}"), 404)
        assert team["id"] not in [r["id"] for r in ok(client.get(ROOMS))["items"]]
    problem(owner.delete(f"{ROOMS}/{team['id']}"), 404)
    problem(member.post(JOIN, json={"code": team["code"]}), 404)
    # a room created next (SQLite may even reuse the id) starts empty
    fresh = make_room(owner)
    assert ok(owner.get(f"{ROOMS}/{fresh['id']}/tasks"))["items"] == []


# --- join, code -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "transform", [str.lower, str.upper, lambda c: c[:4].lower() + c[4:]], ids=["lower", "upper", "mixed"]
)
def test_join_accepts_code_in_any_case(owner, outsider, transform):
    room = make_room(owner)
    joined = ok(outsider.post(JOIN, json={"code": transform(room["code"])}))
    assert joined["id"] == room["id"]
    assert joined["role"] == "member"
    assert joined["member_count"] == 2
    assert member_ids(owner, room["id"]) == {owner.user["id"]: "owner", outsider.user["id"]: "member"}


def test_join_twice_is_200_and_changes_nothing(team, member, owner):
    again = ok(member.post(JOIN, json={"code": team["code"].lower()}))
    assert again["role"] == "member" and again["member_count"] == 2
    as_owner = ok(owner.post(JOIN, json={"code": team["code"]}))
    assert as_owner["role"] == "owner" and as_owner["member_count"] == 2
    assert member_ids(owner, team["id"]) == {owner.user["id"]: "owner", member.user["id"]: "member"}


def test_join_unknown_code_is_404(stack):
    client = sign_up(stack.url)
    problem(client.post(JOIN, json={"code": unknown_code()}), 404)
    assert ok(client.get(ROOMS))["items"] == []


@pytest.mark.parametrize(
    "payload",
    [{}, {"code": None}, {"code": 123456789}, {"code": ["ABCDEFGHI"]}],
    ids=["missing", "null", "integer", "array"],
)
def test_join_validates_code_field(member, payload):
    problem(member.post(JOIN, json=payload), 422, "code")


def test_rotate_code(team, owner, member, outsider):
    rotated = ok(owner.post(f"{ROOMS}/{team['id']}/code"))
    assert_room(rotated)
    assert rotated["id"] == team["id"] and rotated["role"] == "owner"
    assert rotated["code"] != team["code"]
    assert ok(owner.get(f"{ROOMS}/{team['id']}"))["code"] == rotated["code"]
    problem(outsider.post(JOIN, json={"code": team["code"]}), 404)
    problem(outsider.post(JOIN, json={"code": team["code"].lower()}), 404)
    ok(member.get(f"{ROOMS}/{team['id']}/tasks"))  # members stay members
    assert ok(outsider.post(JOIN, json={"code": rotated["code"].lower()}))["member_count"] == 3


# --- members, leave, remove ------------------------------------------------------------------


def test_members_list(team, owner, member):
    for client in (owner, member):
        items = ok(client.get(f"{ROOMS}/{team['id']}/members"))["items"]
        for item in items:
            assert set(item) == MEMBER_KEYS, item
            assert RFC3339_UTC.match(item["joined_at"]), item
        assert {(m["user_id"], m["username"], m["role"]) for m in items} == {
            (owner.user["id"], owner.user["username"], "owner"),
            (member.user["id"], member.user["username"], "member"),
        }


def test_member_leaves(team, owner, member):
    ok(member.delete(f"{ROOMS}/{team['id']}/members/{member.user['id']}"), 204)
    problem(member.get(f"{ROOMS}/{team['id']}"), 404)
    assert team["id"] not in [r["id"] for r in ok(member.get(ROOMS))["items"]]
    assert member_ids(owner, team["id"]) == {owner.user["id"]: "owner"}
    assert ok(owner.get(f"{ROOMS}/{team['id']}"))["member_count"] == 1
    problem(member.delete(f"{ROOMS}/{team['id']}/members/{member.user['id']}"), 404)  # not a member any more
    assert ok(member.post(JOIN, json={"code": team["code"]}))["member_count"] == 2  # and may come back


def test_owner_removes_member(team, owner, member):
    ok(owner.delete(f"{ROOMS}/{team['id']}/members/{member.user['id']}"), 204)
    problem(member.get(f"{ROOMS}/{team['id']}"), 404)
    assert member_ids(owner, team["id"]) == {owner.user["id"]: "owner"}
    problem(owner.delete(f"{ROOMS}/{team['id']}/members/{member.user['id']}"), 404)


@pytest.mark.parametrize("user_id", [0, 2_147_483_647, 99_999_999_999_999_999_999], ids=["zero", "int32-max", "huge"])
def test_removing_a_non_member_is_404(team, owner, user_id):
    problem(owner.delete(f"{ROOMS}/{team['id']}/members/{user_id}"), 404)


def test_removing_an_existing_user_who_is_not_a_member_is_404(team, owner, outsider):
    problem(owner.delete(f"{ROOMS}/{team['id']}/members/{outsider.user['id']}"), 404)


def test_owner_cannot_leave(team, owner):
    problem(owner.delete(f"{ROOMS}/{team['id']}/members/{owner.user['id']}"), 409)
    assert ok(owner.get(f"{ROOMS}/{team['id']}"))["role"] == "owner"


# --- owner-only actions by a member: 403, nothing changes --------------------------------------


def test_member_gets_403_on_owner_only_actions(team, owner, member, outsider):
    join(outsider, team)
    base = f"{ROOMS}/{team['id']}"
    problem(member.patch(base, json={"name": "hijacked"}), 403)
    problem(member.delete(base), 403)
    problem(member.post(f"{base}/code"), 403)
    problem(member.delete(f"{base}/members/{outsider.user['id']}"), 403)
    problem(member.delete(f"{base}/members/{owner.user['id']}"), 403)
    room = ok(owner.get(base))
    assert (room["name"], room["code"], room["member_count"]) == (team["name"], team["code"], 3)


def test_names_are_unique_per_nothing(owner):
    """Two rooms may share a name: nothing in docs/api.md makes room names unique."""
    name = unique("same")
    assert make_room(owner, name)["id"] != make_room(owner, name)["id"]
