"""Comments in the task panel: written with Ctrl+Enter or the button, edited by their author,
deleted by their author or the room's owner; shown as text (links and mentions made as elements,
never the writer's HTML), in English and in Ukrainian."""

from __future__ import annotations

import re

from playwright.sync_api import expect

LIVE = 5_000  # another person's comment shows within the board's poll


def comment(panel, text: str):
    """The comment whose text contains `text`."""
    return panel.locator("[data-comment]").filter(has_text=text)


def test_comments_written_edited_and_deleted(person, api):
    alice = person("olena")
    bob = person("petro")
    room = api.create_room(alice.token, "Comment room")
    api.join(bob.token, room["code"])
    task = api.add_task(alice.token, room["id"], title="Write the report")
    path = f"/#/rooms/{room['id']}/tasks/{task['id']}"

    # Bob writes, pressing Ctrl+Enter: HTML stays text, the link is a link, @olena is marked.
    b = bob.page
    b.goto(path)
    panel = b.get_by_role("dialog", name="Edit task")
    expect(panel.get_by_text("No comments yet.")).to_be_visible()
    body = f'Hi @{alice.username}, see https://example.org/report?x=1. <img src=x onerror="alert(1)"> <b>bold</b>'
    box = panel.get_by_label("Write a comment")
    box.fill(body)
    box.press("Control+Enter")
    mine = comment(panel, "see")
    expect(mine).to_have_count(1)
    expect(box).to_have_value("")
    expect(box).to_be_focused()
    expect(mine.locator("[data-comment-author]")).to_have_text(bob.username)
    expect(mine.locator("time")).to_have_text("now")
    expect(mine.locator("[data-comment-body]")).to_have_text(body)
    assert mine.locator("[data-comment-body] img, [data-comment-body] b, img[src='x']").count() == 0
    link = mine.get_by_role("link", name="https://example.org/report?x=1")
    expect(link).to_have_attribute("href", "https://example.org/report?x=1")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(mine.locator("mark.mention")).to_have_text(f"@{alice.username}")
    # The task's history says so at once.
    history = panel.get_by_role("list", name="History").get_by_role("listitem")
    expect(history.first).to_contain_text(f"{bob.username} commented")

    # He edits his own comment; a mention of somebody who is no member is not marked.
    mine.get_by_role("button", name=re.compile("^Edit your comment")).click()
    edit = mine.get_by_label("Edit the comment")
    expect(edit).to_be_focused()
    edit.fill("Done, @nobody_here: over to you")
    edit.press("Control+Enter")
    edited = comment(panel, "over to you")
    expect(edited.locator("[data-comment-body]")).to_have_text("Done, @nobody_here: over to you")
    expect(edited.get_by_text("(edited)")).to_be_visible()
    expect(edited.locator("mark")).to_have_count(0)
    # And writes a second one with the button, which he deletes.
    box.fill("A second thought")
    panel.get_by_role("button", name="Send").click()
    second = comment(panel, "A second thought")
    expect(second).to_have_count(1)
    second.get_by_role("button", name=re.compile(f"^Delete the comment by {bob.username}")).click()
    b.get_by_role("dialog", name="Delete this comment?").get_by_role("button", name="Delete").click()
    expect(second).to_have_count(0)
    expect(box).to_be_focused()

    # Alice, the owner, cannot edit Bob's comment but may delete it; she writes her own.
    a = alice.page
    a.goto(path)
    owner_panel = a.get_by_role("dialog", name="Edit task")
    his = comment(owner_panel, "over to you")
    expect(his).to_have_count(1)
    expect(his.get_by_role("button", name=re.compile("^Edit"))).to_have_count(0)
    expect(his.get_by_role("button", name=re.compile("^Delete"))).to_be_visible()
    owner_panel.get_by_label("Write a comment").fill(f"Thanks @{bob.username.upper()}")
    owner_panel.get_by_role("button", name="Send").click()
    hers = comment(owner_panel, "Thanks")
    expect(hers.locator("mark.mention")).to_have_text(f"@{bob.username.upper()}")

    # Bob sees it without a reload, and may neither edit nor delete it.
    theirs = comment(panel, "Thanks")
    expect(theirs).to_have_count(1, timeout=LIVE)
    expect(theirs.get_by_role("button")).to_have_count(0)

    his.get_by_role("button", name=re.compile("^Delete")).click()
    a.get_by_role("dialog", name="Delete this comment?").get_by_role("button", name="Delete").click()
    expect(his).to_have_count(0)
    expect(comment(panel, "over to you")).to_have_count(0, timeout=LIVE)
    expect(history.first).to_contain_text(f"{alice.username} deleted a comment", timeout=LIVE)

    # In Ukrainian: the same, in its words.
    b.get_by_label("Language").select_option("uk")
    panel = b.get_by_role("dialog", name="Редагування завдання")
    expect(panel.get_by_role("heading", name="Коментарі")).to_be_visible()
    box = panel.get_by_label("Написати коментар")
    box.fill(f"Дякую, @{alice.username}! Деталі: http://example.org/звіт")
    box.press("Control+Enter")
    thanks = comment(panel, "Дякую")
    expect(thanks.locator("time")).to_have_text("зараз")
    expect(thanks.locator("mark.mention")).to_have_text(f"@{alice.username}")
    expect(thanks.get_by_role("link")).to_have_attribute("href", re.compile(r"^http://example\.org/"))
    expect(thanks.get_by_role("button", name=re.compile("^Змінити ваш коментар"))).to_be_visible()
    expect(
        thanks.get_by_role("button", name=re.compile(f"^Видалити коментар користувача {bob.username}"))
    ).to_be_visible()
    panel.get_by_role("button", name="Надіслати").click()
    expect(panel.get_by_role("alert")).to_contain_text("Коментар — обов’язкове поле")
