"""Conditional requests as RFC 9110 (section 13.1) defines them: If-Match and If-None-Match.

If-Match compares strongly: a weak tag (``W/"2"``) matches nothing, so a write can never apply
to a representation that is only "equivalent" to the one the client saw. If-None-Match compares
weakly. Both take ``*`` or a comma-separated list of entity tags, over one or several header
lines; a value that is not that grammar can match nothing.
"""

from __future__ import annotations

import re

# entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text (section 8.8.3);
# header values reach us decoded as Latin-1, so obs-text is \x80-\xff.
_ENTITY_TAG = re.compile(r'(W/)?"([\x21\x23-\x7e\x80-\xff]*)"')
_OWS = " \t"
_VERSION = re.compile(r"[0-9]{1,10}")


def entity_tags(value: str) -> list[tuple[bool, str]] | None:
    """The (weak, opaque-tag) pairs of a ``#entity-tag`` list, empty elements skipped as section
    5.6.1 asks; None when ``value`` is not such a list."""
    tags, position, end = [], 0, len(value)
    while True:
        while position < end and value[position] in _OWS:
            position += 1
        if position < end and value[position] != ",":
            match = _ENTITY_TAG.match(value, position)
            if match is None:
                return None
            tags.append((match[1] is not None, match[2]))
            position = match.end()
            while position < end and value[position] in _OWS:
                position += 1
        if position == end:
            return tags
        if value[position] != ",":
            return None
        position += 1


def _field(lines: list[str]) -> str:
    """Several lines of one list-valued field are one list (section 5.3)."""
    return ", ".join(lines)


def if_match_versions(lines: list[str]) -> frozenset[int] | None:
    """The versions an ``If-Match`` lets a write apply to: None when there is no condition or
    it is ``*`` (any current version); otherwise the strong tags that name a version, which
    may be none at all (then nothing matches: 412)."""
    if not lines:
        return None
    value = _field(lines).strip(_OWS)
    if value == "*":
        return None
    tags = entity_tags(value) or []
    return frozenset(int(tag) for weak, tag in tags if not weak and _VERSION.fullmatch(tag))


def is_any(lines: list[str]) -> bool:
    """True when a conditional header is ``*``: any current representation matches."""
    return bool(lines) and _field(lines).strip(_OWS) == "*"


def none_match(lines: list[str], current: str) -> bool:
    """True when an ``If-None-Match`` names ``current`` (weakly) or is ``*``: the answer is 304."""
    if not lines:
        return False
    if is_any(lines):
        return True
    value = _field(lines).strip(_OWS)
    wanted = entity_tags(current) or []
    tags = entity_tags(value) or []
    return bool(wanted) and any(tag == wanted[0][1] for _, tag in tags)
