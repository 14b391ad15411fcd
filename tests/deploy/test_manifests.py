"""deploy/: the Kubernetes manifests against the schema, every nginx config through `nginx -t`,
and the numbers that must agree between the app, Compose, Kubernetes and nginx."""

from __future__ import annotations

import re
import tomllib

import kubernetes_validate
import pytest
import yaml

from tests.support import proxy
from tests.support.paths import ROOT

DEPLOY = ROOT / "deploy"
K8S = sorted((DEPLOY / "k8s").glob("*.yaml"))
UPSTREAMS = sorted(p.name for p in (DEPLOY / "nginx").glob("upstream.*.conf"))


def documents(path):
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


def manifest(kind: str) -> dict:
    (found,) = [d for path in K8S for d in documents(path) if d["kind"] == kind]
    return found


def test_every_kind_a_team_needs_is_there():
    kinds = {d["kind"] for path in K8S for d in documents(path)}
    assert {"Deployment", "Service", "Ingress", "Secret", "PodDisruptionBudget"} <= kinds


@pytest.mark.parametrize("path", K8S, ids=[p.name for p in K8S])
def test_each_manifest_is_valid_against_the_kubernetes_schema(path):
    for doc in documents(path):
        # strict: a misspelt field (readOnlyRootFilesytem) is an error, not silently dropped
        kubernetes_validate.validate(doc, "1.37.0", strict=True)


def test_the_validator_refuses_a_misspelt_field():
    doc = manifest("Deployment")
    container = doc["spec"]["template"]["spec"]["containers"][0]
    container["securityContext"]["readOnlyRootFilesytem"] = True
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(doc, "1.37.0", strict=True)


def _env(container: dict) -> dict[str, str]:
    return {e["name"]: e.get("value") for e in container.get("env", [])}


def test_the_deployment_is_replicated_probed_unprivileged_and_read_only():
    spec = manifest("Deployment")["spec"]
    assert spec["replicas"] >= 2
    pod = spec["template"]["spec"]
    (app,) = pod["containers"]
    for probe in ("readinessProbe", "livenessProbe"):
        assert app[probe]["httpGet"]["path"] == "/_stcore/health"
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert app["securityContext"]["readOnlyRootFilesystem"] is True
    mounted = {m["mountPath"] for m in app["volumeMounts"]}
    assert {"/tmp", _env(app)["HOME"]} <= mounted  # what the app and Streamlit write
    assert app["resources"]["requests"]["memory"] and app["resources"]["limits"]["memory"]
    assert app["envFrom"][0]["secretRef"]["name"] == manifest("Secret")["metadata"]["name"]


def test_kubernetes_waits_for_the_preStop_and_the_apps_grace_before_it_kills():
    pod = manifest("Deployment")["spec"]["template"]["spec"]
    (app,) = pod["containers"]
    pre_stop = app["lifecycle"]["preStop"]["exec"]["command"]
    assert pre_stop[0] == "sleep"
    grace = int(_env(app)["SHUTDOWN_GRACE_SECONDS"])
    # preStop, then SIGTERM: the app's grace, then a margin to record the runs and stop
    assert pod["terminationGracePeriodSeconds"] >= int(pre_stop[1]) + grace + 5


def test_compose_stops_replicas_no_sooner_than_their_grace():
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    apps = {name: s for name, s in compose["services"].items() if "build" in s}
    assert len(apps) >= 2
    for service in apps.values():
        grace = int(service["environment"]["SHUTDOWN_GRACE_SECONDS"])
        assert int(service["stop_grace_period"].removesuffix("s")) >= grace + 5
        assert service["read_only"] is True
    upstream = (DEPLOY / "nginx" / "upstream.compose.conf").read_text()
    assert sorted(re.findall(r"^\s*server (\w+):8501", upstream, re.M)) == sorted(apps)
    mounted = [v.split(":")[0] for v in compose["services"]["proxy"]["volumes"]]
    assert "./nginx/playground.conf" in mounted  # the very file a VM uses and the tests run
    for path in mounted:
        if path.endswith(".conf"):
            assert (DEPLOY / path).is_file(), path


def upload_limit_mb() -> int:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    return config["server"]["maxUploadSize"]


def test_every_proxy_lets_through_a_whole_upload_and_nothing_much_larger():
    nginx = (DEPLOY / "nginx" / "playground.conf").read_text()
    (limit,) = re.findall(r"client_max_body_size (\d+)m;", nginx)
    ingress = manifest("Ingress")["metadata"]["annotations"]
    assert ingress["nginx.ingress.kubernetes.io/proxy-body-size"] == f"{limit}m"
    assert upload_limit_mb() < int(limit) <= upload_limit_mb() + 1


def test_the_ingress_keeps_a_browser_on_its_pod_and_its_websocket_open():
    notes = manifest("Ingress")["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert int(notes["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600
    assert notes["nginx.ingress.kubernetes.io/auth-type"] == "basic"


@pytest.mark.parametrize("upstream", UPSTREAMS)
def test_nginx_accepts_the_config_with_each_upstream(tmp_path, upstream):
    conf = proxy.prepare(tmp_path, 8080, 8443, upstream, [8501, 8502])
    checked = proxy.check(conf)
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr


def test_nginx_t_would_catch_a_broken_config(tmp_path):
    conf = proxy.prepare(tmp_path, 8080, 8443, UPSTREAMS[0], [8501, 8502])
    site = tmp_path / "playground.conf"
    site.write_text(site.read_text().replace("proxy_buffering off;", "proxy_buffering of;"))
    assert proxy.check(conf).returncode != 0
