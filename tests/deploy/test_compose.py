"""docker-compose.yml: valid Compose, one published port (the proxy's), health-ordered start,
nothing on disk."""

from __future__ import annotations

import re
import subprocess

import pytest

SERVICES = ("gateway", "rooms", "tasks")
BACKING = ("postgres", "redis")
PROXY = "proxy"


def test_file_follows_the_compose_specification(tool):
    result = tool("check-jsonschema", "--builtin-schema", "vendor.compose-spec", "docker-compose.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_exactly_the_expected_services(compose):
    assert set(compose["services"]) == {*SERVICES, *BACKING, PROXY}


def test_only_the_proxy_publishes_a_port(compose):
    publishing = {name for name, service in compose["services"].items() if service.get("ports")}
    assert publishing == {PROXY}
    assert compose["services"][PROXY]["ports"] == ["${TASKSYNC_PUBLISH_PORT:-8000}:8080"]


def test_proxy_is_the_official_nginx_at_an_exact_version(compose):
    assert re.fullmatch(r"nginx:\d+\.\d+\.\d+(-alpine)?", compose["services"][PROXY]["image"])


def test_proxy_runs_the_repository_config_and_serves_the_web_client(compose, root):
    proxy = compose["services"][PROXY]
    mounts = dict(volume.rsplit(":", 1)[0].split(":", 1) for volume in proxy["volumes"])
    assert all(volume.endswith(":ro") for volume in proxy["volumes"])
    assert mounts["./deploy/nginx/nginx.conf"] == "/etc/nginx/nginx.conf"
    assert mounts["./deploy/nginx/tasksync-static.conf"] == "/etc/nginx/tasksync-static.conf"
    web = mounts["./services/gateway/src/tasksync_gateway/web"]
    assert (root / "services/gateway/src/tasksync_gateway/web/index.html").is_file()
    config = (root / "deploy/nginx/nginx.conf").read_text()
    assert f"root {web};" in config and f"alias {web}/;" in config
    assert "server gateway:8000;" in config and "listen 8080" in config
    assert proxy["read_only"] is True and proxy["tmpfs"] == ["/tmp"]
    assert proxy["depends_on"] == {"gateway": {"condition": "service_healthy"}}


def test_gateway_trusts_the_one_proxy_in_front(compose):
    assert compose["services"]["gateway"]["environment"]["TASKSYNC_TRUSTED_PROXIES"] == "${TASKSYNC_TRUSTED_PROXIES:-1}"


def test_no_service_names_its_container(compose):
    # A fixed container name would make `--scale` fail.
    assert [name for name, service in compose["services"].items() if "container_name" in service] == []


@pytest.mark.parametrize("name", (*SERVICES, *BACKING, PROXY))
def test_every_service_has_a_healthcheck(compose, name):
    healthcheck = compose["services"][name].get("healthcheck")
    assert healthcheck and healthcheck["test"][0] in ("CMD", "CMD-SHELL")
    assert not healthcheck.get("disable")


@pytest.mark.parametrize("name", SERVICES)
def test_services_wait_for_healthy_dependencies(compose, name):
    depends_on = compose["services"][name].get("depends_on")
    assert isinstance(depends_on, dict) and depends_on, "long syntax with conditions expected"
    for dependency, condition in depends_on.items():
        assert condition == {"condition": "service_healthy"}, dependency
        assert "healthcheck" in compose["services"][dependency]
    assert "redis" in depends_on
    if name != "gateway":
        assert "postgres" in depends_on


def test_gateway_waits_for_the_services_behind_it(compose):
    assert {"rooms", "tasks"} <= set(compose["services"]["gateway"]["depends_on"])


@pytest.mark.parametrize("name", SERVICES)
def test_services_keep_nothing_on_their_disk(compose, name):
    service = compose["services"][name]
    assert "volumes" not in service
    assert service.get("read_only") is True
    assert service.get("tmpfs") == ["/tmp"]


@pytest.mark.parametrize("name", SERVICES)
def test_services_build_from_the_shared_dockerfile(compose, root, name):
    build = compose["services"][name]["build"]
    assert build["context"] == "."
    assert (root / build["dockerfile"]).is_file()
    assert build["args"] == {"SERVICE": name}


def test_only_the_proxy_is_on_the_public_network(compose):
    assert compose["networks"]["internal"]["internal"] is True
    assert not (compose["networks"]["public"] or {}).get("internal")
    for name, service in compose["services"].items():
        expected = ["internal", "public"] if name == PROXY else ["internal"]
        assert service["networks"] == expected, name


@pytest.mark.parametrize("image", ["postgres", "redis"])
def test_backing_images_are_official_and_pinned(compose, image):
    reference = compose["services"][image]["image"]
    assert re.fullmatch(rf"{image}:\d+(\.\d+)*(-alpine)?", reference), reference


def test_postgres_keeps_its_data_in_a_named_volume_and_creates_the_databases(compose, root):
    volumes = compose["services"]["postgres"]["volumes"]
    assert "postgres-data:/var/lib/postgresql/data" in volumes
    assert "postgres-data" in compose["volumes"]
    init = [v for v in volumes if ":/docker-entrypoint-initdb.d/" in v]
    assert len(init) == 1
    script = root / init[0].split(":")[0]
    assert script.is_file()
    text = script.read_text()
    for url_name in ("ROOMS_DATABASE_URL", "TASKS_DATABASE_URL"):
        service = "rooms" if url_name.startswith("ROOMS") else "tasks"
        url = compose["services"][service]["environment"][url_name]
        pattern = r"postgresql://(\w+):\$\{POSTGRES_PASSWORD:\?[^}]+\}@postgres:5432/(\w+)"
        role, database = re.fullmatch(pattern, url).groups()
        assert role == database and database in text, url


def test_postgres_init_script_is_valid_shell(compose, root):
    script = root / "deploy" / "postgres" / "init-databases.sh"
    assert subprocess.run(["sh", "-n", str(script)], check=False).returncode == 0


@pytest.mark.parametrize("name", SERVICES)
def test_services_run_in_production_on_port_8000(compose, name):
    environment = compose["services"][name]["environment"]
    assert environment["TASKSYNC_ENV"] == "production"
    assert environment["TASKSYNC_HOST"] == environment["TASKSYNC_SERVICE_HOST"] == "0.0.0.0"
    assert environment["TASKSYNC_PORT"] == environment["ROOMS_PORT"] == environment["TASKS_PORT"] == "8000"
    assert environment["ROOMS_URL"] == "http://rooms:8000"
    assert environment["TASKS_URL"] == "http://tasks:8000"
    assert environment["REDIS_URL"] == "redis://redis:6379/0"


def test_secrets_come_from_the_environment_and_are_required(compose, root):
    text = (root / "docker-compose.yml").read_text()
    assert "${TASKSYNC_SECRET_KEY:?" in text
    assert "${POSTGRES_PASSWORD:?" in text
    holders = {
        name
        for name, service in compose["services"].items()
        if "TASKSYNC_SECRET_KEY" in (service.get("environment") or {})
    }
    assert holders == {"rooms"}  # the only service that signs tokens
    for name, service in compose["services"].items():
        for key, value in (service.get("environment") or {}).items():
            if "SECRET" in key or "PASSWORD" in key or "DATABASE_URL" in key:
                assert "${" in str(value), f"{name}.{key} is written into the file"


def _env_example_names(root) -> list[str]:
    names = []
    for line in (root / ".env.example").read_text().splitlines():
        match = re.match(r"^#?\s*([A-Z][A-Z0-9_]*)=", line)
        if match:
            names.append(match.group(1))
    return names


def test_every_setting_of_env_example_is_set_or_documented(compose, root):
    names = _env_example_names(root)
    assert "TASKSYNC_SECRET_KEY" in names  # the parser sees commented-out settings too
    set_somewhere = set()
    for service in compose["services"].values():
        set_somewhere |= set(service.get("environment") or {})
    comments = "\n".join(
        line for line in (root / "docker-compose.yml").read_text().splitlines() if line.lstrip().startswith("#")
    )
    missing = [name for name in names if name not in set_somewhere and name not in comments]
    assert missing == []
