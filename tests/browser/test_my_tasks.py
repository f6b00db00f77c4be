"""My tasks: what is assigned to me across my rooms, grouped by when it is due; and a task's own
link, shared, opens its panel."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.people import serious_violations
from tests.browser.test_planning import iso


def group(page, name):
    return page.get_by_role("region", name=re.compile(f"^{name} "))


def test_my_tasks_across_rooms_grouped_by_due_date(person, api):
    alice = person("alice", timezone_id="UTC")
    bob = api.sign_up(f"{alice.username}_bob")
    page = alice.page
    home = api.create_room(alice.token, "Home")
    work = api.create_room(alice.token, "Work")
    api.join(bob["token"], work["code"])
    for room, title, due, fields in [
        (home, "Pay rent", timedelta(days=-1), {}),
        (work, "Write report", timedelta(days=30), {}),
        (work, "Someday", None, {}),
        (work, "Bob's task", timedelta(days=-1), {"user_id": bob["user"]["id"]}),
        (home, "Done thing", timedelta(days=-1), {"status": "completed"}),
    ]:
        api.add_task(alice.token, room["id"], title=title, due_at=iso(due) if due else None, **fields)

    # One request for them all, whatever the number of rooms.
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "/api/v1/" in request.url else None)
    page.get_by_role("link", name="My tasks").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My tasks")
    expect(page.get_by_role("link", name="My tasks")).to_have_attribute("aria-current", "page")
    expect(group(page, "Overdue").get_by_role("listitem")).to_have_count(1)
    expect(group(page, "Overdue")).to_contain_text("Pay rent")
    expect(group(page, "Overdue")).to_contain_text("Home")
    expect(group(page, "Overdue")).to_contain_text("Overdue, due yesterday")
    expect(group(page, "Later")).to_contain_text("Write report")
    expect(group(page, "No due date")).to_contain_text("Someday")
    expect(page.get_by_text("Bob's task")).to_have_count(0)
    expect(page.get_by_text("Done thing")).to_have_count(0)
    assert [url.split("/api/v1")[1] for url in asked if "/users/me/tasks" in url] == [
        "/users/me/tasks?sort=due&limit=200"
    ]
    assert not [url for url in asked if re.search(r"/rooms/\d+/tasks\?", url)]  # no room by room
    assert not serious_violations(page)

    # In Ukrainian, dark, on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_label("Language").select_option("uk")
    page.get_by_label("Кольори").select_option("dark")
    expect(group(page, "Прострочені")).to_contain_text("Прострочено, термін: учора")
    expect(group(page, "Без терміну")).to_contain_text("Someday")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert not serious_violations(page)

    # Each task links to its panel in its room.
    page.get_by_role("link", name="Write report").click()
    expect(page).to_have_url(re.compile(rf"#/rooms/{work['id']}/tasks/\d+$"))
    expect(page.get_by_role("dialog").get_by_label("Назва")).to_have_value("Write report")

    # A room left is left out.
    club = api.create_room(bob["token"], "Club")
    api.join(alice.token, club["code"])
    api.add_task(alice.token, club["id"], title="Club chores")
    page.goto("/#/my-tasks")
    expect(group(page, "Без терміну")).to_contain_text("Club chores")
    api.expect(204, "DELETE", f"/rooms/{club['id']}/members/{alice.user_id}", alice.token)
    page.reload()
    expect(group(page, "Прострочені")).to_contain_text("Pay rent")
    expect(page.get_by_text("Club chores")).to_have_count(0)


def test_a_shared_task_link_opens_its_panel(person, api):
    alice = person("alice")
    bob = person("bob")
    room = api.create_room(alice.token, "Shared")
    api.join(bob.token, room["code"])
    task = api.add_task(alice.token, room["id"], title="Look at this", description="Here.")
    page = bob.page
    page.goto(f"/#/rooms/{room['id']}/tasks/{task['id']}")
    panel = page.get_by_role("dialog", name="Edit task")
    expect(panel.get_by_label("Title", exact=True)).to_have_value("Look at this")
    expect(panel.get_by_label("Description", exact=True)).to_have_value("Here.")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(page).to_have_url(re.compile(rf"#/rooms/{room['id']}$"))
    expect(bob.task("Look at this")).to_be_visible()

    page.goto(f"/#/rooms/{room['id']}/tasks/999999")
    expect(page.get_by_role("alert").filter(has_text="That task no longer exists")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"#/rooms/{room['id']}$"))
    expect(panel).to_be_hidden()
