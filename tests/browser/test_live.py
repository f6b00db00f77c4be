"""Live rooms in the web client: two people's boards follow each other within a second over the
room's event stream; the header says so and shows who else is here (at most five), in both
languages; a tab's own changes cost no reload; polling takes over while the stream is cut; a
removed member's or a deleted room's board leaves at once; the bell hears notifications at once."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Page, Route, expect

from tests.browser.people import Person, serious_violations
from tests.event_stream import EventStream

LIVE_S = 1.0  # what the issue asks of a change by someone else over the stream
POLLED_S = 4.0  # the 3 s poll that takes over while the stream is down, and its answer
ON = "Live: changes by others appear at once"
OFF = "Reconnecting: checking every 3 s"

# Where a card titled `title` is on the board (in the column `status`, or any); polled by the page.
CARD = """([title, status]) => [...document.querySelectorAll(
    status ? `[data-column="${status}"] [data-task-open]` : '[data-task-open]')].some((a) => a.textContent === title)"""


def indicator(someone: Person):
    return someone.page.locator("[data-live-status]")


def presence(someone: Person):
    return someone.page.locator("[data-presence]")


def seconds_until_shown(page: Page, title: str, status: str | None, since: float, limit: float = 6.0) -> float:
    """Seconds from `since` (time.monotonic) until the page shows the card; the page checks every 20 ms."""
    page.wait_for_function(CARD, arg=[title, status], polling=20, timeout=limit * 1000)
    return time.monotonic() - since


# Sums the layout shifts from now on (not caused by input) into window.layoutShift.
LAYOUT_SHIFTS = """() => {
    window.layoutShift = 0;
    new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.layoutShift += entry.value;
    }).observe({type: 'layout-shift'});
}"""


def shared_board(person, api, watch_bob: bool = False) -> tuple[Person, Person, dict]:
    """Bob, then Alice, on the board of a room of theirs, both streams open; with `watch_bob`,
    Bob's page sums its layout shifts from before Alice comes."""
    alice = person("alice")
    bob = person("bob")
    room = api.create_room(alice.token, "Live room")
    api.join(bob.token, room["code"])
    for someone in (bob, alice):
        someone.page.goto(f"/#/rooms/{room['id']}")
        expect(indicator(someone)).to_have_attribute("data-state", "open")
        if watch_bob and someone is bob:
            bob.page.evaluate(LAYOUT_SHIFTS)
    return alice, bob, room


def test_two_boards_follow_each_other_within_a_second(person, api):
    alice, bob, _ = shared_board(person, api, watch_bob=True)
    a, b = alice.page, bob.page
    expect(indicator(bob)).to_have_attribute("title", ON)
    expect(indicator(bob)).to_have_text("Live", use_inner_text=True)

    # Each sees the other among those here: a circle of initials named by the username.
    for someone, other in ((alice, bob), (bob, alice)):
        here = someone.page.get_by_role("list", name=f"Also here: {other.username}")
        expect(here).to_be_visible()
        avatar = here.get_by_role("listitem")
        expect(avatar).to_have_count(1)
        expect(avatar).to_have_accessible_name(other.username)
        expect(avatar).to_have_attribute("title", other.username)
        expect(avatar.locator("[aria-hidden]")).to_have_text(re.compile(rf"^{other.username[0].upper()}\w?$"))
    # Alice's avatar took the place kept for it: nothing on Bob's page moved.
    assert b.evaluate("window.layoutShift") == 0

    # Added by Alice, shown to Bob.
    field = a.get_by_label("Add a task to Pending", exact=True)
    field.fill("Print the posters")
    since = time.monotonic()
    field.press("Enter")
    assert seconds_until_shown(b, "Print the posters", "pending", since) < LIVE_S

    # Moved by Bob from the keyboard, shown to Alice.
    bob.task("Print the posters").get_by_role("link").focus()
    since = time.monotonic()
    b.keyboard.press("Shift+ArrowRight")
    assert seconds_until_shown(a, "Print the posters", "in progress", since) < LIVE_S

    # Edited by Alice in its panel, shown to Bob.
    panel = alice.open_task("Print the posters")
    panel.get_by_label("Title", exact=True).fill("Print the big posters")
    since = time.monotonic()
    panel.get_by_role("button", name="Save").click()
    assert seconds_until_shown(b, "Print the big posters", "in progress", since) < LIVE_S

    # In Ukrainian; and shown, the indicator and the avatars break no serious rule (contrast among
    # them) in either scheme.
    b.get_by_label("Language").select_option("uk")
    expect(indicator(bob)).to_have_text("Наживо", use_inner_text=True)
    expect(indicator(bob)).to_have_attribute("title", "Наживо: зміни інших з’являються одразу")
    expect(b.get_by_role("list", name=f"Також тут: {alice.username}")).to_be_visible()
    for scheme in ("light", "dark"):
        b.emulate_media(color_scheme=scheme)
        assert serious_violations(b) == [], scheme

    # Alice leaves the board: she is no longer among those here for Bob.
    a.goto("/#/rooms")
    expect(presence(bob)).to_have_attribute("data-empty", "")
    expect(presence(bob).get_by_role("listitem")).to_have_count(0)


# Lets the test cut the page's open event streams (window.cutStreams()), as a network would.
CUTTABLE = """
(() => {
    const open = new Set();
    const fetchOf = window.fetch.bind(window);
    window.fetch = (input, init = {}) => {
        if (!String(input).endsWith('/events')) return fetchOf(input, init);
        const cut = new AbortController();
        open.add(cut);
        const signal = init.signal ? AbortSignal.any([init.signal, cut.signal]) : cut.signal;
        return fetchOf(input, {...init, signal});
    };
    window.cutStreams = () => {
        for (const cut of open) cut.abort();
        open.clear();
    };
})();
"""


def test_polling_takes_over_while_the_stream_is_cut(person, api):
    alice, bob, room = shared_board(person, api)
    b = bob.page
    b.add_init_script(CUTTABLE)
    b.reload()
    expect(indicator(bob)).to_have_attribute("data-state", "open")

    # The stream is cut, and every attempt to connect again hangs until the line comes back.
    line = {"up": False, "held": []}

    def connect(route: Route) -> None:
        if line["up"]:
            route.continue_()
        else:
            line["held"].append(route)

    b.route(re.compile(r"/api/v1/rooms/\d+/events$"), connect)
    b.evaluate("window.cutStreams()")
    expect(indicator(bob)).to_have_attribute("data-state", "down")
    expect(indicator(bob)).to_have_attribute("title", OFF)
    expect(indicator(bob)).to_have_text("Reconnecting", use_inner_text=True)
    expect(presence(bob)).to_have_attribute("data-empty", "")
    # In Ukrainian too.
    b.get_by_label("Language").select_option("uk")
    expect(indicator(bob)).to_have_text("Перепідключення", use_inner_text=True)
    expect(indicator(bob)).to_have_attribute("title", "Перепідключення: перевірка кожні 3 с")
    b.get_by_label("Мова").select_option("en")

    # A change by Alice still arrives, by polling.
    since = time.monotonic()
    api.add_task(alice.token, room["id"], title="Polled while cut")
    assert seconds_until_shown(b, "Polled while cut", "pending", since) < POLLED_S

    # The line comes back: the attempt under way connects, and changes are live again.
    line["up"] = True
    for route in line["held"]:
        route.continue_()
    expect(indicator(bob)).to_have_attribute("data-state", "open")
    expect(presence(bob).get_by_role("listitem")).to_have_count(1)
    since = time.monotonic()
    api.add_task(alice.token, room["id"], title="Live again")
    assert seconds_until_shown(b, "Live again", "pending", since) < LIVE_S


def test_own_changes_cost_no_reload(person, api):
    alice, bob, room = shared_board(person, api)
    a = alice.page
    task_lists = []
    list_url = re.compile(rf"/api/v1/rooms/{room['id']}/tasks\?limit=")
    a.on("request", lambda request: task_lists.append(request.url) if list_url.search(request.url) else None)

    # Bob's change shows on Alice's board: her stream is live and what came before is read.
    api.add_task(bob.token, room["id"], title="From Bob")
    seconds_until_shown(a, "From Bob", "pending", time.monotonic())
    alice.add_task("Mine")
    task_lists.clear()

    # Alice moves her card: the move reads the list once, as it always has, and its event
    # (which comes before Bob's next one, in the stream's order) reads nothing more.
    alice.task("Mine").get_by_role("link").focus()
    a.keyboard.press("Shift+ArrowRight")
    expect(a.locator("[data-announcer]")).to_contain_text("“Mine” moved to In progress")
    api.add_task(bob.token, room["id"], title="From Bob again")
    seconds_until_shown(a, "From Bob again", "pending", time.monotonic())
    expect(alice.column("In progress").get_by_role("article", name="Mine")).to_be_visible()
    assert len(task_lists) == 2, task_lists  # the move's own read, and the one for Bob's task


def test_the_bell_hears_a_mention_at_once(person, api):
    alice = person("alice")
    bob = person("bob")
    room = api.create_room(alice.token, "Bell room")
    api.join(bob.token, room["code"])
    task = api.add_task(alice.token, room["id"], title="Read the draft")
    comments = f"/rooms/{room['id']}/tasks/{task['id']}/comments"
    count = "count => document.querySelector('[data-bell-count]').textContent === count"
    expect(bob.page.get_by_role("button", name="Notifications, none unread")).to_be_visible()

    # On the rooms list, which reads the bell every 15 s at most while the stream is down: the
    # first mention is read once the stream opens (or as it arrives), the second as it arrives.
    api.expect(201, "POST", comments, alice.token, json={"body": f"@{bob.username} ok?"})
    bob.page.wait_for_function(count, arg="1", polling=20, timeout=5000)
    since = time.monotonic()
    api.expect(201, "POST", comments, alice.token, json={"body": f"@{bob.username} still ok?"})
    bob.page.wait_for_function(count, arg="2", polling=20, timeout=5000)
    assert time.monotonic() - since < LIVE_S
    expect(bob.page.get_by_role("button", name="Notifications, 2 unread")).to_be_visible()


def test_at_most_five_are_shown(person, api, stack):
    """Six others here (their streams held by the test, as their tabs would): four avatars and "+2"."""
    alice = person("alice")
    room = api.create_room(alice.token, "Busy room")
    others = []
    for index in range(6):
        someone = api.sign_up(f"{alice.username}_{index}")
        api.join(someone["token"], room["code"])
        others.append(someone)
    streams = [EventStream.open(f"{stack.url}/api/v1/rooms/{room['id']}/events", o["token"]) for o in others]
    try:
        assert [stream.status for stream in streams] == [200] * 6
        alice.page.goto(f"/#/rooms/{room['id']}")
        names = sorted((o["user"] for o in others), key=lambda user: user["id"])
        here = alice.page.get_by_role("list", name="Also here: " + ", ".join(user["username"] for user in names))
        expect(here).to_be_visible()
        avatars = here.get_by_role("listitem")
        expect(avatars).to_have_count(5)
        for at, user in enumerate(names[:4]):
            expect(avatars.nth(at)).to_have_accessible_name(user["username"])
        more = avatars.nth(4)
        expect(more.locator("[aria-hidden]")).to_have_text("+2")
        # Named, and its tooltip saying, who the two are; read as "2 more".
        rest = f"{names[4]['username']}, {names[5]['username']}"
        expect(more).to_have_accessible_name(rest)
        expect(more).to_have_attribute("title", rest)
        expect(more.locator(".visually-hidden")).to_have_text("2 more")
    finally:
        for stream in streams:
            stream.close()


# Whether the page says, in its alert, that the room is gone.
GONE = "() => document.querySelector('[data-flash-alert]')?.textContent.includes('That room is not available')"


def test_removed_or_deleted_elsewhere_leaves_the_board_at_once(person, api):
    alice, bob, room = shared_board(person, api)

    # The owner removes Bob (from elsewhere: a script): his board sends him back to his rooms.
    since = time.monotonic()
    api.expect(204, "DELETE", f"/rooms/{room['id']}/members/{bob.user_id}", alice.token)
    bob.page.wait_for_function(GONE, polling=20, timeout=6000)
    assert time.monotonic() - since < LIVE_S
    expect(bob.page.get_by_role("heading", level=1)).to_have_text("Your rooms")

    # The owner deletes the room elsewhere: her own open board leaves it too, saying why.
    since = time.monotonic()
    api.expect(204, "DELETE", f"/rooms/{room['id']}", alice.token)
    alice.page.wait_for_function(GONE, polling=20, timeout=6000)
    assert time.monotonic() - since < LIVE_S
    expect(alice.page.get_by_role("alert")).to_contain_text("That room is not available")
    expect(alice.page.get_by_role("heading", level=1)).to_have_text("Your rooms")
