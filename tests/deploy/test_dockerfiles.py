"""The image build: hadolint-clean Dockerfiles, a non-root final stage built only from wheels."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_DIRECTORIES = {".git", ".venv", "node_modules", "var"}


def _dockerfiles() -> list[Path]:
    found = []
    for directory, subdirectories, files in os.walk(ROOT):
        subdirectories[:] = [d for d in subdirectories if d not in SKIPPED_DIRECTORIES]
        found += [Path(directory) / f for f in files if f == "Dockerfile" or f.endswith(".Dockerfile")]
    return sorted(found)


DOCKERFILES = _dockerfiles()
SHARED = ROOT / "deploy" / "docker" / "Dockerfile"


def _instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    logical, pending = [], ""
    for line in path.read_text().splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""
    return [(text.split(None, 1)[0].upper(), text.split(None, 1)[1].strip()) for text in logical]


def _final_stage(path: Path) -> list[tuple[str, str]]:
    instructions = _instructions(path)
    last_from = max(i for i, (name, _) in enumerate(instructions) if name == "FROM")
    return instructions[last_from:]


def test_the_shared_dockerfile_is_found():
    assert SHARED in DOCKERFILES


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_hadolint_has_nothing_to_say(tool, dockerfile):
    result = tool("hadolint", "--no-color", "--failure-threshold", "warning", str(dockerfile))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_final_stage_runs_as_a_fixed_non_root_user(dockerfile):
    users = [arguments for name, arguments in _final_stage(dockerfile) if name == "USER"]
    assert users, "the final stage sets no USER"
    user = users[-1].split(":")[0]
    assert user.isdigit() and int(user) != 0, "a numeric, non-zero UID (Kubernetes runAsNonRoot checks it)"


def test_final_stage_installs_only_the_builders_wheels():
    final = _final_stage(SHARED)
    installs = [arguments for name, arguments in final if name == "RUN" and "pip install" in arguments]
    assert installs and all("--no-index" in run and "--find-links=/wheels" in run for run in installs)
    assert ("COPY", "--from=builder /wheels /wheels") in final
    assert not any(name == "RUN" and re.search(r"\bapt(-get)?\b", arguments) for name, arguments in final)


def test_builder_makes_wheels_of_the_pins_and_the_local_packages():
    runs = [arguments for name, arguments in _instructions(SHARED) if name == "RUN"]
    assert any("pip wheel" in run and '-r "services/${SERVICE}/requirements.txt"' in run for run in runs)
    assert any(
        "pip wheel" in run
        and "--no-deps" in run
        and "packages/tasksync-common" in run
        and '"services/${SERVICE}"' in run
        for run in runs
    )


def test_final_stage_starts_boot_sh_with_a_health_check_on_port_8000():
    final = dict(_final_stage(SHARED))
    assert json.loads(final["ENTRYPOINT"]) == ["/app/boot.sh"]
    assert final["EXPOSE"] == "8000"
    assert "http://127.0.0.1:8000/healthz" in final["HEALTHCHECK"]
    assert "PYTHONUNBUFFERED=1" in final["ENV"] and "PYTHONDONTWRITEBYTECODE=1" in final["ENV"]


def test_base_image_is_a_pinned_python_311_slim():
    match = re.search(r"^ARG PYTHON_IMAGE=(\S+)$", SHARED.read_text(), re.MULTILINE)
    assert match and re.fullmatch(r"python:3\.11\.\d+-slim-\w+", match.group(1))
    froms = [arguments for name, arguments in _instructions(SHARED) if name == "FROM"]
    assert froms == ["${PYTHON_IMAGE} AS builder", "${PYTHON_IMAGE}"]


@pytest.mark.parametrize("service", ["gateway", "rooms", "tasks"])
def test_boot_script_execs_the_service(service):
    boot = ROOT / "services" / service / "boot.sh"
    assert os.access(boot, os.X_OK), "COPY keeps the mode: boot.sh must be executable in git"
    lines = boot.read_text().splitlines()
    assert lines[0] == "#!/bin/sh"
    assert lines[-1] == f"exec python -m tasksync_common.serve {service}"


def test_dockerignore_sends_only_the_sources():
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert patterns[0] == "*"  # everything out: .git, .venv, var, bench/results, docs/screenshots, .env, ...
    assert {p for p in patterns if p.startswith("!")} == {"!packages/", "!services/"}
    assert {"**/tests/", "**/__pycache__/", "**/*.egg-info/", "**/var/", "**/.env"} <= set(patterns)
