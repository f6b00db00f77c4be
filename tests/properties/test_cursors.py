"""Page cursors (tasks.cursors): opaque to clients; any text a client sends back is either a cursor
this server could have issued or a 422 naming the field, never another error."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tasksync_common.fields import MAX_ID
from tasksync_common.problems import Problem
from tasksync_tasks.tasks import cursors
from tests.properties.strategies import any_text, tricky_text, untimed

ids = st.integers(min_value=0, max_value=MAX_ID)


@untimed
@given(ids)
@example(0)
@example(MAX_ID)
def test_decode_undoes_encode(last_id):
    cursor = cursors.encode(last_id)
    assert cursor.isascii() and "=" not in cursor and len(cursor) <= 64  # fits the query's limit
    assert cursors.decode(cursor) == last_id


def _b64(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode("utf-8", "surrogatepass")).decode().rstrip("=")


# Texts near real cursors: other prefixes, signs, spaces, non-ASCII digits, numbers far too large.
numbers = st.one_of(
    st.integers().map(str),
    st.integers(min_value=MAX_ID - 2, max_value=MAX_ID + 2).map(str),
    st.integers(min_value=1, max_value=6000).map(lambda n: "9" * n),  # Python refuses int() of > 4300 digits
    tricky_text,
    st.text(st.sampled_from("0123456789٠١٢٣٤٥٦٧٨٩０１²₃ -+_")),
)
near_cursors = st.builds(
    lambda prefix, number, pad: _b64(prefix + number) + pad,
    st.sampled_from(["t1:", "t1: ", "t2:", "T1:", "", "t1", "t1::"]),
    numbers,
    st.sampled_from(["", "=", "==", "===", "!", " ", "\x00"]),
)


@untimed
@given(st.one_of(any_text, tricky_text, near_cursors))
@example("")
@example("=")
@example("dDE6")  # "t1:" and no number
@example(_b64("t1:" + "9" * 5000))
def test_any_text_is_a_cursor_or_a_422(text):
    try:
        last_id = cursors.decode(text)
    except Problem as error:
        assert error.status_code == 422
        assert error.extra_data["errors"] == [
            {"field": "cursor", "message": "Not a cursor this server issued (for this sort)."}
        ]
    else:
        assert type(last_id) is int and 0 <= last_id <= MAX_ID
        assert cursors.decode(cursors.encode(last_id)) == last_id


positions = st.integers(min_value=-(2**53), max_value=2**53)
counts = st.integers(min_value=0, max_value=2**31 - 1)  # revisions and renumberings
board_places = st.builds(cursors.BoardPlace, counts, counts, positions, ids)
instants = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(8999, 12, 31), timezones=st.just(UTC))
due_places = st.builds(cursors.DuePlace, instants, st.none() | instants, ids)
# Binary texts near real board and due cursors: each tag, each length around the real one.
near_binary = st.builds(
    lambda tag, body: base64.urlsafe_b64encode(bytes([tag]) + body).decode().rstrip("="),
    st.sampled_from([0xB2, 0xD2, 0xB1, ord("p"), ord("d"), 0]),
    st.binary(min_size=18, max_size=22),
)
LONGEST = cursors.BoardPlace(2**31 - 1, 2**31 - 1, -(2**53), MAX_ID)


@untimed
@given(board_places)
@example(LONGEST)
def test_a_board_order_cursor_gives_back_its_place(place):
    cursor = cursors.encode_board(place)
    assert cursor.isascii() and "=" not in cursor and len(cursor) <= 64
    assert cursors.decode_board(cursor) == place


@untimed
@given(due_places)
@example(cursors.DuePlace(datetime(8999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC), None, MAX_ID))
def test_a_due_order_cursor_gives_back_its_place(place):
    cursor = cursors.encode_due(place)
    assert cursor.isascii() and "=" not in cursor and len(cursor) <= 64
    assert cursors.decode_due(cursor) == place


@untimed
@given(st.one_of(any_text, tricky_text, near_cursors, near_binary, st.builds(cursors.encode, ids)))
@example(cursors.encode(5))  # a creation-order cursor is not a board-order one
@example(cursors.encode_due(cursors.DuePlace(datetime(2026, 1, 1, tzinfo=UTC), None, 5)))  # nor a due-order one
@example(cursors.encode_board(LONGEST)[:-1])
@example(cursors.encode_board(LONGEST) + "A")
@example(_b64("p1:1:1"))  # the board cursors of before walks had snapshots
def test_any_text_is_a_board_order_cursor_or_a_422(text):
    try:
        place = cursors.decode_board(text)
    except Problem as error:
        assert error.status_code == 422
        assert [e["field"] for e in error.extra_data["errors"]] == ["cursor"]
    else:
        assert cursors.decode_board(cursors.encode_board(place)) == place
        assert abs(place.position) <= 2**53 and 0 <= place.last_id <= MAX_ID


@untimed
@given(st.one_of(any_text, tricky_text, near_cursors, near_binary, st.builds(cursors.encode, ids)))
@example(cursors.encode_board(LONGEST))  # a board-order cursor is not a due-order one
@example(_b64("d1:-:1"))
@example(base64.urlsafe_b64encode(bytes([0xD2]) + bytes([0xFF] * 20)).decode())  # instants before 1970
def test_any_text_is_a_due_order_cursor_or_a_422(text):
    try:
        place = cursors.decode_due(text)
    except Problem as error:
        assert error.status_code == 422
        assert [e["field"] for e in error.extra_data["errors"]] == ["cursor"]
    else:
        assert cursors.decode_due(cursors.encode_due(place)) == place
        assert 0 <= place.last_id <= MAX_ID and place.snapshot.tzinfo is not None


def test_a_board_order_cursor_is_not_a_creation_order_one():
    with pytest.raises(Problem):
        cursors.decode(cursors.encode_board(cursors.BoardPlace(1, 0, 3, 5)))


ID_LISTS = [cursors.PREFIX, cursors.COMMENT_PREFIX, cursors.NOTIFICATION_PREFIX]  # tasks, comments, notifications


@untimed
@given(ids, st.sampled_from(ID_LISTS), st.sampled_from(ID_LISTS))
@example(5, cursors.COMMENT_PREFIX, cursors.PREFIX)
def test_each_lists_id_cursors_are_its_own(last_id, made_for, read_as):
    """An id cursor of one list (tasks, a task's comments, notifications) reads back in that list
    only: anywhere else it is a 422."""
    cursor = cursors.encode(last_id, made_for)
    assert cursor.isascii() and "=" not in cursor and len(cursor) <= 64
    if made_for == read_as:
        assert cursors.decode(cursor, read_as) == last_id
    else:
        with pytest.raises(Problem):
            cursors.decode(cursor, read_as)


@untimed
@given(st.one_of(any_text, tricky_text, near_cursors), st.sampled_from(ID_LISTS[1:]))
@example(_b64("c1:" + "9" * 11), cursors.COMMENT_PREFIX)
@example(_b64("n1:-1"), cursors.NOTIFICATION_PREFIX)
def test_any_text_is_a_comment_or_notification_cursor_or_a_422(text, prefix):
    try:
        last_id = cursors.decode(text, prefix)
    except Problem as error:
        assert error.status_code == 422
        assert [e["field"] for e in error.extra_data["errors"]] == ["cursor"]
    else:
        assert 0 <= last_id <= MAX_ID and cursors.decode(cursors.encode(last_id, prefix), prefix) == last_id
