"""docs/api.md, Authentication: register, login, logout, me, password change."""

from __future__ import annotations

import secrets
import string

import pytest

from tests.conftest import Client
from tests.contract.helpers import PASSWORD, assert_user, ok, problem, sign_up, unique

REGISTER = "/api/v1/auth/register"
LOGIN = "/api/v1/auth/login"
LOGOUT = "/api/v1/auth/logout"
ME = "/api/v1/users/me"
PASSWORD_ROUTE = "/api/v1/users/me/password"


def register(client: Client, username: str, password: str = PASSWORD):
    return client.post(REGISTER, json={"username": username, "password": password})


def login(client: Client, username: str, password: str = PASSWORD):
    return client.post(LOGIN, json={"username": username, "password": password})


def suffix(n: int = 8) -> str:
    return secrets.token_hex(n // 2)


# --- register ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make_name",
    [
        pytest.param(lambda: "".join(secrets.choice(string.ascii_letters) for _ in range(3)), id="3-chars"),
        pytest.param(lambda: ("x" + suffix(12)).ljust(80, "y"), id="80-chars"),
        pytest.param(lambda: f"a.b_c-d.{suffix()}", id="dot-underscore-dash"),
        pytest.param(lambda: f"Олена{suffix()}", id="cyrillic"),
        pytest.param(lambda: f"Zoë_Δήμητρα_{suffix()}", id="latin-accent-and-greek"),
        pytest.param(lambda: f"0123{suffix()}", id="digits"),
    ],
)
def test_register_accepts_valid_usernames(anonymous, make_name):
    username = make_name()
    user = ok(register(anonymous, username), 201)
    assert_user(user, username)
    assert ok(login(anonymous, username))["user"] == user


@pytest.mark.parametrize(
    "username",
    [
        pytest.param("ab", id="2-chars"),
        pytest.param("a" * 81, id="81-chars"),
        pytest.param("", id="empty"),
        pytest.param("has space", id="space"),
        pytest.param("semi;colon", id="semicolon"),
        pytest.param("at@sign", id="at-sign"),
        pytest.param("slash/name", id="slash"),
        pytest.param("smile😀face", id="emoji"),
        pytest.param("tab\tname", id="tab"),
        pytest.param(12345, id="integer"),
        pytest.param(None, id="null"),
        pytest.param(["abc"], id="array"),
    ],
)
def test_register_rejects_invalid_usernames(anonymous, username):
    problem(anonymous.post(REGISTER, json={"username": username, "password": PASSWORD}), 422, "username")


@pytest.mark.parametrize("length", [8, 128])
def test_register_accepts_password_length_bounds(anonymous, length):
    username = unique()
    password = ("pässwörd" * 20)[:length]
    ok(register(anonymous, username, password), 201)
    ok(login(anonymous, username, password))


@pytest.mark.parametrize(
    "password",
    [
        pytest.param("a" * 7, id="7-chars"),
        pytest.param("a" * 129, id="129-chars"),
        pytest.param("", id="empty"),
        pytest.param(12345678, id="integer"),
        pytest.param(None, id="null"),
    ],
)
def test_register_rejects_invalid_passwords(anonymous, password):
    username = unique()
    problem(anonymous.post(REGISTER, json={"username": username, "password": password}), 422, "password")


def test_register_names_every_missing_field(anonymous):
    problem(anonymous.post(REGISTER, json={}), 422, "username", "password")


@pytest.mark.parametrize(
    "first, second",
    [
        ("Alice_{}", "alice_{}"),
        ("bob_{}", "BOB_{}"),
        ("same_{}", "same_{}"),
        ("Олена_{}", "олена_{}"),
        ("ОЛЕНА_{}", "Олена_{}"),
    ],
)
def test_username_is_unique_without_regard_to_case(anonymous, first, second):
    tag = suffix()
    ok(register(anonymous, first.format(tag)), 201)
    problem(register(anonymous, second.format(tag), "another password"), 409)
    # the first account is untouched, and the second password opens nothing
    ok(login(anonymous, first.format(tag)))
    problem(login(anonymous, first.format(tag), "another password"), 401)


# --- login --------------------------------------------------------------------------------------


def test_login_returns_token_and_user(anonymous):
    username = unique("Login")
    user = ok(register(anonymous, username), 201)
    body = ok(login(anonymous, username))
    assert set(body) >= {"access_token", "token_type", "expires_in", "user"}
    assert isinstance(body["access_token"], str) and body["access_token"]
    assert body["token_type"] == "Bearer"
    assert isinstance(body["expires_in"], int) and not isinstance(body["expires_in"], bool)
    assert body["expires_in"] > 0
    assert body["user"] == user
    me = ok(anonymous.get(ME, headers={"Authorization": f"Bearer {body['access_token']}"}))
    assert me == user


@pytest.mark.parametrize("variant", [str.lower, str.upper, str.swapcase])
def test_login_accepts_username_in_any_case(anonymous, variant):
    username = f"MiXed_Олена_{suffix()}"
    user = ok(register(anonymous, username), 201)
    body = ok(login(anonymous, variant(username)))
    assert body["user"] == user
    assert body["user"]["username"] == username


def test_every_login_issues_a_new_token(anonymous):
    username = unique()
    ok(register(anonymous, username), 201)
    tokens = [ok(login(anonymous, username))["access_token"] for _ in range(2)]
    assert tokens[0] != tokens[1]
    for token in tokens:
        ok(anonymous.get(ME, headers={"Authorization": f"Bearer {token}"}))


def test_unknown_user_and_wrong_password_get_the_same_401(anonymous):
    username = unique()
    ok(register(anonymous, username), 201)
    wrong_password = login(anonymous, username, "not the password")
    unknown_user = login(anonymous, unique("ghost"), "not the password")
    body = problem(wrong_password, 401)
    assert problem(unknown_user, 401) == body
    assert wrong_password.headers.get("Content-Type") == unknown_user.headers.get("Content-Type")


@pytest.mark.parametrize(
    "payload, fields",
    [
        ({"username": "someone_1"}, {"password"}),
        ({"password": PASSWORD}, {"username"}),
        ({"username": 123, "password": PASSWORD}, {"username"}),
        ({"username": "someone_1", "password": 12345678}, {"password"}),
    ],
)
def test_login_validates_fields(anonymous, payload, fields):
    problem(anonymous.post(LOGIN, json=payload), 422, *fields)


# --- me, logout, password ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared(stack):
    """A user for tests that change nothing about them."""
    return sign_up(stack.url)


def test_me_returns_the_signed_in_user(shared):
    client = shared
    assert_user(ok(client.get(ME)), client.user["username"])
    assert ok(client.get(ME)) == client.user


def test_logout_revokes_only_that_token(new_client, stack):
    client = new_client()
    other = Client(stack.url).log_in(client.user["username"], PASSWORD)
    ok(client.post(LOGOUT), 204)
    problem(client.get(ME), 401)
    problem(client.post(LOGOUT), 401)
    problem(client.get("/api/v1/rooms"), 401)
    assert ok(other.get(ME)) == client.user
    ok(other.get("/api/v1/rooms"))


def test_password_change_revokes_every_earlier_token(new_client, stack):
    client = new_client()
    username = client.user["username"]
    other = Client(stack.url).log_in(username, PASSWORD)
    new_password = "a brand new passphrase"
    ok(client.put(PASSWORD_ROUTE, json={"current_password": PASSWORD, "new_password": new_password}), 204)
    for earlier in (client, other):
        problem(earlier.get(ME), 401)
        problem(earlier.get("/api/v1/rooms"), 401)
    problem(login(client, username, PASSWORD), 401)
    fresh = Client(stack.url).log_in(username.upper(), new_password)
    assert ok(fresh.get(ME)) == client.user


def test_password_change_with_wrong_current_password_is_403(new_client):
    client = new_client()
    response = client.put(PASSWORD_ROUTE, json={"current_password": "not my password", "new_password": "whatever123"})
    problem(response, 403)
    ok(client.get(ME))  # the token still works
    ok(login(Client(client.base_url), client.user["username"], PASSWORD))  # and the password did not change
    problem(login(Client(client.base_url), client.user["username"], "whatever123"), 401)


@pytest.mark.parametrize(
    "payload, fields",
    [
        ({"current_password": PASSWORD, "new_password": "short"}, {"new_password"}),
        ({"current_password": PASSWORD, "new_password": "x" * 129}, {"new_password"}),
        ({"current_password": PASSWORD}, {"new_password"}),
        ({"new_password": "long enough password"}, {"current_password"}),
        ({"current_password": PASSWORD, "new_password": 123456789}, {"new_password"}),
    ],
)
def test_password_change_validates_fields(shared, payload, fields):
    problem(shared.put(PASSWORD_ROUTE, json=payload), 422, *fields)
    ok(shared.get(ME))  # no change happened: every earlier token would have been revoked


def test_password_change_needs_a_token(anonymous):
    problem(anonymous.put(PASSWORD_ROUTE, json={"current_password": PASSWORD, "new_password": "long enough pw"}), 401)


def test_password_and_hash_never_appear_in_responses(stack):
    secret = "Sëcret-" + suffix(16)
    second = "Sëcond-" + suffix(16)
    client = Client(stack.url)
    username = unique()
    responses = [register(client, username, secret), login(client, username, secret)]
    client.token = responses[-1].json()["access_token"]
    room_response = client.post("/api/v1/rooms", json={"name": "mine"})
    room_id = room_response.json()["id"]
    responses += [
        room_response,
        client.get(ME),
        client.get("/api/v1/rooms"),
        client.get(f"/api/v1/rooms/{room_id}/members"),
        client.post(f"/api/v1/rooms/{room_id}/tasks", json={"title": "t"}),
        client.put(PASSWORD_ROUTE, json={"current_password": "wrong-" + secret, "new_password": second}),
        client.put(PASSWORD_ROUTE, json={"current_password": secret, "new_password": "x"}),
        login(client, username, "wrong-" + secret),
        register(client, username, secret),
    ]
    for response in responses:
        assert response.status_code < 500, response.text
        text = response.text
        assert secret not in text and second not in text, text
        assert "argon2" not in text.lower() and "$scrypt" not in text and "pbkdf2" not in text.lower(), text
        if response.headers.get("Content-Type", "").endswith("json") and isinstance(response.json(), dict):
            assert not any("password" in key.lower() for key in _keys(response.json())), text


def _keys(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _keys(value)
    elif isinstance(node, list):
        for value in node:
            yield from _keys(value)
