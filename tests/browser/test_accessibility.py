"""axe-core finds no serious or critical problem on any view; everything works from the keyboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.people import PASSWORD, serious_violations


def audit(page, where: str, found: dict) -> None:
    problems = serious_violations(page)
    if problems:
        found[where] = problems


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_view_passes_axe(person, api, scheme):
    """Every view in the light scheme; in the dark one, the views with the most colours."""
    found: dict = {}
    alice = person("alice", color_scheme=scheme)
    bob = api.sign_up(f"{alice.username}_b")
    page = alice.page
    room = api.create_room(alice.token, "Audited room")
    api.join(bob["token"], room["code"])
    task_ids = [
        api.add_task(alice.token, room["id"], title=f"Task {index}", description="Details " * 10, status=status)["id"]
        for index, status in enumerate(["pending", "in progress", "completed", "completed"])
    ]

    page.reload()
    expect(page.get_by_text("2 of 4 completed")).to_be_visible()
    audit(page, "rooms", found)

    page.get_by_role("link", name="Audited room").click()
    expect(alice.task("Task 3")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text=alice.username + "_b")).to_be_visible()
    alice.column("Pending").get_by_role("button", name="Add").click()
    expect(alice.column("Pending").get_by_role("alert")).to_be_visible()
    page.get_by_role("button", name="Copy code").click()
    expect(page.locator("[data-copy-status]")).to_be_visible()
    audit(page, "room, with a form error and a status", found)

    task = alice.open_task("Task 0")
    box = task.get_by_label("Write a comment")
    box.fill(f"See https://example.org, @{alice.username}_b")
    box.press("Control+Enter")
    expect(task.locator("[data-comment] mark")).to_be_visible()
    expect(task.get_by_role("list", name="History").get_by_role("listitem").first).to_be_visible()
    audit(page, "task panel with a comment and its history", found)
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()

    api.expect(
        201,
        "POST",
        f"/rooms/{room['id']}/tasks/{task_ids[1]}/comments",
        bob["token"],
        json={"body": f"@{alice.username}"},
    )
    page.get_by_role("navigation", name="Room").get_by_role("link", name="Activity").click()
    expect(page.locator("[data-history-list] li").first).to_be_visible()
    bell = page.get_by_role("button", name="Notifications, 1 unread")
    expect(bell).to_be_visible()
    bell.click()
    expect(page.get_by_role("region", name="Notifications").get_by_role("listitem")).to_have_count(1)
    audit(page, "room activity, with the notifications open", found)
    page.keyboard.press("Escape")
    page.get_by_role("link", name="Board").click()
    expect(alice.task("Task 3")).to_be_visible()

    if scheme == "light":
        page.get_by_role("button", name="Delete room").click()
        expect(page.get_by_role("dialog", name="Delete this room?")).to_be_visible()
        audit(page, "confirm dialog", found)
        page.get_by_role("button", name="Cancel").click()

        page.get_by_label("Language").select_option("uk")
        page.get_by_label("Пошук завдань").fill("нічого такого немає")
        expect(page.get_by_text("Показано завдань: 0 з 4")).to_be_visible()
        audit(page, "room in Ukrainian, filtered to nothing", found)
        page.get_by_label("Мова").select_option("en")

        page.goto("/#/account")
        expect(page.get_by_role("heading", level=1)).to_have_text("Account")
        audit(page, "account", found)

        page.get_by_role("button", name="Log out").click()
        alice.log_in(password="wrong password")
        expect(page.get_by_role("alert")).to_be_visible()
        audit(page, "login with an error", found)

    assert not found, found


def tab_to(page, locator, limit: int = 80) -> None:
    """Presses Tab until `locator` has the focus, as someone without a mouse would."""
    for _ in range(limit):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {locator}")


def test_keyboard_only(person):
    someone = person("keys", via=None)
    page = someone.open("/").page

    tab_to(page, page.get_by_label("Username", exact=True))
    page.keyboard.type(someone.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    tab_to(page, page.get_by_role("button", name="Sign up"))
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid", "the focused control must show where the focus is"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your rooms")

    tab_to(page, page.get_by_label("Room name"))
    page.keyboard.type("Keyboard room")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Keyboard room")

    quick_add = page.get_by_label("Add a task to Pending", exact=True)
    tab_to(page, quick_add)
    page.keyboard.type("Typed task")
    page.keyboard.press("Enter")
    task = someone.task("Typed task")
    expect(task).to_be_visible()
    expect(quick_add).to_be_focused()

    card = task.get_by_role("link", name="Typed task")
    tab_to(page, card)
    page.keyboard.press("Shift+ArrowRight")
    expect(someone.column("In progress").get_by_role("article", name="Typed task")).to_be_visible()
    expect(card).to_be_focused()

    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Edit task")
    expect(dialog.get_by_label("Title", exact=True)).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(card).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog.get_by_label("Title", exact=True)).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("Retyped task")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    retyped = someone.task("Retyped task").get_by_role("link")
    expect(retyped).to_be_focused()

    page.keyboard.press("Enter")
    tab_to(page, dialog.get_by_role("button", name="Delete task"))
    page.keyboard.press("Enter")
    confirm = page.get_by_role("dialog", name="Delete this task?")
    expect(confirm.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(confirm.get_by_role("button", name="Delete")).to_be_focused()
    page.keyboard.press("Enter")
    expect(someone.task("Retyped task")).to_have_count(0)

    tab_to(page, page.get_by_role("button", name="Log out"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in or sign up")
