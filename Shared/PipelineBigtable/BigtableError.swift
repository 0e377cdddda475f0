/// The one error type of PipelineBigtable.
///
/// Callers branch on ``kind`` and ``isRetriable``; ``status`` carries the gRPC status when the
/// server (or the transport) produced one.
public struct BigtableError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, coarsely.
    public enum Kind: Sendable, Hashable {
        /// An RPC failed; ``BigtableError/status`` says how.
        case rpcFailed
        /// The server sent a ReadRows chunk sequence that breaks the protocol's rules.
        case invalidReadRowsResponse
        /// The server sent a MutateRows response that does not match the request's entries.
        case invalidMutateRowsResponse
        /// The caller passed something Bigtable would reject (empty row key, too many mutations…).
        case invalidArgument
        /// The configuration or environment is unusable (malformed `BIGTABLE_EMULATOR_HOST`…).
        case configuration
        /// Getting an access token failed.
        case authentication
        /// The retry deadline passed while the RPC itself kept failing.
        case retriesExhausted
    }

    /// What went wrong.
    public var kind: Kind
    /// The gRPC status, when there is one.
    public var status: BigtableStatus?
    /// A constant-ish explanation; never contains cell values or tokens.
    public var message: String

    /// Creates an error.
    public init(_ kind: Kind, status: BigtableStatus? = nil, message: String) {
        self.kind = kind
        self.status = status
        self.message = message
    }

    /// Whether trying again later (with backoff) may succeed.
    ///
    /// True for RPC failures with a retriable status and for exhausted retries (the backend
    /// was down for longer than the deadline: the caller should pause, not dead-letter).
    public var isRetriable: Bool {
        switch kind {
        case .rpcFailed, .retriesExhausted:
            return status?.isRetriable ?? false
        case .authentication:
            return true
        case .invalidReadRowsResponse, .invalidMutateRowsResponse, .invalidArgument, .configuration:
            return false
        }
    }

    public var description: String {
        if let status { return "BigtableError.\(kind): \(message) (\(status))" }
        return "BigtableError.\(kind): \(message)"
    }
}
