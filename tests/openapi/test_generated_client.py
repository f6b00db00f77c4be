"""A client generated from the served OpenAPI document (openapi-python-client) runs the whole core
workflow against a running stack, with no hand-written HTTP: every call below is a generated
function, named after the document's operationIds, and every status the run meets must be one
the document declares (the client raises on any other)."""

from __future__ import annotations

import importlib
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

PASSWORD = "correct horse battery"
GENERATOR = Path(sys.executable).parent / "openapi-python-client"
OPERATIONS = {  # generated module per tag, from the operationIds
    "users": ["register_user", "login", "get_current_user", "change_password", "logout"],
    "rooms": [
        "create_room",
        "list_rooms",
        "get_room",
        "rename_room",
        "delete_room",
        "join_room",
        "rotate_room_code",
        "list_members",
        "remove_member",
    ],
    "tasks": ["create_task", "list_tasks", "get_task_summary", "get_task", "update_task", "delete_task"],
    "health": ["get_health", "get_readiness"],
}


@pytest.fixture(scope="module")
def api(stack, tmp_path_factory):
    """The generated package, imported from a temporary folder under a name of its own."""
    folder = tmp_path_factory.mktemp("generated-client")
    package = f"tasksync_client_{uuid.uuid4().hex[:8]}"
    (folder / "config.yaml").write_text(f"package_name_override: {package}\npost_hooks: []\n")
    url = stack.url + "/api/v1/openapi.json"
    result = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--url",
            url,
            "--config",
            "config.yaml",
            "--meta",
            "none",
            "--output-path",
            package,
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": str(GENERATOR.parent), "NO_PROXY": "*"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "warning" not in (result.stdout + result.stderr).lower(), result.stdout + result.stderr
    sys.path.insert(0, str(folder))
    generated = Generated(package, stack.url)
    try:
        yield generated
    finally:
        generated.close()
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name == package or name.startswith(package + ".")]:
            del sys.modules[name]


class Generated:
    """The generated package's modules, and its clients for a base URL."""

    def __init__(self, package: str, base_url: str):
        self.base_url = base_url
        self.root = importlib.import_module(package)
        self.models = importlib.import_module(f"{package}.models")
        self.UNSET = importlib.import_module(f"{package}.types").UNSET
        self.operations = {
            name: importlib.import_module(f"{package}.api.{tag}.{name}")
            for tag, names in OPERATIONS.items()
            for name in names
        }

        self.clients = []

    def __getattr__(self, name):
        return self.operations[name]

    def close(self) -> None:
        for client in self.clients:
            client.get_httpx_client().close()

    def client(self, token: str | None = None):
        """A generated client that refuses any status the document does not declare."""
        options = {"raise_on_unexpected_status": True, "httpx_args": {"trust_env": False}, "timeout": 30}
        if token is None:
            client = self.root.Client(base_url=self.base_url, **options)
        else:
            client = self.root.AuthenticatedClient(base_url=self.base_url, token=token, **options)
        self.clients.append(client)
        return client


def sign_up(api) -> tuple[object, object]:
    """Register and log in through the generated functions; the user and their client."""
    username = f"gen_{uuid.uuid4().hex[:12]}"
    anonymous = api.client()
    created = api.register_user.sync_detailed(
        client=anonymous, body=api.models.Credentials(username=username, password=PASSWORD)
    )
    assert created.status_code == 201, created.content
    login = api.login.sync_detailed(client=anonymous, body=api.models.LoginIn(username=username, password=PASSWORD))
    assert login.status_code == 200, login.content
    assert login.parsed.token_type == api.models.TokenOutTokenType.BEARER
    return login.parsed.user, api.client(login.parsed.access_token)


def test_every_operation_has_a_generated_function_named_by_its_operation_id(api):
    for name, module in api.operations.items():
        assert callable(module.sync_detailed), name


def test_the_core_workflow_runs_on_the_generated_client(api):
    models = api.models
    alice, owner = sign_up(api)
    me = api.get_current_user.sync_detailed(client=owner)
    assert (me.status_code, me.parsed.id, me.parsed.username) == (200, alice.id, alice.username)

    created = api.create_room.sync_detailed(client=owner, body=models.RoomIn(name="Launch"))
    assert created.status_code == 201, created.content
    room = created.parsed
    assert room.role == models.Role.OWNER
    renamed = api.rename_room.sync_detailed(room.id, client=owner, body=models.RoomIn(name="  Launch day  "))
    assert (renamed.status_code, renamed.parsed.name) == (200, "Launch day")
    rooms = api.list_rooms.sync_detailed(client=owner)
    assert [r.id for r in rooms.parsed.items] == [room.id]

    bob, mate = sign_up(api)
    joined = api.join_room.sync_detailed(client=mate, body=models.JoinIn(code=room.code.lower()))
    assert (joined.status_code, joined.parsed.id, joined.parsed.role) == (200, room.id, models.Role.MEMBER)
    members = api.list_members.sync_detailed(room.id, client=mate)
    assert [(m.user_id, m.role) for m in members.parsed.items] == [
        (alice.id, models.Role.OWNER),
        (bob.id, models.Role.MEMBER),
    ]

    tasks = []
    for title, assignee in [("Write the plan", None), ("Book the hall", bob.id), ("Print posters", None)]:
        body = models.TaskIn(title=title) if assignee is None else models.TaskIn(title=title, user_id=assignee)
        answer = api.create_task.sync_detailed(room.id, client=owner, body=body)
        assert answer.status_code == 201, answer.content
        task = answer.parsed
        assert answer.headers["ETag"] == f'"{task.version}"'
        assert answer.headers["Location"] == f"/api/v1/rooms/{room.id}/tasks/{task.id}"
        tasks.append(task)
    assert tasks[1].user_id == bob.id and tasks[0].status == models.TaskStatus.PENDING

    seen, cursor, pages = [], api.UNSET, 0
    while True:
        page = api.list_tasks.sync_detailed(room.id, client=mate, limit=2, cursor=cursor)
        assert page.status_code == 200, page.content
        seen += [t.id for t in page.parsed.items]
        pages += 1
        if page.parsed.next_cursor is None:
            break
        cursor = page.parsed.next_cursor
    assert (seen, pages) == ([t.id for t in tasks], 2)
    listed = api.list_tasks.sync_detailed(room.id, client=mate)
    unchanged = api.list_tasks.sync_detailed(room.id, client=mate, if_none_match=listed.headers["ETag"])
    assert (unchanged.status_code, unchanged.content) == (304, b"")

    got = api.get_task.sync_detailed(room.id, tasks[1].id, client=mate)
    assert got.status_code == 200 and got.parsed.title == "Book the hall"
    etag = got.headers["ETag"]
    change = models.TaskPatch(status=models.TaskStatus.IN_PROGRESS)
    patched = api.update_task.sync_detailed(room.id, tasks[1].id, client=mate, body=change, if_match=etag)
    assert patched.status_code == 200, patched.content
    assert patched.parsed.status == models.TaskStatus.IN_PROGRESS
    assert patched.headers["ETag"] == f'"{got.parsed.version + 1}"' != etag
    stale = api.update_task.sync_detailed(
        room.id, tasks[1].id, client=owner, body=models.TaskPatch(title="Lost update"), if_match=etag
    )
    assert stale.status_code == 412 and isinstance(stale.parsed, models.Problem), stale.content
    assert api.get_task.sync_detailed(room.id, tasks[1].id, client=owner).parsed.title == "Book the hall"
    changed = api.list_tasks.sync_detailed(room.id, client=mate, if_none_match=listed.headers["ETag"])
    assert changed.status_code == 200  # the list changed since that ETag

    summary = api.get_task_summary.sync_detailed(room.id, client=owner).parsed
    assert (summary.total, summary.pending, summary.in_progress, summary.completed) == (3, 2, 1, 0)
    deleted = api.delete_task.sync_detailed(room.id, tasks[2].id, client=owner, if_match=f'"{tasks[2].version}"')
    assert deleted.status_code == 204
    assert api.get_task.sync_detailed(room.id, tasks[2].id, client=owner).status_code == 404

    rotated = api.rotate_room_code.sync_detailed(room.id, client=owner)
    assert rotated.status_code == 200 and rotated.parsed.code != room.code
    old_code = api.join_room.sync_detailed(client=mate, body=models.JoinIn(code=room.code))
    assert old_code.status_code == 404  # bob is still a member, but the old code names no room

    removed = api.remove_member.sync_detailed(room.id, bob.id, client=owner)
    assert removed.status_code == 204
    assert api.get_room.sync_detailed(room.id, client=mate).status_code == 404
    rejoined = api.join_room.sync_detailed(client=mate, body=models.JoinIn(code=rotated.parsed.code))
    assert rejoined.status_code == 200
    left = api.remove_member.sync_detailed(room.id, bob.id, client=mate)  # leaving: his own id
    assert left.status_code == 204
    assert api.list_tasks.sync_detailed(room.id, client=mate).status_code == 404
    assert api.list_rooms.sync_detailed(client=mate).parsed.items == []

    logged_out = api.logout.sync_detailed(client=mate)
    assert logged_out.status_code == 204
    refused = api.get_current_user.sync_detailed(client=mate)
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith("Bearer")

    gone = api.delete_room.sync_detailed(room.id, client=owner)
    assert gone.status_code == 204
    assert api.get_room.sync_detailed(room.id, client=owner).status_code == 404
    assert api.list_rooms.sync_detailed(client=owner).parsed.items == []
