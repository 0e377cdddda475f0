"""Shared helpers of the deployment checks: the repository root, a result log, quoting and YAML helpers."""
import os
import re
import subprocess
import sys

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WORK = os.path.join(ROOT, ".build", "deploy-check")


class Results:
    """Collects named checks; each check appends its problems, none meaning it passed."""

    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0

    def report(self, name, problems, note=None):
        if problems:
            self.failed += 1
            print(f"FAIL {name}")
            for problem in problems:
                print(f"     - {problem}")
        else:
            self.passed += 1
            print(f"ok   {name}" + (f" ({note})" if note else ""))
        sys.stdout.flush()

    def skip(self, name, reason):
        self.skipped += 1
        print(f"skip {name}: {reason}")


def unquote(value):
    """python-hcl2 keeps string literals quoted: '"x"' -> 'x'."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def run(cmd, **kwargs):
    return subprocess.run(cmd, capture_output=True, text=True, **kwargs)


def kustomize(path):
    """Renders a kustomization with kubectl, returning its documents."""
    result = run(["kubectl", "kustomize", path])
    if result.returncode != 0:
        raise RuntimeError(f"kubectl kustomize {path}: {result.stderr.strip()}")
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}")


def interpolate_compose(text, environment=None):
    """Compose's variable interpolation with an empty environment: ${X:-default} -> default, ${X} -> ''."""
    environment = environment or {}
    text = text.replace("$$", "\0")
    text = INTERPOLATION.sub(lambda m: environment.get(m.group(1), m.group(2) or ""), text)
    return text.replace("\0", "$")


def load_compose():
    with open(os.path.join(ROOT, "compose.yaml")) as handle:
        return yaml.safe_load(interpolate_compose(handle.read()))


def topic_partitions_from_tfvars(path):
    import hcl2

    with open(path) as handle:
        tfvars = hcl2.load(handle)
    return {unquote(name): spec["partitions"] for name, spec in tfvars["topics"].items()}


def topic_partitions_from_topics_file():
    partitions = {}
    with open(os.path.join(ROOT, "deploy", "topics.txt")) as handle:
        for line in handle:
            fields = line.split()
            if fields and not fields[0].startswith("#"):
                partitions[fields[0]] = int(fields[1])
    return partitions
