"""The documentation stands alone: README.md, docs/ and deploy/ never point at files outside the repository (the
project workspace's ../shared/ is not shipped), every relative link and #anchor they use resolves, the runbook
docs/deploy.md has its sections (first deploy, scaling, Bigtable and Kafka incidents, rotating secrets, reading lag),
and every runbook link the alert rules carry lands on a heading."""
import glob
import os
import re

from common import ROOT

DOCS = ["README.md", "docs/**/*.md", "deploy/**/*.md"]
OUTSIDE = re.compile(r"(?:\.\./)+shared/|(?<![\w/])shared/[A-Za-z_-]+\.md")
LINK = re.compile(r"\]\(([^)\s]+)\)")
RUNBOOK_LINK = re.compile(r"(docs/[a-z-]+\.md)#([a-z0-9-]+)")
RUNBOOK_SECTIONS = ["first deploy", "scaling", "bigtable", "kafka", "rotating secrets", "reading lag"]


def slug(heading):
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path):
    with open(path) as handle:
        return {slug(line.lstrip("#")) for line in handle if line.startswith("#")}


def markdown_files():
    for pattern in DOCS:
        yield from sorted(glob.glob(os.path.join(ROOT, pattern), recursive=True))


def check_links(path, problems):
    where = os.path.relpath(path, ROOT)
    text = open(path).read()
    for number, line in enumerate(text.splitlines(), 1):
        if OUTSIDE.search(line):
            problems.append(f"{where}:{number}: points outside the repository ({OUTSIDE.search(line).group(0)}); bring "
                            "what readers need into docs/")
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target) or target.startswith("#") and not target[1:]:
            continue
        file_part, _, anchor = target.partition("#")
        resolved = os.path.normpath(os.path.join(os.path.dirname(path), file_part)) if file_part else path
        if not os.path.exists(resolved):
            problems.append(f"{where}: link {target} does not resolve")
        elif anchor and resolved.endswith(".md") and anchor not in anchors(resolved):
            problems.append(f"{where}: link {target}: no heading #{anchor} in {os.path.relpath(resolved, ROOT)}")


def check_runbook(problems):
    runbook = os.path.join(ROOT, "docs", "deploy.md")
    if not os.path.exists(runbook):
        problems.append("docs/deploy.md (the runbook) does not exist")
        return
    headings = " ".join(sorted(anchors(runbook))).replace("-", " ")
    for section in RUNBOOK_SECTIONS:
        if section not in headings:
            problems.append(f"docs/deploy.md has no section on {section}")
    for path in glob.glob(os.path.join(ROOT, "deploy", "k8s", "**", "*.yaml"), recursive=True):
        for document, anchor in RUNBOOK_LINK.findall(open(path).read()):
            target = os.path.join(ROOT, document)
            if not os.path.exists(target) or anchor not in anchors(target):
                problems.append(f"{os.path.relpath(path, ROOT)}: runbook link {document}#{anchor} has no such heading")


def check_docs(results):
    problems = []
    files = list(markdown_files())
    for path in files:
        check_links(path, problems)
    check_runbook(problems)
    results.report("documentation stands alone: no ../shared/ references, links resolve, runbook complete", problems,
                   note=f"{len(files)} markdown files")
