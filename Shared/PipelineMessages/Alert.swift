internal import CPipelineProto

/// A condition worth a human's attention, or its resolution; topic `pipeline.alerts`, keyed by ``key``
/// so a firing alert and its resolution stay ordered and alerting can deduplicate.
public struct Alert: PipelineMessage {
    /// Stable identity of the condition, e.g. `"dlq_rate#transformer"`.
    public var key: String
    public var severity: Severity
    public var status: Status
    /// Service instance that raised it, e.g. `"transformer-1"`.
    public var source: String
    /// One line for the notification title; no payload data.
    public var summary: String
    public var detail: String
    /// Bounded, low-cardinality context, e.g. `topic`, `stage`, `reason`.
    public var labels: [String: String]
    /// When the condition was observed, epoch milliseconds.
    public var timeMs: Int64

    public init(
        key: String = "", severity: Severity = .unspecified, status: Status = .unspecified, source: String = "",
        summary: String = "", detail: String = "", labels: [String: String] = [:], timeMs: Int64 = 0
    ) {
        self.key = key
        self.severity = severity
        self.status = status
        self.source = source
        self.summary = summary
        self.detail = detail
        self.labels = labels
        self.timeMs = timeMs
    }

    public enum Severity: Int32, Sendable, Hashable, CaseIterable {
        case unspecified = 0
        case info = 1
        case warning = 2
        case critical = 3
    }

    /// Whether the condition holds; not to be confused with the ``PipelineMessages/Status`` message.
    public enum Status: Int32, Sendable, Hashable, CaseIterable {
        case unspecified = 0
        case firing = 1
        case resolved = 2
    }

    public init(decoding bytes: UnsafeRawBufferPointer) throws(MessageDecodingError) {
        self = try Self.decodeProtobufC(bytes)
    }

    public func encode() -> [UInt8] { encodeProtobufC() }
}

extension Alert.Severity: ProtobufCEnum {}
extension Alert.Status: ProtobufCEnum {}

extension Alert: ProtobufCConvertible {
    static var cInitializer: (UnsafeMutablePointer<Tributary__V1__Alert>?) -> Void { tributary__v1__alert__init }

    init(cMessage c: Tributary__V1__Alert) throws(MessageDecodingError) {
        key = String(protobufC: c.key)
        severity = try Severity(cValue: c.severity, field: "severity")
        status = try Status(cValue: c.status, field: "status")
        source = String(protobufC: c.source)
        summary = String(protobufC: c.summary)
        detail = String(protobufC: c.detail)
        labels = Dictionary(cCount: c.n_labels, c.labels) { ($0.key, String(protobufC: $0.value)) }
        timeMs = c.time_ms
    }

    func fill(_ c: inout Tributary__V1__Alert, in arena: EncodingArena) {
        c.key = arena.string(key)
        c.severity = severity.cValue()
        c.status = status.cValue()
        c.source = arena.string(source)
        c.summary = arena.string(summary)
        c.detail = arena.string(detail)
        (c.n_labels, c.labels) = arena.map(labels, initializer: tributary__v1__alert__labels_entry__init) {
            entry, key, value in
            entry.key = key
            entry.value = arena.string(value)
        }
        c.time_ms = timeMs
    }
}
