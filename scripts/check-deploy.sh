#!/usr/bin/env bash
# Checks the deployment files without Docker or a cloud: terraform fmt and a parse with reference checks of every
# .tf file, tfvars and module arguments against their declared types, what a first apply on Google Cloud needs (NAT,
# node account, APIs, IAM conditions, authorized networks, table IAM order), compose.yaml against the Compose
# Specification schema and as it runs (documented `docker compose run` commands, Kafka's log dir, healthy waits),
# the rendered Kubernetes manifests against the Kubernetes schemas plus probes (/livez, /readyz), KEDA ownership of
# replica counts, cooperative rebalancing, GKE monitoring and alert rules, per-service Kafka identities and pinned
# images, environment variables against each built service's --help, every executable's --version, JSON log
# fields (severity/message), the Bigtable table definitions (run against the local emulator), the Dockerfile (pins,
# cache mounts, backtraces), the dashboards' metrics and labels, that the docs stand alone, and a checkov scan with
# the exceptions of deploy/checkov-exceptions.md. deploy/checks/selftest.py feeds each class of check a broken input it must reject.
# Installs its Python tools in .build/deploy-venv on first use (pinned versions, PyPI).
# Uses the executables of the last `swift build` (.build/debug, or TRIBUTARY_BIN_DIR) for the environment check.
set -euo pipefail
cd "$(dirname "$0")/.."

venvs=.build/deploy-venv
tools_requirements="kubernetes-validate==1.37.0 python-hcl2==8.1.4 jsonschema==4.26.0 PyYAML==6.0.4"
# docker-compose 1.29.2 is installed without its dependencies: only its copy of the Compose Specification schema is used.
schema_package="docker-compose==1.29.2"
checkov_requirement="checkov==3.3.30"

ensure_venv() {  # ensure_venv DIR STAMP-CONTENT INSTALL-COMMAND...
    local dir="$1" stamp="$2"; shift 2
    if [ "$(cat "$dir/.installed" 2>/dev/null)" != "$stamp" ]; then
        echo "check-deploy: installing $stamp into $dir (first run only)"
        rm -rf "$dir"
        python3 -m venv "$dir"
        "$dir/bin/pip" install -q --disable-pip-version-check "$@"
        echo "$stamp" > "$dir/.installed"
    fi
}

command -v terraform >/dev/null || echo "check-deploy: terraform not found on PATH: terraform fmt is skipped"
if ! command -v kubectl >/dev/null; then
    echo "check-deploy: installing kubectl"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get install -y -qq kubectl >/dev/null || { echo "check-deploy: kubectl not found and not installable"; exit 1; }
fi

ensure_venv "$venvs/tools" "$tools_requirements $schema_package" $tools_requirements
[ -f "$venvs/tools/.schema" ] || { "$venvs/tools/bin/pip" install -q --disable-pip-version-check --no-deps "$schema_package" && touch "$venvs/tools/.schema"; }
ensure_venv "$venvs/checkov" "$checkov_requirement" "$checkov_requirement"

status=0
(cd deploy/checks && "../../$venvs/tools/bin/python" run.py) || status=1

# checkov, offline: no platform mapping or guideline downloads. Each skipped check is a row of the exceptions file.
export BC_SKIP_MAPPING=TRUE CHECKOV_RUN_SCA_PACKAGE_SCAN_V2=false
skips() { sed -n "s/^| \`\\(CKV[A-Z0-9_]*\\)\` | $1 |.*/\\1/p" deploy/checkov-exceptions.md | paste -sd, -; }
rendered=.build/deploy-check
mkdir -p "$rendered"
kubectl kustomize deploy/k8s/overlays/dev > "$rendered/k8s-dev.yaml"
kubectl kustomize deploy/k8s/overlays/prod > "$rendered/k8s-prod.yaml"
checkov() {  # checkov NAME ARGS...: one scan, its failures printed, its verdict counted
    local name="$1"; shift
    local output
    if output="$("$venvs/checkov/bin/checkov" --quiet --compact --skip-download -o cli "$@" 2>&1)"; then
        echo "ok   checkov $name"
    else
        echo "FAIL checkov $name"; echo "$output" | sed 's/^/     /'; status=1
    fi
}
checkov terraform -d terraform --framework terraform --skip-check "$(skips terraform)"
checkov kubernetes -f "$rendered/k8s-dev.yaml" -f "$rendered/k8s-prod.yaml" --framework kubernetes --skip-check "$(skips kubernetes)"
checkov dockerfile -f Dockerfile --framework dockerfile
# deploy/.checkov.baseline holds the one accepted finding (see the exceptions file); anything new fails.
checkov "secrets (deploy/)" -d deploy --framework secrets --baseline deploy/.checkov.baseline
checkov "secrets (compose.yaml, terraform/, Dockerfile)" -d terraform -f compose.yaml -f Dockerfile --framework secrets

if [ "$status" -eq 0 ]; then echo "check-deploy: PASS"; else echo "check-deploy: FAIL"; fi
exit "$status"
