"""docs/api.md, Tasks: create, list (filters, limit, cursor), get, patch (If-Match, version), delete."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from tests.contract.helpers import (
    assert_task,
    etag,
    join,
    list_all_tasks,
    make_room,
    make_task,
    ok,
    problem,
)


@pytest.fixture
def room(team):
    """The room owner and member share (outsider is in none of them)."""
    return team


def tasks_url(room_id, task_id=None):
    return f"/api/v1/rooms/{room_id}/tasks" + (f"/{task_id}" if task_id is not None else "")


# --- create -----------------------------------------------------------------------------------


def test_create_with_defaults(room, member):
    response = member.post(tasks_url(room["id"]), json={"title": "  Buy milk  "})
    task = ok(response, 201)
    assert_task(task)
    assert task["title"] == "Buy milk"
    assert task["room_id"] == room["id"]
    assert task["user_id"] == member.user["id"]
    assert task["created_by"] == member.user["id"]
    assert task["status"] == "pending"
    assert task["version"] == 1
    assert task["description"] in (None, "")
    assert response.headers["ETag"] == '"1"'
    location = urljoin(response.url, response.headers["Location"])
    assert location.endswith(tasks_url(room["id"], task["id"]))
    fetched = member.session.get(location, headers={"Authorization": f"Bearer {member.token}"}, timeout=30)
    assert ok(fetched) == task
    assert fetched.headers["ETag"] == '"1"'


def test_create_with_every_field(room, owner, member):
    body = {
        "title": "Plan",
        "description": "Long\nmultiline ОПИС",
        "status": "in progress",
        "user_id": member.user["id"],
    }
    task = ok(owner.post(tasks_url(room["id"]), json=body), 201)
    assert {k: task[k] for k in body} == body
    assert task["created_by"] == owner.user["id"]
    assert ok(member.get(tasks_url(room["id"], task["id"]))) == task


@pytest.mark.parametrize("status", ["pending", "in progress", "completed"])
def test_create_with_each_status(room, owner, status):
    assert make_task(owner, room["id"], status=status)["status"] == status


@pytest.mark.parametrize(
    "title, stored",
    [
        pytest.param("x", "x", id="1-char"),
        pytest.param("t" * 255, "t" * 255, id="255-chars"),
        pytest.param("  " + "ж" * 255 + "  ", "ж" * 255, id="255-cyrillic-plus-spaces"),
        pytest.param("\tTab and newline\n", "Tab and newline", id="tab-newline"),
        pytest.param("Inner   spaces", "Inner   spaces", id="inner-spaces-kept"),
    ],
)
def test_title_is_trimmed_and_kept(room, owner, title, stored):
    task = ok(owner.post(tasks_url(room["id"]), json={"title": title}), 201)
    assert task["title"] == stored
    assert ok(owner.get(tasks_url(room["id"], task["id"])))["title"] == stored


INVALID_FIELDS = [
    pytest.param("title", "", id="title-empty"),
    pytest.param("title", "   \t", id="title-blank"),
    pytest.param("title", "t" * 256, id="title-256"),
    pytest.param("title", " " + "ж" * 256 + " ", id="title-256-cyrillic"),
    pytest.param("title", None, id="title-null"),
    pytest.param("title", 7, id="title-integer"),
    pytest.param("title", ["a"], id="title-array"),
    pytest.param("description", "d" * 10_001, id="description-10001"),
    pytest.param("description", "ж" * 10_001, id="description-10001-cyrillic"),
    pytest.param("description", 5, id="description-integer"),
    pytest.param("description", {"text": "x"}, id="description-object"),
    pytest.param("status", "done", id="status-unknown"),
    pytest.param("status", "Pending", id="status-wrong-case"),
    pytest.param("status", "in_progress", id="status-underscore"),
    pytest.param("status", "in progress ", id="status-trailing-space"),
    pytest.param("status", "", id="status-empty"),
    pytest.param("status", 1, id="status-integer"),
    pytest.param("user_id", 999_999_999, id="user_id-no-such-user"),
    pytest.param("user_id", 0, id="user_id-zero"),
    pytest.param("user_id", -1, id="user_id-negative"),
    pytest.param("user_id", "me", id="user_id-word"),
]


@pytest.mark.parametrize("field, value", INVALID_FIELDS)
def test_create_rejects_invalid_fields(room, owner, field, value):
    body = {"title": "valid title", field: value}
    problem(owner.post(tasks_url(room["id"]), json=body), 422, field)
    assert ok(owner.get(tasks_url(room["id"])))["items"] == []


def test_create_without_title_is_422(room, owner):
    problem(owner.post(tasks_url(room["id"]), json={"description": "no title"}), 422, "title")


def test_create_names_every_offending_field(room, owner):
    problem(
        owner.post(tasks_url(room["id"]), json={"title": "", "status": "done", "description": 1}),
        422,
        "title",
        "status",
        "description",
    )


@pytest.mark.parametrize(
    "description", ["d" * 10_000, "ж" * 10_000, "", None], ids=["10000", "10000-cyrillic", "empty", "null"]
)
def test_description_bounds(room, owner, description):
    task = make_task(owner, room["id"], description=description)
    assert task["description"] == description
    assert ok(owner.get(tasks_url(room["id"], task["id"])))["description"] == description


def test_assignee_must_be_a_member(room, owner, outsider):
    problem(owner.post(tasks_url(room["id"]), json={"title": "x", "user_id": outsider.user["id"]}), 422, "user_id")
    task = make_task(owner, room["id"])
    problem(owner.patch(tasks_url(room["id"], task["id"]), json={"user_id": outsider.user["id"]}), 422, "user_id")
    assert ok(owner.get(tasks_url(room["id"], task["id"]))) == task


def test_former_member_cannot_be_assigned(room, owner, member):
    ok(member.delete(f"/api/v1/rooms/{room['id']}/members/{member.user['id']}"), 204)
    problem(owner.post(tasks_url(room["id"]), json={"title": "x", "user_id": member.user["id"]}), 422, "user_id")


# --- get, patch, delete ----------------------------------------------------------------------------


def test_get_carries_etag(room, owner, member):
    task = make_task(owner, room["id"], user_id=member.user["id"])
    response = member.get(tasks_url(room["id"], task["id"]))
    assert ok(response) == task
    assert response.headers["ETag"] == '"1"'


def test_patch_changes_fields_and_grows_version(room, owner, member):
    task = make_task(owner, room["id"])
    url = tasks_url(room["id"], task["id"])
    changes = [
        {"title": "  New title  "},
        {"description": "details"},
        {"status": "in progress"},
        {"user_id": member.user["id"]},
        {"status": "completed", "description": None},
        {"description": ""},
    ]
    for version, change in enumerate(changes, start=2):
        response = member.patch(url, json=change)
        updated = ok(response)
        assert_task(updated)
        assert updated["version"] == version
        assert response.headers["ETag"] == etag(version)
    final = ok(owner.get(url))
    assert (final["title"], final["description"], final["status"], final["user_id"], final["version"]) == (
        "New title",
        "",
        "completed",
        member.user["id"],
        7,
    )
    assert (final["id"], final["room_id"], final["created_by"], final["created_at"]) == (
        task["id"],
        task["room_id"],
        owner.user["id"],
        task["created_at"],
    )


@pytest.mark.parametrize("field, value", INVALID_FIELDS)
def test_patch_rejects_invalid_fields_and_changes_nothing(room, owner, field, value):
    task = make_task(owner, room["id"])
    problem(owner.patch(tasks_url(room["id"], task["id"]), json={field: value}), 422, field)
    assert ok(owner.get(tasks_url(room["id"], task["id"]))) == task


def test_if_match(room, owner, member):
    task = make_task(owner, room["id"])
    url = tasks_url(room["id"], task["id"])
    response = member.patch(url, json={"status": "completed"}, headers={"If-Match": etag(1)})
    assert ok(response)["version"] == 2
    assert response.headers["ETag"] == etag(2)
    stale = owner.patch(url, json={"title": "stale edit", "status": "pending"}, headers={"If-Match": etag(1)})
    problem(stale, 412)
    current = ok(owner.get(url))
    assert (current["title"], current["status"], current["version"]) == (task["title"], "completed", 2)
    problem(owner.patch(url, json={"title": "future"}, headers={"If-Match": etag(3)}), 412)
    assert ok(owner.get(url)) == current
    # without If-Match the change applies to whatever the current version is
    assert ok(owner.patch(url, json={"title": "free edit"}))["version"] == 3
    assert ok(owner.patch(url, json={"title": "matched"}, headers={"If-Match": etag(3)}))["version"] == 4


def test_delete_task(room, owner, member):
    task = make_task(owner, room["id"])
    keep = make_task(owner, room["id"])
    ok(member.delete(tasks_url(room["id"], task["id"])), 204)
    problem(owner.get(tasks_url(room["id"], task["id"])), 404)
    problem(owner.patch(tasks_url(room["id"], task["id"]), json={"title": "x"}), 404)
    problem(owner.delete(tasks_url(room["id"], task["id"])), 404)
    assert [t["id"] for t in ok(owner.get(tasks_url(room["id"])))["items"]] == [keep["id"]]


@pytest.mark.parametrize("task_id", [999_999_999, 0, 99_999_999_999_999_999_999], ids=["missing", "zero", "huge"])
def test_task_that_does_not_exist_is_404(room, owner, task_id):
    problem(owner.get(tasks_url(room["id"], task_id)), 404)
    problem(owner.patch(tasks_url(room["id"], task_id), json={"title": "x"}), 404)
    problem(owner.delete(tasks_url(room["id"], task_id)), 404)


def test_task_of_another_room_is_404(room, owner):
    other_room = make_room(owner)  # the caller is a member of both rooms
    task = make_task(owner, other_room["id"])
    wrong = tasks_url(room["id"], task["id"])
    problem(owner.get(wrong), 404)
    problem(owner.patch(wrong, json={"title": "moved?"}), 404)
    problem(owner.patch(wrong, json={"title": "moved?"}, headers={"If-Match": etag(1)}), 404)
    problem(owner.delete(wrong), 404)
    assert ok(owner.get(tasks_url(other_room["id"], task["id"]))) == task
    assert ok(owner.get(tasks_url(room["id"])))["items"] == []


# --- list: filters -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def filter_room(people):
    owner, member, _ = people
    room = make_room(owner)
    join(member, room)
    specs = [
        ("Buy milk", None, "pending", owner),
        ("Write ОПИС", "", "in progress", member),
        ("Deploy", "Нужно обновить описание", "completed", owner),
        ("Ελληνικά ΣΟΦΙΑ", "greek", "pending", member),
        ("Café ÉCLAIR", "pâtisserie", "in progress", owner),
        ("MILK again", "no", "completed", member),
    ]
    tasks = [
        make_task(owner, room["id"], title=t, description=d, status=s, user_id=u.user["id"]) for t, d, s, u in specs
    ]
    return room, tasks


def listed(client, room, **params):
    return [t["title"] for t in ok(client.get(tasks_url(room["id"]), params=params))["items"]]


def test_list_in_creation_order(filter_room, member):
    room, tasks = filter_room
    page = ok(member.get(tasks_url(room["id"])))
    assert page["items"] == tasks
    assert page["next_cursor"] is None


@pytest.mark.parametrize("status", ["pending", "in progress", "completed"])
def test_filter_by_status(filter_room, owner, status):
    room, tasks = filter_room
    assert listed(owner, room, status=status) == [t["title"] for t in tasks if t["status"] == status]


def test_filter_by_user(filter_room, owner, member, outsider):
    room, tasks = filter_room
    for user in (owner, member):
        expected = [t["title"] for t in tasks if t["user_id"] == user.user["id"]]
        assert listed(owner, room, user_id=user.user["id"]) == expected
    assert listed(owner, room, user_id=outsider.user["id"]) == []


@pytest.mark.parametrize(
    "q, titles",
    [
        pytest.param("опис", ["Write ОПИС", "Deploy"], id="cyrillic-lower-finds-upper-and-description"),
        pytest.param("ОПИС", ["Write ОПИС", "Deploy"], id="cyrillic-upper"),
        pytest.param("milk", ["Buy milk", "MILK again"], id="latin"),
        pytest.param("σοφια", ["Ελληνικά ΣΟΦΙΑ"], id="greek"),
        pytest.param("GREEK", ["Ελληνικά ΣΟΦΙΑ"], id="description-only"),
        pytest.param("éclair", ["Café ÉCLAIR"], id="latin-accented"),
        pytest.param("PÂTISSERIE", ["Café ÉCLAIR"], id="latin-accented-description"),
        pytest.param("nothing like this", [], id="no-match"),
        pytest.param("%", [], id="percent-is-literal"),
        pytest.param("_", [], id="underscore-is-literal"),
    ],
)
def test_filter_by_q_case_insensitive(filter_room, member, q, titles):
    room, _ = filter_room
    assert listed(member, room, q=q) == titles


def test_filters_combine(filter_room, owner, member):
    room, _ = filter_room
    assert listed(owner, room, q="milk", status="completed") == ["MILK again"]
    assert listed(owner, room, q="milk", user_id=owner.user["id"]) == ["Buy milk"]
    assert listed(owner, room, q="milk", user_id=owner.user["id"], status="completed") == []


@pytest.mark.parametrize(
    "params, field",
    [
        ({"status": "done"}, "status"),
        ({"user_id": "abc"}, "user_id"),
        ({"user_id": "1.5"}, "user_id"),
        ({"limit": "0"}, "limit"),
        ({"limit": "201"}, "limit"),
        ({"limit": "-1"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"limit": "2.5"}, "limit"),
        ({"limit": "99999999999999999999999"}, "limit"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": "🙂"}, "cursor"),
        ({"cursor": "\x00"}, "cursor"),
    ],
)
def test_list_rejects_invalid_parameters(filter_room, owner, params, field):
    room, _ = filter_room
    problem(owner.get(tasks_url(room["id"]), params=params), 422, field)


# --- list: limit and cursor pagination ---------------------------------------------------------


@pytest.fixture(scope="module")
def big_room(people):
    owner, _, _ = people
    room = make_room(owner)
    ids = [make_task(owner, room["id"], title=f"task {n:03}")["id"] for n in range(120)]
    return room, ids


def test_default_limit_is_50(big_room, owner):
    room, ids = big_room
    page = ok(owner.get(tasks_url(room["id"])))
    assert [t["id"] for t in page["items"]] == ids[:50]
    assert isinstance(page["next_cursor"], str) and page["next_cursor"]


@pytest.mark.parametrize("limit, count", [(1, 1), (7, 7), (200, 120)])
def test_limit_bounds(big_room, owner, limit, count):
    room, ids = big_room
    page = ok(owner.get(tasks_url(room["id"]), params={"limit": limit}))
    assert [t["id"] for t in page["items"]] == ids[:count]
    assert (page["next_cursor"] is None) == (count == len(ids))


@pytest.mark.parametrize("limit", [1, 7, 50, 119, 120, 200])
def test_cursor_yields_every_task_exactly_once(big_room, owner, limit):
    room, ids = big_room
    assert [t["id"] for t in list_all_tasks(owner, room["id"], limit=limit)] == ids


def test_cursor_keeps_filters(big_room, owner):
    room, _ids = big_room
    found = list_all_tasks(owner, room["id"], limit=3, q="TASK 1")
    assert [t["title"] for t in found] == [f"task {n:03}" for n in range(100, 120)]


def test_cursor_while_tasks_are_added(room, owner, member):
    before = [make_task(owner, room["id"], title=f"early {n}")["id"] for n in range(12)]
    seen, added, cursor = [], [], None
    while True:
        params = {"limit": 5, **({"cursor": cursor} if cursor else {})}
        page = ok(member.get(tasks_url(room["id"]), params=params))
        seen += [t["id"] for t in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
        added.append(make_task(owner, room["id"], title=f"late {len(added)}")["id"])
    assert len(seen) == len(set(seen))
    assert seen == before + added


def test_cursor_from_a_deleted_position_still_works(room, owner):
    ids = [make_task(owner, room["id"])["id"] for _ in range(6)]
    page = ok(owner.get(tasks_url(room["id"]), params={"limit": 3}))
    ok(owner.delete(tasks_url(room["id"], ids[2])), 204)  # the last task of the first page
    rest = ok(owner.get(tasks_url(room["id"]), params={"limit": 10, "cursor": page["next_cursor"]}))
    assert [t["id"] for t in rest["items"]] == ids[3:]
    assert rest["next_cursor"] is None


# --- planning fields: due_at, priority, position, move, filters and board order -------------------


def test_due_at_takes_any_offset_and_answers_in_utc(room, owner):
    task = make_task(owner, room["id"], due_at="2026-12-05T18:00:00+02:00", priority="urgent")
    assert (task["due_at"], task["priority"]) == ("2026-12-05T16:00:00Z", "urgent")
    url = tasks_url(room["id"], task["id"])
    assert ok(owner.patch(url, json={"due_at": "2026-12-05T11:00:00-05:00"}))["version"] == 1  # the same instant
    changed = ok(owner.patch(url, json={"due_at": None, "priority": "low"}))
    assert (changed["due_at"], changed["priority"], changed["version"]) == (None, "low", 2)
    assert make_task(owner, room["id"])["priority"] == "none"


@pytest.mark.parametrize(
    "field, value",
    [
        ("due_at", "2026-12-05"),
        ("due_at", "2026-12-05T18:00:00"),  # no offset
        ("due_at", "1999-12-31T23:59:59Z"),
        ("due_at", "2000-01-01T01:00:00+02:00"),  # 1999 in UTC
        ("due_at", "2101-01-01T00:00:00Z"),
        ("due_at", "2026-02-30T10:00:00Z"),
        ("due_at", "2026-12-05T24:00:00Z"),
        ("due_at", 1764950400),
        ("priority", "critical"),
        ("priority", None),
        ("position", 1),
    ],
)
def test_bad_planning_fields_are_named(room, owner, field, value):
    problem(owner.post(tasks_url(room["id"]), json={"title": "x", field: value}), 422, field)
    task = make_task(owner, room["id"])
    problem(owner.patch(tasks_url(room["id"], task["id"]), json={field: value}), 422, field)


def test_list_filters_by_priority_and_due_time(room, owner):
    early = make_task(owner, room["id"], due_at="2026-12-01T09:00:00Z", priority="high")
    late = make_task(owner, room["id"], due_at="2026-12-03T09:00:00Z")
    make_task(owner, room["id"], priority="high")  # no due time: matches neither bound

    def ids(**params):
        return [t["id"] for t in list_all_tasks(owner, room["id"], **params)]

    assert ids(priority="high", due_after="2026-01-01T00:00:00Z") == [early["id"]]
    assert ids(due_after="2026-12-01T11:00:00+02:00") == [early["id"], late["id"]]  # inclusive
    assert ids(due_before="2026-12-03T09:00:00Z") == [early["id"]]  # exclusive
    assert ids(due_after="2026-12-02T00:00:00Z", due_before="2026-12-04T00:00:00Z") == [late["id"]]


@pytest.mark.parametrize(
    "query, field",
    [
        ("priority=top", "priority"),
        ("due_before=tomorrow", "due_before"),
        ("due_after=2026-12-01", "due_after"),
        ("sort=due", "sort"),
        ("sort=position&cursor=garbage", "cursor"),
    ],
)
def test_bad_planning_queries_are_named(room, owner, query, field):
    problem(owner.get(f"{tasks_url(room['id'])}?{query}"), 422, field)


def test_cursors_belong_to_their_sort(room, owner):
    for _ in range(3):
        make_task(owner, room["id"])
    created = ok(owner.get(tasks_url(room["id"]), params={"limit": 1}))["next_cursor"]
    board = ok(owner.get(tasks_url(room["id"]), params={"limit": 1, "sort": "position"}))["next_cursor"]
    problem(owner.get(tasks_url(room["id"]), params={"cursor": created, "sort": "position"}), 422, "cursor")
    problem(owner.get(tasks_url(room["id"]), params={"cursor": board}), 422, "cursor")


def test_board_order_pages_follow_moves(room, owner, member):
    ids = [make_task(owner, room["id"])["id"] for _ in range(5)]
    moved = ok(member.post(f"{tasks_url(room['id'], ids[4])}/move", json={"after_id": ids[0]}))
    assert moved["version"] == 2
    ok(member.post(f"{tasks_url(room['id'], ids[1])}/move", json={"after_id": None}))
    done = ok(member.post(f"{tasks_url(room['id'], ids[2])}/move", json={"status": "completed", "after_id": None}))
    assert done["status"] == "completed"
    board = list_all_tasks(owner, room["id"], limit=2, sort="position")
    pending = [t["id"] for t in board if t["status"] == "pending"]
    assert pending == [ids[1], ids[0], ids[4], ids[3]]
    assert [t["id"] for t in list_all_tasks(owner, room["id"], limit=2)] == ids  # creation order unchanged


def test_move_refuses_an_after_id_outside_the_column(room, owner):
    a = make_task(owner, room["id"])
    b = make_task(owner, room["id"], status="completed")
    url = f"{tasks_url(room['id'], a['id'])}/move"
    for body in ({"after_id": a["id"]}, {"after_id": b["id"]}, {"after_id": 2_000_000_000}, {}):
        problem(owner.post(url, json=body), 422, "after_id")
    assert ok(owner.get(tasks_url(room["id"], a["id"]))) == a
