/// A gRPC / `google.rpc.Code` status code, as Bigtable reports it for a whole RPC or for
/// one MutateRows entry.
///
/// Our own type so that no gRPC type appears in the public API; raw values are the wire codes.
public enum BigtableStatusCode: Int32, Sendable, Hashable, CaseIterable {
    case ok = 0
    case cancelled = 1
    case unknown = 2
    case invalidArgument = 3
    case deadlineExceeded = 4
    case notFound = 5
    case alreadyExists = 6
    case permissionDenied = 7
    case resourceExhausted = 8
    case failedPrecondition = 9
    case aborted = 10
    case outOfRange = 11
    case unimplemented = 12
    case `internal` = 13
    case unavailable = 14
    case dataLoss = 15
    case unauthenticated = 16

    /// Maps any wire value; values outside the gRPC range become ``unknown``.
    public init(wireValue: Int32) {
        self = BigtableStatusCode(rawValue: wireValue) ?? .unknown
    }

    /// A short, bounded name for logs and metric labels (`"UNAVAILABLE"`).
    public var name: String {
        switch self {
        case .ok: "OK"
        case .cancelled: "CANCELLED"
        case .unknown: "UNKNOWN"
        case .invalidArgument: "INVALID_ARGUMENT"
        case .deadlineExceeded: "DEADLINE_EXCEEDED"
        case .notFound: "NOT_FOUND"
        case .alreadyExists: "ALREADY_EXISTS"
        case .permissionDenied: "PERMISSION_DENIED"
        case .resourceExhausted: "RESOURCE_EXHAUSTED"
        case .failedPrecondition: "FAILED_PRECONDITION"
        case .aborted: "ABORTED"
        case .outOfRange: "OUT_OF_RANGE"
        case .unimplemented: "UNIMPLEMENTED"
        case .internal: "INTERNAL"
        case .unavailable: "UNAVAILABLE"
        case .dataLoss: "DATA_LOSS"
        case .unauthenticated: "UNAUTHENTICATED"
        }
    }
}

/// The outcome of one RPC or one MutateRows entry: a code and the server's message.
public struct BigtableStatus: Sendable, Hashable, CustomStringConvertible {
    /// The status code.
    public var code: BigtableStatusCode
    /// The server's human-readable message (may be empty).
    public var message: String

    /// Creates a status.
    public init(code: BigtableStatusCode, message: String = "") {
        self.code = code
        self.message = message
    }

    /// The success status.
    public static let ok = BigtableStatus(code: .ok)

    /// Whether the operation succeeded.
    public var isOK: Bool { code == .ok }

    /// Whether retrying the same idempotent operation may succeed.
    ///
    /// UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED and RESOURCE_EXHAUSTED are transient. INTERNAL
    /// is retried only for the transport hiccups Google's own clients retry (a reset stream or
    /// an unexpected end of stream); other INTERNAL errors are real server faults.
    public var isRetriable: Bool {
        switch code {
        case .unavailable, .deadlineExceeded, .aborted, .resourceExhausted:
            return true
        case .internal:
            let text = message.lowercased()
            return ["rst_stream", "rst stream", "unexpected eos", "stream terminated", "connection reset"]
                .contains { text.contains($0) }
        default:
            return false
        }
    }

    public var description: String {
        message.isEmpty ? code.name : "\(code.name): \(message)"
    }
}

extension BigtableStatusCode {
    /// A status that says the environment is wrong, not the record: the table or family is missing (NOT_FOUND),
    /// the service account lacks a role (PERMISSION_DENIED), credentials are missing or rejected
    /// (UNAUTHENTICATED), or the table is in a state that refuses writes (FAILED_PRECONDITION). Kafka Connect's
    /// Bigtable sink fails the task on these; a sink must wait them out (or stop), never dead-letter the records.
    public var isEnvironmentFault: Bool {
        switch self {
        case .notFound, .permissionDenied, .unauthenticated, .failedPrecondition: true
        default: false
        }
    }
}

extension BigtableError {
    /// Whether the whole request failed for an environment fault (see ``BigtableStatusCode/isEnvironmentFault``).
    public var isEnvironmentFault: Bool {
        kind == .authentication || (status?.code.isEnvironmentFault ?? false)
    }
}
