"""Input validation: for any JSON value in any field, loading either gives a value within the limits
docs/api.md documents or raises marshmallow's ValidationError (a 422), never another exception."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from marshmallow import ValidationError

from tasksync_common.fields import MAX_ID, Id, Instant, Text
from tasksync_rooms.rooms.schemas import JoinIn, RoomIn
from tasksync_rooms.users.schemas import Credentials, LoginIn, PasswordChangeIn, is_valid_username
from tasksync_tasks.assigned.schemas import AssignedQuery
from tasksync_tasks.checklists.schemas import ChecklistItemIn, ChecklistItemPatch
from tasksync_tasks.labels.schemas import LabelIn, LabelPatch
from tasksync_tasks.tasks.models import PRIORITIES, STATUSES
from tasksync_tasks.tasks.schemas import SORTS, TaskIn, TaskMove, TaskPatch, TaskQuery
from tests.properties.strategies import edge_values, is_id, is_text, json_values, near_limit, tricky_text, untimed


def is_due(value) -> bool:
    """An aware UTC time in the years due times may have."""
    return isinstance(value, datetime) and value.utcoffset() == timedelta(0) and 2000 <= value.year <= 2100


def is_label_ids(value) -> bool:
    return isinstance(value, list) and len(value) <= 10 and len(set(value)) == len(value) and all(map(is_id, value))


def is_color(value) -> bool:
    return isinstance(value, str) and re.fullmatch(r"#[0-9A-Fa-f]{6}", value) is not None


# (schema, field) -> what a loaded value must be
LIMITS = {
    (TaskIn, "title"): lambda v: is_text(v, low=1, high=255, trimmed=True),
    (TaskIn, "description"): lambda v: v is None or is_text(v, high=10_000, multiline=True),
    (TaskIn, "status"): lambda v: v in STATUSES,
    (TaskIn, "user_id"): is_id,
    (TaskIn, "label_ids"): is_label_ids,
    (TaskPatch, "title"): lambda v: is_text(v, low=1, high=255, trimmed=True),
    (TaskPatch, "description"): lambda v: v is None or is_text(v, high=10_000, multiline=True),
    (TaskPatch, "status"): lambda v: v in STATUSES,
    (TaskPatch, "user_id"): is_id,
    (TaskPatch, "label_ids"): is_label_ids,
    (TaskQuery, "status"): lambda v: v in STATUSES,
    (TaskQuery, "user_id"): is_id,
    (TaskQuery, "q"): lambda v: is_text(v, high=200),
    (TaskQuery, "limit"): lambda v: type(v) is int and 1 <= v <= 200,
    (TaskQuery, "cursor"): lambda v: is_text(v, high=64),
    (TaskQuery, "priority"): lambda v: v in PRIORITIES,
    (TaskQuery, "due_before"): lambda v: is_due(v),
    (TaskQuery, "due_after"): lambda v: is_due(v),
    (TaskQuery, "sort"): lambda v: v in SORTS,
    (TaskIn, "due_at"): lambda v: v is None or is_due(v),
    (TaskIn, "priority"): lambda v: v in PRIORITIES,
    (TaskPatch, "due_at"): lambda v: v is None or is_due(v),
    (TaskPatch, "priority"): lambda v: v in PRIORITIES,
    (TaskMove, "status"): lambda v: v in STATUSES,
    (TaskMove, "after_id"): lambda v: v is None or is_id(v),
    (TaskQuery, "label_id"): is_id,
    (AssignedQuery, "status"): lambda v: v in STATUSES,
    (AssignedQuery, "sort"): lambda v: v in ("due", "created"),
    (AssignedQuery, "due_before"): lambda v: is_due(v),
    (AssignedQuery, "due_after"): lambda v: is_due(v),
    (AssignedQuery, "limit"): lambda v: type(v) is int and 1 <= v <= 200,
    (AssignedQuery, "cursor"): lambda v: is_text(v, high=64),
    (LabelIn, "name"): lambda v: is_text(v, low=1, high=40, trimmed=True),
    (LabelIn, "color"): is_color,
    (LabelPatch, "name"): lambda v: is_text(v, low=1, high=40, trimmed=True),
    (LabelPatch, "color"): is_color,
    (ChecklistItemIn, "text"): lambda v: is_text(v, low=1, high=500, trimmed=True),
    (ChecklistItemPatch, "text"): lambda v: is_text(v, low=1, high=500, trimmed=True),
    (ChecklistItemPatch, "done"): lambda v: type(v) is bool,
    (RoomIn, "name"): lambda v: is_text(v, low=1, high=100, trimmed=True),
    (JoinIn, "code"): lambda v: isinstance(v, str) and re.fullmatch(r"[A-Z0-9]{9}", v) is not None,
    (Credentials, "username"): lambda v: isinstance(v, str) and is_valid_username(v),
    (Credentials, "password"): lambda v: isinstance(v, str) and 8 <= len(v) <= 128,
    (LoginIn, "username"): lambda v: isinstance(v, str),
    (LoginIn, "password"): lambda v: isinstance(v, str),
    (PasswordChangeIn, "current_password"): lambda v: isinstance(v, str),
    (PasswordChangeIn, "new_password"): lambda v: isinstance(v, str) and 8 <= len(v) <= 128,
}
# Checked by the schema (its @validates), not by the field: the field alone only promises a str.
CHECKED_BY_SCHEMA = {(Credentials, "password"), (PasswordChangeIn, "new_password")}
SCHEMAS = sorted({schema for schema, _ in LIMITS}, key=lambda s: s.__name__)
FIELDS = sorted(LIMITS, key=lambda key: (key[0].__name__, key[1]))


def test_every_input_field_has_its_limits_here():
    """A field added to an input schema must be added above, so that these properties cover it."""
    for schema in SCHEMAS:
        assert {name for s, name in LIMITS if s is schema} == set(schema().fields), schema.__name__


field_values = st.one_of(json_values, edge_values)


@pytest.mark.parametrize("schema, name", FIELDS, ids=[f"{s.__name__}.{n}" for s, n in FIELDS])
@untimed
@given(value=field_values)
def test_a_field_loads_within_its_limits_or_refuses(schema, name, value):
    field = schema().fields[name]
    try:
        loaded = field.deserialize(value)
    except ValidationError:
        return
    if (schema, name) in CHECKED_BY_SCHEMA:
        assert isinstance(loaded, str), (value, loaded)
    else:
        assert LIMITS[(schema, name)](loaded), (value, loaded)


@pytest.mark.parametrize("schema", SCHEMAS, ids=[s.__name__ for s in SCHEMAS])
@untimed
@given(data=st.data())
def test_a_body_loads_within_its_limits_or_refuses(schema, data):
    names = [name for s, name in LIMITS if s is schema]
    keys = st.one_of(st.sampled_from(names), tricky_text)
    body = data.draw(st.dictionaries(keys, field_values, max_size=len(names) + 1))
    try:
        loaded = schema().load(body)
    except ValidationError as error:
        assert isinstance(error.messages, dict) and error.messages
        return
    assert set(loaded) <= set(names), loaded  # unknown fields are refused, never passed on
    for name, value in loaded.items():
        assert LIMITS[(schema, name)](value), (name, body.get(name), value)


@untimed
@given(st.one_of(json_values, edge_values))
@example(True)
@example(1.0)
@example(MAX_ID + 1)
def test_an_id_is_a_positive_32_bit_integer_or_refused(value):
    try:
        loaded = Id().deserialize(value)
    except ValidationError:
        return
    assert is_id(loaded) and loaded == value


@untimed
@given(
    st.booleans(),
    st.integers(min_value=0, max_value=5),
    st.one_of(st.none(), st.integers(min_value=0, max_value=300)),
    st.booleans(),
    st.one_of(near_limit(20), near_limit(300), tricky_text),
)
def test_any_text_field_keeps_its_own_limits(trim, low, high, multiline, value):
    field = Text(trim=trim, min_length=low, max_length=high, multiline=multiline)
    try:
        loaded = field.deserialize(value)
    except ValidationError:
        return
    assert is_text(loaded, low=low, high=high, trimmed=trim, multiline=multiline), (value, loaded)
    assert loaded == (value.strip() if trim else value)


offsets = st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m)))
instants = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2110, 12, 31), timezones=st.just(UTC))


@untimed
@given(instants, offsets, st.sampled_from(["seconds", "milliseconds", "microseconds"]))
@example(datetime(2000, 1, 1, tzinfo=UTC), timezone(timedelta(hours=2)), "seconds")  # 1999 local, 2000 in UTC
def test_an_instant_written_with_any_offset_loads_as_that_instant(moment, offset, precision):
    """RFC 3339 with any offset and fraction: the same instant, in UTC, kept to the microsecond
    given; refused exactly when its UTC year is outside 2000 to 2100; written back in UTC with Z."""
    written = moment.astimezone(offset).isoformat(timespec=precision)
    field = Instant()
    if not 2000 <= moment.year <= 2100:
        with pytest.raises(ValidationError):
            field.deserialize(written)
        return
    loaded = field.deserialize(written)
    kept = moment.replace(microsecond=moment.microsecond // 1000 * 1000 if precision == "milliseconds" else 0)
    assert loaded == (moment if precision == "microseconds" else kept) and loaded.tzinfo is UTC
    shown = field._serialize(loaded, "due_at", None)
    assert shown.endswith("Z") and field.deserialize(shown) == loaded
