"""The header's notifications: mentioned in a comment, a person's bell counts it without a reload;
its list links to the task, whose panel opening reads it; "mark all read"; in both languages."""

from __future__ import annotations

import re

from playwright.sync_api import expect

LIVE = 5_000  # the board's poll reads the count again when the room changed


def test_mentioned_person_sees_and_reads_notifications(person, api):
    alice = person("olena")
    bob = person("petro")
    room = api.create_room(alice.token, "Bell room")
    api.join(bob.token, room["code"])
    report = api.add_task(alice.token, room["id"], title="Write the report")
    slides = api.add_task(alice.token, room["id"], title="Make the slides")
    comments = f"/rooms/{room['id']}/tasks/{{}}/comments"

    b = bob.page
    b.goto(f"/#/rooms/{room['id']}")
    bell = b.get_by_role("button", name="Notifications, none unread")
    expect(bell).to_be_visible()
    expect(bell).to_have_attribute("aria-expanded", "false")

    api.expect(201, "POST", comments.format(report["id"]), alice.token, json={"body": f"@{bob.username} a look?"})
    bell = b.get_by_role("button", name="Notifications, 1 unread")
    expect(bell).to_be_visible(timeout=LIVE)
    expect(b.locator("[data-bell-count]")).to_have_text("1")

    bell.click()
    expect(bell).to_have_attribute("aria-expanded", "true")
    listing = b.get_by_role("region", name="Notifications")
    item = listing.get_by_role("listitem")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(f"{alice.username} mentioned you on “Write the report”")
    expect(item).to_contain_text("a look?")
    link = item.get_by_role("link")
    expect(link).to_have_attribute("href", f"/#/rooms/{room['id']}/tasks/{report['id']}")
    link.click()
    expect(b.get_by_role("dialog", name="Edit task").get_by_label("Title", exact=True)).to_have_value(
        "Write the report"
    )
    expect(b.get_by_role("button", name="Notifications, none unread")).to_be_visible()
    expect(b.locator("[data-bell-count]")).to_be_hidden()
    b.keyboard.press("Escape")

    # Escape closes the list and gives the focus back to the bell; a notification opened by its
    # task's panel (not the list) is read too.
    api.expect(201, "POST", comments.format(slides["id"]), alice.token, json={"body": f"And @{bob.username} here"})
    bell = b.get_by_role("button", name="Notifications, 1 unread")
    expect(bell).to_be_visible(timeout=LIVE)
    bell.click()
    expect(listing.get_by_role("listitem")).to_have_count(2)
    b.keyboard.press("Escape")
    expect(listing).to_be_hidden()
    expect(bell).to_be_focused()
    bob.open_task("Make the slides")
    expect(b.get_by_role("button", name="Notifications, none unread")).to_be_visible()
    b.keyboard.press("Escape")

    # In Ukrainian; "mark all read".
    b.get_by_label("Language").select_option("uk")
    expect(b.get_by_role("button", name="Сповіщення: усі прочитано")).to_be_visible()
    for n in range(2):
        api.expect(201, "POST", comments.format(report["id"]), alice.token, json={"body": f"@{bob.username} {n}"})
    bell = b.get_by_role("button", name="Сповіщення: 2 непрочитані")
    expect(bell).to_be_visible(timeout=LIVE)
    bell.click()
    listing = b.get_by_role("region", name="Сповіщення")
    expect(listing.get_by_role("listitem").first).to_contain_text(
        f"{alice.username}: згадка про вас у «Write the report»"
    )
    expect(listing.get_by_role("listitem")).to_have_count(4)
    mark_all = listing.get_by_role("button", name="Позначити всі прочитаними")
    mark_all.focus()
    b.keyboard.press("Enter")
    expect(b.get_by_role("button", name="Сповіщення: усі прочитано")).to_be_visible()
    expect(mark_all).to_be_focused()
    expect(mark_all).to_have_attribute("aria-disabled", "true")
    expect(b.locator("[data-announcer]")).to_contain_text("Усі сповіщення позначено прочитаними.")
    unread = api.expect(200, "GET", "/notifications", bob.token)["unread_count"]
    assert unread == 0
    expect(listing.locator("[data-unread]")).to_have_count(0)
    # The link of each reads in the language chosen too.
    expect(listing.get_by_role("link").first).to_have_attribute("href", re.compile(r"/#/rooms/\d+/tasks/\d+$"))

    # On a phone the open list fits the screen's width.
    b.set_viewport_size({"width": 360, "height": 740})
    box = listing.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360, box
    assert b.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
