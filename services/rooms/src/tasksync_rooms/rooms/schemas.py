"""What the rooms routes take and give."""

from typing import Any

from apiflask import Schema
from apiflask.fields import Integer, List, Nested, String
from marshmallow import ValidationError

from tasksync_common.api_document import NAMED_SCHEMA
from tasksync_common.fields import Text, Timestamp

from . import codes
from .models import MEMBER, OWNER


def Role(**kwargs: Any) -> String:
    """The caller's or a member's role in a room, described once as the Role schema."""
    metadata = {"enum": [OWNER, MEMBER], "description": "A person's role in a room.", NAMED_SCHEMA: "Role"}
    return String(metadata=metadata, **kwargs)


class RoomIn(Schema):
    name = Text(required=True, trim=True, min_length=1, max_length=100)


class CodeField(Text):
    """A join code in any letter case."""

    def _deserialize(self, value, attr, data, **kwargs):
        code = codes.normalize(super()._deserialize(value, attr, data, **kwargs))
        if not codes.is_well_formed(code):
            raise ValidationError("Must be 9 characters of A-Z and 0-9.")
        return code


class JoinIn(Schema):
    code = CodeField(required=True, metadata={"minLength": 9, "maxLength": 9, "example": "K7Q2M9XA4"})


class RoomOut(Schema):
    id = Integer(required=True)
    name = String(required=True)
    code = String(required=True)
    owner_id = Integer(required=True)
    role = Role(required=True)
    member_count = Integer(required=True)
    created_at = Timestamp(required=True)


class RoomList(Schema):
    items = List(Nested(RoomOut), required=True)


class MemberOut(Schema):
    user_id = Integer(required=True)
    username = String(required=True)
    role = Role(required=True)
    joined_at = Timestamp(required=True)


class MemberList(Schema):
    items = List(Nested(MemberOut), required=True)


class RoleOut(Schema):
    role = String(required=True)
