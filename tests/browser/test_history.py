"""The history in the web client: a task's in its panel, a room's in its Activity view (newest
first, narrowed by kind, the filter in the URL), in English and in Ukrainian."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_task_panel_shows_who_did_what(person, api):
    alice = person("olena")
    bob = api.sign_up(f"{alice.username}_petro")
    petro = bob["user"]["username"]
    room = api.create_room(alice.token, "History room")
    api.join(bob["token"], room["code"])
    task = api.add_task(alice.token, room["id"], title="Write the report")
    path = f"/rooms/{room['id']}/tasks/{task['id']}"
    api.expect(200, "POST", f"{path}/move", bob["token"], json={"status": "in progress", "after_id": None})
    api.change_task(bob["token"], room["id"], task["id"], priority="high", title="Write the annual report")
    api.add_checklist(alice.token, room["id"], task["id"], [("Numbers", True)])

    page = alice.page
    page.goto(f"/#{path}")
    panel = page.get_by_role("dialog", name="Edit task")
    history = panel.get_by_role("list", name="History")
    lines = history.get_by_role("listitem")
    expect(lines).to_have_count(5)
    # Newest first, each naming its actor, with how long ago.
    expect(lines.nth(0)).to_contain_text(f"{alice.username} ticked off “Numbers”")
    expect(lines.nth(1)).to_contain_text(f"{alice.username} added “Numbers” to the checklist")
    expect(lines.nth(2)).to_contain_text(
        f"{petro} changed the title to “Write the annual report”; the priority to High"
    )
    expect(lines.nth(3)).to_contain_text(f"{petro} moved this to In progress")
    expect(lines.nth(4)).to_contain_text(f"{alice.username} created this task")
    expect(lines.nth(3).locator("time")).to_have_text(re.compile(r"now|second|minute"))

    # A change made in the panel shows in the history at once.
    panel.get_by_role("checkbox", name="Numbers").uncheck()
    expect(lines.nth(0)).to_contain_text(f"{alice.username} unticked “Numbers”")

    page.get_by_label("Language").select_option("uk")
    panel = page.get_by_role("dialog", name="Редагування завдання")
    lines = panel.get_by_role("list", name="Історія").get_by_role("listitem")
    expect(lines).to_have_count(6)
    expect(lines.nth(4)).to_contain_text(f"{petro}: переміщено в «У роботі»")
    expect(lines.nth(3)).to_contain_text(f"{petro}: змінено назву на «Write the annual report»; пріоритет на «Високий»")
    expect(lines.nth(5)).to_contain_text(f"{alice.username}: завдання створено")
    expect(lines.nth(4).locator("time")).to_have_text(re.compile(r"зараз|секунд|хвилин"))


def test_room_activity_lists_and_filters(person, api):
    alice = person("olena")
    bob = api.sign_up(f"{alice.username}_taras")
    taras = bob["user"]["username"]
    room = api.create_room(alice.token, "Busy room")
    api.join(bob["token"], room["code"])
    first = api.add_task(alice.token, room["id"], title="Plan the trip")
    api.add_task(bob["token"], room["id"], title="Book the hotel")
    api.expect(204, "DELETE", f"/rooms/{room['id']}/tasks/{first['id']}", alice.token)
    api.expect(200, "PATCH", f"/rooms/{room['id']}", alice.token, json={"name": "Trip room"})

    page = alice.page
    page.goto(f"/#/rooms/{room['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Trip room")
    page.get_by_role("navigation", name="Room").get_by_role("link", name="Activity").click()
    expect(page).to_have_url(re.compile(rf"#/rooms/{room['id']}/activity$"))
    expect(page.get_by_role("list", name="Activity")).to_be_visible()
    lines = page.locator("[data-history-list]").get_by_role("listitem")
    # Membership and renames come from the rooms service a moment after: the poll-free view is
    # read once, so wait for them by reloading when needed.
    for _ in range(20):
        if lines.filter(has_text="renamed the room").count():
            break
        page.wait_for_timeout(250)
        page.reload()
    expect(lines).to_have_count(5)
    # Newest first. A join is delivered by the rooms service a moment after it happened, so it
    # takes its place in the history when it arrives: anywhere after the rename, which came last.
    texts = [text.split(" · ")[0] for text in lines.all_inner_texts()]
    assert texts[0] == f"{alice.username} renamed the room to “Trip room”", texts
    tasks = [text for text in texts if "joined" not in text]
    assert tasks[1:] == [
        f"{alice.username} deleted “Plan the trip”",
        f"{taras} created “Book the hotel”",
        f"{alice.username} created “Plan the trip”",
    ], texts
    assert f"{taras} joined the room" in texts
    # An entry of a task that still exists opens its panel; a deleted task's has no link.
    expect(lines.filter(has_text="deleted “Plan the trip”").get_by_role("link")).to_have_count(0)
    expect(page.get_by_role("link", name=f"{taras} created “Book the hotel”")).to_be_visible()

    page.get_by_label("Show").select_option(label="Members")
    expect(lines).to_have_count(1)
    expect(lines.nth(0)).to_contain_text(f"{taras} joined the room")
    expect(page).to_have_url(re.compile(r"/activity\?kind=members$"))

    # The filter is in the URL: a reload keeps it, and so does another language.
    page.reload()
    expect(page.get_by_label("Show")).to_have_value("members")
    expect(lines).to_have_count(1)
    page.get_by_label("Language").select_option("uk")
    expect(lines.nth(0)).to_contain_text(f"{taras}: приєднання до кімнати")
    page.get_by_label("Показати").select_option(label="Створені завдання")
    expect(lines).to_have_count(2)
    expect(lines.nth(0)).to_contain_text(f"{taras}: створено «Book the hotel»")
    expect(lines.nth(1)).to_contain_text(f"{alice.username}: створено «Plan the trip»")
    expect(page).to_have_url(re.compile(r"\?kind=task.created$"))
    page.get_by_label("Показати").select_option(label="Усе")
    expect(lines).to_have_count(5)
    expect(lines.nth(0)).to_contain_text(f"{alice.username}: кімнату перейменовано на «Trip room»")

    # Following a task's entry opens its panel on the board.
    page.get_by_role("link", name=f"{taras}: створено «Book the hotel»").click()
    expect(page.get_by_role("dialog", name="Редагування завдання")).to_be_visible()
    expect(page.get_by_role("dialog").get_by_label("Назва")).to_have_value("Book the hotel")


EVERY_KIND = """
async (entries) => {
    const { KINDS, describeEntry } = await import('/assets/js/history.js');
    const i18n = await import('/assets/js/i18n.js');
    const names = { member: (id) => (id === 7 ? 'taras' : null), label: (id) => (id === 3 ? 'Copy' : null) };
    const said = {};
    for (const language of ['en', 'uk']) {
        i18n.setLanguage(language);
        said[language] = entries.map((entry) => ['task', 'room'].map((scope) => {
            const message = describeEntry(entry, scope, names);
            return [message.key, i18n.t(message.key, message.params)];
        }));
    }
    return { kinds: KINDS, said };
}
"""


def test_every_kind_reads_in_both_languages(person, api, stack):
    """Each kind the server records (its OpenAPI ActivityKind) has its own words, in both languages."""
    someone = person("reader")
    document = api.session.get(f"{stack.url}/api/v1/openapi.json", timeout=30).json()
    server_kinds = document["components"]["schemas"]["ActivityKind"]["enum"]
    changes = {
        "title": ["Old", "New"],
        "description": ["", "Text"],
        "status": ["pending", "completed"],
        "user_id": [1, 7],
        "due_at": [None, "2026-12-03T10:00:00Z"],
        "priority": ["none", "urgent"],
        "label_ids": [[], [3, 99]],
    }
    data = {
        "task.updated": {"title": "T", "changes": changes},
        "task.moved": {"title": "T", "changes": {"position": [1, 2]}, "after_id": None},
        "checklist.updated": {
            "title": "T",
            "action": "updated",
            "item": {"id": 1, "text": "a"},
            "changes": {"done": [False, True]},
        },
        "label.updated": {"label_id": 3, "name": "Copy", "changes": {"name": ["Text", "Copy"]}},
        "room.renamed": {"name": "New", "changes": {"name": ["Old", "New"]}},
    }
    entries = [
        {
            "id": n,
            "kind": kind,
            "actor_username": "olena",
            "data": data.get(kind, {"title": "T", "name": "L", "username": "taras"}),
        }
        for n, kind in enumerate(server_kinds)
    ]
    found = someone.page.evaluate(EVERY_KIND, entries)
    assert sorted(found["kinds"]) == sorted(server_kinds)
    for language, lines in found["said"].items():
        for kind, said in zip(server_kinds, lines, strict=True):
            for key, text in said:
                assert key != "history.unknown" and "{" not in text and "history." not in text, (language, kind, text)
    english = dict(zip(server_kinds, found["said"]["en"], strict=True))
    assert english["task.updated"][0][1] == (
        "olena changed the title to “New”; the status to Completed; the assignee to taras; the due date to "
        + english["task.updated"][0][1].split("the due date to ")[1].split(";")[0]
        + "; the priority to Urgent; the labels to Copy and a deleted label; the description"
    )
    assert english["task.moved"][0][1] == "olena moved this within its column"
    assert english["checklist.updated"][1][1] == "olena ticked off “a” in “T”"
    assert english["label.updated"][1][1] == "olena renamed the label “Text” to “Copy”"
    assert english["member.removed"][1][1] == "olena removed taras from the room"
    assert english["member.left"][1][1] == "taras left the room"
