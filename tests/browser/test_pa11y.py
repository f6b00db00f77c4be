"""pa11y, with its HTML_CodeSniffer and axe runners (the npm package, in Debian's Chromium), finds no
error on the sign-in page, the rooms list, a board with tasks (light and dark), a task's panel with
comments and history, and a room's Activity (dark), in English and in Ukrainian.

HTML_CodeSniffer checks what axe does not (empty headings in closed dialogs, links that look like
in-page anchors, inputs without a type), so it runs beside the axe audit of test_accessibility.py.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.people import unique
from tools.databases import missing

ROOT = Path(__file__).resolve().parents[2]
AUDIT = Path(__file__).with_name("pa11y_audit.js")
TIMEOUT_MS = 60_000


def run_pa11y(pages: list[dict]) -> dict[str, list[dict]]:
    """The errors pa11y finds on each page (by name), from tests/browser/pa11y_audit.js."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "pa11y").is_dir():
        missing("pa11y is not installed (make lint installs the npm tools: npm ci)")
    if not Path(CHROMIUM).exists():
        missing(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    job = {"chromium": CHROMIUM, "args": CHROMIUM_ARGS, "timeout": TIMEOUT_MS, "pages": pages}
    done = subprocess.run(
        [node, str(AUDIT)], input=json.dumps(job), capture_output=True, text=True, cwd=ROOT, timeout=300, check=False
    )
    assert done.returncode == 0, f"pa11y did not run:\n{done.stderr}"
    return json.loads(done.stdout)


def describe(found: dict[str, list[dict]]) -> str:
    return "\n".join(
        f"{name}: [{issue['runner']}] {issue['code']} at {issue.get('selector')}: {issue['message']}"
        for name, issues in found.items()
        for issue in issues
    )


def test_pa11y_finds_no_errors(stack, api):
    alice = api.sign_up(unique("pa11y"))
    bob = api.sign_up(unique("pa11y_b"))
    room = api.create_room(alice["token"], "Audited board")
    api.join(bob["token"], room["code"])
    task_ids = []
    for index, status in enumerate(["pending", "in progress", "completed", "completed"]):
        task = api.add_task(
            alice["token"],
            room["id"],
            title=f"Task {index}",
            description="Details " * 10,
            status=status,
            user_id=(alice if index % 2 else bob)["user"]["id"],
        )
        task_ids.append(task["id"])
    # A comment with a link and a mention (a notification for Alice, read as its panel opens), and
    # history to show.
    body = f"See https://example.org/plan, @{alice['user']['username']}"
    api.expect(201, "POST", f"/rooms/{room['id']}/tasks/{task_ids[0]}/comments", bob["token"], json={"body": body})

    pages = []
    for language in ("en", "uk"):
        shown = f'html[lang="{language}"]'
        pages.append(
            {
                "name": f"sign-in page ({language})",
                "url": f"{stack.url}/#/login",
                "storage": {"tasksync.language": language},
                "ready": [shown, "[data-auth-form]"],
            }
        )
        pages.append(
            {
                "name": f"rooms list ({language})",
                "url": f"{stack.url}/#/rooms",
                "storage": {"tasksync.language": language, "tasksync.session": json.dumps(alice)},
                "ready": [shown, "[data-room-link]", "progress[value]"],
            }
        )
        pages.append(
            {
                "name": f"board with tasks ({language})",
                "url": f"{stack.url}/#/rooms/{room['id']}",
                "storage": {"tasksync.language": language, "tasksync.session": json.dumps(alice)},
                "ready": [shown, "[data-task]", "[data-member-name]"],
            }
        )
        pages.append(
            {
                "name": f"board with tasks, dark ({language})",
                "url": f"{stack.url}/#/rooms/{room['id']}",
                "storage": {
                    "tasksync.language": language,
                    "tasksync.session": json.dumps(alice),
                    "tasksync.theme": "dark",
                },
                "ready": [f'{shown}[data-theme="dark"]', "[data-task]", "[data-member-name]"],
            }
        )
        session = {"tasksync.language": language, "tasksync.session": json.dumps(alice)}
        pages.append(
            {
                "name": f"task panel with comments and history ({language})",
                "url": f"{stack.url}/#/rooms/{room['id']}/tasks/{task_ids[0]}",
                "storage": session,
                "ready": [shown, "[data-comment] mark", "[data-task-history] li", "[data-bell]"],
            }
        )
        pages.append(
            {
                "name": f"account: e-mail, reminders, calendar ({language})",
                "url": f"{stack.url}/#/account",
                "storage": session,
                "ready": [shown, "[data-offset-choices] input:checked", "[data-calendar-state]:not(:empty)"],
            }
        )
        pages.append(
            {
                "name": f"room activity, dark ({language})",
                "url": f"{stack.url}/#/rooms/{room['id']}/activity",
                "storage": {**session, "tasksync.theme": "dark"},
                "ready": [f'{shown}[data-theme="dark"]', "[data-history-list] li a"],
            }
        )
    found = run_pa11y(pages)
    assert set(found) == {page["name"] for page in pages}
    assert not any(found.values()), describe(found)
