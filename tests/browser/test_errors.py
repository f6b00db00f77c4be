"""Every failure is said in words where it happened: wrong code, offline, server unavailable."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

PROBLEM = "application/problem+json"


def test_wrong_code_is_said_at_the_join_form(person):
    alice = person("alice")
    page = alice.page
    join = page.locator("[data-join-form]")
    join.get_by_label("Room code").fill("zzzz9zzzz")
    join.get_by_role("button", name="Join room").click()
    expect(join.get_by_role("alert")).to_have_text("No room has that code. Check it and try again.")
    expect(join.get_by_label("Room code")).to_have_attribute("aria-invalid", "true")

    join.get_by_label("Room code").fill("short")
    join.get_by_role("button", name="Join room").click()
    expect(join.get_by_role("alert")).to_have_text("Please check: Room code — 9 letters and digits")


def test_offline_is_said_where_the_action_was(person):
    alice = person("alice")
    page = alice.page
    page.context.set_offline(True)
    create = page.locator("[data-create-form]")
    create.get_by_label("Room name").fill("Offline room")
    create.get_by_role("button", name="Create room").click()
    expect(create.get_by_role("alert")).to_contain_text("You appear to be offline")
    page.context.set_offline(False)
    create.get_by_role("button", name="Create room").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Offline room")


def test_server_unavailable_shows_the_wait(person):
    alice = person("alice")
    page = alice.page
    body = {"type": "about:blank", "title": "Service Unavailable", "status": 503, "detail": "rooms is down"}
    page.route(
        re.compile(r"/api/v1/rooms$"),
        lambda route: route.fulfill(
            status=503, headers={"Content-Type": PROBLEM, "Retry-After": "30"}, body=json.dumps(body)
        ),
    )
    create = page.locator("[data-create-form]")
    create.get_by_label("Room name").fill("Unlucky")
    create.get_by_role("button", name="Create room").click()
    expect(create.get_by_role("alert")).to_have_text("The server is unavailable right now. Try again in 30 seconds.")


def test_an_open_board_says_when_it_cannot_refresh(person):
    alice = person("alice")
    alice.create_room("Flaky network")
    alice.add_task("Still here")
    page = alice.page
    page.context.set_offline(True)
    expect(page.get_by_role("alert")).to_contain_text("Cannot reach the server", timeout=8_000)
    expect(alice.task("Still here")).to_be_visible()
    page.context.set_offline(False)
    expect(page.get_by_role("alert").filter(has_text="Cannot reach the server")).to_have_count(0, timeout=8_000)
