"""Every environment variable a service reads is set for it in compose.yaml and in the rendered Kubernetes
overlays, or has its default documented in deploy/env-defaults.md; and nothing sets a variable its service does not
read (a typo, or a name a new service does not use after all).

What a service reads comes from the service itself: each compose service or Kubernetes container running a Tributary
executable is asked `<its command> --help`, whose options list `[env: NAME]` (PipelineRuntime's ConfigReader).
librdkafka pass-through (`KAFKA_*`) counts as read. A command whose executable is not built yet (or whose subcommand
does not exist yet) is skipped with a note, so a service landing later is covered from then on without editing this."""
import os
import re

from common import ROOT, load_compose, run

SERVICE_BINARIES = {"generator", "transformer", "bigtable-writer", "aggregator", "extractor", "cdc-router", "alerting"}
BIN_DIR = os.environ.get("TRIBUTARY_BIN_DIR", os.path.join(ROOT, ".build", "debug"))
DEFAULTS_FILE = os.path.join(ROOT, "deploy", "env-defaults.md")
ENV_NOTE = re.compile(r"\[env: ([A-Z][A-Z0-9_]*)\]")
OUTSIDE_HELP = "runtime"


def documented_defaults():
    """Rows of the env-defaults table: variable -> set of services ('all' for every one; 'runtime' when the
    variable is read outside ConfigReader and so never appears in --help)."""
    documented = {}
    with open(DEFAULTS_FILE) as handle:
        for line in handle:
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if len(cells) >= 3 and cells[0].startswith("`") and cells[0].endswith("`"):
                names = {part.strip().strip("`") for part in cells[1].split(",")}
                documented.setdefault(cells[0].strip("`"), set()).update(names)
    return documented


_help_cache = {}


def variables_read(command):
    """The env variables `command --help` lists, or None when the executable or subcommand does not exist yet."""
    words = tuple(word for word in command if not word.startswith("-"))
    if words in _help_cache:
        return _help_cache[words]
    binary = os.path.join(BIN_DIR, words[0])
    found = None
    if os.access(binary, os.X_OK):
        result = run([binary, *words[1:], "--help"], timeout=30)
        if result.returncode == 0:
            found = set(ENV_NOTE.findall(result.stdout))
    _help_cache[words] = found
    return found


def compose_instances():
    for name, service in load_compose().get("services", {}).items():
        command = service.get("command") or []
        if command and command[0] in SERVICE_BINARIES:
            environment = service.get("environment") or {}
            names = set(environment) if isinstance(environment, dict) else {e.split("=", 1)[0] for e in environment}
            yield f"compose.yaml {name}", command, names


def kubernetes_instances(where, docs):
    config_maps = {d["metadata"]["name"]: set((d.get("data") or {})) for d in docs if d["kind"] == "ConfigMap"}
    secrets = {d["metadata"]["name"]: set((d.get("data") or {})) | set((d.get("stringData") or {}))
               for d in docs if d["kind"] == "Secret"}
    for d in docs:
        if d["kind"] == "ExternalSecret":
            target = d["spec"]["target"]
            keys = {item["secretKey"] for item in d["spec"].get("data", [])}
            template = (target.get("template") or {}).get("data")
            secrets[target["name"]] = set(template) if template else keys
    for d in docs:
        if d["kind"] != "Deployment":
            continue
        for container in d["spec"]["template"]["spec"]["containers"]:
            command = (container.get("command") or []) + (container.get("args") or [])
            if not command or command[0] not in SERVICE_BINARIES:
                continue
            names = {item["name"] for item in container.get("env", [])}
            for source in container.get("envFrom", []):
                if "configMapRef" in source:
                    names |= config_maps.get(source["configMapRef"]["name"], set())
                if "secretRef" in source:
                    names |= secrets.get(source["secretRef"]["name"], set())
            yield f"{where} Deployment {d['metadata']['name']}", command, names


def check_environment(results, renders):
    problems = []
    skipped = set()
    checked = 0
    documented = documented_defaults()
    instances = list(compose_instances())
    for where in ("overlays/dev", "overlays/prod"):
        instances += list(kubernetes_instances(where, renders[where]))
    read_by_service = {}
    for where, command, names in instances:
        read = variables_read(command)
        service = command[0]
        if read is None:
            skipped.add(" ".join(w for w in command if not w.startswith("-")))
            continue
        checked += 1
        read_by_service.setdefault(service, set()).update(read)
        for variable in sorted(read - names):
            services = documented.get(variable, set())
            if not services & {service, "all"}:
                problems.append(f"{where}: {service} reads {variable}; set it there or document its default in "
                                "deploy/env-defaults.md")
        for variable in sorted(names - read):
            services = documented.get(variable, set())
            if variable.startswith("KAFKA_") or OUTSIDE_HELP in services:
                continue
            problems.append(f"{where}: sets {variable}, which `{' '.join(command)} --help` does not list")
    for variable, services in sorted(documented.items()):
        if OUTSIDE_HELP in services:
            continue
        for service in sorted(services - {"all"}):
            if service in read_by_service and variable not in read_by_service[service]:
                problems.append(f"deploy/env-defaults.md: documents {variable} for {service}, which does not read it")
    note = f"{checked} service configurations checked"
    if skipped:
        note += "; not built yet, skipped: " + ", ".join(sorted(skipped))
    results.report("environment variables set in compose and Kubernetes, or documented", problems, note=note)
