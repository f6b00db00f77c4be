"""Browser fixtures: Debian's Chromium driven by Playwright against the stack of tests/conftest.py.

Chromium is never downloaded: it is the system's /usr/bin/chromium (apt-get install chromium).
Without it the browser tests are skipped on a developer's machine and fail in CI (CI=true).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.browser.people import PASSWORD, Person, unique
from tests.conftest import running_stack
from tools.databases import missing

CHROMIUM = os.environ.get("TASKSYNC_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

expect.set_options(timeout=10_000)


def pytest_collection_modifyitems(items):
    """Every test in this folder drives a browser."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """Browser tests run once, on the embedded default (SQLite), started as `make run` starts it:
    the client sees the same API whatever the database, and one pass keeps the suite short."""
    with running_stack(tmp_path_factory, "sqlite") as started:
        yield started


@pytest.fixture(scope="session")
def browser() -> Browser:
    """One Chromium for the whole session; each test gets its own contexts."""
    if not Path(CHROMIUM).exists():
        missing(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageProblems:
    """Uncaught script errors and Content-Security-Policy refusals seen by a page."""

    def __init__(self):
        self.errors: list[str] = []

    def watch(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        page.on(
            "console",
            lambda message: (
                self.errors.append(f"console: {message.text}")
                if message.type == "error" and re.search(r"Content Security Policy|Uncaught", message.text)
                else None
            ),
        )


@pytest.fixture
def new_context(browser: Browser, stack):
    """A factory of fresh browser contexts (separate people) at the stack's URL, English by default."""
    contexts: list[BrowserContext] = []
    problems = PageProblems()

    def make(**options) -> BrowserContext:
        options.setdefault("locale", "en-US")
        # The client's service worker is tested on its own (test_installable.py); elsewhere it
        # would answer the page's file requests beside Playwright's routes.
        options.setdefault("service_workers", "block")
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(base_url=stack.url, **options)
        context.set_default_timeout(10_000)
        context.on("page", problems.watch)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        # A route handler still running when its page closes would fail the test for nothing.
        for page in context.pages:
            page.unroute_all(behavior="ignoreErrors")
        context.close()
    assert not problems.errors, problems.errors


@pytest.fixture
def person(new_context, api, stack):
    """A factory of people, each under a fresh name in a fresh context.

    `via` says how they sign up: "ui" through the page, "api" directly (faster, for tests about
    something else: the browser starts signed in), or None (not signed up, on no page yet).
    """

    def make(prefix: str = "user", via: str | None = "api", **context_options) -> Person:
        username = unique(prefix)
        if via == "api":
            session = api.sign_up(username)
            context_options["storage_state"] = {
                "cookies": [],
                "origins": [
                    {"origin": stack.url, "localStorage": [{"name": "tasksync.session", "value": json.dumps(session)}]}
                ],
            }
        someone = Person(new_context(**context_options).new_page(), username)
        if via == "api":
            someone.token = session["token"]
            someone.user_id = session["user"]["id"]
        if via == "ui":
            return someone.sign_up()
        if via == "api":
            answers: list[str] = []
            someone.page.on(
                "response",
                lambda r: answers.append(f"{r.request.method} {r.url} {r.status}") if "/api/" in r.url else None,
            )
            someone.open("/#/rooms")
            heading = someone.page.get_by_role("heading", level=1)
            try:
                expect(heading).to_have_text(re.compile("Your rooms|Ваші кімнати"))
            except AssertionError as error:
                raise AssertionError(f"not signed in; the API answered: {answers}") from error
        return someone

    return make


@pytest.fixture
def api(stack):
    """Direct calls to the public API, for quick set-up that the test is not about."""

    class Api:
        def __init__(self):
            self.session = requests.Session()
            self.session.trust_env = False

        def call(self, method, path, token=None, **kwargs):
            headers = kwargs.pop("headers", {})
            if token:
                headers["Authorization"] = f"Bearer {token}"
            return self.session.request(method, f"{stack.url}/api/v1{path}", headers=headers, timeout=30, **kwargs)

        def token(self, username, password=PASSWORD):
            return self.log_in(username, password)["token"]

        def log_in(self, username, password=PASSWORD):
            """The session the web client keeps after logging in."""
            response = self.call("POST", "/auth/login", json={"username": username, "password": password})
            assert response.status_code == 200, response.text
            body = response.json()
            return {"token": body["access_token"], "user": body["user"], "expiresAt": None}

        def sign_up(self, username, password=PASSWORD):
            response = self.call("POST", "/auth/register", json={"username": username, "password": password})
            assert response.status_code == 201, response.text
            return self.log_in(username, password)

        def expect(self, status, method, path, token, **kwargs):
            response = self.call(method, path, token, **kwargs)
            assert response.status_code == status, f"{method} {path}: {response.status_code} {response.text}"
            return response.json() if response.content else None

        def create_room(self, token, name):
            return self.expect(201, "POST", "/rooms", token, json={"name": name})

        def join(self, token, code):
            return self.expect(200, "POST", "/rooms/join", token, json={"code": code})

        def add_task(self, token, room_id, **fields):
            return self.expect(201, "POST", f"/rooms/{room_id}/tasks", token, json=fields)

        def change_task(self, token, room_id, task_id, **fields):
            return self.expect(200, "PATCH", f"/rooms/{room_id}/tasks/{task_id}", token, json=fields)

        def add_label(self, token, room_id, name, color):
            return self.expect(201, "POST", f"/rooms/{room_id}/labels", token, json={"name": name, "color": color})

        def add_checklist(self, token, room_id, task_id, items):
            """Adds checklist items, given as (text, done); returns the task as it is after."""
            path = f"/rooms/{room_id}/tasks/{task_id}/checklist"
            task = None
            for text, _ in items:
                task = self.expect(201, "POST", path, token, json={"text": text})
            for item, (_, done) in zip(task["checklist"], items, strict=True):
                if done:
                    task = self.expect(200, "PATCH", f"{path}/{item['id']}", token, json={"done": True})
            return task

        def column(self, token, room_id, status):
            """The titles of a column's tasks in the board's order."""
            query = {"status": status, "sort": "position", "limit": 200}
            items = self.expect(200, "GET", f"/rooms/{room_id}/tasks", token, params=query)["items"]
            return [task["title"] for task in items]

    return Api()
