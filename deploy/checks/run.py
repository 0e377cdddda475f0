"""Runs every deployment check (not checkov, which has its own environment); exits 1 when one fails."""
import sys

import compose_checks
import compose_runtime_checks
import dashboard_check
import docs_check
import dockerfile_check
import env_checks
import k8s_checks
import log_format_check
import k8s_scaling_checks
import monitoring_checks
import kafka_credentials_check
import image_check
import selftest
import tables_check
import terraform_checks
import terraform_gcp_checks
import terraform_types_check
import topics_check
import version_check
from common import Results


def main():
    results = Results()
    terraform_checks.check_fmt(results)
    terraform_checks.check_references(results)
    terraform_types_check.check_types(results)
    terraform_gcp_checks.check_gcp(results)
    compose_checks.check_compose(results)
    compose_runtime_checks.check_compose_runtime(results)
    try:
        renders = k8s_checks.render_all()
    except RuntimeError as error:
        results.report("kubectl kustomize", [str(error)])
        renders = None
    if renders:
        k8s_checks.check_kubernetes(results, renders)
        k8s_scaling_checks.check_scaling(results, renders)
        monitoring_checks.check_monitoring(results, renders)
        kafka_credentials_check.check_kafka_credentials(results, renders)
        image_check.check_images(results, renders)
        env_checks.check_environment(results, renders)
    tables_check.check_tables(results)
    topics_check.check_topics(results)
    dockerfile_check.check_dockerfile(results)
    dashboard_check.check_dashboard(results)
    docs_check.check_docs(results)
    version_check.check_versions(results)
    log_format_check.check_log_format(results)
    selftest.run_selftest(results, renders)
    print(f"deploy-checks: {results.passed} passed, {results.failed} failed")
    return 1 if results.failed else 0


if __name__ == "__main__":
    sys.exit(main())
