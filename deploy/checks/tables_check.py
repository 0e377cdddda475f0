"""Bigtable tables: the compose init job (deploy/compose/create-tables.sh) and terraform/modules/bigtable declare the
same tables, families and garbage-collection modes; and, where cbt and the emulator are installed, the script runs
against a fresh emulator (twice: it must be idempotent) and the families come back with their policies."""
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time

import hcl2

from common import ROOT

SCRIPT = os.path.join(ROOT, "deploy", "compose", "create-tables.sh")
EMULATOR = "/usr/lib/google-cloud-sdk/platform/bigtable-emulator/cbtemulator"
MODES = {"or": "union", "and": "intersection"}


def script_tables():
    text = open(SCRIPT).read()
    block = re.search(r"tables='(.*?)'", text, re.S).group(1)
    tables = {}
    for line in block.strip().splitlines():
        table, family, *policy = line.split()
        mode = MODES[policy[1]] if len(policy) == 3 else None
        tables.setdefault(table, {})[family] = mode
    return tables


def terraform_tables():
    with open(os.path.join(ROOT, "terraform", "modules", "bigtable", "main.tf")) as handle:
        parsed = hcl2.load(handle)
    tables = {}
    for block in parsed["locals"]:
        for name, spec in block.get("tables", {}).items():
            mode = re.search(r"mode\s*=\s*\\?\"(\w+)", spec["gc_rules"]).group(1)
            tables[name] = {family.strip('"'): mode for family in spec["families"]}
    return tables


def check_tables(results):
    problems = []
    declared = script_tables()
    if declared != terraform_tables():
        problems.append(f"create-tables.sh {declared} differs from terraform {terraform_tables()}")
    note = "static comparison only: cbt or the emulator is missing"
    if shutil.which("cbt") and os.access(EMULATOR, os.X_OK):
        problems += run_against_emulator(declared)
        note = "and created twice on a fresh emulator"
    results.report("Bigtable tables: compose init job = terraform", problems, note=note)


def run_against_emulator(declared):
    problems = []
    with socket.socket() as probe:  # a free ephemeral port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    emulator = subprocess.Popen([EMULATOR, "-host", "127.0.0.1", "-port", str(port)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or emulator.poll() is not None:
                    return ["the Bigtable emulator did not start"]
                time.sleep(0.2)
        env = dict(os.environ, BIGTABLE_EMULATOR_HOST=f"127.0.0.1:{port}", BIGTABLE_PROJECT="check", BIGTABLE_INSTANCE="check")
        for attempt in (1, 2):
            result = subprocess.run(["bash", SCRIPT], env=env, capture_output=True, text=True, timeout=120)
            if result.returncode != 0:
                problems.append(f"create-tables.sh run {attempt} failed: {result.stderr.strip()[-400:]}")
                return problems
        creds = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
        creds.write("{}")
        creds.close()
        for table, families in declared.items():
            listing = subprocess.run(["cbt", "-project", "check", "-instance", "check", "-creds", creds.name, "ls", table],
                                     env=env, capture_output=True, text=True, timeout=60).stdout
            for family, mode in families.items():
                operator = "||" if mode == "union" else "&&"
                if not re.search(rf"^{family}\s+\(age\(\) > 730d {re.escape(operator)} versions\(\) > 1\)", listing, re.M):
                    problems.append(f"{table}/{family}: policy not as declared in:\n{listing}")
        os.unlink(creds.name)
    finally:
        emulator.terminate()
        emulator.wait(timeout=10)
    return problems
