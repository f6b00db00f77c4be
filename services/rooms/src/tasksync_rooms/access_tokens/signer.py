"""The rooms service's signing key: from TASKSYNC_SECRET_KEY, or generated once into the data folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from flask import Flask, current_app

from tasksync_common.config import Settings
from tasksync_common.signing import Signer, new_secret


def _load_or_create_secret(data_dir: Path) -> str:
    """Read the generated secret; create it first if this is the first start (race-safe)."""
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=data_dir, prefix=".secret_key.")  # created 0600
        temporary = Path(name)
        with os.fdopen(handle, "w") as file:
            file.write(new_secret())
        try:
            os.link(temporary, path)  # atomic: of several workers starting at once, one wins
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return path.read_text().strip()


MIN_SECRET_LENGTH = 32
EXTENSION = "tasksync_signer"


def _check_production_secret(secret: str | None) -> None:
    """In production the secret must be given, and strong: a guessable one lets anyone mint tokens."""
    if not secret:
        raise SystemExit("TASKSYNC_ENV=production needs TASKSYNC_SECRET_KEY (at least 32 random characters).")
    if len(secret) < MIN_SECRET_LENGTH or len(set(secret)) < 10 or "change" in secret.lower():
        raise SystemExit(
            "TASKSYNC_SECRET_KEY is too weak for production: use at least 32 random characters, "
            "for example from `python -c 'import secrets; print(secrets.token_urlsafe(48))'`."
        )


def init_app(app: Flask, settings: Settings) -> Signer:
    """Give ``app`` the signer of its configuration (see ``signer``)."""
    app.extensions[EXTENSION] = create_signer(settings)
    return app.extensions[EXTENSION]


def signer() -> Signer:
    """The current app's signer."""
    return current_app.extensions[EXTENSION]


def create_signer(settings: Settings) -> Signer:
    """The signer for this process's configuration."""
    if settings.production:
        _check_production_secret(settings.secret_key)
    secret = settings.secret_key or _load_or_create_secret(settings.data_dir)
    return Signer(secret, settings.previous_secret_keys)
