// swift-tools-version:6.2
import PackageDescription

// Every Swift target opts into the same strictness Hummingbird uses.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let inMemoryLogging: Target.Dependency = .product(name: "InMemoryLogging", package: "swift-log")
let metrics: Target.Dependency = .product(name: "Metrics", package: "swift-metrics")
let metricsTestKit: Target.Dependency = .product(name: "MetricsTestKit", package: "swift-metrics")
let cryptoExtras: Target.Dependency = .product(name: "_CryptoExtras", package: "swift-crypto")
let prometheus: Target.Dependency = .product(name: "Prometheus", package: "swift-prometheus")
let lifecycle: Target.Dependency = .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
// gRPC and NIO: only BigtableProto, PipelineBigtable and its tests use them (a first build takes minutes).
let grpcCore: Target.Dependency = .product(name: "GRPCCore", package: "grpc-swift-2")
let grpcProtobuf: Target.Dependency = .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf")
let grpcHTTP2: Target.Dependency = .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport")
let swiftProtobuf: Target.Dependency = .product(name: "SwiftProtobuf", package: "swift-protobuf")
let nioCore: Target.Dependency = .product(name: "NIOCore", package: "swift-nio")
let nioHTTP2: Target.Dependency = .product(name: "NIOHTTP2", package: "swift-nio-http2")

let package = Package(
    name: "tributary",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "generator", targets: ["Generator"]),
        .executable(name: "tributary", targets: ["Tributary"]),
        .executable(name: "bigtable-writer", targets: ["BigtableWriter"]),
        .executable(name: "transformer", targets: ["Transformer"]),
        .executable(name: "aggregator", targets: ["Aggregator"]),
        .executable(name: "cdc-router", targets: ["CdcRouter"]),
        .executable(name: "alerting", targets: ["Alerting"]),
        .executable(name: "c-relay", targets: ["CRelay"]),
        .executable(name: "extractor", targets: ["Extractor"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.46.0"),
    ],
    targets: [
        // MARK: - C interop: one system library per C dependency, imported only by the module that wraps it.
        .systemLibrary(
            name: "CRdKafka", path: "Shared/CRdKafka", pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"]), .brew(["librdkafka"])]),
        .systemLibrary(
            name: "CProtobufC", path: "Shared/CProtobufC", pkgConfig: "libprotobuf-c",
            providers: [.apt(["libprotobuf-c-dev"]), .brew(["protobuf-c"])]),
        .systemLibrary(
            name: "CCurl", path: "Shared/CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]),
        .target(
            name: "CPipelineProto", dependencies: ["CProtobufC"], path: "Shared/CPipelineProto",
            publicHeadersPath: "include"),

        // MARK: - Shared library
        .target(
            name: "PipelineMessages", dependencies: ["CPipelineProto", "CProtobufC"],
            path: "Shared/PipelineMessages", swiftSettings: strictSettings),
        .target(
            name: "PipelineKafka", dependencies: ["CRdKafka", "PipelineRuntime", logging, metrics, lifecycle],
            path: "Shared/PipelineKafka", swiftSettings: strictSettings),
        .target(
            name: "PipelineRuntime", dependencies: [logging, metrics, prometheus, lifecycle],
            path: "Shared/PipelineRuntime", swiftSettings: strictSettings),
        .target(
            name: "PipelineHTTP", dependencies: ["CCurl", "PipelineRuntime", logging, metrics],
            path: "Shared/PipelineHTTP", swiftSettings: strictSettings),
        // Google OAuth2 access tokens for the Bigtable client; kept apart so PipelineHTTP users skip swift-crypto.
        .target(
            name: "GoogleAuth", dependencies: ["PipelineHTTP", cryptoExtras, logging],
            path: "Shared/GoogleAuth", swiftSettings: strictSettings),
        .target(
            name: "ClickstreamModel", dependencies: [],
            path: "Shared/ClickstreamModel", swiftSettings: strictSettings),
        // The transformer's pure hot path: JSON bytes → validated, cleaned, encoded CleanEvent (no Kafka, no I/O).
        .target(
            name: "ClickstreamTransform", dependencies: ["PipelineMessages"],
            path: "Shared/ClickstreamTransform", swiftSettings: strictSettings),
        // Committed output of scripts/generate-bigtable-proto.sh: a build needs no code generator.
        .target(
            name: "BigtableProto", dependencies: [swiftProtobuf, grpcCore, grpcProtobuf],
            path: "Shared/BigtableProto", swiftSettings: strictSettings),
        .target(
            name: "PipelineBigtable",
            dependencies: ["BigtableProto", grpcCore, grpcProtobuf, grpcHTTP2, swiftProtobuf, nioCore, nioHTTP2,
                           logging, metrics, lifecycle],
            path: "Shared/PipelineBigtable", swiftSettings: strictSettings),

        // Service code shared across stages that needs both Kafka and the messages (dead letters, stage metrics).
        .target(
            name: "PipelineStage",
            dependencies: ["PipelineKafka", "PipelineMessages", "PipelineRuntime", logging, metrics, lifecycle],
            path: "Shared/PipelineStage", swiftSettings: strictSettings),
        // The Bigtable tables' schemas (row keys, families, GC rules, row mapping) and the client set-up.
        .target(
            name: "PipelineTables",
            dependencies: [
                "PipelineBigtable", "PipelineMessages", "PipelineRuntime", "GoogleAuth", "PipelineHTTP", "SalesforceRecords",
                logging, lifecycle,
            ],
            path: "Shared/PipelineTables", swiftSettings: strictSettings),
        // The aggregator's pure core: per-partition windows, lateness, exactness rules (no Kafka, no I/O).
        .target(
            name: "PipelineAggregation", dependencies: ["PipelineTables", "PipelineBigtable", "PipelineMessages"],
            path: "Shared/PipelineAggregation", swiftSettings: strictSettings),

        // Alerting's pure core (alert book, delivery queue, lag/heartbeat/dead-letter watches) and its webhook
        // sender and lag probe; shared by the alerting service and `tributary status`.
        .target(
            name: "PipelineAlerting",
            dependencies: ["PipelineKafka", "PipelineMessages", "PipelineRuntime", "PipelineHTTP", logging, metrics],
            path: "Shared/PipelineAlerting", swiftSettings: strictSettings),

        // Salesforce names and keys shared by the extractor, the cdc-router, the writer and their tests.
        .target(name: "SalesforceRecords", dependencies: [], path: "Shared/SalesforceRecords", swiftSettings: strictSettings),
        // The cdc-router's pure core: change-event validation, per-record fan-out, ordering and duplicate dropping,
        // gap and overflow re-read requests (no Kafka, no I/O).
        .target(
            name: "SalesforceRouting", dependencies: ["PipelineMessages", "SalesforceRecords"],
            path: "Shared/SalesforceRouting", swiftSettings: strictSettings),
        // The synthetic, seeded Salesforce org (records, change timeline, describe, CDC events): pure, no I/O; the
        // generator's simulator and CDC stream serve it and the tests check the pipeline against it.
        .target(
            name: "SalesforceModel", dependencies: ["PipelineMessages", "SalesforceRecords"],
            path: "Shared/SalesforceModel", swiftSettings: strictSettings),
        // The extractor's pure pieces: strict JSON, SOQL from described names, watermarks, API budget, row mapping.
        .target(
            name: "SalesforceExtraction", dependencies: ["PipelineMessages", "SalesforceRecords"],
            path: "Shared/SalesforceExtraction", swiftSettings: strictSettings),

        // The fuzz engine (a seeded, deterministic mutation loop) and the targets of every decoder of outside input
        // that needs no gRPC; the tests' short runs and `tributary fuzz` share it.
        .target(
            name: "PipelineFuzzing",
            dependencies: [
                "PipelineMessages", "ClickstreamModel", "ClickstreamTransform", "SalesforceExtraction", "SalesforceRouting",
                "PipelineHTTP", "PipelineRuntime", "PipelineAlerting",
            ],
            path: "Shared/PipelineFuzzing", swiftSettings: strictSettings),
        // The fuzz targets that need the Bigtable client or Google auth (ReadRows chunks, aggregate cells, OAuth2
        // token answers), and the list of all targets.
        .target(
            name: "PipelineFuzzingGoogle",
            dependencies: [
                "PipelineFuzzing", "PipelineBigtable", "PipelineTables", "BigtableProto", "GoogleAuth", "PipelineHTTP",
                swiftProtobuf,
            ],
            path: "Shared/PipelineFuzzingGoogle", swiftSettings: strictSettings),

        // MARK: - Services and tools
        .executableTarget(
            name: "Generator",
            dependencies: [
                "PipelineKafka", "PipelineMessages", "PipelineRuntime", "ClickstreamModel", "SalesforceModel", logging,
                metrics, lifecycle,
            ],
            path: "Services/generator", exclude: ["README.md"], swiftSettings: strictSettings),
        .executableTarget(
            name: "Transformer",
            dependencies: ["PipelineKafka", "PipelineMessages", "PipelineRuntime", "PipelineStage", "ClickstreamTransform",
                           logging, metrics, lifecycle],
            path: "Services/transformer", swiftSettings: strictSettings),
        .executableTarget(
            name: "BigtableWriter",
            dependencies: ["PipelineKafka", "PipelineMessages", "PipelineRuntime", "PipelineStage", "PipelineTables",
                           "PipelineBigtable", logging, metrics, lifecycle],
            path: "Services/bigtable-writer", swiftSettings: strictSettings),
        .executableTarget(
            name: "Aggregator",
            dependencies: ["PipelineKafka", "PipelineMessages", "PipelineRuntime", "PipelineStage", "PipelineTables",
                           "PipelineBigtable", "PipelineAggregation", logging, metrics, lifecycle],
            path: "Services/aggregator", swiftSettings: strictSettings),
        .executableTarget(
            name: "CdcRouter",
            dependencies: ["PipelineKafka", "PipelineMessages", "PipelineRuntime", "PipelineStage", "SalesforceRecords",
                           "SalesforceRouting", logging, metrics, lifecycle],
            path: "Services/cdc-router", swiftSettings: strictSettings),
        .executableTarget(
            name: "Alerting",
            dependencies: ["PipelineAlerting", "PipelineKafka", "PipelineMessages", "PipelineRuntime", "PipelineHTTP",
                           logging, metrics, lifecycle],
            path: "Services/alerting", swiftSettings: strictSettings),
        .executableTarget(
            name: "Tributary",
            dependencies: [
                "PipelineKafka", "PipelineMessages", "PipelineRuntime", "ClickstreamModel", "ClickstreamTransform",
                "PipelineTables", "PipelineBigtable", "PipelineAggregation", "PipelineAlerting", "SalesforceRecords",
                "PipelineFuzzing", "PipelineFuzzingGoogle", "PipelineStage", logging, metrics, lifecycle,
            ],
            path: "Tools/tributary", swiftSettings: strictSettings),
        .executableTarget(
            name: "Extractor",
            dependencies: ["PipelineKafka", "PipelineMessages", "PipelineRuntime", "PipelineStage", "PipelineHTTP",
                           "SalesforceExtraction", "SalesforceRecords", logging, metrics, lifecycle],
            path: "Services/extractor", swiftSettings: strictSettings),
        .executableTarget(
            name: "CRelay", dependencies: ["CRdKafka"], path: "Benchmarks/c-relay", exclude: ["README.md"]),

        // MARK: - Tests
        .testTarget(
            name: "PipelineMessagesTests", dependencies: ["PipelineMessages"], path: "Tests/PipelineMessagesTests"),
        .testTarget(
            name: "PipelineKafkaTests", dependencies: ["PipelineKafka", "PipelineRuntime", logging], path: "Tests/PipelineKafkaTests"),
        .testTarget(
            name: "PipelineRuntimeTests", dependencies: ["PipelineRuntime", logging, inMemoryLogging, metrics, lifecycle],
            path: "Tests/PipelineRuntimeTests"),
        // A loopback HTTP/1.1 server whose every byte the tests script; shared by the HTTP and auth tests only.
        .target(name: "HTTPTestSupport", path: "Tests/HTTPTestSupport", swiftSettings: strictSettings),
        .testTarget(
            name: "PipelineHTTPTests",
            dependencies: [
                "PipelineHTTP", "PipelineRuntime", "HTTPTestSupport", logging, inMemoryLogging, metrics, metricsTestKit,
            ],
            path: "Tests/PipelineHTTPTests"),
        .testTarget(
            name: "GoogleAuthTests",
            dependencies: ["GoogleAuth", "PipelineHTTP", "HTTPTestSupport", cryptoExtras, logging],
            path: "Tests/GoogleAuthTests"),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["PipelineKafka", "PipelineMessages", "PipelineRuntime", "ClickstreamModel", "PipelineBigtable", "PipelineTables",
                           "BigtableTestSupport", "HTTPTestSupport", "SalesforceExtraction", "SalesforceModel",
                           "SalesforceRecords", logging],
            path: "Tests/EndToEndTests"),
        .testTarget(
            name: "ClickstreamModelTests", dependencies: ["ClickstreamModel", "PipelineMessages"],
            path: "Tests/ClickstreamModelTests"),
        // Starts a private Bigtable emulator for a test; shared by the Bigtable and end-to-end tests.
        .target(
            name: "BigtableTestSupport", dependencies: ["PipelineBigtable", logging],
            path: "Tests/BigtableTestSupport", swiftSettings: strictSettings),
        .testTarget(
            name: "ClickstreamTransformTests",
            dependencies: ["ClickstreamTransform", "ClickstreamModel", "PipelineMessages"],
            path: "Tests/ClickstreamTransformTests"),
        .testTarget(
            name: "PipelineBigtableTests",
            dependencies: [
                "PipelineBigtable", "BigtableProto", "BigtableTestSupport", grpcCore, grpcHTTP2, nioCore, logging,
                swiftProtobuf,
            ],
            path: "Tests/PipelineBigtableTests", swiftSettings: strictSettings),
        .testTarget(
            name: "PipelineTablesTests", dependencies: ["PipelineTables", "PipelineBigtable", "PipelineMessages"],
            path: "Tests/PipelineTablesTests", swiftSettings: strictSettings),
        .testTarget(
            name: "PipelineAggregationTests",
            dependencies: ["PipelineAggregation", "PipelineTables", "PipelineBigtable", "PipelineMessages"],
            path: "Tests/PipelineAggregationTests"),
        .testTarget(
            name: "SalesforceExtractionTests", dependencies: ["SalesforceExtraction", "PipelineMessages"],
            path: "Tests/SalesforceExtractionTests"),
        .testTarget(
            name: "PipelineAlertingTests",
            dependencies: ["PipelineAlerting", "PipelineMessages", "PipelineHTTP", "HTTPTestSupport", logging,
                           inMemoryLogging],
            path: "Tests/PipelineAlertingTests"),
        .testTarget(
            name: "SalesforceRecordsTests", dependencies: ["SalesforceRecords"], path: "Tests/SalesforceRecordsTests"),
        .testTarget(
            name: "SalesforceRoutingTests",
            dependencies: ["SalesforceRouting", "SalesforceRecords", "PipelineMessages", "PipelineTables", "PipelineBigtable",
                           "BigtableTestSupport", logging],
            path: "Tests/SalesforceRoutingTests"),
        .testTarget(
            name: "GeneratorTests",
            dependencies: ["Generator", "SalesforceModel", "PipelineRuntime", "PipelineHTTP", logging],
            path: "Tests/GeneratorTests"),
        .testTarget(
            name: "TributaryTests", dependencies: ["Tributary", "PipelineMessages"], path: "Tests/TributaryTests"),
        .testTarget(
            name: "PipelineFuzzingTests", dependencies: ["PipelineFuzzing", "PipelineFuzzingGoogle"],
            path: "Tests/PipelineFuzzingTests"),
        .testTarget(
            name: "SalesforceModelTests", dependencies: ["SalesforceModel", "SalesforceRecords", "PipelineMessages"],
            path: "Tests/SalesforceModelTests"),
    ]
)
