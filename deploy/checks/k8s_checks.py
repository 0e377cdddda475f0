"""deploy/k8s: each kustomization renders with `kubectl kustomize`; every built-in object validates against the
Kubernetes OpenAPI schemas (kubernetes-validate, strict: unknown fields fail); the custom resources (KEDA,
External Secrets) get the checks that matter here: KEDA never scales a consumer past its input topic's partition
count, and its target exists. Deployments: liveness on /livez and readiness on /readyz (one shared path restarts
every pod when a dependency fails), resource requests, a grace period above the
shutdown budget, a PodDisruptionBudget, non-root, and every ConfigMap or Secret they read exists in the render."""
import os

import kubernetes_validate

from common import ROOT, kustomize, topic_partitions_from_tfvars, topic_partitions_from_topics_file

KUBERNETES_VERSION = "1.32"
PROBE_PATHS = {"livenessProbe": "/livez", "readinessProbe": "/readyz"}
CUSTOM_KINDS = {
    ("keda.sh/v1alpha1", "ScaledObject"),
    ("keda.sh/v1alpha1", "TriggerAuthentication"),
    ("external-secrets.io/v1", "ExternalSecret"),
    ("external-secrets.io/v1", "SecretStore"),
    ("monitoring.googleapis.com/v1", "PodMonitoring"),
    ("monitoring.googleapis.com/v1", "Rules"),
}
KUSTOMIZATIONS = {
    "base": lambda: topic_partitions_from_topics_file(),
    "overlays/dev": lambda: topic_partitions_from_tfvars(os.path.join(ROOT, "terraform/environments/dev/terraform.tfvars")),
    "overlays/prod": lambda: topic_partitions_from_tfvars(os.path.join(ROOT, "terraform/environments/prod/terraform.tfvars")),
}


def seconds(text):
    text = str(text)
    for unit, factor in (("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    return float(text)


def render_all():
    return {name: kustomize(os.path.join(ROOT, "deploy", "k8s", name)) for name in KUSTOMIZATIONS}


def check_deployments(docs, problems, where):
    by_kind = {}
    for doc in docs:
        by_kind.setdefault(doc["kind"], []).append(doc)
    config_maps = {d["metadata"]["name"]: d for d in by_kind.get("ConfigMap", [])}
    secrets = {d["metadata"]["name"] for d in by_kind.get("Secret", [])}
    secrets |= {d["spec"]["target"]["name"] for d in by_kind.get("ExternalSecret", [])}
    pdb_selectors = [d["spec"]["selector"]["matchLabels"] for d in by_kind.get("PodDisruptionBudget", [])]
    for deployment in by_kind.get("Deployment", []):
        name = deployment["metadata"]["name"]
        pod = deployment["spec"]["template"]["spec"]
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        if not any(all(labels.get(k) == v for k, v in selector.items()) for selector in pdb_selectors):
            problems.append(f"{where}: Deployment {name} has no PodDisruptionBudget")
        if not pod.get("securityContext", {}).get("runAsNonRoot"):
            problems.append(f"{where}: Deployment {name} may run as root")
        budget = 25.0
        for container in pod["containers"]:
            for probe, path in PROBE_PATHS.items():
                if container.get(probe, {}).get("httpGet", {}).get("path") != path:
                    problems.append(f"{where}: {name}: {probe} must be on {path} (liveness must not fail while a "
                                    "dependency is down; readiness must)")
            requests = container.get("resources", {}).get("requests", {})
            if "cpu" not in requests or "memory" not in requests:
                problems.append(f"{where}: {name}: no cpu and memory requests")
            for source in container.get("envFrom", []):
                if "configMapRef" in source:
                    referenced = source["configMapRef"]["name"]
                    if referenced not in config_maps:
                        problems.append(f"{where}: {name} reads ConfigMap {referenced}, which is not rendered")
                    else:
                        budget = max(budget, seconds(config_maps[referenced].get("data", {}).get("SHUTDOWN_TIMEOUT", "0s")))
                # The base leaves secrets to the overlays.
                if "secretRef" in source and where != "base" and source["secretRef"]["name"] not in secrets:
                    problems.append(f"{where}: {name} reads Secret {source['secretRef']['name']}, which nothing creates")
        grace = pod.get("terminationGracePeriodSeconds", 30)
        if grace <= budget:
            problems.append(f"{where}: {name}: terminationGracePeriodSeconds {grace} is not above SHUTDOWN_TIMEOUT {budget:g}s")
    return by_kind


def check_scaled_objects(by_kind, partitions, problems, where):
    deployments = {d["metadata"]["name"] for d in by_kind.get("Deployment", [])}
    for scaled in by_kind.get("ScaledObject", []):
        name = scaled["metadata"]["name"]
        spec = scaled["spec"]
        if spec["scaleTargetRef"]["name"] not in deployments:
            problems.append(f"{where}: ScaledObject {name} targets a missing Deployment")
        for trigger in spec["triggers"]:
            if trigger["type"] != "kafka":
                continue
            topic = trigger["metadata"]["topic"]
            if topic not in partitions:
                problems.append(f"{where}: ScaledObject {name}: topic {topic} is not a known topic")
            elif spec["maxReplicaCount"] > partitions[topic]:
                problems.append(f"{where}: ScaledObject {name}: maxReplicaCount {spec['maxReplicaCount']} above "
                                f"{topic}'s {partitions[topic]} partitions")
            if spec.get("minReplicaCount", 0) > spec["maxReplicaCount"]:
                problems.append(f"{where}: ScaledObject {name}: minReplicaCount above maxReplicaCount")
            if trigger["metadata"].get("allowIdleConsumers", "false") != "false":
                problems.append(f"{where}: ScaledObject {name}: allowIdleConsumers must stay false")


def check_kubernetes(results, renders):
    problems = []
    count = 0
    for where, docs in renders.items():
        for doc in docs:
            count += 1
            key = (doc.get("apiVersion"), doc.get("kind"))
            if key in CUSTOM_KINDS:
                continue
            try:
                kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
            except kubernetes_validate.ValidationError as error:
                problems.append(f"{where}: {doc['kind']} {doc['metadata'].get('name')}: {error.message} at {'/'.join(map(str, error.path))}")
            except Exception as error:  # an unknown kind or version has no schema
                problems.append(f"{where}: {doc.get('kind')} {doc['metadata'].get('name')}: {error}")
        by_kind = check_deployments(docs, problems, where)
        check_scaled_objects(by_kind, KUSTOMIZATIONS[where](), problems, where)
    results.report(f"kubectl kustomize base, dev, prod against Kubernetes {KUBERNETES_VERSION} schemas", problems,
                   note=f"{count} objects")
