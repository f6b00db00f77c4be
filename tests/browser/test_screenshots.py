"""Pictures of the board in English and in Ukrainian, for the documentation."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_board_screenshots(person, api):
    alice = person("olena", viewport={"width": 1280, "height": 900})
    bob = api.sign_up(f"{alice.username}_taras")
    room = api.create_room(alice.token, "Website launch")
    api.join(bob["token"], room["code"])
    tasks = [
        ("Write the announcement", "Two paragraphs and a picture.", "pending", alice.user_id),
        ("Check the translations", "", "pending", bob["user"]["id"]),
        ("Update the pricing page", "New plans from January.", "in progress", bob["user"]["id"]),
        ("Pick the launch date", "", "completed", alice.user_id),
        ("Set up the domain", "", "completed", bob["user"]["id"]),
    ]
    for title, description, status, user_id in tasks:
        api.add_task(alice.token, room["id"], title=title, description=description, status=status, user_id=user_id)

    page = alice.page
    page.goto(f"/#/rooms/{room['id']}")
    expect(alice.task("Set up the domain")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "board-en.png", full_page=True)

    page.get_by_label("Language").select_option(label="Українська")
    expect(page.get_by_role("region", name="У роботі")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "board-uk.png", full_page=True)
    assert (SCREENSHOTS / "board-en.png").stat().st_size > 10_000
    assert (SCREENSHOTS / "board-uk.png").stat().st_size > 10_000
