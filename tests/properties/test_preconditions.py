"""If-Match and If-None-Match lists (RFC 9110, 13.1.1 and 13.1.2), parsed as the grammar says."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from tasksync_common.preconditions import entity_tags, if_match_versions, none_match
from tests.properties.strategies import untimed

# etagc: %x21 / %x23-7E / obs-text (header values arrive decoded as Latin-1)
etagc = st.one_of(
    st.sampled_from("!"),
    st.characters(min_codepoint=0x23, max_codepoint=0x7E),
    st.characters(min_codepoint=0x80, max_codepoint=0xFF),
)
opaque = st.one_of(st.integers(1, 30).map(str), st.text(etagc, max_size=8))
tags = st.lists(st.tuples(st.booleans(), opaque), max_size=6)
ows = st.text(st.sampled_from(" \t"), max_size=2)


def render(tag: tuple[bool, str]) -> str:
    weak, text = tag
    return ('W/"%s"' if weak else '"%s"') % text


@st.composite
def written(draw, tag_list):
    """``tag_list`` as a client may write it: any white space around commas, and empty elements."""
    pieces = []
    for tag in tag_list:
        pieces += [draw(ows)] * draw(st.integers(0, 1))  # an empty element now and then
        pieces.append(draw(ows) + render(tag) + draw(ows))
    return ",".join(pieces)


@untimed
@given(st.data(), tags)
def test_a_written_list_reads_back_as_its_tags(data, tag_list):
    assert entity_tags(data.draw(written(tag_list))) == tag_list


@untimed
@given(st.data(), tags)
def test_if_match_accepts_exactly_the_strong_versions(data, tag_list):
    value = data.draw(written(tag_list))
    accepted = if_match_versions([value])
    assert accepted == {int(text) for weak, text in tag_list if not weak and text.isdigit() and len(text) <= 10}
    for weak, text in tag_list:
        if weak and text.isdigit() and (False, text) not in tag_list:
            assert int(text) not in accepted  # a weak tag never matches


@untimed
@given(st.data(), tags, st.tuples(st.booleans(), opaque))
def test_if_none_match_names_the_current_tag_weakly(data, tag_list, current):
    value = data.draw(written(tag_list))
    expected = any(text == current[1] for _, text in tag_list)
    assert none_match([value], render(current)) is expected


@untimed
@given(st.text(st.characters(max_codepoint=0xFF)))
@example('"1" "2"')
@example('*, "1"')
def test_any_text_is_a_list_or_nothing_never_an_error(value):
    parsed = entity_tags(value)
    assert parsed is None or all(isinstance(weak, bool) and isinstance(text, str) for weak, text in parsed)
    assert if_match_versions([value]) is None or isinstance(if_match_versions([value]), frozenset)


def test_star_and_absence():
    assert if_match_versions([]) is None and if_match_versions(["*"]) is None
    assert if_match_versions(['*, "1"']) == frozenset()  # not the grammar: matches nothing
    assert none_match(["*"], '"r1-x"') and not none_match([], '"r1-x"')
    assert if_match_versions(['"1"', 'W/"2", "3"']) == {1, 3}  # several lines are one list
