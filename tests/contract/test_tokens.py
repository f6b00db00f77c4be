"""docs/api.md, Authentication: a missing, malformed, expired or tampered token gets 401 + WWW-Authenticate: Bearer."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.conftest import Client, running_stack
from tests.contract.helpers import make_room, make_task, ok, problem, sign_up


def b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64json(segment: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def encode_segment(value: dict) -> str:
    return b64encode(json.dumps(value, separators=(",", ":")).encode())


@pytest.fixture(scope="module")
def world(stack):
    """A victim with a room and a task, and another user whose id a forger would like to become."""
    victim = sign_up(stack.url)
    other = sign_up(stack.url)
    room = make_room(victim)
    task = make_task(victim, room["id"])
    return victim, other, room, task


def routes(room, task):
    return [
        ("GET", "/api/v1/users/me"),
        ("GET", "/api/v1/rooms"),
        ("GET", f"/api/v1/rooms/{room['id']}"),
        ("GET", f"/api/v1/rooms/{room['id']}/tasks"),
        ("GET", f"/api/v1/rooms/{room['id']}/tasks/{task['id']}"),
        ("POST", "/api/v1/auth/logout"),
    ]


def _with_payload(token: str, **changes) -> str:
    header, payload, signature = token.split(".")
    claims = b64json(payload)
    claims.update(changes)
    return ".".join([header, encode_segment(claims), signature])


def _alg_none(token: str, alg: str = "none", keep_signature: bool = False) -> str:
    header, payload, signature = token.split(".")
    new_header = {**b64json(header), "alg": alg}
    return ".".join([encode_segment(new_header), payload, signature if keep_signature else ""])


def _flip_signature(token: str) -> str:
    header, payload, signature = token.split(".")
    middle = len(signature) // 2
    flipped = "A" if signature[middle] != "A" else "B"
    return ".".join([header, payload, signature[:middle] + flipped + signature[middle + 1 :]])


def _foreign_key(token: str) -> str:
    header, payload, _ = token.split(".")
    return jwt.encode(b64json(payload), Ed25519PrivateKey.generate(), algorithm="EdDSA", headers=b64json(header))


def _hs256_with_public_material(token: str) -> str:
    header, payload, _ = token.split(".")
    return jwt.encode(b64json(payload), "x" * 64, algorithm="HS256", headers={"kid": b64json(header).get("kid")})


TAMPERED = {
    "payload-sub-other-user": lambda token, other: _with_payload(token, sub=str(other.user["id"])),
    "payload-exp-extended": lambda token, other: _with_payload(token, exp=int(time.time()) + 10 * 365 * 86400),
    "payload-aud-changed": lambda token, other: _with_payload(token, aud="tasksync-internal"),
    "alg-none-empty-signature": lambda token, other: _alg_none(token),
    "alg-None-empty-signature": lambda token, other: _alg_none(token, "None"),
    "alg-none-kept-signature": lambda token, other: _alg_none(token, keep_signature=True),
    "alg-none-other-sub": lambda token, other: _alg_none(_with_payload(token, sub=str(other.user["id"]))),
    "alg-hs256": lambda token, other: _hs256_with_public_material(token),
    "signature-flipped": lambda token, other: _flip_signature(token),
    "signature-removed": lambda token, other: token.rsplit(".", 1)[0] + ".",
    "signature-by-foreign-key": lambda token, other: _foreign_key(token),
    "two-segments": lambda token, other: token.rsplit(".", 1)[0],
    "extra-segment": lambda token, other: token + ".AAAA",
    "trailing-garbage": lambda token, other: token + "x",
    "garbage": lambda token, other: "garbage",
    "garbage-three-segments": lambda token, other: "a.b.c",
    "json-not-jwt": lambda token, other: '{"sub":"1"}',
    "very-long": lambda token, other: "A" * 6000,
}


@pytest.mark.parametrize("kind", sorted(TAMPERED))
def test_tampered_token_gets_401(world, kind):
    victim, other, room, task = world
    forged = TAMPERED[kind](victim.token, other)
    assert forged != victim.token
    for method, path in routes(room, task):
        problem(victim.request(method, path, headers={"Authorization": f"Bearer {forged}"}), 401)
    ok(victim.get("/api/v1/users/me"))  # the genuine token still works: only the forgeries were refused


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param(None, id="no-header"),
        pytest.param("", id="empty-header"),
        pytest.param("Bearer", id="scheme-only"),
        pytest.param("Bearer ", id="scheme-and-space"),
        pytest.param("Basic dXNlcjpwYXNz", id="basic-scheme"),
        pytest.param("{token}", id="token-without-scheme"),
        pytest.param("Token {token}", id="other-scheme-with-token"),
        pytest.param("Bearer {token} {token}", id="two-tokens"),
    ],
)
def test_missing_or_malformed_authorization_gets_401(world, stack, authorization):
    victim, _, room, task = world
    client = Client(stack.url)
    headers = {} if authorization is None else {"Authorization": authorization.format(token=victim.token)}
    for method, path in routes(room, task):
        problem(client.request(method, path, headers=headers), 401)


# --- expiry: a separate stack whose tokens live TTL seconds ------------------------------------------

TTL = 4


@pytest.fixture(scope="module")
def ttl_stack(tmp_path_factory):
    with running_stack(tmp_path_factory, "sqlite", {"TASKSYNC_TOKEN_TTL": str(TTL)}) as started:
        yield started


def test_expired_token_gets_401(ttl_stack):
    client = Client(ttl_stack.url)
    username = f"expiring_{time.time_ns()}"
    ok(client.post("/api/v1/auth/register", json={"username": username, "password": "correct horse battery"}), 201)
    body = ok(client.post("/api/v1/auth/login", json={"username": username, "password": "correct horse battery"}))
    assert 0 < body["expires_in"] <= TTL
    client.token = body["access_token"]
    room = make_room(client)  # still valid: the token works while it lives
    expires_at = b64json(client.token.split(".")[1])["exp"]
    time.sleep(max(0.0, expires_at - time.time()) + 1.5)
    for path in ("/api/v1/users/me", "/api/v1/rooms", f"/api/v1/rooms/{room['id']}/tasks"):
        problem(client.get(path), 401)
    problem(client.post(f"/api/v1/rooms/{room['id']}/tasks", json={"title": "late"}), 401)
