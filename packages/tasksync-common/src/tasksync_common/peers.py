"""The peer services an app calls (a client and a liveness probe for each, reached through typed
accessors), and what the gateway and the tasks service learn from the rooms service: keys and
token state."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from flask import Flask, current_app

from .config import Settings
from .problems import Problem
from .service_client import ServiceClient
from .signing import Claims, public_keys_from_jwks

REFRESH_INTERVAL = 1  # at most one key fetch a second for unknown key ids (a rotation shows up at once)
MAX_AGE = 300  # and a fresh fetch every 5 minutes, so that a retired key stops being trusted


class RemoteKeys:
    """Public keys fetched from the rooms service's JWKS, refreshed when an unknown key id shows up."""

    def __init__(self, rooms: ServiceClient):
        self._rooms = rooms
        self._keys: dict[str, Ed25519PublicKey] = {}
        self._fetched_at = float("-inf")
        self._tried_at = float("-inf")
        self._failed = False
        self._lock = threading.Lock()

    def __call__(self, kid: str) -> Ed25519PublicKey | None:
        key = self._keys.get(kid)
        if key is not None and time.monotonic() - self._fetched_at <= MAX_AGE:
            return key
        with self._lock:  # a thread that needs keys waits for the fetch under way, if any
            outdated = kid not in self._keys or time.monotonic() - self._fetched_at > MAX_AGE
            if outdated and time.monotonic() - self._tried_at > REFRESH_INTERVAL:
                try:
                    self._refresh()
                    self._failed = False
                except Problem:
                    self._failed = True
                finally:
                    self._tried_at = time.monotonic()
            if kid not in self._keys and self._failed:
                # Not knowing the keys is our failure, not the caller's: 503, never 401.
                raise Problem(
                    503, "Tokens cannot be checked right now; try again shortly.", headers={"Retry-After": "2"}
                )
            return self._keys.get(kid)

    def _refresh(self) -> None:
        response = self._rooms.request("GET", "/internal/v1/jwks")
        if response.status != 200:
            raise Problem(503, "The rooms service could not give its signing keys.", headers={"Retry-After": "2"})
        self._keys = public_keys_from_jwks(response.json())
        self._fetched_at = time.monotonic()


def remote_token_state(rooms: ServiceClient) -> Callable[[str, Claims], bool]:
    """A ``token_state`` callable that asks the rooms service whether a token is still active."""

    def token_state(token: str, _claims: Claims) -> bool:
        response = rooms.request("GET", "/internal/v1/tokens/current", headers={"Authorization": f"Bearer {token}"})
        if response.status in (200, 204):
            return True
        if response.status == 401:
            return False
        raise Problem(503, "The rooms service could not check the token.", headers={"Retry-After": "2"})

    return token_state


class Liveness:
    """Whether a peer is up, probed at most once per ``interval`` seconds.

    Cached answers from a peer are only trusted while it is up: when the rooms service is down,
    membership checks fail closed even where the shared cache still holds an answer."""

    def __init__(self, peer: ServiceClient, interval: float = 1.0):
        self._peer = peer
        self._interval = interval
        self._checked_at = float("-inf")
        self._alive = True
        self._lock = threading.Lock()

    def require(self) -> None:
        """Raise a 503 Problem unless the peer answered its latest probe."""
        if time.monotonic() - self._checked_at > self._interval and self._lock.acquire(blocking=False):
            try:  # one thread probes; the others go on with the latest answer
                self._alive = self._probe()
                self._checked_at = time.monotonic()
            finally:
                self._lock.release()
        if not self._alive:
            raise Problem(
                503, f"The {self._peer.name} service is unavailable; try again shortly.", headers={"Retry-After": "2"}
            )

    def _probe(self) -> bool:
        try:
            return self._peer.request("GET", "/healthz", timeout=2).status == 200
        except Problem as problem:
            return problem.status_code != 503  # slow (504) is busy, not gone: only unreachable is down


EXTENSION = "tasksync_peers"


@dataclass(frozen=True)
class Peer:
    """How an app reaches one peer service, and whether that peer is up."""

    client: ServiceClient
    liveness: Liveness


def init_app(app: Flask, settings: Settings, *names: str) -> dict[str, ServiceClient]:
    """Give ``app`` a client and a liveness probe for each named peer ('rooms', 'tasks'); the clients."""
    urls = {"rooms": settings.rooms_url, "tasks": settings.tasks_url}
    peers = {}
    for name in names:
        client = ServiceClient(name, urls[name], settings.service_timeout)
        peers[name] = Peer(client, Liveness(client))
    app.extensions[EXTENSION] = peers
    return {name: peer.client for name, peer in peers.items()}


def _peer(name: str) -> Peer:
    return current_app.extensions[EXTENSION][name]


def clients() -> dict[str, ServiceClient]:
    """Every peer's client, by name."""
    return {name: peer.client for name, peer in current_app.extensions[EXTENSION].items()}


def client(name: str) -> ServiceClient:
    """The client of the peer called ``name``."""
    return _peer(name).client


def rooms_client() -> ServiceClient:
    """The client of the rooms service."""
    return client("rooms")


def tasks_client() -> ServiceClient:
    """The client of the tasks service."""
    return client("tasks")


def rooms_liveness() -> Liveness:
    """Whether the rooms service is up (membership answers are trusted only while it is)."""
    return _peer("rooms").liveness


def tasks_liveness() -> Liveness:
    """Whether the tasks service is up (revisions and pages are trusted only while it is)."""
    return _peer("tasks").liveness
