"""Usernames are unique without regard to letter case (tasksync_common.usernames.username_key)."""

from __future__ import annotations

import unicodedata

from hypothesis import example, given
from hypothesis import strategies as st

from tasksync_common.usernames import is_valid_username, username_key
from tests.properties.strategies import tricky_char, untimed

# What registration accepts: letters and digits of any script, ".", "_" and "-"; 3 to 80 of them.
username_chars = st.one_of(tricky_char.filter(lambda c: c.isalnum()), st.sampled_from("._-"))
usernames = st.text(username_chars, min_size=3, max_size=80).filter(is_valid_username)


def caseless(text: str) -> str:
    """Unicode's compatibility caseless match (the Unicode Standard, D146): equal ignoring case."""
    nf = unicodedata.normalize
    return nf("NFKD", nf("NFKD", nf("NFD", text).casefold()).casefold())


def case_variants(name: str, flips: list[bool]) -> set[str]:
    mixed = "".join(c.upper() if up else c.lower() for c, up in zip(name, flips, strict=False))
    return {name.upper(), name.lower(), name.title(), name.swapcase(), name.casefold(), mixed}


@untimed
@given(usernames)
@example("ΐß_K")
@example("ǅungla")
def test_username_key_is_idempotent(name):
    key = username_key(name)
    assert username_key(key) == key


@untimed
@given(usernames, st.data())
@example("Alice", [])
@example("Straße", [])
@example("KELVIN", [])  # the Kelvin sign
def test_usernames_equal_ignoring_case_share_a_key(name, data):
    """Two names that could both be registered and are equal ignoring case map to one key."""
    flips = data.draw(st.lists(st.booleans(), min_size=len(name), max_size=len(name))) if data != [] else []
    for variant in case_variants(name, flips):
        if is_valid_username(variant) and caseless(variant) == caseless(name):
            assert username_key(variant) == username_key(name), (name, variant)


@untimed
@given(usernames, usernames)
@example("alice", "alicE")
@example("Straße", "STRASSE")
def test_keys_are_equal_only_for_names_equal_ignoring_case(first, second):
    if username_key(first) == username_key(second):
        assert caseless(first) == caseless(second), (first, second)


@untimed
@given(usernames)
@example("ΐ12")
def test_a_username_typed_in_another_letter_case_has_its_key(name):
    """Login finds a name typed in any letter case, even a form that could not be registered itself
    (the upper case of "ΐ" is "Ϊ" with a combining accent, which is no letter)."""
    for variant in (name.upper(), name.lower(), name.swapcase()):
        if caseless(variant) == caseless(name):
            assert username_key(variant) == username_key(name), (name, variant)
