"""docs/api.md, Comments: a task's comments (oldest first, cursor paging), who may edit and delete
them, their validation, and what they change: the room's revision, never the task's version.
Who may reach them at all (401, 404 for non-members) is in test_access.py."""

from __future__ import annotations

import pytest
import sqlalchemy

from tasksync_common import config
from tests.contract.helpers import RFC3339_UTC, join, make_room, make_task, ok, problem, sign_up, unique

COMMENT_KEYS = {"id", "task_id", "author_id", "author_username", "original_author", "body", "created_at", "updated_at"}


def comments_url(room_id: int, task_id: int, comment_id: int | None = None) -> str:
    return f"/api/v1/rooms/{room_id}/tasks/{task_id}/comments" + (f"/{comment_id}" if comment_id else "")


def assert_comment(comment: dict) -> None:
    assert set(comment) == COMMENT_KEYS, comment
    assert comment["original_author"] is None, comment
    assert RFC3339_UTC.match(comment["created_at"]) and RFC3339_UTC.match(comment["updated_at"]), comment


def comment(client, room_id: int, task_id: int, body: str = "a comment") -> dict:
    made = ok(client.post(comments_url(room_id, task_id), json={"body": body}), 201)
    assert_comment(made)
    return made


def all_comments(client, room_id: int, task_id: int, limit: int = 200) -> list[dict]:
    items, cursor = [], None
    for _ in range(500):
        page = ok(
            client.get(
                comments_url(room_id, task_id), params={"limit": limit, **({"cursor": cursor} if cursor else {})}
            )
        )
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("next_cursor never became null")


def board_etag(client, room_id: int) -> str:
    response = client.get(f"/api/v1/rooms/{room_id}/tasks")
    ok(response)
    return response.headers["ETag"]


@pytest.fixture
def scene(team, owner):
    """The team's room and one task in it."""
    return team["id"], make_task(owner, team["id"])


def test_write_read_edit_delete(scene, owner, member):
    room_id, task = scene
    url = comments_url(room_id, task["id"])
    first = ok(member.post(url, json={"body": "  \n Looks good to me.\tShip it \n "}), 201)
    assert_comment(first)
    assert first["body"] == "Looks good to me.\tShip it"  # trimmed at both ends, inner white space kept
    assert (first["task_id"], first["author_id"]) == (task["id"], member.user["id"])
    assert first["author_username"] == member.user["username"]
    assert first["created_at"] == first["updated_at"]
    second = comment(owner, room_id, task["id"], "Line one\nline two — і українською")
    assert ok(owner.get(url)) == {"items": [first, second], "next_cursor": None}

    edited = ok(member.patch(comments_url(room_id, task["id"], first["id"]), json={"body": " Second thoughts "}))
    assert edited == {**first, "body": "Second thoughts", "updated_at": edited["updated_at"]}
    assert edited["updated_at"] >= first["updated_at"]
    same = ok(member.patch(comments_url(room_id, task["id"], first["id"]), json={"body": "Second thoughts"}))
    assert same == edited  # nothing changed

    ok(member.delete(comments_url(room_id, task["id"], first["id"])), 204)
    assert ok(member.get(url))["items"] == [second]
    problem(member.patch(comments_url(room_id, task["id"], first["id"]), json={"body": "again"}), 404)
    problem(member.delete(comments_url(room_id, task["id"], first["id"])), 404)


def test_only_the_author_edits_and_the_author_or_owner_deletes(team, owner, member, people):
    other = people[2]
    join(other, team)
    room_id, task = team["id"], make_task(owner, team["id"])
    by_member, by_owner, by_other = (
        comment(c, room_id, task["id"], f"by {i}") for i, c in enumerate((member, owner, other))
    )
    for editor, target in ((owner, by_member), (member, by_owner), (member, by_other), (other, by_member)):
        problem(editor.patch(comments_url(room_id, task["id"], target["id"]), json={"body": "defaced"}), 403)
    problem(member.delete(comments_url(room_id, task["id"], by_owner["id"])), 403)
    problem(member.delete(comments_url(room_id, task["id"], by_other["id"])), 403)
    problem(other.delete(comments_url(room_id, task["id"], by_member["id"])), 403)
    assert ok(owner.get(comments_url(room_id, task["id"])))["items"] == [by_member, by_owner, by_other]
    ok(owner.delete(comments_url(room_id, task["id"], by_member["id"])), 204)  # the owner may delete any
    ok(other.delete(comments_url(room_id, task["id"], by_other["id"])), 204)  # an author their own
    assert ok(member.get(comments_url(room_id, task["id"])))["items"] == [by_owner]


def test_unknown_tasks_and_comments_are_404(team, owner):
    room_id = team["id"]
    task, sibling = make_task(owner, room_id), make_task(owner, room_id)
    elsewhere = make_room(owner)
    stranger = make_task(owner, elsewhere["id"])
    mine = comment(owner, room_id, task["id"])
    foreign = comment(owner, elsewhere["id"], stranger["id"])
    for method, body in (("GET", None), ("POST", {"body": "x"})):
        for task_id in (2_147_483_000, stranger["id"]):  # none, and a task of another room
            problem(owner.request(method, comments_url(room_id, task_id), json=body), 404)
    for task_id, comment_id in ((sibling["id"], mine["id"]), (task["id"], foreign["id"]), (task["id"], 2_147_483_000)):
        path = comments_url(room_id, task_id, comment_id)
        problem(owner.patch(path, json={"body": "x"}), 404)
        problem(owner.delete(path), 404)
    assert ok(owner.get(comments_url(room_id, task["id"])))["items"] == [mine]


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "body"),
        ({"body": ""}, "body"),
        ({"body": " \n\t "}, "body"),
        ({"body": "x" * 5_001}, "body"),
        ({"body": " " + "x" * 5_001 + " "}, "body"),
        ({"body": None}, "body"),
        ({"body": 5}, "body"),
        ({"body": ["x"]}, "body"),
        ({"body": "bell \u0007"}, "body"),
        ({"body": "ok", "colour": "red"}, "colour"),
        ({"body": "ok", "id": 1}, "id"),
        ({"body": "ok", "author_id": 1}, "author_id"),
        ({"body": "ok", "author_username": "someone"}, "author_username"),
        ({"body": "ok", "original_author": "someone"}, "original_author"),
        ({"body": "ok", "task_id": 1}, "task_id"),
        ({"body": "ok", "created_at": "2026-12-01T10:00:00Z"}, "created_at"),
    ],
)
def test_invalid_bodies_are_422_naming_the_field(scene, owner, body, field):
    room_id, task = scene
    mine = comment(owner, room_id, task["id"], "kept")
    problem(owner.post(comments_url(room_id, task["id"]), json=body), 422, field)
    problem(owner.patch(comments_url(room_id, task["id"], mine["id"]), json=body), 422, field)
    assert ok(owner.get(comments_url(room_id, task["id"])))["items"] == [mine]


def test_the_longest_body_is_kept_whole(scene, owner):
    room_id, task = scene
    body = "ж" * 4_998 + "\n" + "."  # 5,000 characters
    assert comment(owner, room_id, task["id"], f"  {body}  ")["body"] == body


def test_comments_change_the_rooms_revision_but_not_the_task(scene, owner, member):
    room_id, task = scene
    tags = [board_etag(owner, room_id)]
    made = comment(member, room_id, task["id"])
    tags.append(board_etag(owner, room_id))
    ok(member.patch(comments_url(room_id, task["id"], made["id"]), json={"body": "edited"}))
    tags.append(board_etag(owner, room_id))
    ok(member.patch(comments_url(room_id, task["id"], made["id"]), json={"body": "edited"}))  # no change
    assert board_etag(owner, room_id) == tags[-1]
    ok(member.delete(comments_url(room_id, task["id"], made["id"])), 204)
    tags.append(board_etag(owner, room_id))
    assert len(set(tags)) == 4, tags
    # a client that had the old tag now gets the whole list again
    assert owner.get(f"/api/v1/rooms/{room_id}/tasks", headers={"If-None-Match": tags[0]}).status_code == 200
    after = ok(owner.get(f"/api/v1/rooms/{room_id}/tasks/{task['id']}"))
    assert (after["version"], after["updated_at"]) == (task["version"], task["updated_at"])
    # and If-Match with the task's version still applies
    ok(owner.patch(f"/api/v1/rooms/{room_id}/tasks/{task['id']}", json={"title": "t"}, headers={"If-Match": '"1"'}))


def test_paging_is_exact_oldest_first(scene, owner, member):
    room_id, task = scene
    made = [comment(owner if n % 2 else member, room_id, task["id"], f"comment {n}") for n in range(7)]
    assert all_comments(owner, room_id, task["id"]) == made
    for limit in range(1, 9):
        pages, cursor = [], None
        while True:
            params = {"limit": limit, **({"cursor": cursor} if cursor else {})}
            page = ok(owner.get(comments_url(room_id, task["id"]), params=params))
            pages.append(page["items"])
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert [c for page in pages for c in page] == made, limit
        assert [len(page) for page in pages[:-1]] == [limit] * (len(pages) - 1), limit
        assert 0 < len(pages[-1]) <= limit, (limit, pages)
    # comments added while paging come after the ones seen, each once; one deleted before it is
    # reached is not shown
    page = ok(owner.get(comments_url(room_id, task["id"]), params={"limit": 3}))
    later = [comment(member, room_id, task["id"], f"later {n}") for n in range(2)]
    ok(owner.delete(comments_url(room_id, task["id"], made[4]["id"])), 204)
    seen, cursor = list(page["items"]), page["next_cursor"]
    while cursor:
        page = ok(owner.get(comments_url(room_id, task["id"]), params={"limit": 3, "cursor": cursor}))
        seen += page["items"]
        cursor = page["next_cursor"]
    assert seen == made[:4] + made[5:] + later


@pytest.mark.parametrize("cursor", ["", "nonsense", "dDE6Mg", "YzE6LTE", "YzE6eA", "c1:5", "YzE6OTk5OTk5OTk5OTk5"])
def test_bad_cursors_and_limits_are_422(scene, owner, outsider, cursor):
    room_id, task = scene
    query = {"cursor": cursor} if cursor else {"limit": 0}
    problem(owner.get(comments_url(room_id, task["id"]), params=query), 422, "cursor" if cursor else "limit")
    if cursor:  # a room one is not in is 404, whatever the cursor
        problem(outsider.get(comments_url(room_id, task["id"]), params=query), 404)
    problem(owner.get(comments_url(room_id, task["id"]), params={"limit": 201}), 422, "limit")


def test_a_deleted_task_or_room_takes_its_comments_with_it(stack, team, owner, member):
    room_id = team["id"]
    task, kept = make_task(owner, room_id, user_id=member.user["id"]), make_task(owner, room_id)
    comment(owner, room_id, task["id"], f"@{member.user['username']} look")
    comment(owner, room_id, kept["id"], f"@{member.user['username']} and here")
    ok(owner.delete(f"/api/v1/rooms/{room_id}/tasks/{task['id']}"), 204)
    problem(owner.get(comments_url(room_id, task["id"])), 404)
    engine = sqlalchemy.create_engine(config.load(stack.env).tasks_database_url)
    try:

        def count(table: str) -> int:
            with engine.connect() as connection:
                query = sqlalchemy.text(f"SELECT count(*) FROM {table} WHERE room_id = :room")
                return connection.execute(query, {"room": room_id}).scalar_one()

        assert (count("comments"), count("notifications")) == (1, 2)  # kept's comment; assigned, mentioned
        ok(owner.delete(f"/api/v1/rooms/{room_id}"), 204)
        assert (count("comments"), count("notifications")) == (0, 0)
    finally:
        engine.dispose()


def test_an_author_who_leaves_keeps_their_name_on_their_comments(team, owner, stack):
    newcomer = sign_up(stack.url, unique("leaver"))
    join(newcomer, team)
    task = make_task(owner, team["id"])
    theirs = comment(newcomer, team["id"], task["id"], "before I go")
    ok(newcomer.delete(f"/api/v1/rooms/{team['id']}/members/{newcomer.user['id']}"), 204)
    problem(newcomer.get(comments_url(team["id"], task["id"])), 404)
    assert ok(owner.get(comments_url(team["id"], task["id"])))["items"] == [theirs]
    ok(owner.delete(comments_url(team["id"], task["id"], theirs["id"])), 204)
