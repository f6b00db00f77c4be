"""Fixtures for the deployment files: the repository's root, the parsed compose file and
Kubernetes manifests, and the linters installed next to the running Python."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
KUBERNETES = ROOT / "deploy" / "kubernetes"


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository's root."""
    return ROOT


@pytest.fixture(scope="session")
def compose() -> dict:
    """docker-compose.yml, parsed (YAML merge keys resolved)."""
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="session")
def manifests() -> list[dict]:
    """Every Kubernetes object under deploy/kubernetes, each with its file in ``_file``."""
    objects = []
    for path in sorted(KUBERNETES.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for document in yaml.safe_load_all(path.read_text()):
            if document:
                objects.append({**document, "_file": path.name})
    return objects


@pytest.fixture(scope="session")
def tool():
    """Run a command-line tool installed in this virtual environment (never a download)."""

    def run(name: str, *args: str) -> subprocess.CompletedProcess:
        executable = Path(sys.executable).parent / name
        if not executable.exists():
            pytest.fail(f"{name} is not installed in {executable.parent} (see requirements-dev.txt)")
        return subprocess.run(
            [str(executable), *args], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
        )

    return run
