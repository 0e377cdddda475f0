"""Kubernetes scaling, in every rendered kustomization: a Deployment a KEDA ScaledObject scales sets no
`spec.replicas` (with both, each `kubectl apply -k` resets KEDA's count), rolls out with a surge that grows with
its size and no capacity lost (maxSurge a percentage, maxUnavailable 0), and every consumer group member
rebalances cooperatively (partition.assignment.strategy=cooperative-sticky), so a rollout or scale step moves
only the partitions that change owner."""

COOPERATIVE = "cooperative-sticky"


def config_maps(docs):
    return {d["metadata"]["name"]: d.get("data") or {} for d in docs if d["kind"] == "ConfigMap"}


def environment(deployment, maps):
    values = {}
    for container in deployment["spec"]["template"]["spec"]["containers"]:
        for source in container.get("envFrom", []):
            if "configMapRef" in source:
                values.update(maps.get(source["configMapRef"]["name"], {}))
        values.update({item["name"]: item.get("value") for item in container.get("env", [])})
    return values


def check_render(where, docs, problems):
    scaled = {d["spec"]["scaleTargetRef"]["name"] for d in docs if d["kind"] == "ScaledObject"}
    maps = config_maps(docs)
    for deployment in (d for d in docs if d["kind"] == "Deployment"):
        name = deployment["metadata"]["name"]
        spec = deployment["spec"]
        if name in scaled:
            if "replicas" in spec:
                problems.append(f"{where}: Deployment {name} sets replicas: {spec['replicas']} but KEDA scales it; "
                                "remove replicas (and its entry in the overlay's replicas list)")
            rolling = (spec.get("strategy") or {}).get("rollingUpdate") or {}
            if not str(rolling.get("maxSurge", "")).endswith("%") or rolling.get("maxUnavailable") != 0:
                problems.append(f"{where}: Deployment {name}: rollingUpdate maxSurge {rolling.get('maxSurge')!r}, "
                                f"maxUnavailable {rolling.get('maxUnavailable')!r}; use a percentage surge and "
                                "maxUnavailable 0, or a rollout of many pods is one rebalance per pod")
        values = environment(deployment, maps)
        if "KAFKA_GROUP_ID" in values and values.get("KAFKA_PARTITION_ASSIGNMENT_STRATEGY") != COOPERATIVE:
            problems.append(f"{where}: Deployment {name} consumes as group {values['KAFKA_GROUP_ID']} with eager "
                            f"rebalancing; set KAFKA_PARTITION_ASSIGNMENT_STRATEGY={COOPERATIVE}")


def check_scaling(results, renders):
    problems = []
    for where, docs in renders.items():
        check_render(where, docs, problems)
    results.report("KEDA-scaled Deployments: no fixed replicas, percentage surge, cooperative rebalancing", problems)
