"""Monitoring on GKE and in compose: each GKE overlay renders a PodMonitoring that scrapes every Deployment with a
`metrics` port (managed Prometheus ignores prometheus.io annotations) and alert Rules for consumer lag in seconds,
the dead-letter rate and a service down; every metric the rules and the Grafana dashboards name is registered by
Tributary code; and every label they group or filter by exists on both platforms: a metric's own dimension, or a
target label (GKE: the PodMonitoring's targetLabels and GMP's own; compose: prometheus.yml's relabelling)."""
import glob
import json
import os
import re

import yaml

from common import ROOT

METRIC = re.compile(r"\b((?:tributary|process)_[a-z0-9_]+)")
GROUPING = re.compile(r"\b(?:by|without)\s*\(([^)]*)\)")
MATCHER = re.compile(r"[{,]\s*([a-z_]+)\s*(?:=~|!~|!=|=)")
# Labels GMP attaches to every scraped series, and Prometheus' own.
GMP_TARGET_LABELS = {"job", "instance", "namespace", "pod", "container", "cluster", "location", "project_id"}
PROMQL_LABELS = {"le", "quantile", "__name__"}
REQUIRED_ALERTS = {
    "consumer lag in seconds": "tributary_consumer_group_lag_seconds",
    "dead-letter rate": "tributary_dead_letters_total",
    "a service down": "up{",
}


def swift_sources():
    for pattern in ("Shared/**/*.swift", "Services/**/*.swift"):
        for path in glob.glob(os.path.join(ROOT, pattern), recursive=True):
            yield open(path).read()


def registered():
    """Metric names and dimension (label) names the code registers."""
    names, labels = set(), set()
    texts = list(swift_sources())
    for text in texts:
        names.update(re.findall(r'"((?:tributary|process)_[a-z0-9_]+)"', text))
        # swift-prometheus descriptors: namespace_metricName_unitName (tributary_build_info).
        names.update("_".join(parts) for parts in re.findall(
            r'namespace:\s*"(\w+)",\s*metricName:\s*"(\w+)",\s*unitName:\s*"(\w+)"', text))
        for block in re.findall(r"(?:[dD]imensions|labels)(?::|\s*=)\s*\[(.*?)\]", text, re.S):
            labels.update(re.findall(r'\("([a-z_]+)",', block))
    statistics = open(os.path.join(ROOT, "Shared", "PipelineKafka", "LibrdkafkaStatistics.swift")).read()
    names.update("tributary_kafka_librdkafka_" + field for field in re.findall(r'"([a-z_]+)"', statistics))
    labels.add("role")  # the librdkafka gauges' role dimension is built in code, not as a literal pair
    return names, labels


def dashboard_queries():
    for path in sorted(glob.glob(os.path.join(ROOT, "deploy", "grafana", "dashboards", "*.json"))):
        dashboard = json.load(open(path))
        for panel in dashboard.get("panels", []):
            for target in panel.get("targets", []):
                yield f"{os.path.basename(path)} panel '{panel.get('title')}'", target.get("expr", "")


def rule_queries(docs):
    for doc in docs:
        if doc["kind"] == "Rules":
            for group in doc["spec"]["groups"]:
                for rule in group["rules"]:
                    yield f"Rules {doc['metadata']['name']} {rule.get('alert') or rule.get('record')}", rule["expr"]


def compose_target_labels():
    prometheus = yaml.safe_load(open(os.path.join(ROOT, "deploy", "prometheus", "prometheus.yml")))
    labels = {"job", "instance"}
    for job in prometheus["scrape_configs"]:
        labels |= {relabel["target_label"] for relabel in job.get("relabel_configs", []) if "target_label" in relabel}
    return labels


def check_query(where, expr, names, dimensions, platforms, problems):
    for metric in METRIC.findall(expr):
        base = re.sub(r"_(bucket|sum|count)$", "", metric)
        if metric not in names and base not in names:
            problems.append(f"{where}: {metric} is not registered by any Tributary code")
    used = {label.strip() for group in GROUPING.findall(expr) for label in group.split(",") if label.strip()}
    used |= set(MATCHER.findall(expr))
    for platform, target_labels in platforms.items():
        for label in sorted(used - dimensions - PROMQL_LABELS - target_labels):
            problems.append(f"{where}: groups or filters by `{label}`, which no metric has and {platform} does not "
                            "attach as a target label")


def pod_monitoring_problems(where, docs):
    problems = []
    monitors = [d for d in docs if d["kind"] == "PodMonitoring"]
    if not monitors:
        return [f"{where}: no PodMonitoring: GKE's managed Prometheus scrapes nothing (it ignores prometheus.io "
                "annotations); add deploy/k8s/components/gke-monitoring"], set()
    target_labels = set(GMP_TARGET_LABELS)
    for monitor in monitors:
        target_labels |= {item["to"] for item in monitor["spec"].get("targetLabels", {}).get("fromPod", [])}
    for deployment in (d for d in docs if d["kind"] == "Deployment"):
        labels = deployment["spec"]["template"]["metadata"].get("labels", {})
        ports = {p.get("name") for c in deployment["spec"]["template"]["spec"]["containers"] for p in c.get("ports", [])}
        if "metrics" not in ports:
            continue
        if not any(selects(m["spec"]["selector"], labels) and "metrics" in {e["port"] for e in m["spec"]["endpoints"]}
                   for m in monitors):
            problems.append(f"{where}: no PodMonitoring scrapes Deployment {deployment['metadata']['name']}'s "
                            "metrics port")
    return problems, target_labels


def selects(selector, labels):
    if any(labels.get(k) != v for k, v in selector.get("matchLabels", {}).items()):
        return False
    for expression in selector.get("matchExpressions", []):
        value, operator = labels.get(expression["key"]), expression["operator"]
        if operator == "In" and value not in expression["values"]:
            return False
        if operator == "Exists" and value is None:
            return False
    return True


def check_monitoring(results, renders):
    problems = []
    names, dimensions = registered()
    platforms = {"compose's Prometheus": compose_target_labels()}
    for where in sorted(w for w in renders if w.startswith("overlays/")):
        docs = renders[where]
        found, gke_labels = pod_monitoring_problems(where, docs)
        problems += found
        platforms[f"GKE ({where})"] = gke_labels
        exprs = " ".join(expr for _, expr in rule_queries(docs))
        for purpose, needle in REQUIRED_ALERTS.items():
            if needle not in exprs:
                problems.append(f"{where}: no alert rule on {purpose} ({needle.rstrip('{')}); add it to the Rules")
        for rule, expr in rule_queries(docs):
            check_query(f"{where}: {rule}", expr, names, dimensions, {"GKE": gke_labels}, problems)
    for panel, expr in dashboard_queries():
        check_query(panel, expr, names, dimensions, platforms, problems)
    results.report("monitoring: PodMonitoring and alert rules on GKE; dashboard and rule metrics and labels exist",
                   problems)
