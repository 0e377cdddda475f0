"""Grafana dashboard and Prometheus: the dashboard is valid JSON whose queries use only metrics some Tributary code
registers (so a renamed metric cannot leave an empty panel), and Prometheus scrapes every compose service that runs
a Tributary executable."""
import glob
import json
import os
import re

import yaml

from common import ROOT, load_compose
from env_checks import SERVICE_BINARIES

METRIC = re.compile(r"\b((?:tributary|process)_[a-z0-9_]+)")


def registered_metrics():
    names = set()
    for path in glob.glob(os.path.join(ROOT, "Shared", "**", "*.swift"), recursive=True) + \
            glob.glob(os.path.join(ROOT, "Services", "**", "*.swift"), recursive=True):
        with open(path) as handle:
            names.update(re.findall(r'"((?:tributary|process)_[a-z0-9_]+)"', handle.read()))
    return names


def check_dashboard(results):
    problems = []
    with open(os.path.join(ROOT, "deploy", "grafana", "dashboards", "tributary.json")) as handle:
        dashboard = json.load(handle)
    known = registered_metrics()
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            for metric in METRIC.findall(target["expr"]):
                base = re.sub(r"_(bucket|sum|count)$", "", metric)
                if metric not in known and base not in known:
                    problems.append(f"panel '{panel['title']}': {metric} is not registered by any service")
    with open(os.path.join(ROOT, "deploy", "prometheus", "prometheus.yml")) as handle:
        prometheus = yaml.safe_load(handle)
    scraped = {name for job in prometheus["scrape_configs"] for sd in job.get("dns_sd_configs", []) for name in sd["names"]}
    for name, service in load_compose()["services"].items():
        command = service.get("command") or []
        if command and command[0] in SERVICE_BINARIES and name not in scraped:
            problems.append(f"Prometheus does not scrape compose service {name}")
    results.report("Grafana dashboard metrics exist; Prometheus scrapes every service", problems,
                   note=f"{len(dashboard['panels'])} panels")
