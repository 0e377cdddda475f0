"""Dockerfile: every executable product of Package.swift but the benchmark's C relay is in the image's PRODUCTS;
the runtime stage runs as a non-root user and has a HEALTHCHECK on /readyz; base images are pinned to a version.
The build is reproducible and incremental: it resolves exactly the pins of deploy/Package.resolved (tracked in git,
let through .dockerignore, covering every package Package.swift depends on; the root Package.resolved stays
untracked), and the swift build step keeps .build in a BuildKit cache mount. The runtime image prints a backtrace
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
    if not re.search(r"^COPY deploy/Package\.resolved \S*Package\.resolved", builder, re.M):
        problems.append("the builder does not copy deploy/Package.resolved in as Package.resolved: dependency versions "
                        "float, so two builds of one commit may differ")
    if "--force-resolved-versions" not in builder:
        problems.append("the builder does not resolve with --force-resolved-versions (pins could be overridden silently)")
    build_step = next((step for step in re.split(r"\n(?=[A-Z]+ )", builder) if "swift build" in step), "")
    if not re.search(r"--mount=type=cache,[^\s]*target=/src/\.build", build_step):
        problems.append("the swift build step has no BuildKit cache mount on /src/.build: every edit rebuilds gRPC, NIO "
                        "and BoringSSL")
    pins_path = os.path.join(ROOT, "deploy", "Package.resolved")
    if not os.path.exists(pins_path):
        return problems + ["deploy/Package.resolved does not exist: run `swift package resolve` and copy it there"]
    pinned = {pin["location"].rstrip("/").removesuffix(".git").lower() for pin in json.load(open(pins_path))["pins"]}
    for url in re.findall(r'\.package\(url:\s*"([^"]+)"', package):
        if url.rstrip("/").removesuffix(".git").lower() not in pinned:
            problems.append(f"deploy/Package.resolved has no pin for {url}")
    tracked = run(["git", "-C", ROOT, "ls-files", "--error-unmatch", "deploy/Package.resolved"]).returncode == 0
    ignored = run(["git", "-C", ROOT, "check-ignore", "-q", "deploy/Package.resolved"]).returncode == 0
    if ignored:
        problems.append("deploy/Package.resolved is git-ignored; add !/deploy/Package.resolved to .gitignore")
    elif not tracked:
        problems.append("deploy/Package.resolved is not in git")
    if run(["git", "-C", ROOT, "ls-files", "--error-unmatch", "Package.resolved"]).returncode == 0:
        problems.append("the root Package.resolved is tracked; it stays out of git (the image uses deploy/'s)")
    dockerignore = open(os.path.join(ROOT, ".dockerignore")).read().split()
    if "deploy/" in dockerignore and "!deploy/Package.resolved" not in dockerignore:
        problems.append(".dockerignore drops deploy/ without letting deploy/Package.resolved through")
    return problems


def backtrace_problems(runtime):
    problems = []
    setting = re.search(r"SWIFT_BACKTRACE=(\S+)", runtime)
    if not setting or "enable=yes" not in setting.group(1):
        problems.append("the runtime stage does not set SWIFT_BACKTRACE=enable=yes,...: a crash leaves no backtrace")
    if not re.search(r"^COPY .*swift-backtrace", runtime, re.M):
        problems.append("the runtime stage has no swift-backtrace binary (the runtime needs it to print backtraces)")
    return problems
