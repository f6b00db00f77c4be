"""Users and sign-in: /api/v1/auth/*, /api/v1/users/me."""

from apiflask import APIBlueprint, EmptySchema
from flask import request

from tasksync_common.auth import user_auth
from tasksync_common.mail_templates import LANGUAGES
from tasksync_common.problems import Problem

from ..access_tokens import service as access_tokens
from . import service
from .schemas import Credentials, EmailCodeIn, LoginIn, PasswordChangeIn, TokenOut, UserOut, UserPatchIn

bp = APIBlueprint("users", __name__, url_prefix="/api/v1", tag="Users")


def current_user():
    """The signed-in user; a token whose user is gone is no longer valid."""
    user = service.get(user_id=user_auth.current_user.user_id)
    if user is None:
        raise Problem(401)
    return user


@bp.post("/auth/register")
@bp.input(Credentials, arg_name="body")
@bp.output(UserOut, status_code=201, description="The account created")
@bp.doc(summary="Sign up", operation_id="registerUser", responses=[409, 422, 429])
def register(body):
    """Create an account; its mails are in the best language of the request's Accept-Language
    that TaskSync writes (English when none is)."""
    language = request.accept_languages.best_match(LANGUAGES) or "en"
    return service.create(username=body["username"], password=body["password"], language=language)


@bp.post("/auth/login")
@bp.input(LoginIn, arg_name="body")
@bp.output(TokenOut, description="A bearer token and its user")
@bp.doc(summary="Log in", operation_id="login", responses=[401, 422, 429])
def login(body):
    """Exchange a username and password for a bearer token."""
    user = service.authenticate(username=body["username"], password=body["password"])
    token, ttl = access_tokens.issue(user_id=user.id)
    return {"access_token": token, "token_type": "Bearer", "expires_in": ttl, "user": user}


@bp.post("/auth/logout")
@bp.auth_required(user_auth)
@bp.output(EmptySchema, status_code=204, description="Logged out: this token no longer works")
@bp.doc(summary="Log out", operation_id="logout")
def logout():
    """Revoke the token this request carries."""
    access_tokens.revoke(token_id=user_auth.current_user.claims.token_id)
    return ""


@bp.get("/users/me")
@bp.auth_required(user_auth)
@bp.output(UserOut, description="The signed-in user")
@bp.doc(summary="The signed-in user", operation_id="getCurrentUser")
def me():
    """Who the token belongs to."""
    return current_user()


@bp.patch("/users/me")
@bp.auth_required(user_auth)
@bp.input(UserPatchIn, arg_name="body")
@bp.output(UserOut, description="The signed-in user, changed")
@bp.doc(summary="Change language or e-mail address", operation_id="updateCurrentUser", responses=[422, 429])
def update_me(body):
    """Set the language of your mails and your e-mail address. A new address is unverified: it
    gets a mail with a code for `POST /api/v1/users/me/email/verify`; `null` removes it."""
    return service.update(
        user=current_user(),
        language=body.get("language", service.UNCHANGED),
        email=body.get("email", service.UNCHANGED),
    )


@bp.post("/users/me/email/verify")
@bp.auth_required(user_auth)
@bp.input(EmailCodeIn, arg_name="body")
@bp.output(EmptySchema, status_code=204, description="The address is verified: mail goes to it")
@bp.doc(summary="Verify e-mail address", operation_id="verifyEmail", responses=[422, 429])
def verify_email(body):
    """Enter the code the verification mail brought (any letter case; spaces are ignored)."""
    service.verify_email(user=current_user(), code=body["code"])
    return ""


@bp.put("/users/me/password")
@bp.auth_required(user_auth)
@bp.input(PasswordChangeIn, arg_name="body")
@bp.output(EmptySchema, status_code=204, description="Changed: tokens issued before no longer work")
@bp.doc(summary="Change password", operation_id="changePassword", responses=[403, 422])
def change_password(body):
    """Set a new password; every token issued before stops working."""
    service.change_password(
        user=current_user(), current_password=body["current_password"], new_password=body["new_password"]
    )
    return ""
