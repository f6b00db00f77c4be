"""deploy/kubernetes: schema-valid objects, probes and limits, migrations in Jobs only."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
import yaml

from tasksync_common import serve

KUBERNETES = Path(__file__).resolve().parents[2] / "deploy" / "kubernetes"
# The oldest and the newest Kubernetes that kubernetes-validate (pinned in requirements-dev) ships.
KUBERNETES_VERSIONS = ["1.30.0", "1.37.0"]
SERVICES = ("gateway", "rooms", "tasks")
DATABASE_SERVICES = ("rooms", "tasks")


def _manifest_files() -> list[str]:
    return sorted(
        str(p.relative_to(KUBERNETES.parents[1])) for p in KUBERNETES.glob("*.yaml") if p.name != "kustomization.yaml"
    )


def _objects(manifests, kind: str) -> dict[str, dict]:
    return {o["metadata"]["name"]: o for o in manifests if o["kind"] == kind}


def _pod(workload: dict) -> dict:
    return workload["spec"]["template"]["spec"]


def _env(container: dict) -> dict:
    return {entry["name"]: entry for entry in container.get("env", [])}


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_manifests_validate_strictly(tool, version):
    files = _manifest_files()
    assert len(files) >= 5
    result = tool("kubernetes-validate", "--strict", "-k", version, *files)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # An unknown kind or apiVersion is only a warning there: here it is a failure.
    assert "WARN" not in output and "ERROR" not in output, output


def test_kustomization_lists_every_manifest():
    kustomization = yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text())
    listed = set(kustomization["resources"])
    assert listed == {Path(f).name for f in _manifest_files()}
    assert kustomization["namespace"] == "tasksync"
    assert {image["name"] for image in kustomization["images"]} == {
        f"ghcr.io/example/tasksync-{service}" for service in SERVICES
    }


def test_the_expected_objects_exist(manifests):
    kinds = {(o["kind"], o["metadata"]["name"]) for o in manifests}
    assert {("Namespace", "tasksync"), ("ConfigMap", "tasksync-config"), ("Secret", "tasksync-secrets")} <= kinds
    for service in SERVICES:
        assert {("Deployment", service), ("Service", service)} <= kinds
    assert {("HorizontalPodAutoscaler", "gateway"), ("HorizontalPodAutoscaler", "tasks")} <= kinds
    assert {("Job", "rooms-migrate"), ("Job", "tasks-migrate")} <= kinds


def test_namespaced_objects_are_in_the_tasksync_namespace(manifests):
    for o in manifests:
        if o["kind"] != "Namespace":
            assert o["metadata"].get("namespace") == "tasksync", (o["kind"], o["metadata"]["name"])


@pytest.mark.parametrize("service", SERVICES)
def test_deployment_has_probes_resources_and_a_locked_down_pod(manifests, service):
    pod = _pod(_objects(manifests, "Deployment")[service])
    (container,) = pod["containers"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    for kind in ("requests", "limits"):
        assert {"cpu", "memory"} <= set(container["resources"][kind])
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] != 0
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    tmp = [m["name"] for m in container["volumeMounts"] if m["mountPath"] == "/tmp"]
    assert tmp and any(v["name"] == tmp[0] and "emptyDir" in v for v in pod["volumes"])
    # Service links would set ROOMS_PORT=tcp://... and TASKS_PORT=... over our own settings.
    assert pod["enableServiceLinks"] is False
    assert container["image"].startswith(f"ghcr.io/example/tasksync-{service}:")


@pytest.mark.parametrize("service", DATABASE_SERVICES)
def test_deployments_leave_migrations_to_the_job(manifests, service):
    container = _pod(_objects(manifests, "Deployment")[service])["containers"][0]
    assert _env(container)["TASKSYNC_MIGRATE_ON_START"]["value"] == "false"


@pytest.mark.parametrize("service", DATABASE_SERVICES)
def test_a_migration_job_per_database_service_calls_serve(manifests, service):
    job = _objects(manifests, "Job")[f"{service}-migrate"]
    pod = _pod(job)
    (container,) = pod["containers"]
    assert container["image"].startswith(f"ghcr.io/example/tasksync-{service}:")
    command = container["command"]
    assert command[:2] == ["python", "-c"]
    module = re.fullmatch(
        r"from tasksync_common\.serve import apply_migrations; apply_migrations\('(\w+)'\)", command[2]
    ).group(1)
    assert module == serve.SERVICES[service]
    assert list(inspect.signature(serve.apply_migrations).parameters) == ["module_name"]
    assert pod["restartPolicy"] == "Never"
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert f"{service.upper()}_DATABASE_URL" in _env(container)


@pytest.mark.parametrize("service", ["gateway", "tasks"])
def test_autoscaled_deployments_leave_the_replica_count_to_the_hpa(manifests, service):
    hpa = _objects(manifests, "HorizontalPodAutoscaler")[service]
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": service}
    assert 1 <= hpa["spec"]["minReplicas"] < hpa["spec"]["maxReplicas"]
    assert "replicas" not in _objects(manifests, "Deployment")[service]["spec"]


@pytest.mark.parametrize("service", SERVICES)
def test_service_selects_its_deployment_on_the_http_port(manifests, service):
    spec = _objects(manifests, "Service")[service]["spec"]
    deployment = _objects(manifests, "Deployment")[service]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert spec["selector"].items() <= labels.items()
    assert deployment["spec"]["selector"]["matchLabels"] == spec["selector"]
    ports = {p["name"]: p["containerPort"] for p in _pod(deployment)["containers"][0]["ports"]}
    assert spec["ports"] == [{"name": "http", "port": 8000, "targetPort": "http"}]
    assert ports == {"http": 8000}


def test_no_two_workloads_share_pod_labels(manifests):
    workloads = [o for o in manifests if o["kind"] in ("Deployment", "Job")]
    label_sets = [tuple(sorted(w["spec"]["template"]["metadata"]["labels"].items())) for w in workloads]
    assert len(set(label_sets)) == len(label_sets)


@pytest.mark.parametrize("name", ["postgres", "redis"])
def test_database_and_redis_are_external(manifests, name):
    spec = _objects(manifests, "Service")[name]["spec"]
    assert spec["type"] == "ExternalName" and spec["externalName"]


def test_every_referenced_config_and_secret_key_exists(manifests):
    config = _objects(manifests, "ConfigMap")["tasksync-config"]["data"]
    secret = _objects(manifests, "Secret")["tasksync-secrets"]["stringData"]
    assert config["TASKSYNC_ENV"] == "production"
    assert config["ROOMS_URL"] == "http://rooms:8000" and config["TASKS_URL"] == "http://tasks:8000"
    for workload in (o for o in manifests if o["kind"] in ("Deployment", "Job")):
        for container in _pod(workload)["containers"]:
            assert [s["configMapRef"]["name"] for s in container["envFrom"]] == ["tasksync-config"]
            for entry in container.get("env", []):
                reference = entry.get("valueFrom", {}).get("secretKeyRef")
                if reference:
                    assert reference["name"] == "tasksync-secrets" and reference["key"] in secret


def test_only_rooms_holds_the_signing_secret(manifests):
    holders = set()
    for workload in (o for o in manifests if o["kind"] in ("Deployment", "Job")):
        if "TASKSYNC_SECRET_KEY" in _env(_pod(workload)["containers"][0]):
            holders.add(workload["metadata"]["name"])
    assert holders == {"rooms", "rooms-migrate"}


def test_secret_placeholder_is_refused_in_production(manifests, tmp_path):
    # A placeholder that slipped into production must stop the rooms service, not sign tokens.
    from tasksync_common import config
    from tasksync_rooms.access_tokens.signer import create_signer

    secret = _objects(manifests, "Secret")["tasksync-secrets"]["stringData"]["TASKSYNC_SECRET_KEY"]
    settings = config.load(
        {"TASKSYNC_ENV": "production", "TASKSYNC_SECRET_KEY": secret, "TASKSYNC_DATA_DIR": str(tmp_path)}
    )
    with pytest.raises(SystemExit):
        create_signer(settings)


ANNOTATION = "nginx.ingress.kubernetes.io/"


def _nginx_conf() -> str:
    return (KUBERNETES.parent / "nginx" / "nginx.conf").read_text()


def _ingress_paths(manifests) -> dict[str, tuple[dict, dict]]:
    """Each Ingress path: (its Ingress's annotations, the path entry)."""
    found = {}
    for ingress in _objects(manifests, "Ingress").values():
        for rule in ingress["spec"]["rules"]:
            for entry in rule["http"]["paths"]:
                found[entry["path"]] = (ingress["metadata"].get("annotations", {}), entry)
    return found


def test_every_ingress_path_leads_to_the_gateway_through_ingress_nginx(manifests):
    for ingress in _objects(manifests, "Ingress").values():
        assert ingress["spec"]["ingressClassName"] == "nginx"
    for _annotations, entry in _ingress_paths(manifests).values():
        assert entry["backend"]["service"] == {"name": "gateway", "port": {"name": "http"}}


def test_ingress_says_what_the_compose_proxy_says(manifests):
    # The same limits and buffering as deploy/nginx/nginx.conf, through ingress-nginx's annotations.
    conf = _nginx_conf()
    paths = _ingress_paths(manifests)
    everything, _ = paths["/"]
    assert f"client_max_body_size {everything[ANNOTATION + 'proxy-body-size']};" in conf
    assert everything[ANNOTATION + "proxy-request-buffering"] == "on"
    assert everything[ANNOTATION + "proxy-buffering"] == "on"
    assert f"proxy_read_timeout {everything[ANNOTATION + 'proxy-read-timeout']}s;" in conf
    imports, entry = paths["/api/v1/rooms/import"]
    assert entry["pathType"] == "Exact"
    assert "location = /api/v1/rooms/import {\n            client_max_body_size 10m;" in conf
    assert imports[ANNOTATION + "proxy-body-size"] == "10m"
    (events_path,) = [path for path in paths if path.endswith("/events$")]
    events, entry = paths[events_path]
    assert f"location ~ ^{events_path} {{" in conf
    assert entry["pathType"] == "ImplementationSpecific" and events[ANNOTATION + "use-regex"] == "true"
    assert events[ANNOTATION + "proxy-buffering"] == "off"
    assert int(events[ANNOTATION + "proxy-read-timeout"]) >= 3600
