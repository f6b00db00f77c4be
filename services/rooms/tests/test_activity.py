"""The rooms service's part of the history: an outbox row in the transaction of each membership
change and rename (and none for a request that changes nothing or fails), kept until the tasks
service has taken it."""

import pytest
from sqlalchemy import select

from tasksync_rooms.activity import relay
from tasksync_rooms.activity.models import OutboxEntry

from .conftest import headers


def outbox(db) -> list[tuple]:
    rows = db.session.execute(select(OutboxEntry).order_by(OutboxEntry.id)).scalars()
    return [(row.room_id, row.kind, row.actor_id, row.actor_username, row.data) for row in rows]


@pytest.fixture
def owner(auth):
    return auth.sign_up("owner_of_history")


@pytest.fixture
def member(auth):
    return auth.sign_up("Member_Of_History")


@pytest.fixture
def room(client, owner):
    return client.post("/api/v1/rooms", json={"name": "Before"}, headers=headers(owner)).get_json()


def test_each_change_writes_one_outbox_row(client, db, owner, member, room):
    room_id, code = room["id"], room["code"]
    assert outbox(db) == []  # creating a room is not in its history
    assert client.post("/api/v1/rooms/join", json={"code": code}, headers=headers(member)).status_code == 200
    assert client.post("/api/v1/rooms/join", json={"code": code.lower()}, headers=headers(member)).status_code == 200
    assert client.patch(f"/api/v1/rooms/{room_id}", json={"name": "After"}, headers=headers(owner)).status_code == 200
    assert client.patch(f"/api/v1/rooms/{room_id}", json={"name": "After"}, headers=headers(owner)).status_code == 200
    assert client.patch(f"/api/v1/rooms/{room_id}", json={"name": "Mine"}, headers=headers(member)).status_code == 403
    assert (
        client.delete(f"/api/v1/rooms/{room_id}/members/{owner['user_id']}", headers=headers(owner)).status_code == 409
    )
    leave = f"/api/v1/rooms/{room_id}/members/{member['user_id']}"
    assert client.delete(leave, headers=headers(member)).status_code == 204
    assert client.post("/api/v1/rooms/join", json={"code": code}, headers=headers(member)).status_code == 200
    assert client.delete(leave, headers=headers(owner)).status_code == 204
    someone = {"user_id": member["user_id"], "username": "Member_Of_History"}
    by_member = (member["user_id"], "Member_Of_History")
    by_owner = (owner["user_id"], "owner_of_history")
    assert outbox(db) == [
        (room_id, "member.joined", *by_member, someone),
        (room_id, "room.renamed", *by_owner, {"name": "After", "changes": {"name": ["Before", "After"]}}),
        (room_id, "member.left", *by_member, someone),
        (room_id, "member.joined", *by_member, someone),
        (room_id, "member.removed", *by_owner, someone),
    ]


def test_rows_stay_while_the_tasks_service_cannot_take_them(client, db, member, room):
    client.post("/api/v1/rooms/join", json={"code": room["code"]}, headers=headers(member))
    with pytest.raises(relay.Undelivered):  # this app's tasks service is unreachable
        relay.deliver_all()
    assert [kind for _room, kind, *_ in outbox(db)] == ["member.joined"]
