"""Pictures of the board for the documentation: English and Ukrainian, dark, and on a phone, with
due dates, priorities, labels and checklists set through the API; and a task's panel with its
comments and history."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.test_planning import iso

SESSION = "tasksync.session"  # where the web client keeps who is signed in
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_board_screenshots(person, api, new_context, stack):
    alice = person("olena", viewport={"width": 1280, "height": 900}, color_scheme="light")
    bob = api.sign_up(f"{alice.username}_taras")
    room = api.create_room(alice.token, "Website launch")
    api.join(bob["token"], room["code"])
    copy, design, ops = (
        api.add_label(alice.token, room["id"], name, color)["id"]
        for name, color in [("Copy", "#facc15"), ("Design", "#6b21a8"), ("Ops", "#0e7490")]
    )
    tasks = [
        ("Write the announcement", "pending", alice.user_id, {"due_at": iso(timedelta(days=2)), "label_ids": [copy]}),
        (
            "Check the translations",
            "pending",
            bob["user"]["id"],
            {"due_at": iso(timedelta(days=-1)), "priority": "high"},
        ),
        (
            "Update the pricing page",
            "in progress",
            bob["user"]["id"],
            {"priority": "urgent", "label_ids": [copy, design]},
        ),
        ("Pick the launch date", "completed", alice.user_id, {}),
        ("Set up the domain", "completed", bob["user"]["id"], {"label_ids": [ops]}),
    ]
    for title, status, user_id, planned in tasks:
        task = api.add_task(alice.token, room["id"], title=title, status=status, user_id=user_id, **planned)
        if title == "Update the pricing page":
            pricing = task
            steps = ["Plans", "Prices", "FAQ", "Review", "Publish"]
            api.add_checklist(alice.token, room["id"], task["id"], [(text, n < 2) for n, text in enumerate(steps)])
    # The pricing page's comments, for the picture of its panel.
    comments = f"/rooms/{room['id']}/tasks/{pricing['id']}/comments"
    for token, body in [
        (bob["token"], f"@{alice.username} the new prices are in the sheet: https://example.org/prices"),
        (alice.token, f"Thanks @{bob['user']['username']}! I will review the FAQ today."),
    ]:
        api.expect(201, "POST", comments, token, json={"body": body})

    # Taras has the board open too: Olena's header shows him among those here, and says "Live".
    session = {
        "cookies": [],
        "origins": [{"origin": stack.url, "localStorage": [{"name": SESSION, "value": json.dumps(bob)}]}],
    }
    new_context(storage_state=session).new_page().goto(f"/#/rooms/{room['id']}")
    page = alice.page
    page.goto(f"/#/rooms/{room['id']}")
    expect(alice.task("Set up the domain")).to_be_visible()
    expect(page.locator("[data-live-status]")).to_have_attribute("data-state", "open")
    expect(page.locator("[data-presence]").get_by_role("listitem")).to_have_count(1)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shots = {
        "board-en.png": lambda: None,
        "board-uk.png": lambda: page.get_by_label("Language").select_option(label="Українська"),
        "board-dark.png": lambda: page.get_by_label("Кольори").select_option("dark"),
        "board-phone.png": lambda: (
            page.get_by_label("Мова").select_option(label="English"),
            page.set_viewport_size({"width": 390, "height": 844}),
        ),
    }
    for name, prepare in shots.items():
        prepare()
        expect(page.get_by_role("heading", level=1)).to_have_text("Website launch")
        page.wait_for_timeout(100)
        page.screenshot(path=SCREENSHOTS / name, full_page=name != "board-phone.png")
        assert (SCREENSHOTS / name).stat().st_size > 10_000

    # A task's panel: its fields, checklist, comments (a link, mentions) and history.
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.get_by_label("Colours").select_option("system")
    alice.open_task("Update the pricing page")
    panel = page.get_by_role("dialog", name="Edit task")
    expect(panel.locator("[data-comment] mark").first).to_be_visible()
    expect(panel.get_by_role("list", name="History").get_by_role("listitem").first).to_be_visible()
    page.wait_for_timeout(100)
    page.screenshot(path=SCREENSHOTS / "task-panel-en.png")
    assert (SCREENSHOTS / "task-panel-en.png").stat().st_size > 10_000
