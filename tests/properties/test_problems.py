"""Problem documents (RFC 9457): whatever the status and the words, a valid application/problem+json body."""

from __future__ import annotations

import json

from hypothesis import example, given
from hypothesis import strategies as st

from tasksync_common.problems import (
    MAX_ECHO_CHARS,
    MAX_FIELD_ERRORS,
    PROBLEM_JSON,
    flatten_validation,
    problem_response,
)
from tests.properties.strategies import any_text, json_scalars, tricky_text, untimed

errors_lists = st.lists(st.fixed_dictionaries({"field": any_text, "message": any_text}), max_size=3)


@untimed
@given(st.integers(min_value=400, max_value=599), st.one_of(st.none(), any_text), st.one_of(st.none(), errors_lists))
@example(422, "bad", [{"field": "\ud800", "message": "Unknown field."}])  # a client's "\ud800" escape, echoed
@example(400, "\udfff", None)
def test_every_problem_is_valid_json_with_the_four_members(status, detail, errors):
    response = problem_response(status, detail, errors=errors)
    assert response.status_code == status
    assert response.mimetype == PROBLEM_JSON
    body = json.loads(response.get_data().decode("utf-8"))  # UTF-8 on the wire, always
    assert isinstance(body["type"], str) and isinstance(body["title"], str) and body["title"]
    assert body["status"] == status
    assert isinstance(body["detail"], str) and body["detail"]
    if detail:
        assert body["detail"] == detail
    if errors:
        assert body["errors"] == [{k: echoed(v) for k, v in e.items()} for e in errors]
    if status in (429, 503, 504):
        assert int(response.headers["Retry-After"]) >= 1
    if status == 401:
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def echoed(text: str) -> str:
    """What a problem document shows of a field name or message: all of it, or its start and an ellipsis."""
    return text if len(text) <= MAX_ECHO_CHARS else text[: MAX_ECHO_CHARS - 1] + "\u2026"


@untimed
@given(st.lists(st.fixed_dictionaries({"field": any_text, "message": any_text}), max_size=3 * MAX_FIELD_ERRORS))
@example([{"field": "x" * 10_000, "message": "Unknown field."}])
@example([{"field": f"f{i}", "message": "Unknown field."} for i in range(MAX_FIELD_ERRORS + 1)])
def test_a_problem_names_at_most_50_errors_and_says_when_it_cut(errors):
    body = json.loads(problem_response(422, errors=errors).get_data())
    shown = body.get("errors", [])
    assert shown == [{k: echoed(v) for k, v in e.items()} for e in errors[:MAX_FIELD_ERRORS]]
    assert body.get("errors_truncated", False) is (len(errors) > MAX_FIELD_ERRORS)
    assert all(len(e["field"]) <= MAX_ECHO_CHARS and len(e["message"]) <= MAX_ECHO_CHARS for e in shown)


# webargs' shape, {location: {field: ...}}, with anything below the field.
nested = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.one_of(tricky_text, st.integers(0, 5), st.just("_schema")), children, max_size=3),
    ),
    max_leaves=10,
)
details = st.dictionaries(
    st.sampled_from(["json", "query", "headers", "path"]),
    st.dictionaries(st.one_of(tricky_text, st.integers(0, 5), st.just("_schema")), nested, max_size=3),
    max_size=2,
)


def leaves(node):
    """Every value that is not a list or a dict, wherever it is."""
    if isinstance(node, dict):
        return [leaf for value in node.values() for leaf in leaves(value)]
    if isinstance(node, list):
        return [leaf for value in node for leaf in leaves(value)]
    return [node]


@untimed
@given(details)
@example({"json": {"title": ["Missing data for required field."], "_schema": ["Invalid input type."]}})
@example({"json": {"items": {0: {"title": ["Too long."]}}}})
@example({"json": {"\ud800": ["Unknown field."]}})
def test_flattening_names_every_leaf(detail):
    errors = flatten_validation(detail, limit=None)
    assert all(set(e) == {"field", "message"} for e in errors)
    assert all(isinstance(e["field"], str) and isinstance(e["message"], str) for e in errors)
    assert sorted(e["message"] for e in errors) == sorted(str(leaf) for leaf in leaves(detail))


@untimed
@given(details, st.integers(min_value=0, max_value=5))
def test_flattening_stops_at_its_limit(detail, limit):
    """Stopping early gives the first errors the whole walk would give, never more than asked."""
    assert flatten_validation(detail, limit=limit) == flatten_validation(detail, limit=None)[:limit]


def test_flattening_stops_one_past_what_a_problem_names():
    detail = {"json": {f"k{i}": ["Unknown field."] for i in range(95_000)}}
    assert len(flatten_validation(detail)) == MAX_FIELD_ERRORS + 1


@untimed
@given(st.dictionaries(st.text(min_size=1).filter(lambda k: k != "_schema"), st.lists(st.text(), min_size=1)))
def test_flattening_webargs_messages_gives_one_error_per_message(fields):
    errors = flatten_validation({"json": fields}, limit=None)
    assert errors == [{"field": name, "message": m} for name, messages in fields.items() for m in messages]


def test_flattening_nothing_gives_nothing():
    assert flatten_validation(None) == [] and flatten_validation({}) == []
