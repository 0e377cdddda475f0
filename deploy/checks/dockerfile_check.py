"""Dockerfile: every executable product of Package.swift but the benchmark's C relay is in the image's PRODUCTS;
the runtime stage runs as a non-root user and has a HEALTHCHECK on /readyz; base images are pinned to a version.
The build is reproducible and incremental: it verifies every resolved package against the versions pinned in
deploy/package-versions.txt (tracked in git, let through .dockerignore, covering every package Package.swift depends
on; no Package.resolved is tracked anywhere), and the swift build step keeps .build in a BuildKit cache mount. The runtime image prints a backtrace
on a crash: SWIFT_BACKTRACE enables it and the swift-backtrace binary is in the image."""
import json
import os
import re

from common import ROOT, run



def check_dockerfile(results):
    problems = []
    text = open(os.path.join(ROOT, "Dockerfile")).read()
    package = open(os.path.join(ROOT, "Package.swift")).read()
    products = set(re.findall(r'\.executable\(name:\s*"([^"]+)"', package)) - {"c-relay"}
    listed = set(re.search(r'ARG PRODUCTS="([^"]*)"', text).group(1).split())
    for product in sorted(products - listed):
        problems.append(f"executable product {product} is not in the Dockerfile's PRODUCTS")
    runtime = text.split("AS runtime", 1)[-1]
    user = re.search(r"^USER\s+(\S+)", runtime, re.M)
    if not user or user.group(1).split(":")[0] in ("root", "0"):
        problems.append("the runtime stage does not switch to a non-root USER")
    if not re.search(r"^HEALTHCHECK .*\n?.*?/readyz", runtime, re.M):
        problems.append("the runtime stage has no HEALTHCHECK on /readyz (the readiness endpoint)")
    for image in re.findall(r"^FROM\s+(\S+)", text, re.M):
        if ":" not in image or image.endswith(":latest"):
            problems.append(f"base image {image} is not pinned to a version")
    problems += build_problems(text, package)
    problems += backtrace_problems(runtime)
    not_yet = sorted(listed - products)
    note = "listed but not yet products: " + ", ".join(not_yet) if not_yet else None
    results.report("Dockerfile: products, non-root, /readyz health check, pinned and cached build, backtraces", problems,
                   note=note)


def build_problems(text, package):
    problems = []
    builder = text.split("AS runtime", 1)[0]
    if not re.search(r"^COPY deploy/package-versions\.txt", builder, re.M) or "verify-package-versions.sh" not in builder:
        problems.append("the builder does not check the resolved packages against deploy/package-versions.txt: "
                        "dependency versions float, so two builds of one commit may differ")
    build_step = next((step for step in re.split(r"\n(?=[A-Z]+ )", builder) if "swift build" in step), "")
    if not re.search(r"--mount=type=cache,[^\s]*target=/src/\.build", build_step):
        problems.append("the swift build step has no BuildKit cache mount on /src/.build: every edit rebuilds gRPC, NIO "
                        "and BoringSSL")
    pins_path = os.path.join(ROOT, "deploy", "package-versions.txt")
    if not os.path.exists(pins_path):
        return problems + ["deploy/package-versions.txt does not exist: pin every package's location and version there"]
    pinned = {line.split()[0].rstrip("/").removesuffix(".git").lower()
              for line in open(pins_path) if line.strip() and not line.startswith("#")}
    for url in re.findall(r'\.package\(url:\s*"([^"]+)"', package):
        if url.rstrip("/").removesuffix(".git").lower() not in pinned:
            problems.append(f"deploy/package-versions.txt has no pin for {url}")
    if run(["git", "-C", ROOT, "ls-files", "--error-unmatch", "deploy/package-versions.txt"]).returncode != 0:
        problems.append("deploy/package-versions.txt is not in git")
    resolved = run(["git", "-C", ROOT, "ls-files", "*Package.resolved"]).stdout.strip()
    if resolved:
        problems.append(f"a Package.resolved is tracked ({resolved}): its revisions differ between package mirrors; "
                        "pin versions in deploy/package-versions.txt instead")
    dockerignore = open(os.path.join(ROOT, ".dockerignore")).read().split()
    if "deploy/" in dockerignore and "!deploy/package-versions.txt" not in dockerignore:
        problems.append(".dockerignore drops deploy/ without letting deploy/package-versions.txt through")
    return problems


def backtrace_problems(runtime):
    problems = []
    setting = re.search(r"SWIFT_BACKTRACE=(\S+)", runtime)
    if not setting or "enable=yes" not in setting.group(1):
        problems.append("the runtime stage does not set SWIFT_BACKTRACE=enable=yes,...: a crash leaves no backtrace")
    if not re.search(r"^COPY .*swift-backtrace", runtime, re.M):
        problems.append("the runtime stage has no swift-backtrace binary (the runtime needs it to print backtraces)")
    return problems
