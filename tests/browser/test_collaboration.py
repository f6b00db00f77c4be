"""Two people working in one room, each in their own browser, from sign-up to deleting the room."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.people import unique

LIVE = 5_000  # changes by others must show within 5 s, without a reload


def test_two_people_plan_a_room_together(person):
    alice = person("alice", via="ui")
    bob = person("bob", via="ui")
    a, b = alice.page, bob.page

    # Alice creates a room; Bob joins it by typing the code in lower case.
    room = unique("Launch")
    code = alice.create_room(room)
    bob.join_room(code.lower(), room)
    expect(b.get_by_role("button", name="Leave room")).to_be_visible()
    expect(b.get_by_role("button", name="Delete room")).to_be_hidden()
    expect(b.get_by_role("button", name="New code")).to_be_hidden()

    # A reload keeps Alice in the room, and now shows Bob among the members with his role.
    a.reload()
    expect(a.get_by_role("heading", level=1)).to_have_text(room)
    members = a.locator("[data-member-list]")
    expect(members.get_by_role("listitem").filter(has_text=bob.username)).to_contain_text("Member")
    expect(members.get_by_role("listitem").filter(has_text=alice.username)).to_contain_text("Owner")

    # Alice adds a task for Bob; it appears on Bob's open board without a reload.
    alice.add_task("Draft the agenda", "Two pages at most", assignee=bob.username)
    alice.add_task("Book the venue", assignee=alice.username)
    expect(bob.task("Draft the agenda")).to_be_visible(timeout=LIVE)
    expect(bob.task("Draft the agenda")).to_contain_text(f"Assigned to {bob.username}")
    expect(bob.column("Pending").get_by_role("article")).to_have_count(2, timeout=LIVE)

    # Alice edits it in its panel, which has a URL of its own; Bob sees the new title.
    dialog = alice.open_task("Draft the agenda")
    expect(a).to_have_url(re.compile(r"#/rooms/\d+/tasks/\d+$"))
    expect(dialog.get_by_label("Description", exact=True)).to_have_value("Two pages at most")
    dialog.get_by_label("Title", exact=True).fill("Draft the final agenda")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()
    expect(a).to_have_url(re.compile(r"#/rooms/\d+$"))
    expect(alice.task("Draft the final agenda").get_by_role("link")).to_be_focused()
    expect(bob.task("Draft the final agenda")).to_be_visible(timeout=LIVE)

    # Bob moves it from the keyboard: Shift+Right on its card.
    card = bob.task("Draft the final agenda").get_by_role("link")
    card.focus()
    b.keyboard.press("Shift+ArrowRight")
    expect(bob.column("In progress").get_by_role("article", name="Draft the final agenda")).to_be_visible()
    expect(b.locator("[data-announcer]")).to_contain_text("“Draft the final agenda” moved to In progress")
    expect(card).to_be_focused()
    expect(alice.column("In progress").get_by_role("article", name="Draft the final agenda")).to_be_visible(
        timeout=LIVE
    )

    # Alice drags the other task to Completed; Bob sees it there.
    alice.task("Book the venue").get_by_role("heading").drag_to(alice.column("Completed"))
    expect(alice.column("Completed").get_by_role("article", name="Book the venue")).to_be_visible()
    expect(bob.column("Completed").get_by_role("article", name="Book the venue")).to_be_visible(timeout=LIVE)
    a.reload()
    expect(alice.column("Completed").get_by_role("article", name="Book the venue")).to_be_visible()

    # Filters: by assignee, and by text in any letter case.
    a.get_by_label("Filter by assignee").select_option(label=bob.username)
    expect(a.get_by_role("article")).to_have_count(1)
    expect(alice.task("Draft the final agenda")).to_be_visible()
    a.get_by_label("Filter by assignee").select_option(label="Everyone")
    a.get_by_label("Search tasks").fill("VENUE")
    expect(a.get_by_role("article")).to_have_count(1)
    expect(alice.task("Book the venue")).to_be_visible()
    expect(a.get_by_text("Showing 1 of 2 tasks")).to_be_visible()
    a.get_by_role("button", name="Clear filters").click()
    expect(a.get_by_role("article")).to_have_count(2)

    # Two stale writers: Alice edits while Bob changes the same task; Alice is told, not overwritten.
    alice.open_task("Book the venue")
    dialog.get_by_label("Title", exact=True).fill("Book the big venue")
    bob.task("Book the venue").get_by_role("link").press("Shift+ArrowLeft")
    bob.task("Book the venue").get_by_role("link").press("Shift+ArrowLeft")
    expect(bob.column("Pending").get_by_role("article", name="Book the venue")).to_be_visible()
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_role("alert")).to_contain_text("Someone else changed this task")
    expect(dialog.get_by_label("Title", exact=True)).to_have_value("Book the venue")
    expect(dialog.get_by_label("Status", exact=True)).to_have_value("pending")
    dialog.get_by_label("Title", exact=True).fill("Book the big venue")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()
    expect(alice.column("Pending").get_by_role("article", name="Book the big venue")).to_be_visible()
    expect(bob.column("Pending").get_by_role("article", name="Book the big venue")).to_be_visible(timeout=LIVE)

    # Bob deletes a task from its panel, after confirming; it disappears from Alice's board.
    bob.open_task("Book the big venue").get_by_role("button", name="Delete task").click()
    confirm = b.get_by_role("dialog", name="Delete this task?")
    confirm.get_by_role("button", name="Delete").click()
    expect(bob.task("Book the big venue")).to_have_count(0)
    expect(alice.task("Book the big venue")).to_have_count(0, timeout=LIVE)

    # The owner copies the code, renames the room and gets a new code.
    a.context.grant_permissions(["clipboard-read", "clipboard-write"])
    a.get_by_role("button", name="Copy code").click()
    expect(a.locator("[data-copy-status]")).to_have_text("Copied")
    assert a.evaluate("navigator.clipboard.readText()") == code

    renamed = unique("Renamed")
    a.locator("[data-rename-form]").get_by_label("Room name").fill(renamed)
    a.get_by_role("button", name="Rename room").click()
    expect(a.get_by_role("heading", level=1)).to_have_text(renamed)
    a.get_by_role("button", name="New code").click()
    expect(a.locator("[data-room-code]")).not_to_have_text(code)
    new_code = a.locator("[data-room-code]").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{9}", new_code)

    # The owner removes Bob: Bob's open board sends him back to his rooms and says why.
    a.get_by_role("button", name=f"Remove {bob.username} from the room").click()
    a.get_by_role("dialog", name="Remove this member?").get_by_role("button", name="Remove").click()
    expect(members.get_by_role("listitem").filter(has_text=bob.username)).to_have_count(0)
    expect(b.get_by_role("alert")).to_contain_text("That room is not available", timeout=LIVE)
    expect(b.get_by_role("heading", level=1)).to_have_text("Your rooms")

    # Bob comes back with the new code, then leaves by himself.
    bob.join_room(new_code.lower(), renamed)
    b.get_by_role("button", name="Leave room").click()
    leave = b.get_by_role("dialog", name="Leave this room?")
    leave.get_by_role("button", name="Cancel").click()
    expect(b.get_by_role("heading", level=1)).to_have_text(renamed)
    b.get_by_role("button", name="Leave room").click()
    leave.get_by_role("button", name="Leave").click()
    expect(b.get_by_role("status").filter(has_text=f"You left “{renamed}”.")).to_be_visible()
    expect(b.get_by_role("link", name=renamed)).to_have_count(0)

    # The owner deletes the room.
    a.get_by_role("button", name="Delete room").click()
    a.get_by_role("dialog", name="Delete this room?").get_by_role("button", name="Delete").click()
    expect(a.get_by_role("heading", level=1)).to_have_text("Your rooms")
    expect(a.get_by_role("status").filter(has_text=f"Room “{renamed}” was deleted.")).to_be_visible()
    expect(a.get_by_role("link", name=renamed)).to_have_count(0)

    # Back goes back through the rooms visited, and a deleted room says so.
    a.go_back()
    expect(a.get_by_role("heading", level=1)).to_have_text("Your rooms")
    expect(a.get_by_role("alert")).to_contain_text("That room is not available")
