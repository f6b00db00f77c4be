"""What the users routes take and give."""

from apiflask import Schema
from apiflask.fields import Boolean, Integer, Nested, String
from apiflask.validators import OneOf
from email_validator import EmailNotValidError, validate_email
from marshmallow import ValidationError, validates

from tasksync_common.fields import Text, Timestamp
from tasksync_common.mail_templates import LANGUAGES
from tasksync_common.usernames import USERNAME_RULE, is_valid_username


class UsernameField(Text):
    """Letters (any script), digits, '.', '_', '-'; 3 to 80 characters."""

    def __init__(self, **kwargs):
        super().__init__(min_length=3, max_length=80, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if not is_valid_username(text):
            raise ValidationError("Must be " + USERNAME_RULE)
        return text


def Password(**kwargs):
    return String(required=True, metadata={"minLength": 8, "maxLength": 128}, **kwargs)


class Credentials(Schema):
    username = UsernameField(required=True)
    password = Password()

    @validates("password")
    def _password_length(self, value, **_):
        check_password_length(value)


class LoginIn(Schema):
    # Any string may be tried; a malformed username simply does not exist (same 401).
    username = String(required=True, metadata={"maxLength": 200})
    password = String(required=True, metadata={"maxLength": 1000})


class PasswordChangeIn(Schema):
    current_password = String(required=True, metadata={"maxLength": 1000})
    new_password = Password()

    @validates("new_password")
    def _password_length(self, value, **_):
        check_password_length(value)


def check_password_length(value: str) -> None:
    if not 8 <= len(value) <= 128:
        raise ValidationError("Must be 8 to 128 characters.")


class EmailField(Text):
    """An e-mail address, checked by email-validator (its syntax only: no DNS lookup) and given
    back in its normal form (the domain in lower case)."""

    def __init__(self, **kwargs):
        super().__init__(max_length=254, metadata={"format": "email", "example": "olena@example.org"}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        try:
            return validate_email(text, check_deliverability=False).normalized
        except EmailNotValidError as error:
            raise ValidationError(str(error)) from None


def Language(**kwargs):
    metadata = {"enum": list(LANGUAGES), "description": "The language of the user's mails."}
    return String(validate=OneOf(LANGUAGES), metadata=metadata, **kwargs)


class UserOut(Schema):
    """A user as they see themselves (other people see only the id and username, as members)."""

    id = Integer(required=True)
    username = String(required=True)
    created_at = Timestamp(required=True)
    language = Language(required=True)
    email = String(required=True, allow_none=True, metadata={"format": "email"})
    email_verified = Boolean(required=True)


class UserPatchIn(Schema):
    language = Language()
    # null removes the address; a new one is unverified until its code is entered.
    email = EmailField(allow_none=True)


class EmailCodeIn(Schema):
    code = Text(required=True, max_length=64, metadata={"example": "K7QM9XA4"})


class TokenOut(Schema):
    access_token = String(required=True)
    token_type = String(required=True, metadata={"enum": ["Bearer"]})
    expires_in = Integer(required=True)
    user = Nested(UserOut, required=True)
