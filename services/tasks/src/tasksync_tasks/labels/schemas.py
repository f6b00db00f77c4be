"""What the label routes take and give."""

from __future__ import annotations

import re
from typing import Any

from apiflask import Schema
from apiflask.fields import Integer, List, Nested, String
from marshmallow import ValidationError

from tasksync_common.fields import Text, Timestamp

_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")


def _check_color(value: str) -> None:
    if not _COLOR.fullmatch(value):
        raise ValidationError("Must be a colour as #RRGGBB.")


def Color(**kwargs: Any) -> String:
    """A colour written ``#RRGGBB`` (hexadecimal digits in either case)."""
    return String(validate=_check_color, metadata={"pattern": "^#[0-9A-Fa-f]{6}$", "example": "#D93F0B"}, **kwargs)


def Name(**kwargs: Any) -> Text:
    """A label's name: 1 to 40 characters, trimmed."""
    return Text(trim=True, min_length=1, max_length=40, metadata={"example": "Bug"}, **kwargs)


class LabelIn(Schema):
    name = Name(required=True)
    color = Color(required=True)


class LabelPatch(Schema):
    name = Name()
    color = Color()


class LabelOut(Schema):
    id = Integer(required=True)
    room_id = Integer(required=True)
    name = String(required=True)
    color = String(required=True)
    created_at = Timestamp(required=True)


class LabelList(Schema):
    items = List(Nested(LabelOut), required=True)
