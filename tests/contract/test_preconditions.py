"""Conditional requests exactly as RFC 9110 (13.1.1, 13.1.2) defines them, over HTTP.

If-Match compares strongly, so a weak tag never matches; a list matches when one of its tags is
the current one; ``*`` matches any current task. If-None-Match compares weakly.
"""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.contract.helpers import etag, make_task, ok, problem


def task_url(room, task) -> str:
    return f"/api/v1/rooms/{room['id']}/tasks/{task['id']}"


@pytest.fixture
def task(team, owner):
    return make_task(owner, team["id"])


@pytest.mark.parametrize(
    "if_match, applies",
    [
        ('W/"1"', False),
        ('W/"1", W/"2"', False),
        ('"1"', True),
        ('"7", "1"', True),
        ('"7","8" , ,"1"', True),
        ('W/"1", "2"', False),
        ('"2", "3"', False),
        ("*", True),
        ('"abc", "1"', True),
        ("1", False),  # not quoted: not an entity tag
        ('"1', False),
        ('w/"1"', False),  # "W/" is case-sensitive
        ('*, "1"', False),
        ('"1" "2"', False),
        ("", False),  # a list with no tag in it
    ],
)
def test_if_match_on_patch(team, owner, task, if_match, applies):
    url = task_url(team, task)
    response = owner.patch(url, json={"title": "changed"}, headers={"If-Match": if_match})
    if applies:
        assert ok(response)["version"] == 2
    else:
        problem(response, 412)
        assert ok(owner.get(url)) == task


@pytest.mark.parametrize(
    "if_match, applies", [('W/"1"', False), ('"5", "1"', True), ('"5", W/"1"', False), ("*", True)]
)
def test_if_match_on_delete(team, owner, task, if_match, applies):
    url = task_url(team, task)
    response = owner.delete(url, headers={"If-Match": if_match})
    if applies:
        ok(response, 204)
        problem(owner.get(url), 404)
    else:
        problem(response, 412)
        assert ok(owner.get(url)) == task


@pytest.mark.parametrize("if_match, applies", [('W/"1"', False), ('"5", "1"', True), ('"2"', False), ("*", True)])
def test_if_match_on_move(team, owner, task, if_match, applies):
    url = task_url(team, task)
    response = owner.post(f"{url}/move", json={"status": "completed", "after_id": None}, headers={"If-Match": if_match})
    if applies:
        moved = ok(response)
        assert (moved["version"], moved["status"]) == (2, "completed") and response.headers["ETag"] == etag(2)
    else:
        problem(response, 412)
        assert ok(owner.get(url)) == task


def raw_patch(stack, token: str, path: str, header_lines: list[str]) -> int:
    """A PATCH with If-Match sent as several header lines (requests would fold them into one)."""
    parts = urlsplit(stack.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        body = json.dumps({"title": "two lines"}).encode()
        connection.putrequest("PATCH", path)
        for name, value in [("Authorization", f"Bearer {token}"), ("Content-Type", "application/json")]:
            connection.putheader(name, value)
        for line in header_lines:
            connection.putheader("If-Match", line)
        connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        return connection.getresponse().status
    finally:
        connection.close()


def test_if_match_over_several_header_lines_is_one_list(stack, team, owner, task):
    url = task_url(team, task)
    assert raw_patch(stack, owner.token, url, ['"7"', 'W/"1"']) == 412
    assert raw_patch(stack, owner.token, url, ['"7"', '"1"']) == 200


def test_a_missing_task_is_404_whatever_if_match_says(team, owner):
    missing = {"id": 2_000_000_000}
    for value in ('W/"1"', "*", '"1"', "garbage"):
        problem(owner.patch(task_url(team, missing), json={"title": "x"}, headers={"If-Match": value}), 404)
        problem(owner.delete(task_url(team, missing), headers={"If-Match": value}), 404)


def test_if_none_match_compares_weakly_and_takes_lists_and_star(team, owner, task):
    path = f"/api/v1/rooms/{team['id']}/tasks"
    tag = owner.get(path).headers["ETag"]
    for _ in range(2):  # the tasks service answers, then the gateway from the shared cache
        for value in (tag, f"W/{tag}", f'"other", {tag}', f'"a",,  W/{tag}', "*"):
            response = owner.get(path, headers={"If-None-Match": value})
            assert response.status_code == 304 and response.headers["ETag"] == tag, (value, response.status_code)
        for value in ('"other"', tag.strip('"'), f'"other", W/"{tag}"'):
            assert owner.get(path, headers={"If-None-Match": value}).status_code == 200, value


# --- the property, over HTTP ------------------------------------------------------------------------

versions = st.integers(min_value=1, max_value=12)
opaque = st.one_of(versions.map(str), st.text(st.sampled_from("!#az09-_./:W"), max_size=6))
entity_tags = st.tuples(st.booleans(), opaque).map(lambda t: ('W/"%s"' if t[0] else '"%s"') % t[1])
spacing = st.sampled_from(["", " ", "\t", "  "])


@st.composite
def tag_lists(draw):
    """A syntactically valid If-Match list: tags, optional white space, and the odd empty element."""
    tags = draw(st.lists(entity_tags, min_size=1, max_size=5))
    pieces = [draw(spacing) + tag + draw(spacing) for tag in tags]
    if draw(st.booleans()):
        pieces.insert(draw(st.integers(0, len(pieces))), draw(spacing))
    return ",".join(pieces).strip(" \t")  # a field value has no white space around it


def strongly_names(if_match: str, version: int) -> bool:
    """The rule under test, said in the test's own words: a strong tag equal to the version."""
    return any(part.strip(" \t") == f'"{version}"' for part in if_match.split(","))


@pytest.fixture(scope="module")
def changing_task(stack, people):
    owner = people[0]
    room = ok(owner.post("/api/v1/rooms", json={"name": "preconditions"}), 201)
    task = make_task(owner, room["id"])
    return owner, task_url(room, task), {"version": 1, "changes": 0}


@settings(max_examples=40, deadline=None)
@given(if_match=tag_lists())
@example(if_match='W/"1"')
@example(if_match='"1"')
@example(if_match='W/"1", "1"')
def test_weak_tags_never_match_and_a_list_matches_iff_it_holds_the_strong_current_tag(changing_task, if_match):
    owner, url, state = changing_task
    state["changes"] += 1  # a new description each time: an unchanged task keeps its version
    response = owner.patch(url, json={"description": f"change {state['changes']}"}, headers={"If-Match": if_match})
    if strongly_names(if_match, state["version"]):
        state["version"] += 1
        assert ok(response)["version"] == state["version"], if_match
        assert response.headers["ETag"] == etag(state["version"])
    else:
        problem(response, 412)
        assert ok(owner.get(url))["version"] == state["version"], if_match
