"""Marshmallow fields with the rules every TaskSync input shares."""

from __future__ import annotations

import unicodedata
from typing import Any

from apiflask import fields
from apiflask.validators import Range
from marshmallow import ValidationError

MAX_ID = 2**31 - 1  # ids are 32-bit in every database we run on


def _check_text(value: str, allow_newlines: bool) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError("Must be valid Unicode text.") from None
    for char in value:
        if unicodedata.category(char) == "Cc" and not (allow_newlines and char in "\n\r\t"):
            raise ValidationError("Must not contain control characters.")


class Text(fields.String):
    """A string that is valid Unicode, free of control characters, optionally trimmed and bounded."""

    def __init__(self, *, trim=False, min_length=0, max_length=None, multiline=False, **kwargs):
        self.trim = trim
        self.min_length = min_length
        self.max_length = max_length
        self.multiline = multiline
        metadata = dict(kwargs.pop("metadata", {}))
        if max_length is not None:
            metadata["maxLength"] = max_length
        if min_length:
            metadata["minLength"] = min_length
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if self.trim:  # before the check: a tab or newline at either end is only white space
            text = text.strip()
        _check_text(text, self.multiline)
        if len(text) < self.min_length or (self.max_length is not None and len(text) > self.max_length):
            upper = f" to {self.max_length}" if self.max_length is not None else " or more"
            what = " after trimming white space" if self.trim else ""
            raise ValidationError(f"Must be {self.min_length}{upper} characters{what}.")
        return text


def Id(**kwargs: Any) -> fields.Integer:
    """A positive 32-bit identifier; strings, floats and booleans are refused."""
    return fields.Integer(strict=True, validate=Range(min=1, max=MAX_ID), **kwargs)


class Timestamp(fields.String):
    """An RFC 3339 UTC timestamp in whole seconds, as every response shows time (output only).

    A string field rather than marshmallow's DateTime with a custom format, which apispec would
    describe with a null format."""

    def __init__(self, **kwargs):
        metadata = {"format": "date-time", "example": "2026-11-27T16:01:37Z", **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.strftime("%Y-%m-%dT%H:%M:%SZ")


class Flag(fields.Boolean):
    """A JSON ``true`` or ``false``; anything else (``1``, ``"yes"``, ``null``) is refused, where
    marshmallow's Boolean would take it."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise ValidationError("Must be true or false.")
        return value
