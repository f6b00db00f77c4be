"""docs/api.md, Notifications: what makes one (mentions, assignments, comments on one's task),
never of one's own action, each person's list (newest first, `unread_count`, `unread=true`),
a room left hides its notifications, and marking them read."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.contract.helpers import RFC3339_UTC, join, make_room, make_task, ok, problem, sign_up, unique
from tests.contract.test_comments import comment, comments_url

NOTIFICATION_KEYS = {"id", "kind", "room_id", "task_id", "actor_id", "actor_username", "data", "read", "created_at"}
URL = "/api/v1/notifications"


def assert_notification(notification: dict) -> None:
    assert set(notification) == NOTIFICATION_KEYS, notification
    assert notification["kind"] in ("mentioned", "assigned", "commented", "due_soon", "overdue"), notification
    assert isinstance(notification["read"], bool) and isinstance(notification["data"], dict), notification
    assert RFC3339_UTC.match(notification["created_at"]), notification


def inbox(client, **params) -> dict:
    """The first page of the client's notifications (each checked)."""
    page = ok(client.get(URL, params=params))
    assert set(page) == {"items", "next_cursor", "unread_count"}, page
    for notification in page["items"]:
        assert_notification(notification)
    return page


def all_of(client, **params) -> list[dict]:
    items, cursor = [], None
    while True:
        page = ok(client.get(URL, params={**params, **({"cursor": cursor} if cursor else {})}))
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def kinds(client, room_id: int) -> list[tuple[str, int | None, int]]:
    """(kind, task, actor) of the client's notifications about ``room_id``, newest first."""
    return [(n["kind"], n["task_id"], n["actor_id"]) for n in all_of(client) if n["room_id"] == room_id]


@pytest.fixture(scope="module")
def crew(stack):
    """People with related usernames: ``ann``, ``ann.dev`` (a longer name that starts alike),
    ``bob``, and ``ann.ops``, who is in none of the rooms."""
    base = unique("ann")
    names = {"ann": base, "ann.dev": f"{base}.dev", "bob": unique("bob"), "ann.ops": f"{base}.ops"}
    return {key: sign_up(stack.url, name) for key, name in names.items()}


@pytest.fixture
def room(crew):
    """A fresh room of ann's that ann.dev and bob have joined."""
    made = make_room(crew["ann"])
    for key in ("ann.dev", "bob"):
        join(crew[key], made)
    return made


def test_assignment_by_someone_else_notifies_the_assignee(room, crew):
    ann, bob, dev = crew["ann"], crew["bob"], crew["ann.dev"]
    task = make_task(ann, room["id"], user_id=bob.user["id"], title="Write the release notes")
    [notification] = [n for n in inbox(bob)["items"] if n["room_id"] == room["id"]]
    assert notification == {
        "id": notification["id"],
        "kind": "assigned",
        "room_id": room["id"],
        "task_id": task["id"],
        "actor_id": ann.user["id"],
        "actor_username": ann.user["username"],
        "data": {"title": "Write the release notes"},
        "read": False,
        "created_at": notification["created_at"],
    }
    make_task(ann, room["id"], title="for myself")  # one's own task: nobody is told
    mine = make_task(bob, room["id"], user_id=bob.user["id"])
    task_url = f"/api/v1/rooms/{room['id']}/tasks"
    ok(bob.patch(f"{task_url}/{mine['id']}", json={"title": "renamed"}))  # no reassignment
    ok(bob.patch(f"{task_url}/{mine['id']}", json={"user_id": dev.user["id"]}))
    ok(dev.patch(f"{task_url}/{mine['id']}", json={"user_id": dev.user["id"], "title": "same assignee"}))
    ok(dev.patch(f"{task_url}/{mine['id']}", json={"user_id": bob.user["id"]}))
    ok(bob.patch(f"{task_url}/{task['id']}", json={"user_id": ann.user["id"]}))
    ok(ann.patch(f"{task_url}/{task['id']}", json={"user_id": ann.user["id"]}))  # to oneself: nothing
    assert kinds(bob, room["id"]) == [
        ("assigned", mine["id"], dev.user["id"]),
        ("assigned", task["id"], ann.user["id"]),
    ]
    assert kinds(dev, room["id"]) == [("assigned", mine["id"], bob.user["id"])]
    assert kinds(ann, room["id"]) == [("assigned", task["id"], bob.user["id"])]


def test_mentions_match_members_in_any_case_taking_the_longest_name(room, crew):
    ann, dev, bob, ops = crew["ann"], crew["ann.dev"], crew["bob"], crew["ann.ops"]
    task = make_task(bob, room["id"])
    name = ann.user["username"]
    # ann.dev by the longest match, ann by the name followed by a full stop, ann.ops is no member,
    # bob is the author
    made = comment(
        bob, room["id"], task["id"], f"@{name.upper()}.DEV and @{name}. Not @{name}.ops, nor @{bob.user['username']}"
    )
    assert kinds(dev, room["id"]) == [("mentioned", task["id"], bob.user["id"])]
    assert kinds(ann, room["id"]) == [("mentioned", task["id"], bob.user["id"])]
    assert kinds(bob, room["id"]) == []
    assert all(n["room_id"] != room["id"] for n in all_of(ops))
    [notification] = [n for n in inbox(dev)["items"] if n["room_id"] == room["id"]]
    assert notification["actor_username"] == bob.user["username"]
    assert notification["data"] == {"title": task["title"], "comment_id": made["id"], "excerpt": made["body"]}
    # an @ inside a word, and a name that only starts like a member's, mention nobody
    comment(bob, room["id"], task["id"], f"mail{name}@{name}.dev or @{name}x or @{name}_ or @{name}.devs")
    assert len(kinds(dev, room["id"])) == len(kinds(ann, room["id"])) == 1


def test_each_comment_mentions_a_person_once_and_edits_tell_only_the_newly_mentioned(room, crew):
    ann, dev, bob = crew["ann"], crew["ann.dev"], crew["bob"]
    task = make_task(bob, room["id"])
    a, d = ann.user["username"], dev.user["username"]
    made = comment(bob, room["id"], task["id"], f"@{a} @{a} @{a.swapcase()}: one is enough")
    assert kinds(ann, room["id"]) == [("mentioned", task["id"], bob.user["id"])]
    path = comments_url(room["id"], task["id"], made["id"])
    ok(bob.patch(path, json={"body": f"@{a} and now @{d}"}))
    ok(bob.patch(path, json={"body": "nobody"}))
    ok(bob.patch(path, json={"body": f"@{a} @{d} again"}))
    assert len(kinds(ann, room["id"])) == 1
    [mention] = [n for n in all_of(dev) if n["room_id"] == room["id"]]
    assert (mention["kind"], mention["data"]["excerpt"]) == ("mentioned", f"@{a} and now @{d}")
    assert kinds(bob, room["id"]) == []


def test_a_comment_on_ones_task_notifies_once_and_never_for_ones_own(room, crew):
    ann, dev, bob = crew["ann"], crew["ann.dev"], crew["bob"]
    task = make_task(bob, room["id"])  # bob's own
    comment(bob, room["id"], task["id"], "a note to self")
    assert kinds(bob, room["id"]) == []
    comment(ann, room["id"], task["id"], "x" * 300)
    comment(dev, room["id"], task["id"], f"@{bob.user['username']}, see above")  # mentioned, not also commented
    got = [n for n in all_of(bob) if n["room_id"] == room["id"]]
    assert [(n["kind"], n["actor_id"]) for n in got] == [("mentioned", dev.user["id"]), ("commented", ann.user["id"])]
    excerpt = got[1]["data"]["excerpt"]
    assert len(excerpt) <= 200 and excerpt.endswith("\u2026") and excerpt.startswith("x" * 150)
    assert kinds(ann, room["id"]) == kinds(dev, room["id"]) == []


def test_deleting_a_comment_withdraws_its_notifications(room, crew):
    ann, bob = crew["ann"], crew["bob"]
    task = make_task(ann, room["id"], user_id=bob.user["id"])
    made = comment(ann, room["id"], task["id"], "first")
    assert [k for k, _, _ in kinds(bob, room["id"])] == ["commented", "assigned"]
    ok(ann.delete(comments_url(room["id"], task["id"], made["id"])), 204)
    assert [k for k, _, _ in kinds(bob, room["id"])] == ["assigned"]


def test_newest_first_with_exact_paging_and_the_unread_filter(stack, crew):
    ann = crew["ann"]
    reader = sign_up(stack.url)
    made = make_room(ann)
    join(reader, made)
    tasks = [make_task(ann, made["id"], user_id=reader.user["id"], title=f"t{n}") for n in range(7)]
    everything = all_of(reader)
    assert [n["task_id"] for n in everything] == [t["id"] for t in reversed(tasks)]
    assert [n["id"] for n in everything] == sorted((n["id"] for n in everything), reverse=True)
    for limit in (1, 2, 3, 6, 7, 8):
        assert all_of(reader, limit=limit) == everything, limit
    assert inbox(reader, limit=3)["unread_count"] == 7
    ok(reader.post(f"{URL}/read", json={"ids": [everything[1]["id"], everything[4]["id"]]}), 204)
    unread = all_of(reader, unread="true", limit=2)
    assert [n["id"] for n in unread] == [n["id"] for i, n in enumerate(everything) if i not in (1, 4)]
    assert all(not n["read"] for n in unread)
    page = inbox(reader)
    assert page["unread_count"] == 5
    assert [n["read"] for n in page["items"]] == [False, True, False, False, True, False, False]
    ok(reader.post(f"{URL}/read", json={"all": True}), 204)
    assert inbox(reader)["unread_count"] == 0 and inbox(reader, unread="true")["items"] == []
    assert all(n["read"] for n in all_of(reader))


def test_leaving_a_room_hides_its_notifications_and_their_unread_count(stack, crew):
    ann = crew["ann"]
    person = sign_up(stack.url)
    stay, leave = make_room(ann), make_room(ann)
    for made in (stay, leave):
        join(person, made)
    make_task(ann, stay["id"], user_id=person.user["id"])
    for _ in range(2):
        make_task(ann, leave["id"], user_id=person.user["id"])
    assert inbox(person)["unread_count"] == 3
    ok(person.delete(f"/api/v1/rooms/{leave['id']}/members/{person.user['id']}"), 204)
    page = inbox(person)
    assert [n["room_id"] for n in page["items"]] == [stay["id"]] and page["unread_count"] == 1
    assert [n["room_id"] for n in inbox(person, unread="true")["items"]] == [stay["id"]]
    ok(person.post(f"{URL}/read", json={"all": True}), 204)
    join(person, leave)  # back in: what was about the room is shown again
    assert {n["room_id"] for n in all_of(person)} == {stay["id"], leave["id"]}
    ok(ann.delete(f"/api/v1/rooms/{stay['id']}/members/{person.user['id']}"), 204)  # removed by the owner
    assert {n["room_id"] for n in all_of(person)} == {leave["id"]}
    ok(ann.delete(f"/api/v1/rooms/{leave['id']}"), 204)
    assert inbox(person) == {"items": [], "next_cursor": None, "unread_count": 0}


def test_marking_read_ignores_other_peoples_ids(stack, crew):
    ann, bob = crew["ann"], crew["bob"]
    made = make_room(ann)
    join(bob, made)
    make_task(ann, made["id"], user_id=bob.user["id"])
    make_task(bob, made["id"], user_id=ann.user["id"])
    [bobs] = [n for n in all_of(bob) if n["room_id"] == made["id"]]
    [anns] = [n for n in all_of(ann) if n["room_id"] == made["id"]]
    ok(bob.post(f"{URL}/read", json={"ids": [anns["id"], 2_147_483_000, bobs["id"]]}), 204)
    assert [n["read"] for n in all_of(bob) if n["id"] == bobs["id"]] == [True]
    assert [n["read"] for n in all_of(ann) if n["id"] == anns["id"]] == [False]
    ok(bob.post(f"{URL}/read", json={"ids": []}), 204)
    ok(bob.post(f"{URL}/read", json={"all": True}), 204)
    assert [n["read"] for n in all_of(ann) if n["id"] == anns["id"]] == [False]


@pytest.mark.parametrize(
    "body, fields",
    [
        ({}, {"ids", "all"}),
        ({"ids": [1], "all": True}, {"ids", "all"}),
        ({"all": False}, {"all"}),
        ({"all": "true"}, {"all"}),
        ({"all": None}, {"all"}),
        ({"ids": None}, {"ids"}),
        ({"ids": 5}, {"ids"}),
        ({"ids": "1,2"}, {"ids"}),
        ({"ids": ["1"]}, {"ids.0"}),
        ({"ids": [1, 0, 2.5, True]}, {"ids.1", "ids.2", "ids.3"}),
        ({"ids": list(range(1, 202))}, {"ids"}),
        ({"ids": [1], "colour": "red"}, {"colour"}),
    ],
)
def test_invalid_read_bodies_are_422_naming_the_field(crew, body, fields):
    problem(crew["bob"].post(f"{URL}/read", json=body), 422, *fields)


@pytest.mark.parametrize(
    "params, field",
    [
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"cursor": "bm9wZQ"}, "cursor"),
        ({"cursor": "dDE6Mg"}, "cursor"),
        ({"unread": "maybe"}, "unread"),
    ],
)
def test_invalid_list_parameters_are_422(crew, params, field):
    problem(crew["bob"].get(URL, params=params), 422, field)


def test_the_routes_need_a_token_and_are_never_stored(anonymous, crew):
    problem(anonymous.get(URL), 401)
    problem(anonymous.post(f"{URL}/read", json={"all": True}), 401)
    response = crew["bob"].get(URL)
    ok(response)
    assert response.headers["Cache-Control"] == "no-store"


def test_parallel_comments_each_notify_once(room, crew):
    """Comments written at the same moment (the room's lock orders them) each tell each person once."""
    ann, dev, bob = crew["ann"], crew["ann.dev"], crew["bob"]
    task = make_task(ann, room["id"], user_id=bob.user["id"])
    body = f"@{dev.user['username']} and @{bob.user['username']}, look"
    writers = [ann, dev] * 6
    with ThreadPoolExecutor(max_workers=len(writers)) as pool:
        made = list(pool.map(lambda writer: comment(writer, room["id"], task["id"], body), writers))
    assert len({c["id"] for c in made}) == len(writers)
    by_comment = [
        n["data"]["comment_id"] for n in all_of(bob) if n["kind"] == "mentioned" and n["task_id"] == task["id"]
    ]
    assert sorted(by_comment) == sorted(c["id"] for c in made)  # one each, by ann's and by ann.dev's
    dev_told = [n["data"]["comment_id"] for n in all_of(dev) if n["task_id"] == task["id"]]
    assert sorted(dev_told) == sorted(c["id"] for c in made if c["author_id"] == ann.user["id"])
