"""The early refusal of bodies with many unknown fields names only fields the schema refuses."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from marshmallow import EXCLUDE, Schema, fields

from tasksync_common.request_body import unknown_fields
from tests.properties.strategies import untimed


class Item(Schema):
    text = fields.String()
    done = fields.Boolean()


class Body(Schema):
    title = fields.String()
    due = fields.String(data_key="due_at")
    items = fields.Nested(Item, many=True)
    extra = fields.Nested(Item(unknown=EXCLUDE))


keys = st.one_of(st.sampled_from(["title", "due_at", "due", "items", "text", "done"]), st.text(max_size=4))
items = st.lists(st.dictionaries(keys, st.integers(), max_size=6), max_size=3)


@untimed
@given(st.dictionaries(keys, st.integers(), max_size=8), items, st.dictionaries(keys, st.integers(), max_size=6))
def test_unknown_fields_are_exactly_the_refused_keys_of_crowded_objects(top, listed, excluded):
    data = {**top, "items": listed, "extra": excluded}
    found = [error["field"] for error in unknown_fields(Body(), data)]
    expected = [key for key in data if key not in {"title", "due_at", "items", "extra"}] if len(data) > 4 else []
    for index, item in enumerate(listed):
        if len(item) > 2:  # more keys than Item has fields
            expected += [f"items.{index}.{key}" for key in item if key not in {"text", "done"}]
    assert found == expected  # and nothing of "extra", whose schema lets unknown keys through
    assert all(error["message"] == "Unknown field." for error in unknown_fields(Body(), data))
