"""compose.yaml as it behaves at run time, beyond the schema: every `docker compose run` command the docs show runs
a Tributary executable (and one of its subcommands) once the service's entrypoint is applied; Kafka's data volume is
mounted where the broker writes (KAFKA_LOG_DIRS); a dependency with a health check is waited for healthy, not just
started; and the Bigtable writers recreate their tables, since the emulator restarts empty."""
import glob
import os
import re
import shlex

from common import ROOT, load_compose

DOC_GLOBS = ["README.md", "docs/**/*.md", "deploy/**/*.md", "compose.yaml"]
RUN = re.compile(r"docker compose run\s+([^`|#\n]*)")
OPTIONS_WITH_VALUE = {"-e", "--env", "-u", "--user", "-w", "--workdir", "--name", "-v", "--volume", "-p", "--publish",
                      "-l", "--label", "--entrypoint"}
TABLE_WRITERS = {"bigtable-writer", "aggregator"}


def products():
    text = open(os.path.join(ROOT, "Dockerfile")).read()
    return set(re.search(r'ARG PRODUCTS="([^"]*)"', text).group(1).split())


def subcommands():
    """Executable -> its first-level subcommands, from each SubcommandTable(program: ...)."""
    tables = {}
    for path in glob.glob(os.path.join(ROOT, "Services", "*", "Entrypoint.swift")) + \
            glob.glob(os.path.join(ROOT, "Tools", "*", "Entrypoint.swift")):
        text = open(path).read()
        program = re.search(r'SubcommandTable\(\s*program:\s*"([^"]+)"', text)
        if program:
            tables[program.group(1)] = set(re.findall(r'Subcommand\("([^"]+)"', text))
    return tables


def documented_runs():
    for pattern in DOC_GLOBS:
        for path in sorted(glob.glob(os.path.join(ROOT, pattern), recursive=True)):
            for number, line in enumerate(open(path), 1):
                for match in RUN.finditer(line):
                    yield f"{os.path.relpath(path, ROOT)}:{number}", shlex.split(match.group(1))


def split_run(words):
    """`[options] SERVICE [ARGS...]` -> (service, args)."""
    index = 0
    while index < len(words) and words[index].startswith("-"):
        index += 2 if words[index] in OPTIONS_WITH_VALUE else 1
    if index >= len(words):
        return None, []
    return words[index], words[index + 1:]


def as_list(value):
    if value is None:
        return []
    return shlex.split(value) if isinstance(value, str) else list(value)


def check_runs(services, problems):
    executables, tables = products(), subcommands()
    count = 0
    for where, words in documented_runs():
        count += 1
        service, args = split_run(words)
        if service not in services:
            problems.append(f"{where}: `docker compose run {' '.join(words)}`: no service {service}")
            continue
        spec = services[service]
        if "build" not in spec:
            continue  # another project's image: its entrypoint is not ours to check
        argv = as_list(spec.get("entrypoint")) + (args or as_list(spec.get("command")))
        if not argv or argv[0] not in executables:
            problems.append(f"{where}: `docker compose run {' '.join(words)}` runs {argv[:1]}, not an executable of the "
                            f"image (the image has no ENTRYPOINT): give service {service} an entrypoint such as "
                            f"[\"tributary\"]")
        elif argv[0] in tables and len(argv) > 1 and not argv[1].startswith("-") and argv[1] not in tables[argv[0]]:
            problems.append(f"{where}: `{' '.join(argv)}`: {argv[0]} has no subcommand {argv[1]}")
    return count


def check_kafka_volume(services, problems):
    for name, spec in services.items():
        if not str(spec.get("image", "")).startswith("apache/kafka") or "init" in name:
            continue
        log_dirs = (spec.get("environment") or {}).get("KAFKA_LOG_DIRS")
        mounts = [volume.split(":")[1] for volume in spec.get("volumes") or []
                  if isinstance(volume, str) and not volume.startswith((".", "/"))]
        if not mounts:
            problems.append(f"{name}: the broker keeps its data in the container layer; mount a named volume")
        elif log_dirs not in mounts:
            problems.append(f"{name}: data volume mounted at {mounts}, but KAFKA_LOG_DIRS is {log_dirs or 'unset'} (the "
                            "image's default is /tmp/kraft-combined-logs); set KAFKA_LOG_DIRS to the mount path")


def has_healthcheck(spec):
    check = spec.get("healthcheck")
    if check is not None:
        return not check.get("disable")
    return "build" in spec  # the Tributary image has a HEALTHCHECK


def check_waits(services, problems):
    for name, spec in services.items():
        depends = spec.get("depends_on") or {}
        for dependency, condition in (depends.items() if isinstance(depends, dict) else []):
            if (condition or {}).get("condition") == "service_started" and has_healthcheck(services.get(dependency, {})):
                problems.append(f"{name}: waits for {dependency} to start, though it has a health check; use "
                                "condition: service_healthy")


def check_health_paths(services, problems):
    for name, spec in services.items():
        test = " ".join(as_list((spec.get("healthcheck") or {}).get("test")))
        if "build" in spec and "127.0.0.1:9100" in test and "/readyz" not in test:
            problems.append(f"{name}: the health check probes {test!r}; use /readyz, the readiness endpoint")


def check_tables_recreated(services, problems):
    for name, spec in services.items():
        command = as_list(spec.get("command"))
        environment = spec.get("environment") or {}
        if command and command[0] in TABLE_WRITERS and "BIGTABLE_EMULATOR_HOST" in environment:
            if str(environment.get("BIGTABLE_CREATE_TABLES", "false")).lower() != "true":
                problems.append(f"{name}: writes to the emulator, which restarts empty, but does not create its "
                                "tables at start; set BIGTABLE_CREATE_TABLES: \"true\"")


def check_compose_runtime(results):
    problems = []
    services = load_compose().get("services", {})
    count = check_runs(services, problems)
    check_kafka_volume(services, problems)
    check_waits(services, problems)
    check_tables_recreated(services, problems)
    check_health_paths(services, problems)
    results.report("compose: documented `docker compose run` commands, Kafka log dir, healthy waits, emulator tables",
                   problems, note=f"{count} documented run commands")
