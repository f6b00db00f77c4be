"""Over HTTP, against the running stack: whatever JSON a client POSTs to create a task, the answer is a
task within the documented limits or a problem document, never a 5xx."""

from __future__ import annotations

import json

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tasksync_tasks.tasks.models import STATUSES
from tests.conftest import Client
from tests.properties.strategies import edge_values, is_id, is_text, json_values, tricky_text

TASK_FIELDS = ["title", "description", "status", "user_id"]
bodies = st.one_of(
    json_values,  # not an object at all: 400
    st.dictionaries(
        st.one_of(st.sampled_from(TASK_FIELDS), tricky_text), st.one_of(json_values, edge_values), max_size=5
    ),
    st.fixed_dictionaries(
        {"title": st.one_of(tricky_text, edge_values)},
        optional={name: st.one_of(json_values, edge_values) for name in TASK_FIELDS[1:]},
    ),
)


@pytest.fixture(scope="module")
def board(stack):
    owner = Client(stack.url).sign_up()
    room = owner.post("/api/v1/rooms", json={"name": "Properties"}).json()
    return owner, f"/api/v1/rooms/{room['id']}/tasks"


@settings(
    max_examples=60,
    deadline=None,  # a round trip through three services; the machine may be busy
)
@given(body=bodies)
@example(body={"title": "x", "\ud800": 1})  # an unknown field named by a lone surrogate: once a 500
@example(body={"title": "\ud800"})
@example(body={"title": "x", "user_id": 10**400})
@example(body=[{"title": "x"}])
def test_create_task_never_answers_5xx(board, body):
    owner, path = board
    raw = json.dumps(body).encode()  # ASCII: lone surrogates and NaN travel as JSON allows
    response = owner.post(path, data=raw, headers={"Content-Type": "application/json"})
    assert response.status_code < 500, (response.status_code, response.text[:300])
    if response.status_code == 201:
        task = response.json()
        assert is_text(task["title"], low=1, high=255, trimmed=True), task
        assert task["description"] is None or is_text(task["description"], high=10_000, multiline=True), task
        assert task["status"] in STATUSES and is_id(task["user_id"]), task
    else:
        assert response.headers["Content-Type"].split(";")[0] == "application/problem+json", response.headers
        problem = response.json()
        assert problem["status"] == response.status_code and isinstance(problem["detail"], str)
        assert response.status_code in (400, 422), response.text[:300]
