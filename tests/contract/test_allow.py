"""Allow (RFC 9110, 10.2.1 and 15.5.6) lists exactly the methods a path serves: on OPTIONS and on
every 405, through the gateway's forwarding, for every path of the served OpenAPI document."""

from __future__ import annotations

import pytest
import requests

from tests.contract.helpers import make_task, ok, problem, unsubscribe_secret

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# Methods no path serves; a 405 for each must still name the path's own methods.
OTHER_METHODS = ("TRACE", "QUERY", "FROB")


def allowed(response) -> set[str]:
    return {m.strip().upper() for m in response.headers.get("Allow", "").split(",") if m.strip()}


@pytest.fixture(scope="module")
def served_paths(stack):
    """(path template, the methods it serves, with HEAD beside GET, and OPTIONS) of the served document."""
    document = ok(requests.get(stack.url + "/api/v1/openapi.json", timeout=30))
    paths = []
    for template, item in document["paths"].items():
        methods = {m.upper() for m in item if m.upper() in HTTP_METHODS}
        assert methods, template
        paths.append((template, methods | {"OPTIONS"} | ({"HEAD"} if "GET" in methods else set())))
    assert len(paths) >= 14, [p for p, _ in paths]  # the documented API, and health
    return paths


@pytest.fixture(scope="module")
def concrete(stack, people):
    """Fills a path template with things that exist and the caller may see."""
    owner, member = people[0], people[1]
    room = ok(owner.post("/api/v1/rooms", json={"name": "allow"}), 201)
    ok(member.post("/api/v1/rooms/join", json={"code": room["code"]}))
    label = ok(owner.post(f"/api/v1/rooms/{room['id']}/labels", json={"name": "allow", "color": "#000000"}), 201)
    task = make_task(owner, room["id"], label_ids=[label["id"]])
    added = ok(owner.post(f"/api/v1/rooms/{room['id']}/tasks/{task['id']}/checklist", json={"text": "allow"}), 201)
    said = ok(owner.post(f"/api/v1/rooms/{room['id']}/tasks/{task['id']}/comments", json={"body": "allow"}), 201)
    feed = ok(owner.post("/api/v1/users/me/calendar"))["url"]  # a real one: guesses would be throttled
    values = {
        "room_id": room["id"],
        "task_id": task["id"],
        "user_id": member.user["id"],
        "label_id": label["id"],
        "item_id": added["checklist"][0]["id"],
        "comment_id": said["id"],
    }
    secrets = {  # each route's own: a wrong one would spend 127.0.0.1's guesses
        "/api/v1/calendar/": feed.rsplit("/", 1)[1].removesuffix(".ics"),
        "/api/v1/mail/unsubscribe/": unsubscribe_secret(stack, owner),
    }

    def fill(template: str) -> str:
        secret = next((value for prefix, value in secrets.items() if template.startswith(prefix)), "")
        return template.format(**values, secret=secret)

    return owner, fill


def test_options_allows_exactly_what_each_documented_path_serves(served_paths, concrete, anonymous):
    owner, fill = concrete
    for template, expected in served_paths:
        for client in (owner, anonymous):  # a CORS preflight carries no token
            response = client.request("OPTIONS", fill(template))
            assert response.status_code in (200, 204), (template, response.status_code, response.text[:200])
            assert allowed(response) == expected, (template, response.headers.get("Allow"))


def test_every_405_allows_exactly_what_the_path_serves(served_paths, concrete):
    owner, fill = concrete
    for template, expected in served_paths:
        for method in [m for m in HTTP_METHODS if m not in expected] + list(OTHER_METHODS):
            response = owner.request(method, fill(template), json={})
            problem(response, 405)
            assert allowed(response) == expected, (method, template, response.headers.get("Allow"))


def test_head_answers_where_get_does(served_paths, concrete):
    owner, fill = concrete
    for template, expected in served_paths:
        if "HEAD" in expected:
            response = owner.request("HEAD", fill(template))
            assert response.status_code == 200 and response.content == b"", (template, response.status_code)
