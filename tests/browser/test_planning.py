"""Planning on the board: due dates, priorities, labels and checklists on cards and in the task
panel, ordered moves, filters kept in the URL; in both languages and colour schemes, and on a phone.
Everything is set up through the real API and saved by it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect

from tests.browser.people import serious_violations

PHONE = {"width": 390, "height": 844}


def iso(delta: timedelta) -> str:
    return (datetime.now(UTC) + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


def planned_room(alice, api):
    """A room of three tasks with planning fields; returns (room, tasks by title, labels by name)."""
    room = api.create_room(alice.token, "Planned")
    labels = {name: api.add_label(alice.token, room["id"], name, color) for name, color in LABELS}
    yesterday = iso(timedelta(days=-1))
    tasks = {
        title: api.add_task(alice.token, room["id"], title=title, **fields)
        for title, fields in [
            (
                "Poster",
                {
                    "due_at": iso(timedelta(days=2)),
                    "priority": "high",
                    "label_ids": [labels["Design"]["id"], labels["Bug"]["id"]],
                },
            ),
            ("Late report", {"due_at": yesterday}),
            ("Old news", {"status": "completed", "due_at": yesterday}),
        ]
    }
    steps = [(f"Step {n}", n <= 2) for n in range(1, 6)]
    tasks["Poster"] = api.add_checklist(alice.token, room["id"], tasks["Poster"]["id"], steps)
    return room, tasks, labels


LABELS = [("Design", "#facc15"), ("Bug", "#1d4ed0")]


def test_cards_show_planning_in_both_languages_and_schemes(person, api):
    alice = person("alice")
    page = alice.page
    room, _, _ = planned_room(alice, api)
    page.goto(f"/#/rooms/{room['id']}")

    poster = alice.task("Poster")
    expect(poster).to_contain_text("Due in 2 days")
    expect(poster).to_contain_text("High priority")
    expect(poster.locator("time")).to_have_attribute("title", re.compile(r"\d{4}"))
    expect(poster.get_by_text("2/5")).to_be_visible()
    expect(poster.get_by_label("2 of 5 items done")).to_be_visible()
    chips = poster.locator(".label-chip")
    expect(chips).to_have_text(["Design", "Bug"])
    assert chips.nth(0).evaluate("chip => getComputedStyle(chip).color") == "rgb(0, 0, 0)"
    assert chips.nth(1).evaluate("chip => getComputedStyle(chip).color") == "rgb(255, 255, 255)"

    late = alice.task("Late report")
    expect(late).to_contain_text("⚠ Overdue, due yesterday")  # in words and an icon, not colour alone
    expect(alice.task("Old news")).to_contain_text("Due yesterday")  # completed: not overdue
    expect(alice.task("Old news")).not_to_contain_text("Overdue")
    assert not serious_violations(page)

    page.get_by_label("Colours").select_option("dark")
    page.get_by_label("Language").select_option("uk")
    expect(poster).to_contain_text("Термін: післязавтра")  # Intl says it as Ukrainians do
    expect(poster).to_contain_text("Високий пріоритет")
    expect(late).to_contain_text("Прострочено, термін: учора")
    expect(poster.get_by_label("Виконано 2 з 5 пунктів")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(15, 17, 21)"
    assert not serious_violations(page)

    page.set_viewport_size(PHONE)
    expect(poster.locator(".label-chip").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert not serious_violations(page)


def test_label_text_reads_on_any_colour(person):
    someone = person("someone", via=None)
    page = someone.open("/").page
    worst = page.evaluate(
        """() => import('/assets/js/planning.js').then(({readableOn, contrast}) => {
            let worst = 21;
            for (let r = 0; r < 256; r += 15) for (let g = 0; g < 256; g += 15) for (let b = 0; b < 256; b += 15) {
                const hex = '#' + [r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('');
                worst = Math.min(worst, contrast(hex, readableOn(hex)));
            }
            return worst;
        })"""
    )
    assert worst >= 4.5


def test_the_task_panel_edits_planning_fields_and_the_checklist(person, api):
    alice = person("alice")
    page = alice.page
    room, tasks, _ = planned_room(alice, api)
    page.goto(f"/#/rooms/{room['id']}")

    panel = alice.open_task("Poster")
    expect(panel.get_by_label("Priority")).to_have_value("high")
    expect(panel.get_by_label("Due")).to_have_value(re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d$"))
    expect(panel.get_by_role("checkbox", name="Design")).to_be_checked()
    expect(panel.get_by_role("checkbox", name="Bug")).to_be_checked()

    # The checklist: tick, add (Enter), remove; each saved at once, the card follows.
    panel.get_by_role("checkbox", name="Step 3").check()
    expect(panel.get_by_text("3 of 5 items done")).to_be_visible()
    panel.get_by_label("New checklist item").fill("Print it")
    panel.get_by_label("New checklist item").press("Enter")
    expect(panel.get_by_role("checkbox", name="Print it")).not_to_be_checked()
    expect(panel.get_by_label("New checklist item")).to_be_focused()
    panel.get_by_role("button", name="Remove “Step 1” from the checklist").click()
    expect(panel.get_by_role("checkbox", name="Step 1")).to_have_count(0)
    expect(page.locator("[data-announcer]")).to_have_text("Item “Step 1” removed from the checklist.")
    poster_path = f"/rooms/{room['id']}/tasks/{tasks['Poster']['id']}"
    checklist = api.expect(200, "GET", poster_path, alice.token)["checklist"]
    assert [(item["text"], item["done"]) for item in checklist] == [
        ("Step 2", True),
        ("Step 3", True),
        ("Step 4", False),
        ("Step 5", False),
        ("Print it", False),
    ]

    # A new label, chosen at once; the fields saved together.
    panel.get_by_label("New label").fill("Docs")
    panel.get_by_role("button", name="Create label").click()
    expect(panel.get_by_role("checkbox", name="Docs")).to_be_checked()
    panel.get_by_role("checkbox", name="Bug").uncheck()
    panel.get_by_label("Priority").select_option("urgent")
    panel.get_by_label("Due").fill("")
    panel.get_by_role("button", name="Save").click()
    expect(panel).to_be_hidden()
    poster = alice.task("Poster")
    expect(poster.locator(".label-chip")).to_have_text(["Design", "Docs"])
    expect(poster).to_contain_text("Urgent")
    expect(poster.locator("time")).to_be_hidden()
    expect(poster.get_by_text("2/5")).to_be_visible()
    saved = api.expect(200, "GET", poster_path, alice.token)
    labels = {
        label["name"]: label["id"]
        for label in api.expect(200, "GET", f"/rooms/{room['id']}/labels", alice.token)["items"]
    }
    assert sorted(saved["label_ids"]) == sorted([labels["Design"], labels["Docs"]])
    assert (saved["priority"], saved["due_at"]) == ("urgent", None)


def test_moves_take_a_place_by_drag_and_by_keyboard(person, api):
    alice = person("alice")
    page = alice.page
    room = api.create_room(alice.token, "Ordered")
    for title in ("First", "Second", "Third"):
        api.add_task(alice.token, room["id"], title=title)
    page.goto(f"/#/rooms/{room['id']}")
    pending = alice.column("Pending").get_by_role("article")
    expect(pending).to_have_text([re.compile(r"^\s*First"), re.compile(r"^\s*Second"), re.compile(r"^\s*Third")])

    # Dropped on the top half of the first card: first in the column.
    first = alice.task("First").bounding_box()
    alice.task("Third").get_by_role("heading").drag_to(
        alice.task("First"), target_position={"x": first["width"] / 2, "y": 4}
    )
    expect(pending).to_have_text([re.compile(r"^\s*Third"), re.compile(r"^\s*First"), re.compile(r"^\s*Second")])
    announcer = page.locator("[data-announcer]")
    expect(announcer).to_have_text("“Third” moved to Pending, place 1 of 3.")  # said once saved
    assert api.column(alice.token, room["id"], "pending") == ["Third", "First", "Second"]

    # Shift+Down: one place down, announced with the place.
    alice.task("Third").get_by_role("link").press("Shift+ArrowDown")
    expect(pending).to_have_text([re.compile(r"^\s*First"), re.compile(r"^\s*Third"), re.compile(r"^\s*Second")])
    expect(announcer).to_have_text("“Third” moved to Pending, place 2 of 3.")
    expect(alice.task("Third").get_by_role("link")).to_be_focused()
    assert api.column(alice.token, room["id"], "pending") == ["First", "Third", "Second"]

    # Across columns by dragging onto the other column: after its last card.
    alice.task("Second").get_by_role("heading").drag_to(alice.column("Completed"))
    expect(alice.column("Completed").get_by_role("article", name="Second")).to_be_visible()
    expect(announcer).to_have_text("“Second” moved to Completed, place 1 of 1.")
    assert api.column(alice.token, room["id"], "completed") == ["Second"]
    page.reload()
    expect(pending).to_have_text([re.compile(r"^\s*First"), re.compile(r"^\s*Third")])


def test_filters_are_in_the_url_and_a_shared_link_applies_them(person, api, new_context):
    alice = person("alice")
    page = alice.page
    room, _, labels = planned_room(alice, api)
    page.goto(f"/#/rooms/{room['id']}")
    expect(page.get_by_role("article")).to_have_count(3)

    filters = page.get_by_role("search")
    filters.get_by_label("Due", exact=True).select_option("overdue")
    expect(page.get_by_role("article")).to_have_count(1)
    expect(alice.task("Late report")).to_be_visible()
    expect(page).to_have_url(re.compile(r"#/rooms/\d+\?due=overdue$"))
    filters.get_by_label("Due", exact=True).select_option("")
    filters.get_by_label("Label", exact=True).select_option(label="Design")
    filters.get_by_label("Priority", exact=True).select_option("high")
    page.get_by_label("Search tasks").fill("post")
    expect(page.get_by_role("article")).to_have_count(1)
    expect(page.get_by_text("Showing 1 of 3 tasks")).to_be_visible()
    shared = page.url
    assert f"label={labels['Design']['id']}" in shared and "priority=high" in shared and "q=post" in shared

    # The link opens filtered, in Ukrainian as well; opening a card and closing it keeps them.
    page.goto("/#/rooms")
    page.get_by_label("Language").select_option("uk")
    page.goto(shared)
    expect(page.get_by_role("article")).to_have_count(1)
    expect(page.get_by_text("Показано завдань: 1 з 3")).to_be_visible()
    expect(page.get_by_label("Пошук завдань")).to_have_value("post")
    alice.task("Poster").get_by_role("link").click()
    expect(page.get_by_role("dialog")).to_be_visible()  # Escape before the panel is open closes nothing
    page.keyboard.press("Escape")
    expect(page).to_have_url(shared)
    expect(page.get_by_role("article")).to_have_count(1)
    page.get_by_role("button", name="Скинути фільтри").click()
    expect(page.get_by_role("article")).to_have_count(3)
    expect(page).to_have_url(re.compile(r"#/rooms/\d+$"))


def test_a_due_date_ages_on_an_open_board(person, api):
    alice = person("alice")
    page = alice.page
    room = api.create_room(alice.token, "Clock")
    api.add_task(alice.token, room["id"], title="Soon", due_at=iso(timedelta(minutes=30)))
    page.clock.install()
    page.goto(f"/#/rooms/{room['id']}")
    expect(alice.task("Soon")).to_contain_text(re.compile(r"Due in (29|30) minutes"))
    page.clock.fast_forward("45:00")
    expect(alice.task("Soon")).to_contain_text("Overdue, due 15 minutes ago", timeout=5_000)


def test_planning_changes_by_others_show_on_an_open_board(person, api):
    """Labels, checklists and moves count in the room's revision: the board's next poll brings them,
    a label made or renamed since the board opened included."""
    alice = person("alice")
    bob = api.sign_up(f"{alice.username}_bob")
    page = alice.page
    room, tasks, labels = planned_room(alice, api)
    api.join(bob["token"], room["code"])
    page.goto(f"/#/rooms/{room['id']}")
    poster = alice.task("Poster")
    expect(poster.get_by_text("2/5")).to_be_visible()
    live = 5_000

    late = tasks["Late report"]
    ops = api.add_label(bob["token"], room["id"], "Ops", "#0e7490")
    api.change_task(bob["token"], room["id"], late["id"], label_ids=[ops["id"]])
    expect(alice.task("Late report").locator(".label-chip")).to_have_text(["Ops"], timeout=live)
    expect(page.get_by_role("search").get_by_label("Label", exact=True).locator("option")).to_have_count(4)

    label_path = f"/rooms/{room['id']}/labels/{labels['Design']['id']}"
    api.expect(200, "PATCH", label_path, bob["token"], json={"name": "Art"})
    expect(poster.locator(".label-chip")).to_have_text(["Art", "Bug"], timeout=live)

    item = tasks["Poster"]["checklist"][2]
    item_path = f"/rooms/{room['id']}/tasks/{tasks['Poster']['id']}/checklist/{item['id']}"
    api.expect(200, "PATCH", item_path, bob["token"], json={"done": True})
    expect(poster.get_by_text("3/5")).to_be_visible(timeout=live)

    move_path = f"/rooms/{room['id']}/tasks/{late['id']}/move"
    api.expect(200, "POST", move_path, bob["token"], json={"after_id": None})
    pending = alice.column("Pending").get_by_role("article")
    expect(pending).to_have_text([re.compile(r"^\s*Late report"), re.compile(r"^\s*Poster")], timeout=live)

    api.expect(204, "DELETE", f"/rooms/{room['id']}/labels/{ops['id']}", bob["token"])
    expect(alice.task("Late report").locator(".label-chip")).to_have_count(0, timeout=live)


def test_a_label_deleted_while_chosen_in_the_panel(person, api):
    """The server refuses a label deleted meanwhile (422 on label_ids): the panel says so, stops
    offering it, and the next save keeps the rest of the edit."""
    alice = person("alice")
    page = alice.page
    room, tasks, labels = planned_room(alice, api)
    page.goto(f"/#/rooms/{room['id']}")
    panel = alice.open_task("Late report")
    panel.get_by_role("checkbox", name="Bug").check()
    panel.get_by_label("Priority").select_option("low")
    api.expect(204, "DELETE", f"/rooms/{room['id']}/labels/{labels['Bug']['id']}", alice.token)
    panel.get_by_role("button", name="Save").click()
    expect(panel.get_by_role("alert")).to_contain_text("Labels")
    expect(panel.get_by_role("checkbox", name="Bug")).to_have_count(0)
    panel.get_by_role("button", name="Save").click()
    expect(panel).to_be_hidden()
    saved = api.expect(200, "GET", f"/rooms/{room['id']}/tasks/{tasks['Late report']['id']}", alice.token)
    assert (saved["priority"], saved["label_ids"]) == ("low", [])
