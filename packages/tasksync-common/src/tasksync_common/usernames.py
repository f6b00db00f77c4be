"""What a username is and when two are the same: the rooms service applies it at sign-up and
login, the tasks service when it finds `@username` mentions in a comment."""

from __future__ import annotations

import unicodedata

USERNAME_RULE = "3 to 80 characters: letters, digits, '.', '_' or '-'."


def is_username_char(char: str) -> bool:
    """A character a username may hold: a letter or digit of any script, '.', '_' or '-'."""
    return char.isalnum() or char in "._-"


def is_valid_username(text: str) -> bool:
    """True for a string that follows the sign-up rule for usernames."""
    return 3 <= len(text) <= 80 and all(is_username_char(c) for c in text) and text.isprintable()


def username_key(username: str) -> str:
    """The form usernames are compared in: Alice, ALICE and alice are one name. Unicode's
    compatibility caseless match (D146), so that any letter case of a name finds it."""
    folded = unicodedata.normalize("NFD", username).casefold()
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", folded).casefold())
    return unicodedata.normalize("NFC", folded)
