#!/bin/sh
# One-shot job of compose.yaml: creates every SPEC topic (deploy/topics.txt) on the compose Kafka broker.
# Runs in the apache/kafka image (POSIX sh: the image is Alpine-based); idempotent (--if-not-exists), so
# `docker compose up` can run it every time. scripts/check-deploy.sh runs it against a stand-in kafka-topics.sh.
set -eu
bootstrap="${KAFKA_BOOTSTRAP_SERVERS:?set KAFKA_BOOTSTRAP_SERVERS}"
topics_file="${TOPICS_FILE:-/deploy/topics.txt}"
kafka_topics="${KAFKA_TOPICS_BIN:-/opt/kafka/bin/kafka-topics.sh}"
while read -r topic partitions config; do
    case "$topic" in ''|'#'*) continue ;; esac
    # An optional third column is one topic config, e.g. cleanup.policy=compact for salesforce.watermarks.
    set -- --bootstrap-server "$bootstrap" --create --if-not-exists \
        --topic "$topic" --partitions "$partitions" --replication-factor 1
    if [ -n "$config" ]; then set -- "$@" --config "$config"; fi
    "$kafka_topics" "$@"
done < "$topics_file"
"$kafka_topics" --bootstrap-server "$bootstrap" --describe | grep -E '^Topic:' || true
