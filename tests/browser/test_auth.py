"""Signing up, logging in and out, staying signed in, changing the password; failures in words."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from tests.browser.people import PASSWORD


def heading(page):
    return page.get_by_role("heading", level=1)


def test_sign_up_stay_signed_in_log_out_and_log_in(person):
    alice = person("alice", via="ui")
    page = alice.page
    expect(page.get_by_text(f"Signed in as {alice.username}")).to_be_visible()

    page.reload()
    expect(heading(page)).to_have_text("Your rooms")

    page.get_by_role("button", name="Log out").click()
    expect(heading(page)).to_have_text("Log in or sign up")
    expect(page.get_by_role("status").filter(has_text="You have logged out.")).to_be_visible()
    assert page.evaluate("localStorage.getItem('tasksync.session')") is None
    page.reload()
    expect(heading(page)).to_have_text("Log in or sign up")

    # Login accepts the username in any letter case.
    alice.fill_credentials(username=alice.username.upper())
    page.get_by_role("button", name="Log in").click()
    expect(heading(page)).to_have_text("Your rooms")


def test_a_deep_link_opens_after_logging_in(person, new_context):
    alice = person("alice")
    alice.create_room("Deep link")
    address = alice.page.url
    later = new_context().new_page()
    later.goto(address)
    expect(heading(later)).to_have_text("Log in or sign up")
    later.get_by_label("Username", exact=True).fill(alice.username)
    later.get_by_label("Password", exact=True).fill(PASSWORD)
    later.get_by_label("Password", exact=True).press("Enter")
    expect(heading(later)).to_have_text("Deep link")
    assert later.url == address


def test_wrong_password_and_taken_username_are_said(person):
    alice = person("alice")
    page = alice.page
    page.get_by_role("button", name="Log out").click()

    alice.fill_credentials(password="not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong username or password.")
    expect(page.get_by_label("Password", exact=True)).to_be_focused()

    alice.fill_credentials()
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("alert")).to_have_text("That username is taken. Choose another one.")


def test_fields_are_checked_before_sending(person):
    newcomer = person("new", via=None)
    page = newcomer.open("/#/login").page
    newcomer.fill_credentials(username="x", password="short")
    page.get_by_role("button", name="Sign up").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Username — 3 to 80 characters")
    expect(alert).to_contain_text("Password — 8 to 128 characters")
    expect(page.get_by_label("Username", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Username", exact=True)).to_be_focused()


def test_throttled_login_shows_the_wait(person, api):
    alice = person("alice")
    page = alice.page
    page.get_by_role("button", name="Log out").click()
    for _ in range(12):
        response = api.call("POST", "/auth/login", json={"username": alice.username, "password": "wrong password"})
        if response.status_code == 429:
            break
    assert response.status_code == 429, response.text
    wait = int(response.headers["Retry-After"])

    alice.fill_credentials()
    page.get_by_role("button", name="Log in").click()
    # The page's own 429 comes a moment later: its wait may be a second or two shorter, which can
    # round to one minute less (901 s is 16 minutes, 900 s is 15).
    expected = {said_wait(w) for w in range(max(1, wait - 2), wait + 1)}
    expect(page.get_by_role("alert")).to_have_text(re.compile("^(" + "|".join(map(re.escape, expected)) + ")$"))


def said_wait(wait: int) -> str:
    """What the English page says for a wait of ``wait`` seconds."""
    if wait < 60:
        return f"Too many attempts. Try again in {wait} second{'s' if wait != 1 else ''}."
    minutes = -(-wait // 60)
    return f"Too many attempts. Try again in {minutes} minute{'s' if minutes != 1 else ''}."


def test_a_token_the_server_refuses_ends_the_session(person):
    alice = person("alice")
    page = alice.page
    session = json.loads(page.evaluate("localStorage.getItem('tasksync.session')"))
    session["token"] = "not-a-valid-token"
    page.evaluate("value => localStorage.setItem('tasksync.session', value)", json.dumps(session))
    page.reload()
    expect(heading(page)).to_have_text("Log in or sign up")
    expect(page.get_by_role("alert")).to_have_text("Your session has ended. Please log in again.")
    assert page.evaluate("localStorage.getItem('tasksync.session')") is None


def test_change_password(person):
    alice = person("alice")
    page = alice.page
    page.get_by_role("link", name="Account").click()
    expect(heading(page)).to_have_text("Account")

    page.get_by_label("Current password").fill("not the password")
    page.get_by_label("New password").fill("a brand new password")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("alert")).to_have_text("The current password is wrong.")

    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("status").filter(has_text="Your password has been changed.")).to_be_visible()

    # Still signed in (with a fresh token), and the new password is the one that works.
    page.get_by_role("link", name="Rooms").click()
    expect(heading(page)).to_have_text("Your rooms")
    page.get_by_role("button", name="Log out").click()
    alice.log_in()
    expect(page.get_by_role("alert")).to_have_text("Wrong username or password.")
    alice.log_in(password="a brand new password")
    expect(heading(page)).to_have_text("Your rooms")


def test_unknown_address_says_so(person):
    alice = person("alice")
    alice.page.goto("/#/nowhere")
    expect(heading(alice.page)).to_have_text("Page not found")
    alice.page.get_by_role("link", name="Go to your rooms").click()
    expect(heading(alice.page)).to_have_text("Your rooms")
