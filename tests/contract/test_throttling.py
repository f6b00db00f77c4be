"""docs/api.md: failed logins (per username and client address) and failed joins (per user) are throttled with 429 +
Retry-After. The counters live as long as the session's stack, so every test uses fresh usernames and users."""

from __future__ import annotations

import secrets
import string

from tests.contract.helpers import PASSWORD, make_room, ok, problem, sign_up, unique

LOGIN = "/api/v1/auth/login"
JOIN = "/api/v1/rooms/join"


def login(client, username, password):
    return client.post(LOGIN, json={"username": username, "password": password})


def assert_throttled_after_failures(statuses: list[int], limit: int, failure: int) -> None:
    """The first attempt fails normally; failures may be cut short by 429 ("at most" the limit), never resumed."""
    assert len(statuses) == limit
    assert statuses[0] == failure, statuses
    first_429 = statuses.index(429) if 429 in statuses else limit
    assert statuses[:first_429] == [failure] * first_429, statuses
    assert statuses[first_429:] == [429] * (limit - first_429), statuses


def test_eleventh_login_attempt_is_429_even_with_the_right_password(stack, anonymous):
    victim = sign_up(stack.url)
    name = victim.user["username"]
    bystander = sign_up(stack.url)
    statuses = [login(anonymous, name, f"wrong password {n}").status_code for n in range(10)]
    assert_throttled_after_failures(statuses, 10, 401)
    problem(login(anonymous, name, PASSWORD), 429)
    problem(login(anonymous, name.upper(), PASSWORD), 429)  # the same username in another case
    # the victim's existing token is not affected, and neither are other usernames from this address
    ok(victim.get("/api/v1/users/me"))
    ok(login(anonymous, bystander.user["username"], PASSWORD))


def test_failures_in_any_letter_case_count_for_one_username(stack, anonymous):
    victim = sign_up(stack.url, unique("CaseCount"))
    name = victim.user["username"]
    variants = [name.lower(), name.upper(), name.swapcase(), name]
    statuses = [login(anonymous, variants[n % 4], "wrong password").status_code for n in range(10)]
    assert_throttled_after_failures(statuses, 10, 401)
    problem(login(anonymous, name, PASSWORD), 429)


def test_unknown_usernames_are_throttled_too(anonymous):
    name = unique("ghost")
    statuses = [login(anonymous, name, "wrong password").status_code for _ in range(10)]
    assert_throttled_after_failures(statuses, 10, 401)
    problem(login(anonymous, name, "wrong password"), 429)
    # registering that name is still possible, and a neighbouring name is not throttled
    ok(anonymous.post("/api/v1/auth/register", json={"username": name + "x", "password": PASSWORD}), 201)
    ok(login(anonymous, name + "x", PASSWORD))


def random_code() -> str:
    return "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(9))


def test_twenty_first_join_attempt_is_429_even_with_a_valid_code(stack):
    owner, guesser, bystander = sign_up(stack.url), sign_up(stack.url), sign_up(stack.url)
    room = make_room(owner)
    statuses = [guesser.post(JOIN, json={"code": random_code()}).status_code for _ in range(20)]
    assert_throttled_after_failures(statuses, 20, 404)
    problem(guesser.post(JOIN, json={"code": room["code"]}), 429)
    assert ok(guesser.get("/api/v1/rooms"))["items"] == []  # the 429 did not join either
    assert ok(bystander.post(JOIN, json={"code": room["code"]}))["member_count"] == 2
    # the guesser's other work is not throttled
    make_room(guesser)


def test_successful_joins_are_not_counted(stack):
    owner, joiner = sign_up(stack.url), sign_up(stack.url)
    room = make_room(owner)
    for _ in range(21):
        ok(joiner.post(JOIN, json={"code": room["code"]}))
