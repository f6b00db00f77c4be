"""Real tokens for the seeded users: POST /api/v1/auth/login, as any client gets them.

Kept in the data folder with the data set's id: the next run checks them (GET /users/me) and
logs in again only the users whose token no longer works, instead of 100 argon2 logins.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from .dataset import PASSWORD, Spec

MIN_LIFETIME = 3600  # a saved token must stay valid this much longer to be reused


def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # loopback only: never a proxy from the environment
    return session


def _log_in(base_url: str, username: str) -> dict:
    response = _session().post(
        f"{base_url}/api/v1/auth/login", json={"username": username, "password": PASSWORD}, timeout=60
    )
    if response.status_code != 200:
        raise RuntimeError(f"login of {username} failed: {response.status_code} {response.text[:200]}")
    body = response.json()
    return {"token": body["access_token"], "expires_at": time.time() + body["expires_in"]}


def _works(base_url: str, token: str) -> bool:
    response = _session().get(f"{base_url}/api/v1/users/me", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    return response.status_code == 200


def tokens(base_url: str, spec: Spec, dataset_id: str, saved: Path | None) -> tuple[dict[int, str], int]:
    """{user id: token} for every seeded user, and how many logins that took."""
    kept: dict[str, dict] = {}
    if saved and saved.exists():
        stored = json.loads(saved.read_text())
        if stored.get("dataset_id") == dataset_id:
            kept = stored["users"]
    deadline = time.time() + MIN_LIFETIME
    candidates = {int(k): v for k, v in kept.items() if v["expires_at"] > deadline}
    user_ids = spec.all_user_ids
    # Two cores: argon2 (~50 ms a login) keeps both busy with a few logins at once.
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = pool.map(lambda t: _works(base_url, t["token"]), candidates.values())
        valid = dict(zip(candidates, answers, strict=True))
        missing = [u for u in user_ids if not valid.get(u)]
        fresh = dict(zip(missing, pool.map(lambda u: _log_in(base_url, spec.username(u)), missing), strict=True))
    entries = {u: candidates[u] for u in user_ids if valid.get(u)} | fresh
    if saved:
        saved.parent.mkdir(parents=True, exist_ok=True)
        saved.write_text(json.dumps({"dataset_id": dataset_id, "users": {str(u): e for u, e in entries.items()}}))
        saved.chmod(0o600)
    return {u: e["token"] for u, e in entries.items()}, len(missing)
