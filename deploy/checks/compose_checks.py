"""compose.yaml: valid against the Compose Specification JSON schema (the copy docker-compose 1.29.2 ships, from
PyPI; interpolated first with each variable's default, as `docker compose` does), plus what the stack relies on:
the init jobs run before the services, every long-running service has a replicas knob and a stop grace period above
its shutdown budget, health checks on Kafka and the emulator, and the mounted files exist."""
import importlib.util
import json
import os

import jsonschema

from common import ROOT, load_compose

TRIBUTARY_COMMANDS = {"generator", "transformer", "bigtable-writer", "aggregator", "extractor", "cdc-router", "alerting"}


def schema():
    spec = importlib.util.find_spec("compose")
    path = os.path.join(os.path.dirname(spec.origin), "config", "compose_spec.json")
    with open(path) as handle:
        return json.load(handle)


def seconds(text):
    text = str(text)
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    for unit in ("ms", "s", "m", "h"):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * units[unit]
    return float(text)


def check_compose(results):
    problems = []
    compose = load_compose()
    validator = jsonschema.Draft7Validator(schema())
    for error in sorted(validator.iter_errors(compose), key=lambda e: list(e.path)):
        problems.append(f"schema: {'/'.join(map(str, error.path))}: {error.message}")
    services = compose.get("services", {})
    for name in ("kafka", "bigtable"):
        if "healthcheck" not in services.get(name, {}):
            problems.append(f"{name} has no health check")
    for name, service in services.items():
        command = service.get("command") or []
        if not command or command[0] not in TRIBUTARY_COMMANDS:
            continue
        if "replicas" not in (service.get("deploy") or {}):
            problems.append(f"{name}: no deploy.replicas knob")
        depends = service.get("depends_on") or {}
        for job in ("init-topics", "init-tables"):
            if (depends.get(job) or {}).get("condition") != "service_completed_successfully":
                problems.append(f"{name}: does not wait for {job} to complete")
        budget = seconds((service.get("environment") or {}).get("SHUTDOWN_TIMEOUT", "25s"))
        if seconds(service.get("stop_grace_period", "10s")) <= budget:
            problems.append(f"{name}: stop_grace_period is not above SHUTDOWN_TIMEOUT ({budget:g}s)")
    for name, service in services.items():
        for volume in service.get("volumes") or []:
            source = volume.split(":")[0] if isinstance(volume, str) else volume.get("source", "")
            if source.startswith("./") and not os.path.exists(os.path.join(ROOT, source)):
                problems.append(f"{name}: mounts {source}, which does not exist")
    results.report("compose.yaml against the Compose Specification schema", problems, note=f"{len(services)} services")
