"""People using the web client, and names that no other test on the shared stack uses."""

from __future__ import annotations

import re
import uuid

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

PASSWORD = "correct horse battery"


def unique(prefix: str) -> str:
    """A name no other test uses on the shared stack."""
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


class Person:
    """Someone using the web client in their own browser context."""

    def __init__(self, page: Page, username: str):
        self.page = page
        self.username = username
        self.token: str | None = None  # set when signed up through the API
        self.user_id: int | None = None

    def open(self, path: str = "/") -> Person:
        self.page.goto(path)
        return self

    def fill_credentials(self, username: str | None = None, password: str = PASSWORD) -> None:
        self.page.get_by_label("Username", exact=True).fill(username or self.username)
        self.page.get_by_label("Password", exact=True).fill(password)

    def sign_up(self) -> Person:
        self.open("/#/login")
        self.fill_credentials()
        self.page.get_by_role("button", name="Sign up", exact=True).click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text("Your rooms")
        return self

    def log_in(self, password: str = PASSWORD) -> Person:
        self.fill_credentials(password=password)
        self.page.get_by_role("button", name="Log in", exact=True).click()
        return self

    def create_room(self, name: str) -> str:
        """Creates a room from the rooms list and returns its code."""
        page = self.page
        page.goto("/#/rooms")
        page.get_by_label("Room name", exact=True).fill(name)
        page.get_by_role("button", name="Create room", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(name)
        code = page.locator("[data-room-code]")
        expect(code).to_have_text(re.compile(r"^[A-Z0-9]{9}$"))
        return code.inner_text()

    def join_room(self, code: str, name: str) -> None:
        page = self.page
        page.goto("/#/rooms")
        page.get_by_label("Room code", exact=True).fill(code)
        page.get_by_role("button", name="Join room", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(name)

    def add_task(self, title: str, description: str = "", assignee: str | None = None, column: str = "Pending") -> None:
        """Adds a task at the foot of a column; a description or assignee is then set in its panel."""
        page = self.page
        page.get_by_label(f"Add a task to {column}", exact=True).fill(title)
        page.get_by_label(f"Add a task to {column}", exact=True).press("Enter")
        expect(self.task(title)).to_be_visible()
        if description or assignee:
            panel = self.open_task(title)
            if description:
                panel.get_by_label("Description", exact=True).fill(description)
            if assignee:
                panel.get_by_label("Assignee", exact=True).select_option(label=assignee)
            panel.get_by_role("button", name="Save", exact=True).click()
            expect(panel).to_be_hidden()

    def open_task(self, title: str):
        """Opens a task's panel from its card; returns the panel."""
        self.task(title).get_by_role("link", name=title, exact=True).click()
        panel = self.page.get_by_role("dialog", name="Edit task")
        expect(panel).to_be_visible()
        return panel

    def column(self, name: str):
        return self.page.get_by_role("region", name=name, exact=True)

    def task(self, title: str):
        return self.page.get_by_role("article", name=title, exact=True)

    @property
    def room_id(self) -> int:
        return int(self.page.url.split("#/rooms/", 1)[1].split("/")[0].split("?")[0])


def serious_violations(page: Page) -> list[str]:
    """The axe-core rules a page breaks with serious or critical impact, one line each."""
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(
            node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
            for node in violation["nodes"][:5]
        )
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
