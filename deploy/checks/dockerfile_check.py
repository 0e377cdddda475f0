"""Dockerfile: every executable product of Package.swift but the benchmark's C relay is in the image's PRODUCTS;
the runtime stage runs as a non-root user and has a HEALTHCHECK on /readyz; base images are pinned to a version."""
import os
import re

from common import ROOT


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
    not_yet = sorted(listed - products)
    note = "listed but not yet products: " + ", ".join(not_yet) if not_yet else None
    results.report("Dockerfile products, non-root user, health check", problems, note=note)
