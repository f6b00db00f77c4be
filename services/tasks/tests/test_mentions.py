"""Mentions (comments.mentions): `@name` finds the member of that username in any letter case, the
longest that matches there, and nobody else; properties over any usernames and any text."""

from __future__ import annotations

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from tasksync_common.usernames import is_valid_username, username_key
from tasksync_tasks.comments.mentions import mentioned
from tests.properties.strategies import any_text, tricky_text, untimed

name_chars = st.one_of(st.characters(categories=("L", "N")), st.sampled_from("._-"))
usernames = st.text(name_chars, min_size=3, max_size=80).filter(is_valid_username)
# What may follow a mention: white space and punctuation that no username holds, or the end.
ENDS = ["", " ", ",", "!", "?", ")", ":", ";", "\n", "'s", "—", ". ", ".", "...", "@"]


def members_of(names: list[str]) -> dict[int, str]:
    """Ids for ``names``, one per distinct key (the rooms service lets no two share one)."""
    found: dict[str, str] = {}
    for name in names:
        found.setdefault(username_key(name), name)
    return dict(enumerate(found.values(), start=1))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("@bob hi", {1}),
        ("@BOB.", {1}),
        ("ask @bob.", {1}),
        ("@bob.smith: yes", {2}),
        ("@Bob.Smith.", {2}),
        ("@bob.smithy", set()),  # a non-member whose name starts like a member's
        ("@bob.jones", set()),
        ("@bobby", set()),
        ("@bob_", set()),
        ("mail@bob", set()),
        ("(@bob)", {1}),
        ("@@bob", {1}),
        ("@bob@bob.smith", {1}),  # the second @ follows a name: an address, not a mention
        ("@олег, @ОЛЕГ!", {3}),
        ("@x... and @x..", {4}),
        ("@x.", set()),  # x. is not x..
        ("@", set()),
        ("@ bob", set()),
        ("bob", set()),
    ],
)
def test_examples(text, expected):
    assert mentioned(text, {1: "bob", 2: "bob.smith", 3: "Олег", 4: "x.."}) == expected


@untimed
@given(st.lists(usernames, min_size=1, max_size=6), st.data())
@example(["ann", "ann.dev"], None)
@example(["Straße", "strasse.x"], None)
def test_a_member_typed_in_any_case_is_found(names, data):
    members = members_of(names)
    user_id = 1 if data is None else data.draw(st.sampled_from(sorted(members)))
    name = members[user_id]
    typed = name if data is None else data.draw(st.sampled_from([name, name.upper(), name.lower(), name.swapcase()]))
    assume(username_key(typed) == username_key(name))  # some letters have no case form that is itself a letter
    end = " " if data is None else data.draw(st.sampled_from([e for e in ENDS if not e.startswith(".")]))
    assume(not any(username_key(other) == username_key(typed + end) for other in members.values()))
    assert mentioned(f"see @{typed}{end}", members) == {user_id}


@untimed
@given(usernames, st.text(name_chars, min_size=1, max_size=10))
@example("ann", ".dev")
def test_the_longest_name_wins_and_a_longer_non_member_is_nobody(name, suffix):
    longer = name + suffix
    assume(is_valid_username(longer) and username_key(longer) != username_key(name))
    assert mentioned(f"@{longer}", {1: name, 2: longer}) == {2}
    assert mentioned(f"@{name}", {1: name, 2: longer}) == {1}
    expected = {1} if set(suffix) == {"."} else set()  # a dot that ends a name is punctuation
    assert mentioned(f"@{longer}", {1: name}) == expected


@untimed
@given(usernames, st.sampled_from(ENDS))
def test_a_trailing_full_stop_is_punctuation(name, end):
    assume(not name.endswith("."))
    assert mentioned(f"thanks @{name}.{end}", {7: name}) == {7}


@untimed
@given(st.one_of(any_text, tricky_text), st.lists(usernames, max_size=5))
def test_any_text_mentions_only_members_and_never_fails(text, names):
    members = members_of(names)
    assert mentioned(text, members) <= set(members)
    assert mentioned(text.replace("@", ""), members) == set()


@untimed
@given(usernames, st.characters(categories=("L", "N")))
def test_an_at_sign_inside_a_word_mentions_nobody(name, before):
    assert mentioned(f"{before}@{name}", {1: name}) == set()
