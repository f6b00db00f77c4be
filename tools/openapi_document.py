"""The public OpenAPI document, built in this process exactly as the gateway serves it.

The gateway merges what the rooms and tasks services describe; here the same merge runs on the
documents of the two apps created in-process (nothing is started, no database is touched), so
that ``make lint`` can check the document quickly:

    python -m tools.openapi_document build/openapi.json
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from tasksync_common import config
from tasksync_gateway.openapi import merge


def build() -> dict:
    """The merged document of the rooms and tasks services, as /api/v1/openapi.json serves it."""
    import tasksync_rooms
    import tasksync_tasks

    with tempfile.TemporaryDirectory(prefix="tasksync-openapi-") as folder:
        settings = config.load({"TASKSYNC_DATA_DIR": folder, "TASKSYNC_SECRET_KEY": "openapi-" + "x" * 40})
        documents = []
        for service in (tasksync_rooms, tasksync_tasks):
            url = f"sqlite:///{Path(folder) / service.__name__}.sqlite3"
            app = service.create_app({"DATABASE_URL": url}, settings=settings)
            with app.app_context():
                documents.append(app.spec)
    return merge(documents)


def main() -> None:
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "build/openapi.json")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(build(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
