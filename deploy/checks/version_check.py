"""Every executable of the image answers `--version` with the one shared version (BuildInfo.version), exit 0: what
an operator asks a running pod first (`kubectl exec ... -- transformer --version`). Uses the built executables
(.build/debug or TRIBUTARY_BIN_DIR) like the environment check; one not built yet is skipped with a note."""
import glob
import os
import re

from common import ROOT, run
from compose_runtime_checks import products
from env_checks import BIN_DIR


def shared_version():
    """BuildInfo.version, wherever in PipelineRuntime the enum lives."""
    for path in sorted(glob.glob(os.path.join(ROOT, "Shared", "PipelineRuntime", "*.swift"))):
        found = re.search(r'enum BuildInfo\b.*?static let version = "([^"]+)"', open(path).read(), re.S)
        if found:
            return found.group(1)
    raise RuntimeError("BuildInfo.version not found in Shared/PipelineRuntime")


def check_versions(results):
    problems, skipped = [], []
    version = shared_version()
    for product in sorted(products()):
        binary = os.path.join(BIN_DIR, product)
        if not os.access(binary, os.X_OK):
            skipped.append(product)
            continue
        result = run([binary, "--version"], timeout=30)
        if result.returncode != 0 or result.stdout.strip() != f"{product} {version}":
            problems.append(f"`{product} --version` exited {result.returncode} with {result.stdout.strip()[:80]!r} "
                            f"{result.stderr.strip()[:120]!r}; expected '{product} {version}' (BuildInfo.version)")
    note = "not built yet, skipped: " + ", ".join(skipped) if skipped else None
    results.report("every executable answers --version with BuildInfo.version", problems, note=note)
