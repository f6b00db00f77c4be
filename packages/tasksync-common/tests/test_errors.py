"""Domain errors (tasksync_common.errors) raised anywhere in a request become problem documents,
mapped in one place (tasksync_common.problems)."""

from __future__ import annotations

import pytest
from apiflask import APIFlask

from tasksync_common import problems
from tasksync_common.errors import Conflict, Forbidden, Invalid, NotFound, Stale, Unauthenticated, Unavailable


@pytest.fixture
def raising():
    app = APIFlask(__name__)
    problems.init_app(app)
    raised = {}

    @app.get("/")
    def view():
        raise raised["error"]

    def answer(error):
        raised["error"] = error
        return app.test_client().get("/")

    return answer


@pytest.mark.parametrize(
    ("error", "status", "detail"),
    [
        (Unauthenticated(), 401, "A valid bearer token is required."),
        (Forbidden("Only the room's owner may do this."), 403, "Only the room's owner may do this."),
        (NotFound("No such room."), 404, "No such room."),
        (NotFound(), 404, "The requested resource was not found."),
        (Conflict("That username is taken."), 409, "That username is taken."),
        (Stale("Reload it."), 412, "Reload it."),
        (Unavailable("Try again."), 503, "Try again."),
    ],
)
def test_each_kind_has_its_status_and_detail(raising, error, status, detail):
    response = raising(error)
    assert response.status_code == status
    assert response.mimetype == problems.PROBLEM_JSON
    assert response.json == {"type": "about:blank", "title": response.json["title"], "status": status, "detail": detail}


def test_an_invalid_field_is_named(raising):
    response = raising(Invalid("user_id", "Must be a member of the room."))
    assert response.status_code == 422
    assert response.json["detail"] == "Invalid field: user_id."
    assert response.json["errors"] == [{"field": "user_id", "message": "Must be a member of the room."}]


def test_unavailable_says_when_to_try_again(raising):
    assert raising(Unavailable("Busy.", retry_after=2)).headers["Retry-After"] == "2"
    assert raising(Unavailable("Busy.")).headers["Retry-After"] == "1"
    assert raising(Unauthenticated()).headers["WWW-Authenticate"] == 'Bearer realm="tasksync"'
