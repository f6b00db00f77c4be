"""Schemathesis against the OpenAPI document the gateway serves: every operation, with data that
fits the document (positive) and data that does not (negative), must answer as the document says.

Checks: no 5xx; every response is documented and matches its schema; operations that need a token
refuse requests without one; data the document forbids is refused (4xx).

Generated ids are mostly random, which only exercises the 404 paths. So each case is also aimed,
by a stable hash of its data (reproducible, like the rest of the run), at the caller's real room
and tasks: the same generated bodies and headers then reach the code behind the 404.
Destructive calls get their own objects: DELETE a room deletes a fresh room, DELETE a task (or
a comment) a fresh task (with a fresh comment), logout and password change run as users of
their own, so the shared token lives on.
Join codes that could be real are replaced by the room's real code, login names that could be
real by fresh names, and every calendar feed's secret and unsubscribe link by the owner's real
one (the link read from the tasks database: only mails carry it), so that fuzzing never spends
the failed-join, failed-login or secret-guess allowance of 127.0.0.1 that the other suites on
this session's stack rely on.
"""

from __future__ import annotations

import collections
import email
import email.policy
import json
import re
import time
import uuid
import zlib
from pathlib import Path

import pytest
import schemathesis
from schemathesis import checks

from tests.conftest import Client
from tests.contract.helpers import unsubscribe_secret

MAX_EXAMPLES = 30  # fuzzing phase, per operation and generation mode
SEED = 20261127
MIN_CASES = 300  # a run that generates fewer than this has lost operations or modes: fail loudly

CHECKS = [
    checks.not_a_server_error,
    checks.response_schema_conformance,
    checks.status_code_conformance,
    checks.ignored_auth,
    checks.negative_data_rejection,
]

REFUSALS = ["400", "401", "403", "404", "405", "406", "409", "413", "414", "415", "422", "428", "429", "431", "5xx"]
ROOM = "/api/v1/rooms/{room_id}"
FEED = "/api/v1/calendar/{secret}.ics"
MY_FEED = "/api/v1/users/me/calendar"
TASK = "/api/v1/rooms/{room_id}/tasks/{task_id}"
PASSWORD = "correct horse battery"  # what Client.sign_up uses
FUZZ_TEST = "test_every_operation_answers_as_documented"
EVENT_STREAMS = ("streamRoomEvents", "streamMyEvents")
MAIL_CODE = re.compile(r"\b([2-9A-HJ-NP-Z]{8})\b")


def _is_int(value) -> bool:
    """An integer as generated: an int, or its digits (the coverage phase sends path parameters as text)."""
    if isinstance(value, str):
        return value.removeprefix("-").isdigit() and value.isascii()
    return isinstance(value, int) and not isinstance(value, bool)


def _same_id(value, known: int) -> bool:
    return _is_int(value) and int(value) == known


def _stable(value):
    """For hashing: bytes as they are, any other non-JSON object (schemathesis' "no body") by its type."""
    return repr(value) if isinstance(value, (bytes, bytearray)) else type(value).__name__


def _aim(case) -> int:
    """0: send the case as generated; 1-3: aim it at the caller's real objects in some way.
    Derived from the case's own data, so a replayed or shrunk case is aimed the same way."""
    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}  # ours vary
    data = [case.method, case.path_parameters, case.query, case.body, headers]
    return zlib.crc32(json.dumps(data, sort_keys=True, default=_stable).encode()) % 4


class World:
    """The people and objects a fuzzing run aims its cases at."""

    def __init__(self, base_url: str, data_dir: Path):
        self.base_url = base_url
        self.mail_dir = data_dir / "mail"  # the stack has no SMTP host: its mails are .eml files here
        # the user whose language, address and verification code the users/me cases change
        self.mailer = Client(base_url).sign_up()
        self.owner = Client(base_url).sign_up(f"fz_owner_{uuid.uuid4().hex[:10]}")
        self.owner_name = self.owner.user["username"]
        self.mate = Client(base_url).sign_up()
        self.room = self._ok(self.owner.post("/api/v1/rooms", json={"name": "Fuzzing"}), 201)
        self.room_id = self.room["id"]
        self._ok(self.mate.post("/api/v1/rooms/join", json={"code": self.room["code"]}))
        self.task_ids = [self.new_task() for _ in range(3)]
        self.label_ids = [self.new_label() for _ in range(3)]
        self.comment_ids = [self.new_comment(task_id) for task_id in self.task_ids]  # one on each shared task
        # a user whose password the password-change cases may change, and whose token they revoke
        self.changer = Client(base_url).sign_up()
        self.changer_name = self.changer.user["username"]
        self.changer_password = PASSWORD
        self.session = Client(base_url).session  # no proxies from the environment
        self.feed_secret: str | None = None  # the owner's calendar feed, while on
        self.unsubscribe_secret = ""  # the owner's unsubscribe link (see the world fixture)
        self.aimed = set()  # ids of the cases aimed already
        self.cases = collections.Counter()  # (operation, generation mode) -> cases sent
        self.statuses = collections.defaultdict(collections.Counter)  # operation -> status -> responses

    @staticmethod
    def _ok(response, status=200):
        assert response.status_code == status, response.text
        return response.json() if response.content else None

    def new_task(self) -> int:
        return self._ok(self.owner.post(f"/api/v1/rooms/{self.room_id}/tasks", json={"title": "fuzz"}), 201)["id"]

    def new_label(self) -> int:
        body = {"name": f"fz {uuid.uuid4().hex[:12]}", "color": "#D93F0B"}
        return self._ok(self.owner.post(f"/api/v1/rooms/{self.room_id}/labels", json=body), 201)["id"]

    def new_item(self) -> tuple[int, int]:
        """A fresh task with one checklist item: (task id, item id)."""
        task_id = self.new_task()
        url = f"/api/v1/rooms/{self.room_id}/tasks/{task_id}/checklist"
        return task_id, self._ok(self.owner.post(url, json={"text": "fuzz"}), 201)["checklist"][0]["id"]

    def new_comment(self, task_id: int) -> int:
        url = f"/api/v1/rooms/{self.room_id}/tasks/{task_id}/comments"
        return self._ok(self.owner.post(url, json={"body": "fuzz"}), 201)["id"]

    def new_room(self) -> int:
        return self._ok(self.owner.post("/api/v1/rooms", json={"name": "Doomed"}), 201)["id"]

    def code(self) -> str:
        return self._ok(self.owner.get(f"/api/v1/rooms/{self.room_id}"))["code"]

    def feed(self) -> str:
        """The secret of the owner's calendar feed (made when it is off)."""
        if self.feed_secret is None:
            self._remember_feed(self._ok(self.owner.post(MY_FEED)))
        assert self.feed_secret is not None
        return self.feed_secret

    def _remember_feed(self, made: dict) -> None:
        self.feed_secret = made["url"].rsplit("/", 1)[1].removesuffix(".ics")

    def rejoin_mate(self) -> None:
        self._ok(self.mate.post("/api/v1/rooms/join", json={"code": self.code()}))

    def task_version(self, task_id: int) -> int:
        return self._ok(self.owner.get(f"/api/v1/rooms/{self.room_id}/tasks/{task_id}"))["version"]

    def list_etag(self, query: dict) -> str | None:
        response = self.owner.get(f"/api/v1/rooms/{self.room_id}/tasks", params=query)
        return response.headers.get("ETag") if response.status_code == 200 else None

    # --- aiming ----------------------------------------------------------------------------------

    def token_for(self, case) -> str:
        """The token to send ``case`` with: the owner's, except for the calls that would revoke it."""
        if case.path == "/api/v1/auth/logout":
            return self._fresh_token(self.owner_name, PASSWORD)  # each logout revokes a token of its own
        if case.path == "/api/v1/users/me/password":
            return self.changer.token
        if case.path in ("/api/v1/users/me", "/api/v1/users/me/email/verify"):
            return self.mailer.token
        return self.owner.token

    def fresh_code(self) -> str | None:
        """Give the mailer a new address and read the code its verification mail brings."""
        address = f"fz.{uuid.uuid4().hex[:12]}@example.org"
        if self.mailer.patch("/api/v1/users/me", json={"email": address}).status_code != 200:
            return None
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            for path in self.mail_dir.glob("*.eml"):
                message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
                if message["To"] == address:
                    return MAIL_CODE.search(message.get_body(preferencelist=("plain",)).get_content()).group(1)
            time.sleep(0.1)
        return None

    def aim(self, case) -> None:
        """Point ``case`` at real objects (or keep it as generated), per ``_aim``. Runs as schemathesis'
        before_call hook: edits made there are revalidated, so a negative case made valid counts as positive."""
        if case.id in self.aimed:  # a case sent again (a replay) keeps its aim
            return
        self.aimed.add(case.id)
        aim = _aim(case)
        path, method = case.path, case.method.upper()
        params = case.path_parameters if case.path_parameters is not None else {}
        body = case.body if isinstance(case.body, dict) else None

        if path == "/api/v1/users/me/password" and aim and body is not None and "current_password" in body:
            body["current_password"] = self.changer_password
        if path == "/api/v1/auth/login" and body is not None and isinstance(body.get("username"), str):
            if aim:
                body.update(username=self.owner_name.swapcase(), password=PASSWORD)
            else:
                body["username"] = f"fz_{uuid.uuid4().hex[:12]}_{body['username'][:40]}"
        if (
            path == "/api/v1/auth/register"
            and body is not None
            and isinstance(body.get("username"), str)
            and aim
            and len(body["username"]) <= 60
        ):
            body["username"] += f"_{uuid.uuid4().hex[:8]}"  # usually fresh, so 201 rather than 409
        # A real code costs a mail (a hash and a wait): only one aim in four gets one, in small letters.
        if path == "/api/v1/users/me/email/verify" and aim == 1 and body is not None and "code" in body:
            code = self.fresh_code()
            if code:
                body["code"] = code.lower()
        if path == "/api/v1/mail/unsubscribe/{secret}":
            params["secret"] = self.unsubscribe_secret  # a wrong one would spend 127.0.0.1's guesses
        if path == "/api/v1/rooms/join" and body is not None and isinstance(body.get("code"), str):
            code = body["code"].strip().upper()
            if len(code) == 9 and code.isascii() and code.isalnum():
                body["code"] = self.code().lower() if aim == 2 else self.code()

        if path == FEED and "secret" in params:
            params["secret"] = self.feed()  # a guess would spend the allowance of 127.0.0.1

        if path == ROOM and method == "DELETE" and _is_int(params.get("room_id")):
            if aim or _same_id(params["room_id"], self.room_id):  # never the shared room, even by chance
                params["room_id"] = self.new_room()
        elif aim and _is_int(params.get("room_id")):
            params["room_id"] = self.room_id
        if _is_int(params.get("task_id")) and _same_id(params.get("room_id"), self.room_id):
            if method == "DELETE" and (aim or int(params["task_id"]) in self.task_ids):
                params["task_id"] = self.new_task()
            elif aim:
                params["task_id"] = self.task_ids[aim - 1]
        if _is_int(params.get("label_id")) and _same_id(params.get("room_id"), self.room_id):
            if method == "DELETE" and (aim or int(params["label_id"]) in self.label_ids):
                params["label_id"] = self.new_label()  # never a shared label, even by chance
            elif aim:
                params["label_id"] = self.label_ids[aim - 1]
        if _is_int(params.get("item_id")) and _same_id(params.get("room_id"), self.room_id) and aim:
            params["task_id"], params["item_id"] = self.new_item()
        if _is_int(params.get("comment_id")) and _same_id(params.get("room_id"), self.room_id):
            if method == "DELETE" and (aim or int(params["comment_id"]) in self.comment_ids):
                params["task_id"] = self.new_task()  # never a shared comment, even by chance
                params["comment_id"] = self.new_comment(params["task_id"])
            elif aim:
                params["comment_id"] = self.comment_ids[aim - 1]  # the owner's, on the task aimed at
        if path.endswith("/members/{user_id}") and aim and _is_int(params.get("user_id")):
            if aim == 1:
                params["user_id"] = self.owner.user["id"]  # the owner cannot leave: 409
            else:
                self.rejoin_mate()
                params["user_id"] = self.mate.user["id"]
        if body is not None and type(body.get("user_id")) is int and aim:
            body["user_id"] = self.mate.user["id"] if aim == 2 else self.owner.user["id"]
        in_room = _same_id(params.get("room_id"), self.room_id)
        headers = case.headers if case.headers is not None else {}
        if path == f"{TASK}/move" and aim == 2 and body is not None and "after_id" in body:
            body["after_id"] = None  # to the top of its column: a move that can succeed
        if (
            path in (TASK, f"{TASK}/move")
            and aim == 3
            and in_room
            and _is_int(params.get("task_id"))
            and "If-Match" in headers
        ):
            headers["If-Match"] = f'"{self.task_version(params["task_id"])}"'  # a match: the change applies
        if path.endswith("/tasks") and method == "GET" and aim == 3 and in_room and "If-None-Match" in headers:
            etag = self.list_etag(case.query or {})
            if etag:
                headers["If-None-Match"] = etag  # unchanged since: 304

    def _fresh_token(self, username: str, password: str) -> str:
        return self._ok(
            self.session.post(self.base_url + "/api/v1/auth/login", json={"username": username, "password": password})
        )["access_token"]

    def after(self, case, response) -> None:
        """Follow state the case changed: a new password means the changer logs in again; a new
        feed address (or none) is the one to aim at."""
        if case.path == MY_FEED and case.method.upper() == "POST" and response.status_code == 200:
            self._remember_feed(response.json())
        if case.path == MY_FEED and case.method.upper() == "DELETE" and response.status_code == 204:
            self.feed_secret = None
        if case.path == "/api/v1/users/me/password" and response.status_code == 204:
            self.changer_password = case.body["new_password"]
            self.changer.log_in(self.changer_name, self.changer_password)


@pytest.fixture(scope="module")
def world(stack):
    world = World(stack.url, Path(stack.env["TASKSYNC_DATA_DIR"]))
    world.unsubscribe_secret = unsubscribe_secret(stack, world.owner)
    return world


@pytest.fixture(scope="module")
def api_schema(stack, world):
    config = schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
            # Invalid data may also be refused for its size alone: 413 (body over 1 MiB), 414 (URL over the
            # 4094 bytes of a request line), 431 (headers too large). Schemathesis' default list lacks them.
            "checks": {"negative_data_rejection": {"expected-statuses": REFUSALS}},
        }
    )
    return schemathesis.openapi.from_url(stack.url + "/api/v1/openapi.json", config=config, timeout=30)


# An event stream's answer never ends: a case would wait out its timeout on each. The streams, and
# their bad input, are tested by tests/contract/test_events.py instead.
schema = schemathesis.pytest.from_fixture("api_schema").exclude(operation_id=list(EVENT_STREAMS))
_AIMING: list[World] = []  # the world of the running test, for the hook below


@schemathesis.hook
def before_call(context, case, kwargs):
    """Aim each case at the running test's world (a global hook: the only kind ``before_call`` has)."""
    if _AIMING:
        _AIMING[-1].aim(case)


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request):
    """schemathesis 4.32 renames the test node through ``node._nodeid``, which pytest 9.2 no longer has
    (it is ``_id`` now): give it one, so the lazy loader runs (the rename then only affects its own report)."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


def _checks_for(case) -> list:
    """Every check; but a query parameter the route does not take is ignored, not refused
    (docs/api.md, Conventions): a case that sends one is not negative data to be refused."""
    known = {parameter.name for parameter in case.operation.query}
    if any(name not in known for name in case.query or {}):
        return [check for check in CHECKS if check is not checks.negative_data_rejection]
    return CHECKS


@schema.parametrize()
def test_every_operation_answers_as_documented(case, world):
    token = world.token_for(case)
    _AIMING.append(world)
    try:
        response = case.call_and_validate(
            session=world.session, headers={"Authorization": f"Bearer {token}"}, checks=_checks_for(case), timeout=30
        )
    finally:
        _AIMING.pop()
    mode = case.meta.generation.mode.value if case.meta is not None else "explicit"
    world.cases[(case.operation.label, mode)] += 1
    world.statuses[case.operation.label][response.status_code] += 1
    world.after(case, response)


def test_the_run_reached_every_operation(world, stack, record_property, request):
    """The run above generated enough cases, and every operation succeeded at least once: the aiming
    works, so the cases reached the code behind the 401s and 404s."""
    if not any(getattr(item, "originalname", None) == FUZZ_TEST for item in request.session.items):
        pytest.skip(f"counts the cases of {FUZZ_TEST}, which was not selected")
    total = sum(world.cases.values())
    modes = collections.Counter()
    for (_, mode), count in world.cases.items():
        modes[mode] += count
    record_property(
        "schemathesis",
        f"[{stack.backend}] {total} cases over {len(world.statuses)} operations ("
        + ", ".join(f"{mode} {count}" for mode, count in sorted(modes.items()))
        + ")",
    )
    assert total >= MIN_CASES, world.cases
    never = {op: dict(counts) for op, counts in world.statuses.items() if not any(200 <= s < 300 for s in counts)}
    assert not never, f"operations that never succeeded: {never}"
