"""Nothing tracked in git refers to a file outside the repository (tools/self_contained.py, also run by
`make lint`): the project cites docs/api.md and the OpenAPI document it serves."""

from __future__ import annotations

import pytest

from tools.self_contained import findings_in, outside_references


def test_no_tracked_file_refers_outside_the_repository():
    report = outside_references()
    assert not report, "\n".join(report)


@pytest.mark.parametrize(
    "line",
    [
        '"""api.md, Rooms: create, list."""',
        "// The TaskSync HTTP API (see shared/api.md).",
        "See ../shared/architecture.md for the layers.",
        "python /work/main/tools/stack.py",
        "cp /work/shared/api.md docs/",
        "the contract at /work",
    ],
)
def test_outside_references_are_found(line):
    assert findings_in(line), line


@pytest.mark.parametrize(
    "line",
    [
        "See docs/api.md, Tasks.",
        "[the API guide](docs/api.md) and [again](../docs/api.md)",
        "GET /api/v1/openapi.json and /api/docs",
        "tests/test_api_guide.py keeps them in step; api.js calls fetch",
        "a workspace in /workspace, a path like services/work/notes.md, and https://example.org/work/",
    ],
)
def test_references_inside_the_repository_pass(line):
    assert not findings_in(line), findings_in(line)
