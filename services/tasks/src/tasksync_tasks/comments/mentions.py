"""Which members a comment mentions: `@name`, where name is a member's username in any letter
case. At each `@` the longest member username that matches there wins (`@bob.smith` is
bob.smith, not bob), and a name must end where the username characters do: `@bobby` is not bob,
and `@bob.smith` is nobody when bob.smith is not a member. Dots that end the run are sentence
punctuation (`ask @bob.`), unless a member's username itself ends with them. An `@` right after a
username character (`mail@example.org`) starts no mention."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from tasksync_common.usernames import is_username_char, username_key

# The longest a username of 80 characters may be as typed: another letter case of a character may
# be up to three (`ΐ` in upper case is three code points).
MAX_TYPED = 3 * 80


def mentioned(body: str, members: Mapping[int, str]) -> set[int]:
    """The ids of the ``members`` (user id to username) that ``body`` mentions."""
    if "@" not in body:
        return set()
    by_key = {username_key(name): user_id for user_id, name in members.items()}
    text = unicodedata.normalize("NFC", body)  # a name typed in decomposed form is the same name
    found: set[int] = set()
    start = text.find("@")
    while start != -1:
        if start == 0 or not _in_name(text[start - 1]):
            user_id = _longest(_run(text, start + 1), by_key)
            if user_id is not None:
                found.add(user_id)
        start = text.find("@", start + 1)
    return found


def _in_name(char: str) -> bool:
    """A username character, or a combining mark on one: `İ` typed in lower case is `i` and a
    combining dot, which is the same name."""
    return is_username_char(char) or unicodedata.category(char).startswith("M")


def _run(text: str, start: int) -> str:
    """The name's characters from ``start`` on (each run ends at the next `@`: scanning is linear)."""
    end = start
    while end < len(text) and _in_name(text[end]):
        end += 1
    return text[start:end]


def _longest(run: str, by_key: Mapping[str, int]) -> int | None:
    """The member whose username is the longest match at the start of ``run``: the whole run, or
    the run without some of the dots that end it."""
    shortest = len(run.rstrip("."))
    for length in range(min(len(run), MAX_TYPED), shortest - 1, -1):
        if length < len(run) and run[length] != ".":
            break  # cut inside the name itself, not only its closing dots
        user_id = by_key.get(username_key(run[:length]))
        if user_id is not None:
            return user_id
    return None
