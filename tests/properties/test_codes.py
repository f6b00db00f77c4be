"""Join codes (rooms.codes): 9 characters of A-Z and 0-9; accepted in any letter case."""

from __future__ import annotations

import collections
import re
import string

from hypothesis import example, given
from hypothesis import strategies as st

from tasksync_rooms.rooms import codes
from tests.properties.strategies import tricky_text, untimed

CODE = re.compile(r"^[A-Z0-9]{9}$")
code_chars = st.sampled_from(string.ascii_uppercase + string.digits)
well_formed = st.text(code_chars, min_size=9, max_size=9)


def test_new_codes_are_nine_characters_of_the_alphabet_drawn_evenly():
    drawn = [codes.new_code() for _ in range(3000)]
    assert all(CODE.match(code) for code in drawn), [c for c in drawn if not CODE.match(c)][:5]
    assert len(set(drawn)) == len(drawn)  # 36^9 codes: a repeat in 3000 would be a broken source
    counts = collections.Counter("".join(drawn))
    assert set(counts) == set(codes.ALPHABET)
    # 27,000 characters, 750 expected of each; a fair source is never this far off (> 9 sd)
    assert min(counts.values()) > 500 and max(counts.values()) < 1000, counts


@untimed
@given(tricky_text)
def test_normalize_is_idempotent(text):
    once = codes.normalize(text)
    assert codes.normalize(once) == once


@untimed
@given(well_formed, st.lists(st.booleans(), min_size=9, max_size=9), st.sampled_from(["", " ", "\t", " \n"]))
def test_any_letter_case_and_surrounding_space_give_the_code(code, lower, space):
    variant = "".join(c.lower() if flip else c for c, flip in zip(code, lower, strict=True))
    assert codes.normalize(space + variant + space) == code
    assert codes.is_well_formed(codes.normalize(variant))


@untimed
@given(tricky_text)
def test_normalize_is_blind_to_letter_case(text):
    assert codes.normalize(text.lower()) == codes.normalize(text.upper()) or not text.isascii()
    assert codes.normalize(text.swapcase()) == codes.normalize(text) or not text.isascii()


@untimed
@given(st.one_of(tricky_text, st.builds(lambda c, x: c[:8] + x, well_formed, tricky_text)))
@example("K7Q2M9XAß")  # 9 characters, but "ß" upper-cases to "SS": 10
@example("K7Q2M9Xß")  # 8 characters that upper-case to 9
@example("ıbcdefghſ")  # dotless i and long s upper-case to I and S
def test_only_a_code_in_some_letter_case_passes_for_one(text):
    """What passes for a code is an ASCII code in some letter case, with white space around it: not
    8 characters that grow to 9 when upper-cased ("ß" to "SS"), nor "ı" or "ſ" standing for "I" or "S"."""
    code = codes.normalize(text)
    if codes.is_well_formed(code):
        assert CODE.match(code)
        assert text.strip().upper() == code and text.strip().isascii() and len(text.strip()) == 9, text
