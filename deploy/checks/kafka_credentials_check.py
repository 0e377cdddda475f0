"""Managed Kafka credentials in the GKE overlays: every Deployment that logs in with SASL/PLAIN has a credentials
Secret of its own (one identity per service, so a leaked or revoked key is one service's), and that Secret's
password is the service-account key file base64-encoded, which is what Managed Kafka expects for SASL/PLAIN (the
ExternalSecret template must apply b64enc; Secret Manager holds the key file as downloaded)."""


def maps_and_secrets(docs):
    maps = {d["metadata"]["name"]: d.get("data") or {} for d in docs if d["kind"] == "ConfigMap"}
    templates = {d["spec"]["target"]["name"]: ((d["spec"]["target"].get("template") or {}).get("data") or {})
                 for d in docs if d["kind"] == "ExternalSecret"}
    return maps, templates


def check_render(where, docs, problems):
    maps, templates = maps_and_secrets(docs)
    owners = {}
    for deployment in (d for d in docs if d["kind"] == "Deployment"):
        name = deployment["metadata"]["name"]
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            sources = container.get("envFrom", [])
            env = {}
            for source in sources:
                env.update(maps.get(source.get("configMapRef", {}).get("name"), {}))
            if env.get("KAFKA_SASL_MECHANISMS") != "PLAIN":
                continue
            secrets = [s["secretRef"]["name"] for s in sources if "secretRef" in s]
            holding = [s for s in secrets if "KAFKA_SASL_PASSWORD" in templates.get(s, {})]
            if not holding:
                problems.append(f"{where}: {name} logs in with SASL/PLAIN but no ExternalSecret it reads sets "
                                "KAFKA_SASL_PASSWORD")
                continue
            for secret in holding:
                owners.setdefault(secret, []).append(name)
                if "b64enc" not in templates[secret]["KAFKA_SASL_PASSWORD"]:
                    problems.append(f"{where}: {secret}: KAFKA_SASL_PASSWORD is not base64-encoded; Managed Kafka "
                                    "expects the base64 of the service-account key file: use '{{ .key | b64enc }}'")
    for secret, deployments in sorted(owners.items()):
        if len(deployments) > 1:
            problems.append(f"{where}: Deployments {', '.join(sorted(deployments))} share the Kafka credentials "
                            f"{secret}; give each service its own identity (<service>-kafka-credentials)")


def check_kafka_credentials(results, renders):
    problems = []
    for where in sorted(w for w in renders if w.startswith("overlays/")):
        check_render(where, renders[where], problems)
    results.report("Managed Kafka: one SASL identity per service, password base64-encoded", problems)
