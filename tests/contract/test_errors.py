"""docs/api.md, Errors: problem documents, 400/405/413/415/422 and no input ever producing a 500 or HTML."""

from __future__ import annotations

import contextlib
import json
import socket
import time

import pytest

from tests.conftest import Client
from tests.contract.helpers import join, make_room, make_task, ok, problem, sign_up, unique

MIB = 1024 * 1024


def json_type() -> dict:
    """A new headers dict each time: Client.request adds its Authorization to the dict it is given."""
    return {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def world(stack):
    """owner and member of a room with one task."""
    owner, member = sign_up(stack.url), sign_up(stack.url)
    room = make_room(owner)
    join(member, room)
    task = make_task(owner, room["id"])
    return owner, member, room, task


def body_routes(room, task):
    """(method, path, a valid body) of every route that takes a JSON body."""
    return [
        ("POST", "/api/v1/auth/register", {"username": unique(), "password": "long enough"}),
        ("POST", "/api/v1/auth/login", {"username": unique(), "password": "long enough"}),
        ("PUT", "/api/v1/users/me/password", {"current_password": "x" * 8, "new_password": "y" * 8}),
        ("POST", "/api/v1/rooms", {"name": "r"}),
        ("PATCH", f"/api/v1/rooms/{room['id']}", {"name": "r"}),
        ("POST", "/api/v1/rooms/join", {"code": room["code"]}),
        ("POST", f"/api/v1/rooms/{room['id']}/tasks", {"title": "t"}),
        ("PATCH", f"/api/v1/rooms/{room['id']}/tasks/{task['id']}", {"title": "t"}),
    ]


ROUTE_IDS = ["register", "login", "password", "create-room", "rename-room", "join", "create-task", "patch-task"]


def each_body_route():
    return pytest.mark.parametrize("index", range(len(ROUTE_IDS)), ids=ROUTE_IDS)


def assert_unchanged(owner, room, task):
    current_room = ok(owner.get(f"/api/v1/rooms/{room['id']}"))
    assert current_room["name"] == room["name"]
    assert ok(owner.get(f"/api/v1/rooms/{room['id']}/tasks/{task['id']}")) == task
    ok(owner.get("/api/v1/users/me"))


# --- 400 -----------------------------------------------------------------------------------------

NOT_JSON = [
    pytest.param(b"{", id="truncated"),
    pytest.param(b"", id="empty"),
    pytest.param(b"{'name': 'single quotes'}", id="single-quotes"),
    pytest.param(b'{"name": "x",}', id="trailing-comma"),
    pytest.param(b"name=x", id="form-encoded"),
    pytest.param(b'{"name": "\xff\xfe"}', id="invalid-utf8"),
    pytest.param("NaN", id="NaN"),  # not JSON (RFC 8259), though Python's json module reads it
    pytest.param("-Infinity", id="Infinity"),
    pytest.param(b"[" * 100_000 + b"]" * 100_000, id="deeply-nested-array"),
    pytest.param(b'{"a":' * 50_000 + b"1" + b"}" * 50_000, id="deeply-nested-object"),
    pytest.param(b'{"name": "x"} trailing', id="trailing-text"),
]

NOT_OBJECT = [
    pytest.param(b"[]", id="array"),
    pytest.param(b'[{"name": "x"}]', id="array-of-object"),
    pytest.param(b'"a string"', id="string"),
    pytest.param(b"42", id="number"),
    pytest.param(b"null", id="null"),
    pytest.param(b"true", id="true"),
]


def payload_for(payload, body: dict) -> bytes:
    """Bytes as given; a bare word ("NaN") replaces the value of the route's first field in its valid body."""
    if isinstance(payload, bytes):
        return payload
    field = next(iter(body))
    return json.dumps({field: "@@"} | {k: v for k, v in body.items() if k != field}).replace('"@@"', payload).encode()


THREE_ROUTES = pytest.mark.parametrize("index", [0, 3, 6], ids=["register", "create-room", "create-task"])


@THREE_ROUTES
@pytest.mark.parametrize("payload", NOT_JSON + NOT_OBJECT)
def test_body_that_is_not_a_json_object_is_400(world, index, payload):
    owner, _, room, task = world
    method, path, body = body_routes(room, task)[index]
    problem(owner.request(method, path, data=payload_for(payload, body), headers=json_type()), 400)


@each_body_route()
@pytest.mark.parametrize("payload", [b"{", b"[]", "NaN"], ids=["truncated", "array", "NaN"])
def test_every_body_route_answers_400(world, index, payload):
    owner, _, room, task = world
    method, path, body = body_routes(room, task)[index]
    problem(owner.request(method, path, data=payload_for(payload, body), headers=json_type()), 400)
    assert_unchanged(owner, room, task)


@each_body_route()
def test_a_body_route_without_a_body_is_400(world, index):
    """Every request body is required: none at all is refused, not read as an empty object."""
    owner, _, room, task = world
    method, path, _ = body_routes(room, task)[index]
    problem(owner.request(method, path), 400)
    assert_unchanged(owner, room, task)


# --- 415 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("index", [0, 3, 7], ids=["register", "create-room", "patch-task"])
@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
        "application/jsonx",
        "text/json",
    ],
)
def test_body_that_is_not_application_json_is_415(world, index, content_type):
    owner, _, room, task = world
    method, path, body = body_routes(room, task)[index]
    headers = {"Content-Type": content_type} if content_type else {}
    problem(owner.request(method, path, data=json.dumps(body).encode(), headers=headers), 415)


@each_body_route()
def test_every_body_route_answers_415(world, index):
    owner, _, room, task = world
    method, path, body = body_routes(room, task)[index]
    problem(owner.request(method, path, data=json.dumps(body).encode(), headers={"Content-Type": "text/plain"}), 415)
    assert_unchanged(owner, room, task)


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8", "Application/JSON"])
def test_json_content_type_with_parameters_or_other_case_is_accepted(world, content_type):
    owner, _, _, _ = world
    body = json.dumps({"name": "ok"}).encode()
    response = owner.post("/api/v1/rooms", data=body, headers={"Content-Type": content_type})
    assert ok(response, 201)["name"] == "ok"


# --- 413 -------------------------------------------------------------------------------------------


def oversized_json(field: str, size: int) -> bytes:
    head, tail = b'{"' + field.encode() + b'": "', b'"}'
    return head + b"a" * (size - len(head) - len(tail)) + tail


def fresh(stack, client) -> Client:
    """A client with the same token on a new connection."""
    other = Client(stack.url)
    other.token = client.token
    return other


@each_body_route()
def test_body_over_1_mib_is_413(stack, world, index):
    owner, _, room, task = world
    method, path, body = body_routes(room, task)[index]
    field = next(iter(body))
    client = fresh(stack, owner)  # a new connection: see test_connection_still_works_after_413
    problem(client.request(method, path, data=oversized_json(field, MIB + 1), headers=json_type()), 413)
    client.session.close()
    assert_unchanged(owner, room, task)


def test_body_over_1_mib_without_content_length_is_413(stack, world):
    owner, _, room, task = world
    payload = oversized_json("title", 3 * MIB)
    chunks = (payload[i : i + 65536] for i in range(0, len(payload), 65536))  # chunked transfer encoding
    client = fresh(stack, owner)
    problem(client.post(f"/api/v1/rooms/{room['id']}/tasks", data=chunks, headers=json_type()), 413)
    client.session.close()
    assert_unchanged(owner, room, task)


def test_small_chunked_body_is_accepted(world):
    owner, _, room, _ = world
    chunks = iter([b'{"title": ', b'"chunked"}'])
    response = owner.post(f"/api/v1/rooms/{room['id']}/tasks", data=chunks, headers=json_type())
    assert ok(response, 201)["title"] == "chunked"
    ok(owner.delete(f"/api/v1/rooms/{room['id']}/tasks/{response.json()['id']}"), 204)


def test_body_of_exactly_1_mib_is_not_413(stack, world):
    """1 MiB is not larger than 1 MiB: the body is read and its over-long name is a 422."""
    owner, _, _, _ = world
    client = fresh(stack, owner)
    problem(client.post("/api/v1/rooms", data=oversized_json("name", MIB), headers=json_type()), 422, "name")
    client.session.close()


def test_connection_still_works_after_413(stack, world):
    """A client that keeps its connection open (as requests, browsers and proxies do) may send its next request
    on it: after a 413 the server either still answers there, or said ``Connection: close`` with the 413."""
    owner, _, room, _ = world
    host, port = stack.url.removeprefix("http://").rsplit(":", 1)
    body = oversized_json("name", 2 * MIB)
    head = (
        f"POST /api/v1/rooms HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {owner.token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        with contextlib.suppress(OSError):  # the server may stop reading early; its answer is what counts
            sock.sendall(head + body)
        status, headers = read_response(sock)
        assert status == 413, status
        if "close" in headers.get("connection", "").lower():
            return
        time.sleep(0.5)  # let the server act on the connection as it means to
        with contextlib.suppress(OSError):
            sock.sendall(
                f"GET /api/v1/rooms/{room['id']} HTTP/1.1\r\nHost: {host}\r\n"
                f"Authorization: Bearer {owner.token}\r\n\r\n".encode()
            )
        status, _ = read_response(sock)
        assert status == 200, f"the connection was dropped without Connection: close (got {status})"


def read_response(sock) -> tuple[int | None, dict]:
    """Status and headers of one HTTP/1.1 response on ``sock`` (its body is read and dropped)."""
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return None, {}
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        remaining = int(headers.get("content-length", "0")) - len(rest)
        while remaining > 0:
            chunk = sock.recv(min(remaining, 65536))
            if not chunk:
                break
            remaining -= len(chunk)
        return int(lines[0].split()[1]), headers
    except OSError:
        return None, {}


# --- 404 and 405 -----------------------------------------------------------------------------------


UNKNOWN_PATHS = [
    "/api",
    "/api/",
    "/api/v1",
    "/api/v1/",
    "/api/v1/nothing",
    "/api/v2/rooms",
    "/api/v1/rooms/{room}/nothing",
    "/api/v1/rooms/{room}/tasks/{task}/nothing",
    "/api/v1/rooms/abc",
    "/api/v1/rooms/{room}/tasks/abc",
    "/api/v1/rooms/1.5",
    "/api/v1/rooms/-1",
    "/api/v1/rooms/{room}/members/abc",
    "/api/v1/users/1",
    "/api/v1/users/me/nothing",
    "/api/v1/rooms/%2e%2e/users/me",
    "/api/v1/rooms/{room}/tasks/%2e%2e",
]


@pytest.mark.parametrize(
    "method, path",
    [("GET", path) for path in UNKNOWN_PATHS]
    + [(method, path) for method in ("POST", "PATCH", "DELETE") for path in UNKNOWN_PATHS[4:10]],
)
def test_unknown_route_under_api_is_404(world, method, path):
    owner, _, room, task = world
    response = owner.request(method, path.format(room=room["id"], task=task["id"]), json={})
    problem(response, 404)


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/api/v1/auth/register"),
        ("DELETE", "/api/v1/auth/register"),
        ("GET", "/api/v1/auth/login"),
        ("PUT", "/api/v1/auth/login"),
        ("GET", "/api/v1/auth/logout"),
        ("PUT", "/api/v1/users/me"),  # PATCH changes it (language, e-mail)
        ("DELETE", "/api/v1/users/me"),
        ("GET", "/api/v1/users/me/password"),
        ("POST", "/api/v1/users/me/password"),
        ("PUT", "/api/v1/rooms"),
        ("DELETE", "/api/v1/rooms"),
        ("PATCH", "/api/v1/rooms"),
        ("PUT", "/api/v1/rooms/{room}"),
        ("POST", "/api/v1/rooms/{room}"),
        ("GET", "/api/v1/rooms/join"),
        ("GET", "/api/v1/rooms/{room}/code"),
        ("DELETE", "/api/v1/rooms/{room}/code"),
        ("POST", "/api/v1/rooms/{room}/members"),
        ("DELETE", "/api/v1/rooms/{room}/members"),
        ("GET", "/api/v1/rooms/{room}/members/{user}"),
        ("PATCH", "/api/v1/rooms/{room}/members/{user}"),
        ("PUT", "/api/v1/rooms/{room}/tasks"),
        ("DELETE", "/api/v1/rooms/{room}/tasks"),
        ("PATCH", "/api/v1/rooms/{room}/tasks"),
        ("POST", "/api/v1/rooms/{room}/tasks/{task}"),
        ("PUT", "/api/v1/rooms/{room}/tasks/{task}"),
    ],
)
def test_wrong_method_is_405(world, method, path):
    owner, member, room, task = world
    path = path.format(room=room["id"], task=task["id"], user=member.user["id"])
    problem(owner.request(method, path, json={"name": "x", "title": "x"}), 405)


# --- 422 for values of the wrong type: never a 500 -------------------------------------------------

WRONG_TYPES = [
    pytest.param(123, id="integer"),
    pytest.param(1.5, id="float"),
    pytest.param(True, id="boolean"),
    pytest.param(10**40, id="huge-integer"),
    pytest.param({"nested": ["deep"]}, id="object"),
    pytest.param(["a", "b"], id="array"),
]
# Text no valid value of the field can hold (a lone surrogate is not a character; NUL is in no name or title).
BAD_TEXT = [
    pytest.param("a\u0000b", id="nul"),
    pytest.param("\ud800", id="lone-surrogate"),
    pytest.param("x\udfffy", id="lone-low-surrogate"),
]
STRING_FIELDS = [
    # (id, method, path, valid base body, field, also reject BAD_TEXT)
    (
        "register-username",
        "POST",
        "/api/v1/auth/register",
        {"username": "valid_{uid}", "password": "long enough"},
        "username",
        True,
    ),
    (
        "register-password",
        "POST",
        "/api/v1/auth/register",
        {"username": "valid_{uid}", "password": "long enough"},
        "password",
        False,
    ),
    (
        "password-new",
        "PUT",
        "/api/v1/users/me/password",
        {"current_password": "x" * 8, "new_password": "y" * 8},
        "new_password",
        False,
    ),
    (
        "password-current",
        "PUT",
        "/api/v1/users/me/password",
        {"current_password": "x" * 8, "new_password": "y" * 8},
        "current_password",
        False,
    ),
    ("create-room", "POST", "/api/v1/rooms", {"name": "r"}, "name", True),
    ("rename-room", "PATCH", "/api/v1/rooms/{room}", {"name": "r"}, "name", True),
    ("join-code", "POST", "/api/v1/rooms/join", {"code": "AAAAAAAAA"}, "code", False),
    ("task-title", "POST", "/api/v1/rooms/{room}/tasks", {"title": "t"}, "title", True),
    ("task-description", "POST", "/api/v1/rooms/{room}/tasks", {"title": "t"}, "description", True),
    ("task-status", "POST", "/api/v1/rooms/{room}/tasks", {"title": "t"}, "status", True),
    ("patch-title", "PATCH", "/api/v1/rooms/{room}/tasks/{task}", {}, "title", True),
    ("patch-description", "PATCH", "/api/v1/rooms/{room}/tasks/{task}", {}, "description", True),
    ("patch-status", "PATCH", "/api/v1/rooms/{room}/tasks/{task}", {}, "status", True),
]
STRING_CASES = [
    pytest.param(method, path, base, field, value.values[0], id=f"{name}-{value.id}")
    for name, method, path, base, field, text_too in STRING_FIELDS
    for value in WRONG_TYPES + (BAD_TEXT if text_too else [])
]

INTEGERS = [
    pytest.param("{member}", id="integer-as-string"),
    pytest.param(1.5, id="float"),
    pytest.param("{member}.0", id="integral-float"),
    pytest.param(True, id="true"),
    pytest.param(False, id="false"),
    pytest.param(10**40, id="huge-integer"),
    pytest.param(2**63, id="2-to-63"),
    pytest.param(-(2**63) - 1, id="below-int64"),
    pytest.param(2**31, id="2-to-31-no-such-user"),
    pytest.param("\u0000", id="nul"),
    pytest.param(None, id="null"),
    pytest.param([1], id="array"),
]


def raw_body(fields: dict, member_id: int) -> bytes:
    """JSON text for ``fields``; "{member}.0" becomes a bare number token like 12.0."""
    text = json.dumps(fields)  # ensure_ascii: lone surrogates become \\ud800 escapes, as a client would send them
    text = text.replace('"{member}.0"', f"{member_id}.0").replace("{member}", str(member_id))
    return text.encode()


@pytest.mark.parametrize("method, path, base, field, value", STRING_CASES)
def test_string_fields_reject_other_values_with_422(world, method, path, base, field, value):
    owner, member, room, task = world
    body = {k: v.format(uid=unique()) for k, v in base.items()} | {field: value}
    path = path.format(room=room["id"], task=task["id"])
    problem(owner.request(method, path, data=raw_body(body, member.user["id"]), headers=json_type()), 422, field)
    if method == "PATCH":
        assert_unchanged(owner, room, task)


@pytest.mark.parametrize("code", BAD_TEXT)
def test_join_code_with_bad_text_is_404_or_422(world, code):
    client = world[1]
    response = client.post("/api/v1/rooms/join", data=json.dumps({"code": code}), headers=json_type())
    assert response.status_code in (404, 422), response.text
    problem(response, response.status_code, *(["code"] if response.status_code == 422 else []))


@pytest.mark.parametrize(
    "method, path, base",
    [("POST", "/api/v1/rooms/{room}/tasks", {"title": "t"}), ("PATCH", "/api/v1/rooms/{room}/tasks/{task}", {})],
    ids=["create-task", "patch-task"],
)
@pytest.mark.parametrize("value", INTEGERS)
def test_user_id_rejects_non_integers_with_422(world, method, path, base, value):
    owner, member, room, task = world
    body = base | {"user_id": value}
    path = path.format(room=room["id"], task=task["id"])
    problem(owner.request(method, path, data=raw_body(body, member.user["id"]), headers=json_type()), 422, "user_id")
    if method == "PATCH":
        assert_unchanged(owner, room, task)


@pytest.mark.parametrize(
    "username, password",
    [
        ("a\u0000b_user", "long enough"),
        ("\ud800user", "long enough"),
        ("someone", "pass\u0000word"),
        ("someone", "\udfffpassword"),
        ("x" * 10_000, "long enough"),
        ("someone", "p" * 10_000),
    ],
    ids=["nul-username", "surrogate-username", "nul-password", "surrogate-password", "long-username", "long-password"],
)
def test_login_with_strange_strings_is_not_a_500(anonymous, username, password):
    response = anonymous.post(
        "/api/v1/auth/login", data=json.dumps({"username": username, "password": password}), headers=json_type()
    )
    assert response.status_code in (401, 422), response.text
    problem(response, response.status_code)


STRANGE_IDS = [
    "/api/v1/rooms/99999999999999999999999",
    "/api/v1/rooms/{room}/tasks/99999999999999999999999",
    "/api/v1/rooms/9223372036854775808",
    "/api/v1/rooms/{room}/tasks/9223372036854775808",
    "/api/v1/rooms/2147483648",
    "/api/v1/rooms/0",
    "/api/v1/rooms/99999999999999999999999/tasks",
    "/api/v1/rooms/99999999999999999999999/members",
    "/api/v1/rooms/{room}/members/99999999999999999999999",
    "/api/v1/rooms/%00",
    "/api/v1/rooms/%ED%A0%80",
    "/api/v1/rooms/%FF",
]


@pytest.mark.parametrize(
    "method, path",
    [("GET", path) for path in STRANGE_IDS] + [(m, path) for m in ("PATCH", "DELETE") for path in STRANGE_IDS[:4]],
)
def test_strange_ids_in_paths_are_404_or_405_never_500(world, method, path):
    owner, _, room, task = world
    response = owner.request(method, path.format(room=room["id"], task=task["id"]), json={"name": "x", "title": "x"})
    assert response.status_code in (404, 405), (response.status_code, response.text)
    problem(response, response.status_code)


@pytest.mark.parametrize(
    "query",
    [
        "user_id=99999999999999999999999",
        "user_id=9223372036854775808",
        "user_id=-9223372036854775809",
        "user_id=%00",
        "q=%00",
        "q=%ED%A0%80",
        "q=%FF",
        "q=%25_%5C",
        "status=%00",
        "limit=1e3",
        "cursor=%ED%A0%80",
    ],
)
def test_strange_query_parameters_never_500(world, query):
    owner, _, room, _ = world
    response = owner.get(f"/api/v1/rooms/{room['id']}/tasks?{query}")
    if response.status_code == 200:
        assert response.json()["items"] == [], response.text
    else:
        problem(response, 422, query.split("=")[0])


@pytest.mark.parametrize(
    "path, headers",
    [
        pytest.param("/api/v1/rooms/{room}/tasks?q=" + "x" * 5000, {}, id="long-query"),
        pytest.param("/api/v1/rooms/{room}/tasks?cursor=" + "A" * 9000, {}, id="long-cursor"),
        pytest.param("/api/v1/" + "a" * 9000, {}, id="long-path"),
        pytest.param("/api/v1/rooms/{room}/tasks", {"X-Padding": "p" * 9000}, id="long-header"),
        pytest.param("/api/v1/rooms/{room}/tasks", {f"X-Header-{n}": "v" for n in range(120)}, id="many-headers"),
        pytest.param("/api/v1/users/me", {"Authorization": "Bearer " + "A" * 9000}, id="long-token"),
    ],
)
def test_oversized_requests_get_a_problem_document_not_html(world, path, headers):
    """Limits of the HTTP server itself (request line, header size) are answered in the API's error format."""
    owner, _, room, _ = world
    response = owner.get(path.format(room=room["id"]), headers=dict(headers))
    assert response.status_code < 500, (response.status_code, response.text[:300])
    if response.status_code >= 400:
        problem(response, response.status_code)
    else:  # a server whose limits are higher may simply answer
        ok(response)


# --- no HTML, ever ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method, path, headers, data",
    [
        ("GET", "/api/v1/rooms/2147483000", {"Accept": "text/html"}, None),
        ("GET", "/api/v1/nothing", {"Accept": "text/html"}, None),
        ("POST", "/api/v1/rooms", {"Accept": "text/html", "Content-Type": "application/json"}, b"{"),
        ("DELETE", "/api/v1/rooms", {"Accept": "text/html"}, None),
    ],
)
def test_errors_are_problem_documents_even_when_html_is_asked_for(world, anonymous, method, path, headers, data):
    owner, _, _, _ = world
    for client in (owner, anonymous):
        response = client.request(method, path, headers=dict(headers), data=data)
        assert response.status_code in (400, 401, 404, 405), response.status_code
        problem(response, response.status_code)
        assert "<html" not in response.text.lower() and "traceback" not in response.text.lower()
