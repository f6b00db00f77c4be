"""Hypothesis strategies shared by the property tests, and the documented limits they are checked against."""

from __future__ import annotations

import unicodedata

from hypothesis import settings
from hypothesis import strategies as st

from tasksync_common.fields import MAX_ID
from tasksync_tasks.tasks.models import STATUSES

# Time is not among these properties: on a busy machine one example may take longer than Hypothesis'
# 200 ms deadline, and that must not fail a build.
untimed = settings(deadline=None)

# Every code point, lone surrogates included: a JSON body can carry "\ud800" as an escape.
any_char = st.characters(exclude_categories=())
any_text = st.text(any_char)

# Characters whose letter case or normal forms are unusual: where casefolding and normalization disagree.
TRICKY = (
    "ßẞſıİiIKkKÅåÅσςΣΐΰᾳᾼῃῳǅǄǆﬀﬁﬂﬃﬅﬆŉǰẖẘẙẚΐΰＡａ²ⅷⅧµΜμ"
    "\u0301\u0307\u0308\u0345\u0342\u030c\u0313"  # combining marks
    " \t\n\u00a0\u2003\u3000"  # white space
)
tricky_char = st.one_of(st.sampled_from(TRICKY), st.characters(codec="ascii"), any_char)
tricky_text = st.text(tricky_char)

# Any value a JSON document can hold, as Python's json module reads it.
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=True, allow_infinity=True),
    tricky_text,
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(tricky_text, children, max_size=4)),
    max_leaves=12,
)

WHITE = " \t\n\r\u00a0\u2003\u3000"


def is_id(value) -> bool:
    return type(value) is int and 1 <= value <= MAX_ID


def is_text(value, *, low=0, high=None, trimmed=False, multiline=False) -> bool:
    """A str of low..high characters, valid Unicode, without control characters (but line breaks and
    tabs when multiline), and with no white space around it when trimmed."""
    if not isinstance(value, str) or not low <= len(value) <= (high if high is not None else len(value)):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    controls = [c for c in value if unicodedata.category(c) == "Cc" and not (multiline and c in "\n\r\t")]
    return not controls and (not trimmed or value == value.strip())


# Values aimed at the edges: padded texts near each limit, the characters validation cares about.
def near_limit(length: int):
    return st.builds(
        lambda pad_left, core, pad_right: pad_left + core + pad_right,
        st.text(st.sampled_from(WHITE), max_size=3),
        st.builds(
            lambda c, n: c * n,
            st.one_of(st.sampled_from("xé漢\U0001f600"), any_char),
            st.one_of(st.sampled_from([length - 1, length, length + 1]), st.integers(0, length + 2)),
        ),
        st.text(st.sampled_from(WHITE), max_size=3),
    )


edge_values = st.one_of(
    near_limit(9),
    near_limit(80),
    near_limit(100),
    near_limit(128),
    near_limit(255),
    near_limit(10_000),
    st.sampled_from([*STATUSES, "Pending", "in_progress", " pending", "0", "1", "50", "200", "201", "-1", "1.0"]),
    st.integers(min_value=-2, max_value=MAX_ID + 2),
    st.sampled_from([0, 1, MAX_ID, MAX_ID + 1, 2**63, 1.0, 1.5, True, False, float("nan"), float("inf")]),
)
