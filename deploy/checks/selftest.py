"""The checks must be able to fail: each one is run once more on a deliberately broken copy of its input and has to
reject it. Runs after the real checks, on the renders they already made."""
import copy
import os
import shutil
import tempfile

import compose_checks
import compose_runtime_checks
import docs_check
import env_checks
import k8s_checks
import log_format_check
import k8s_scaling_checks
import monitoring_checks
import kafka_credentials_check
import image_check
import terraform_checks
import terraform_gcp_checks
import terraform_types_check
import version_check
from common import ROOT


class Silent:
    def __init__(self):
        self.failed = 0

    def report(self, name, problems, note=None):
        self.failed += bool(problems)

    def skip(self, name, reason):
        pass


def rejects(check):
    silent = Silent()
    check(silent)
    return silent.failed == 1


def on_terraform_copy(relative_path, old, new, check):
    """A check run against a copy of terraform/ with one text replacement in one file."""
    def run_check(silent):
        with tempfile.TemporaryDirectory() as directory:
            copy_root = os.path.join(directory, "terraform")
            shutil.copytree(terraform_checks.TERRAFORM, copy_root)
            path = os.path.join(copy_root, relative_path)
            with open(path) as handle:
                text = handle.read()
            assert old in text, f"selftest: {old!r} not in {relative_path}"
            with open(path, "w") as handle:
                handle.write(text.replace(old, new, 1))
            saved = terraform_checks.TERRAFORM
            terraform_checks.TERRAFORM = copy_root
            try:
                check(silent)
            finally:
                terraform_checks.TERRAFORM = saved
    return run_check


broken_terraform = on_terraform_copy("modules/kafka/outputs.tf", "var.region", "var.regoin",
                                     lambda silent: terraform_checks.check_references(silent))
private_nodes_without_nat = on_terraform_copy(
    "modules/networking/main.tf", 'resource "google_compute_router_nat" "this"', 'resource "google_compute_router_peer" "this"',
    lambda silent: terraform_gcp_checks.check_gcp(silent))
undeclared_tfvars_attribute = on_terraform_copy(
    "environments/dev/terraform.tfvars", "retention_hours = 24 }", "retention_hours = 24, segment_hours = 1 }",
    lambda silent: terraform_types_check.check_types(silent))


def broken_compose(silent):
    saved = compose_checks.load_compose
    compose = saved()
    compose["services"]["transformer"]["replica"] = 3
    compose_checks.load_compose = lambda: compose
    try:
        compose_checks.check_compose(silent)
    finally:
        compose_checks.load_compose = saved


def tool_without_entrypoint(silent):
    saved = compose_runtime_checks.load_compose
    compose = saved()
    del compose["services"]["tributary"]["entrypoint"]
    compose_runtime_checks.load_compose = lambda: compose
    try:
        compose_runtime_checks.check_compose_runtime(silent)
    finally:
        compose_runtime_checks.load_compose = saved


def doc_pointing_outside(silent):
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "doc.md")
        with open(path, "w") as handle:
            handle.write("The specification is ../shared/SPEC.md.\n")
        saved = docs_check.markdown_files
        docs_check.markdown_files = lambda: iter([path])
        try:
            docs_check.check_docs(silent)
        finally:
            docs_check.markdown_files = saved


def executable_without_version(silent):
    with tempfile.TemporaryDirectory() as directory:
        stub = os.path.join(directory, "transformer")
        with open(stub, "w") as handle:
            handle.write('#!/bin/sh\necho "transformer: unknown option --version" >&2\nexit 2\n')
        os.chmod(stub, 0o755)
        saved = version_check.BIN_DIR
        version_check.BIN_DIR = directory
        try:
            version_check.check_versions(silent)
        finally:
            version_check.BIN_DIR = saved


def legacy_log_fields(silent):
    with tempfile.TemporaryDirectory() as directory:
        stub = os.path.join(directory, "transformer")
        with open(stub, "w") as handle:
            handle.write('#!/bin/sh\necho \'{"ts":"2026-01-01T00:00:00Z","level":"info","msg":"starting"}\' >&2\n'
                         'exec sleep 30\n')
        os.chmod(stub, 0o755)
        saved = log_format_check.BIN_DIR
        log_format_check.BIN_DIR = directory
        try:
            log_format_check.check_log_format(silent)
        finally:
            log_format_check.BIN_DIR = saved


def broken_scaling(renders):
    renders = copy.deepcopy(renders)
    for doc in renders["overlays/prod"]:
        if doc["kind"] == "ScaledObject" and doc["metadata"]["name"] == "transformer":
            doc["spec"]["maxReplicaCount"] = 1000
    return lambda silent: k8s_checks.check_kubernetes(silent, renders)


def on_deployment(renders, name, change, check):
    """A check run on the prod render with one Deployment changed."""
    renders = copy.deepcopy(renders)
    for doc in renders["overlays/prod"]:
        if doc["kind"] == "Deployment" and doc["metadata"]["name"] == name:
            change(doc)
    return lambda silent: check(silent, renders)


def fixed_replicas_under_keda(renders):
    return on_deployment(renders, "aggregator", lambda doc: doc["spec"].update(replicas=96),
                         k8s_scaling_checks.check_scaling)


def liveness_on_readiness(renders):
    def change(doc):
        doc["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]["httpGet"]["path"] = "/readyz"
    return on_deployment(renders, "bigtable-writer", change, k8s_checks.check_kubernetes)


def prod_without_pod_monitoring(renders):
    renders = copy.deepcopy(renders)
    renders["overlays/prod"] = [doc for doc in renders["overlays/prod"] if doc["kind"] != "PodMonitoring"]
    return lambda silent: monitoring_checks.check_monitoring(silent, renders)


def moving_image_tag(renders):
    def change(doc):
        doc["spec"]["template"]["spec"]["containers"][0]["image"] = "europe-west1-docker.pkg.dev/p/tributary/tributary:dev"
    return on_deployment(renders, "transformer", change, image_check.check_images)


def shared_kafka_identity(renders):
    def change(doc):
        for source in doc["spec"]["template"]["spec"]["containers"][0]["envFrom"]:
            if source.get("secretRef", {}).get("name") == "aggregator-kafka-credentials":
                source["secretRef"]["name"] = "transformer-kafka-credentials"
    return on_deployment(renders, "aggregator", change, kafka_credentials_check.check_kafka_credentials)


def broken_environment(renders):
    renders = copy.deepcopy(renders)
    for doc in renders["overlays/prod"]:
        if doc["kind"] == "ConfigMap" and doc["metadata"]["name"].startswith("transformer-config"):
            doc["data"]["TRANSFORMER_BATCHSIZE"] = "100"
    return lambda silent: env_checks.check_environment(silent, renders)


def run_selftest(results, renders):
    problems = []
    cases = [("a terraform reference to an undeclared variable", broken_terraform),
             ("a tfvars object attribute the variable's type does not declare", undeclared_tfvars_attribute),
             ("private GKE nodes without Cloud NAT", private_nodes_without_nat),
             ("an unknown compose service key", broken_compose),
             ("a documented `docker compose run` whose service has no entrypoint", tool_without_entrypoint),
             ("a document pointing at ../shared/", doc_pointing_outside),
             ("an executable that does not answer --version", executable_without_version),
             ("JSON logs with level/msg instead of severity/message", legacy_log_fields)]
    if renders:
        cases += [("a KEDA maximum above the topic's partitions", broken_scaling(renders)),
                  ("a misspelt environment variable", broken_environment(renders)),
                  ("fixed replicas on a KEDA-scaled Deployment", fixed_replicas_under_keda(renders)),
                  ("a liveness probe on the readiness endpoint", liveness_on_readiness(renders)),
                  ("a GKE overlay without a PodMonitoring", prod_without_pod_monitoring(renders)),
                  ("an overlay image on a moving tag", moving_image_tag(renders)),
                  ("two services sharing one Kafka identity", shared_kafka_identity(renders))]
    for description, check in cases:
        if not rejects(check):
            problems.append(f"not rejected: {description}")
    results.report("the checks reject broken inputs", problems, note=f"{len(cases)} cases")
