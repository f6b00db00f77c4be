"""Marshmallow fields with the rules every TaskSync input shares."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone
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


# RFC 3339 (section 5.6) date-time: a full date, a time, an optional fraction and a required offset.
_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))", re.ASCII
)


def parse_rfc3339(text: str) -> datetime:
    """An aware UTC datetime from an RFC 3339 timestamp with any offset; ValueError otherwise
    (leap seconds and fractions finer than microseconds included)."""
    match = _RFC3339.fullmatch(text)
    if match is None:
        raise ValueError("not an RFC 3339 timestamp")
    year, month, day, hour, minute, second, fraction, zulu, sign, off_hours, off_minutes = match.groups()
    offset = timedelta(0)
    if not zulu:
        if int(off_hours) > 23 or int(off_minutes) > 59:
            raise ValueError("not a UTC offset")
        offset = (-1 if sign == "-" else 1) * timedelta(hours=int(off_hours), minutes=int(off_minutes))
    local = datetime(
        int(year),
        int(month),
        int(day),
        int(hour),
        int(minute),
        int(second),
        int((fraction or "0").ljust(6, "0")),
        tzinfo=timezone(offset),
    )
    return local.astimezone(UTC)


class Instant(fields.String):
    """An RFC 3339 timestamp in, with any UTC offset, loaded as an aware UTC datetime whose UTC
    year is within ``years``; out, in UTC with ``Z`` (a fraction of a second only when there is one)."""

    def __init__(self, *, years: tuple[int, int] = (2000, 2100), **kwargs: Any) -> None:
        self.years = years
        metadata = {"format": "date-time", "example": "2026-12-05T16:00:00Z", **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            moment = parse_rfc3339(text)
        except (ValueError, OverflowError):
            raise ValidationError("Must be an RFC 3339 timestamp, such as 2026-12-05T18:00:00+02:00.") from None
        if not self.years[0] <= moment.year <= self.years[1]:
            raise ValidationError(f"Must be in the years {self.years[0]} to {self.years[1]} (UTC).")
        return moment

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        moment = value.astimezone(UTC) if value.tzinfo else value
        text = moment.strftime("%Y-%m-%dT%H:%M:%S")
        return f"{text}.{moment.microsecond:06d}".rstrip("0") + "Z" if moment.microsecond else f"{text}Z"
