# syntax=docker/dockerfile:1
# One image with every Tributary executable; a container picks its service with its command, e.g.
# `transformer` or `generator events --rate 50000` (compose.yaml and deploy/k8s do exactly that).
#
#   docker build -t tributary:dev .
#
# Builder: the Swift toolchain plus the -dev packages Package.swift links against (librdkafka, protobuf-c, libcurl).
# Runtime: Ubuntu with only the matching shared libraries, the Swift runtime libraries the executables load, and curl
# for the health check. The executables are linked dynamically against one shared copy of the Swift runtime, which
# is smaller than seven statically linked copies of Foundation and its ICU data.
#
# Reproducible: every dependency must resolve to the version pinned in deploy/package-versions.txt, or the build fails
# (no Package.resolved is tracked: its revisions differ between package mirrors; version tags are the pins). Fast: BuildKit cache mounts keep
# SwiftPM's checkouts and .build between builds, so a source edit recompiles Tributary, not gRPC, NIO and BoringSSL.
# Debuggable: a crash prints a backtrace (Swift's swift-backtrace, symbol names kept).

FROM swift:6.3-noble AS builder
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        librdkafka-dev libprotobuf-c-dev libcurl4-openssl-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Resolve in their own layer, so editing sources does not fetch them again, and check the result against the pins:
# a package that resolves to another version fails the build (update the pins deliberately: docs/deploy.md).
COPY Package.swift ./
COPY deploy/package-versions.txt deploy/verify-package-versions.sh ./deploy/
RUN --mount=type=cache,id=tributary-swiftpm,target=/root/.cache/org.swift.swiftpm \
    --mount=type=cache,id=tributary-build,target=/src/.build \
    swift package resolve \
    && sh deploy/verify-package-versions.sh deploy/package-versions.txt Package.resolved
COPY . .
# The services and the operator CLI; c-relay (the benchmark's C relay) stays out of the image. .build is a cache
# mount (not part of any layer), so the executables are copied out in the same step. Debug info is stripped, symbol
# names kept, so crash backtraces name functions. The Swift runtime libraries the executables and the backtracer
# load (found by the dynamic loader itself) are collected once.
ARG PRODUCTS="generator transformer bigtable-writer aggregator extractor cdc-router alerting tributary"
RUN --mount=type=cache,id=tributary-swiftpm,target=/root/.cache/org.swift.swiftpm \
    --mount=type=cache,id=tributary-build,target=/src/.build \
    set -eu; \
    for product in ${PRODUCTS}; do swift build -c release --force-resolved-versions --product "$product"; done; \
    bin="$(swift build -c release --show-bin-path)"; \
    mkdir -p /out/bin /out/swift /out/libexec; \
    for product in ${PRODUCTS}; do install -m 0755 "$bin/$product" /out/bin/ && strip --strip-debug "/out/bin/$product"; done; \
    install -m 0755 /usr/libexec/swift/linux/swift-backtrace /out/libexec/; \
    ldd /out/bin/* /out/libexec/swift-backtrace | awk '$3 ~ /\/swift\// { print $3 }' | sort -u | xargs -r -I{} cp -L {} /out/swift/

FROM ubuntu:24.04 AS runtime
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        librdkafka1 libprotobuf-c1 libcurl4t64 libstdc++6 ca-certificates curl tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 tributary \
    && useradd --system --uid 10001 --gid tributary --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin tributary
COPY --from=builder /out/swift/ /usr/lib/swift/linux/
RUN echo /usr/lib/swift/linux > /etc/ld.so.conf.d/swift.conf && ldconfig
COPY --from=builder /out/bin/ /usr/local/bin/
# Where the runtime looks for the backtracer beside /usr/lib/swift/linux; named in SWIFT_BACKTRACE too.
COPY --from=builder /out/libexec/swift-backtrace /usr/libexec/swift/linux/swift-backtrace
COPY config/ /etc/tributary/
# Containers listen on all interfaces, on one port for /metrics and the probes (/livez, /readyz) whatever the service, log JSON lines,
# and keep the broker-address file (only used without KAFKA_BOOTSTRAP_SERVERS) somewhere writable.
# A crash prints every thread's backtrace to stderr (so into the container's log), non-interactively, with paths
# sanitised; the process still exits with the signal, so Kubernetes restarts it as before.
ENV METRICS_HOST=0.0.0.0 \
    METRICS_PORT=9100 \
    LOG_FORMAT=json \
    TRIBUTARY_STATE_DIR=/tmp/tributary \
    SWIFT_BACKTRACE=enable=yes,interactive=no,threads=all,sanitize=yes,swift-backtrace=/usr/libexec/swift/linux/swift-backtrace
USER 10001:10001
WORKDIR /tmp
EXPOSE 9100
# /readyz answers 200 while the service can do work and 503 while a dependency is down or it is shutting down
# (/livez is for liveness; /healthz stays an alias of /readyz).
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${METRICS_PORT}/readyz" || exit 1
CMD ["tributary", "--help"]
