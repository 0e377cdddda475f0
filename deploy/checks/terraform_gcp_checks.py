"""terraform against what Google Cloud needs at the first apply, which neither a parse nor `terraform validate`
sees: private GKE nodes have an egress path (Cloud NAT); Autopilot nodes run as a node service account terraform
creates, not the default compute account; no IAM condition matches resource names built from the project *id*
(Google's resource names carry the project number, so such a condition never matches); every API a resource needs
is enabled by google_project_service; the control plane's authorized networks cannot be left empty; and Bigtable
table IAM bindings wait for their tables."""
import glob
import json
import os
import re

import hcl2

import terraform_checks
from common import ROOT, unquote

# The API each resource family needs enabled on a fresh project.
APIS = {
    "google_bigtable_": "bigtableadmin.googleapis.com",
    "google_managed_kafka_": "managedkafka.googleapis.com",
    "google_container_": "container.googleapis.com",
    "google_compute_": "compute.googleapis.com",
    "google_artifact_registry_": "artifactregistry.googleapis.com",
    "google_secret_manager_": "secretmanager.googleapis.com",
    "google_service_account": "iam.googleapis.com",
    "google_monitoring_": "monitoring.googleapis.com",
}


def load_tree():
    """Per module directory: its resources as (type, name, body), module calls and variables."""
    tree = {}
    for path in sorted(glob.glob(os.path.join(terraform_checks.TERRAFORM, "**", "*.tf"), recursive=True)):
        module = tree.setdefault(os.path.dirname(path), {"resources": [], "modules": {}, "variables": {}, "text": ""})
        with open(path) as handle:
            parsed = hcl2.load(handle)
        module["text"] += json.dumps(parsed)
        for block in parsed.get("resource", []):
            for rtype, named in block.items():
                for name, body in named.items():
                    module["resources"].append((unquote(rtype), unquote(name), body))
        for block in parsed.get("module", []):
            for name, body in block.items():
                module["modules"][unquote(name)] = body
        for block in parsed.get("variable", []):
            for name, body in block.items():
                module["variables"][unquote(name)] = body
    return tree


def first(body, *path):
    """Follows nested single blocks: first(body, 'a', 'b') is body.a[0].b (None when absent)."""
    for key in path:
        if not isinstance(body, dict) or key not in body:
            return None
        body = body[key]
        if isinstance(body, list) and body and isinstance(body[0], dict):
            body = body[0]
    return body


def resources(tree, prefix):
    return [(directory, rtype, name, body) for directory, module in tree.items()
            for rtype, name, body in module["resources"] if rtype.startswith(prefix)]


def check_egress(tree, problems):
    nat = resources(tree, "google_compute_router_nat")
    for directory, _, name, body in resources(tree, "google_container_cluster"):
        if first(body, "private_cluster_config", "enable_private_nodes") is True and not nat:
            problems.append(f"{os.path.relpath(directory, ROOT)}: google_container_cluster.{name} has private nodes "
                            "but no google_compute_router_nat exists: the extractor cannot reach Salesforce nor "
                            "alerting its webhook; add a Cloud Router and NAT (modules/networking)")


def check_node_account(tree, problems):
    for directory, _, name, body in resources(tree, "google_container_cluster"):
        where = f"{os.path.relpath(directory, ROOT)}: google_container_cluster.{name}"
        if body.get("enable_autopilot") is True:
            account = first(body, "cluster_autoscaling", "auto_provisioning_defaults", "service_account")
            if not account:
                problems.append(f"{where}: Autopilot nodes run as the default compute account; set "
                                "cluster_autoscaling.auto_provisioning_defaults.service_account to a node account")
        elif not first(body, "node_config", "service_account"):
            problems.append(f"{where}: nodes run as the default compute account; set node_config.service_account")


def check_conditions(tree, problems):
    for directory, rtype, name, body in resources(tree, "google_"):
        expression = str(first(body, "condition", "expression") or "")
        if "resource.name" in expression and "var.project_id" in expression:
            problems.append(f"{os.path.relpath(directory, ROOT)}: {rtype}.{name}: IAM condition on resource.name built "
                            "from the project id; Google resource names carry the project number, so it never "
                            "matches. Grant on the resource itself, or drop the condition and say why")


def check_apis(tree, problems):
    enabled = set()
    for directory, _, name, body in resources(tree, "google_project_service"):
        enabled |= set(re.findall(r"[a-z]+\.googleapis\.com", tree[directory]["text"]))
    needed = {}
    for directory, rtype, name, _ in resources(tree, "google_"):
        for prefix, api in APIS.items():
            if rtype.startswith(prefix):
                needed.setdefault(api, f"{rtype}.{name}")
    for api, example in sorted(needed.items()):
        if api not in enabled:
            problems.append(f"{api} is not enabled by any google_project_service, yet {example} needs it: a fresh "
                            "project fails on the disabled API (modules/tributary/apis.tf)")


def check_authorized_networks(tree, problems):
    for directory, module in tree.items():
        body = module["variables"].get("authorized_networks")
        if body is None:
            continue
        validations = json.dumps(body.get("validation", []))
        if body.get("default") == [] or "length(var.authorized_networks) > 0" not in validations:
            problems.append(f"{os.path.relpath(directory, ROOT)}: variable authorized_networks may be empty, and then "
                            "nobody reaches the control plane to run kubectl; drop the empty default and validate "
                            "length(var.authorized_networks) > 0")


def check_table_bindings(tree, problems):
    for directory, rtype, name, body in resources(tree, "google_bigtable_table_iam_"):
        where = f"{os.path.relpath(directory, ROOT)}: {rtype}.{name}"
        table = str(body.get("table", ""))
        if "google_bigtable_table." in table or body.get("depends_on"):
            continue
        variables = re.findall(r"var\.([a-z_]+)", table)
        callers = [call for module in tree.values() for call in module["modules"].values()
                   if os.path.normpath(os.path.join(next(d for d, m in tree.items() if call in m["modules"].values()),
                                                    unquote(call["source"]))) == directory]
        from_tables = variables and callers and all(
            any("module." in str(call.get(v, "")) or "google_bigtable_table." in str(call.get(v, "")) for v in variables)
            for call in callers)
        if not from_tables:
            problems.append(f"{where}: table {table} does not come from a google_bigtable_table (or a module output "
                            "of one), so the binding may run before the table exists; pass the table's name from "
                            "the bigtable module")


def check_gcp(results):
    problems = []
    tree = load_tree()
    for check in (check_egress, check_node_account, check_conditions, check_apis, check_authorized_networks,
                  check_table_bindings):
        check(tree, problems)
    results.report("terraform: NAT egress, node account, IAM conditions, APIs, authorized networks, table IAM order",
                   problems)
