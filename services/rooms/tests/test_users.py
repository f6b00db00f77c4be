"""Sign-up, login, logout and password change, through the rooms service's own routes."""

import pytest

from tasksync_rooms.users.models import User

from .conftest import headers


def test_register_returns_user_without_password(client, db):
    response = client.post("/api/v1/auth/register", json={"username": "Олена_1", "password": "пароль-надійний"})
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"id", "username", "created_at", "language", "email", "email_verified"}
    assert body["username"] == "Олена_1"
    assert body["created_at"].endswith("Z")


def test_password_hash_is_argon2id_and_fits_column(client, db):
    client.post("/api/v1/auth/register", json={"username": "hasher", "password": "x" * 128})
    stored = db.session.query(User).filter_by(username="hasher").one()
    assert stored.password_hash.startswith("$argon2id$")
    assert len(stored.password_hash) <= 120


@pytest.mark.parametrize("taken", ["alice", "ALICE", "Alice"])
def test_usernames_are_unique_in_any_case(client, auth, taken):
    auth.sign_up("Alice")
    response = client.post("/api/v1/auth/register", json={"username": taken, "password": "another password"})
    assert response.status_code == 409
    assert response.content_type == "application/problem+json"


@pytest.mark.parametrize("username", ["ab", "x" * 81, "has space", "semi;colon", "tab\tname", "", "emoji😀x"])
def test_bad_usernames_are_named(client, db, username):
    response = client.post("/api/v1/auth/register", json={"username": username, "password": "long enough"})
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["username"]


@pytest.mark.parametrize("password", ["short", "y" * 129])
def test_bad_passwords_are_named(client, db, password):
    response = client.post("/api/v1/auth/register", json={"username": "validname", "password": password})
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["password"]


def test_login_in_any_case(auth):
    auth.sign_up("CaseyJones")
    assert auth.log_in("caseyjones")["user_id"] == auth.log_in("CASEYJONES")["user_id"]


def test_wrong_password_and_unknown_user_look_the_same(client, auth):
    auth.sign_up("realuser")
    wrong = client.post("/api/v1/auth/login", json={"username": "realuser", "password": "not the password"})
    unknown = client.post("/api/v1/auth/login", json={"username": "nosuchuser", "password": "not the password"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json()


def test_logout_revokes_only_that_token(client, auth):
    first = auth.sign_up("twotokens")
    second = auth.log_in("twotokens")
    assert client.post("/api/v1/auth/logout", headers=headers(first)).status_code == 204
    assert client.get("/api/v1/users/me", headers=headers(first)).status_code == 401
    assert client.get("/api/v1/users/me", headers=headers(second)).status_code == 200


def test_password_change_revokes_every_earlier_token(client, auth):
    first = auth.sign_up("changer")
    second = auth.log_in("changer")
    wrong = client.put(
        "/api/v1/users/me/password",
        json={"current_password": "wrong password", "new_password": "brand new secret"},
        headers=headers(first),
    )
    assert wrong.status_code == 403
    changed = client.put(
        "/api/v1/users/me/password",
        json={"current_password": "correct horse battery", "new_password": "brand new secret"},
        headers=headers(first),
    )
    assert changed.status_code == 204
    for person in (first, second):
        assert client.get("/api/v1/users/me", headers=headers(person)).status_code == 401
    assert auth.log_in("changer", "brand new secret")


def test_me_needs_a_token(client, db):
    response = client.get("/api/v1/users/me")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("secret", [None, "short", "change-me-change-me-change-me-change-me", "a" * 40])
def test_production_refuses_missing_or_weak_secret(tmp_path, secret):
    from tasksync_common import config
    from tasksync_rooms.access_tokens.signer import create_signer

    env = {"TASKSYNC_ENV": "production", "TASKSYNC_DATA_DIR": str(tmp_path)}
    if secret:
        env["TASKSYNC_SECRET_KEY"] = secret
    with pytest.raises(SystemExit, match="TASKSYNC_SECRET_KEY"):
        create_signer(config.load(env))


def test_production_accepts_strong_secret_and_embedded_generates_one(tmp_path):
    from tasksync_common import config
    from tasksync_rooms.access_tokens.signer import create_signer

    strong = {"TASKSYNC_ENV": "production", "TASKSYNC_SECRET_KEY": "Zq8v" + "k3Jx9pLm2Rt7Wn5Yb4Hc6Fd1Gs0Ae" * 2}
    assert create_signer(config.load({**strong, "TASKSYNC_DATA_DIR": str(tmp_path)})).kid
    embedded = config.load({"TASKSYNC_DATA_DIR": str(tmp_path)})
    assert create_signer(embedded).kid == create_signer(embedded).kid  # generated once, then reused
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_login_upgrades_a_hash_made_with_other_parameters(client, auth, db):
    from argon2 import PasswordHasher

    auth.sign_up("oldhash")
    user = db.session.query(User).filter_by(username="oldhash").one()
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("correct horse battery")
    db.session.commit()
    auth.log_in("oldhash")
    db.session.refresh(user)
    assert "m=19456,t=2,p=1" in user.password_hash
