"""The board: stale writes refused and refreshed, a large board, form errors."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

LIST = re.compile(r"/api/v1/rooms/\d+/tasks\?")

# Milliseconds the page spends, synchronously, handling one change to a control.
TIMED = """([selector, value, type]) => {
    const control = document.querySelector(selector);
    const started = performance.now();
    control.value = value;
    control.dispatchEvent(new Event(type, {bubbles: true}));
    return performance.now() - started;
}"""

HIDE = """(hidden) => {
    Object.defineProperty(document, 'hidden', {configurable: true, get: () => hidden});
    Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => hidden ? 'hidden' : 'visible'});
    document.dispatchEvent(new Event('visibilitychange'));
}"""


def test_a_stale_status_change_is_refused_and_the_fresh_task_shown(person, api):
    alice = person("alice")
    page = alice.page
    room = api.create_room(alice.token, "Stale")
    task = api.add_task(alice.token, room["id"], title="Paint the fence")
    page.goto(f"/#/rooms/{room['id']}")
    expect(alice.task("Paint the fence")).to_be_visible()

    # Hold back this page's refresh so that it still shows version 1 when someone else saves.
    page.route(LIST, lambda route: route.fulfill(status=304))
    api.change_task(alice.token, room["id"], task["id"], title="Paint the fence green", status="completed")
    alice.task("Paint the fence").get_by_role("link").press("Shift+ArrowRight")

    expect(page.get_by_role("alert")).to_have_text(
        "Someone else changed “Paint the fence green” in the meantime, so your change was not saved. "
        "The latest version is shown now; make your change again if you still want it."
    )
    expect(alice.column("Completed").get_by_role("article", name="Paint the fence green")).to_be_visible()
    page.unroute(LIST)
    fresh = api.expect(200, "GET", f"/rooms/{room['id']}/tasks/{task['id']}", alice.token)
    assert (fresh["status"], fresh["version"]) == ("completed", 2)


def test_a_deleted_task_being_edited_is_said(person, api):
    alice = person("alice")
    page = alice.page
    room = api.create_room(alice.token, "Vanishing")
    task = api.add_task(alice.token, room["id"], title="Soon gone")
    page.goto(f"/#/rooms/{room['id']}")
    dialog = alice.open_task("Soon gone")
    api.expect(204, "DELETE", f"/rooms/{room['id']}/tasks/{task['id']}", alice.token)
    dialog.get_by_label("Title", exact=True).fill("Too late")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_role("alert")).to_have_text("That task no longer exists: someone deleted it.")


def test_empty_title_is_said_at_the_form(person, api):
    alice = person("alice")
    room = api.create_room(alice.token, "Forms")
    page = alice.page
    page.goto(f"/#/rooms/{room['id']}")
    column = alice.column("In progress")
    column.get_by_label("Add a task to In progress").fill("   ")
    column.get_by_role("button", name="Add").click()
    expect(column.get_by_role("alert")).to_have_text("Please check: Title — required")
    expect(column.get_by_label("Add a task to In progress")).to_be_focused()


def test_two_hundred_tasks_stay_quick(person, api):
    alice = person("alice")
    page = alice.page
    room = api.create_room(alice.token, "Busy")
    statuses = ["pending", "in progress", "completed"]
    for index in range(200):
        api.add_task(alice.token, room["id"], title=f"Task {index:03}", status=statuses[index % 3])

    started = time.monotonic()
    page.goto(f"/#/rooms/{room['id']}")
    expect(page.get_by_role("article")).to_have_count(200)
    assert time.monotonic() - started < 10

    # Re-rendering all 200 cards (a language switch refills every one) and filtering are quick.
    switch = page.evaluate(TIMED, ["[data-language]", "uk", "change"])
    expect(page.get_by_role("region", name="До виконання")).to_be_visible()
    search = page.evaluate(TIMED, ["[data-filter-text]", "Task 19", "input"])
    expect(page.get_by_role("article")).to_have_count(10)
    clear = page.evaluate(TIMED, ["[data-filter-text]", "", "input"])
    expect(page.get_by_role("article")).to_have_count(200)
    assert (switch, search, clear) < (500, 200, 200) and max(switch, search, clear) < 500, (switch, search, clear)
    page.get_by_label("Мова").select_option("en")

    # Events are handled by delegation: no card carries a listener of its own.
    cdp = page.context.new_cdp_session(page)
    card = cdp.send("Runtime.evaluate", {"expression": "document.querySelector('[data-task]')"})
    listeners = cdp.send("DOMDebugger.getEventListeners", {"objectId": card["result"]["objectId"], "depth": -1})
    assert listeners["listeners"] == []

    # A change by someone else updates the one card in place; the other 199 keep their nodes.
    page.evaluate("document.querySelectorAll('[data-task]').forEach((card) => { card.keptNode = true; })")
    first = api.expect(200, "GET", f"/rooms/{room['id']}/tasks?limit=1", alice.token)["items"][0]
    api.change_task(alice.token, room["id"], first["id"], title="Task 000, renamed", status="completed")
    expect(alice.column("Completed").get_by_role("article", name="Task 000, renamed")).to_be_visible(timeout=5_000)
    kept = page.evaluate("[...document.querySelectorAll('[data-task]')].filter((card) => card.keptNode).length")
    assert kept == 200


def wait_until(page, condition, timeout: float = 8.0) -> None:
    """Lets the page run until `condition()` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        page.wait_for_timeout(200)


def test_the_board_polls_with_etags_and_pauses_while_hidden(person, api):
    alice = person("alice")
    page = alice.page
    room = api.create_room(alice.token, "Polling")
    api.add_task(alice.token, room["id"], title="Watched")
    sent: list[str] = []
    answered: list[tuple[str | None, int]] = []
    page.on("request", lambda request: sent.append(request.url) if LIST.search(request.url) else None)
    page.on(
        "response",
        lambda response: (
            answered.append((response.request.headers.get("if-none-match"), response.status))
            if LIST.search(response.url)
            else None
        ),
    )
    page.goto(f"/#/rooms/{room['id']}")
    expect(alice.task("Watched")).to_be_visible()
    wait_until(page, lambda: any(etag and status == 304 for etag, status in answered))

    page.evaluate(HIDE, True)
    before = len(sent)
    page.wait_for_timeout(4_000)
    assert len(sent) == before, "no polling while the tab is hidden"

    api.add_task(alice.token, room["id"], title="Added while hidden")
    page.evaluate(HIDE, False)
    expect(alice.task("Added while hidden")).to_be_visible(timeout=5_000)


def test_copy_code_without_clipboard_access_still_confirms(person, api):
    alice = person("alice")
    page = alice.page
    room = api.create_room(alice.token, "No clipboard")
    page.goto(f"/#/rooms/{room['id']}")
    page.evaluate("Object.defineProperty(navigator, 'clipboard', {configurable: true, value: undefined})")
    page.get_by_role("button", name="Copy code").click()
    status = page.locator("[data-copy-status]")
    expect(status).to_have_text(re.compile(r"^(Copied|Copying is not available here\..*)$"))
    assert page.evaluate("getSelection().toString()") == room["code"]
