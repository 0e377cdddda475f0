/// A failure to start the operations endpoint.
public struct OperationsServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What failed.
    public enum Kind: Sendable, Equatable {
        /// The address did not resolve, or binding/listening failed (port in use, permission).
        case bindFailed
        /// The accept thread could not be created.
        case threadFailed
        /// `start()` after `stop()`: a stopped server cannot be restarted.
        case stopped
    }

    /// What failed.
    public var kind: Kind
    /// Human-readable detail including the address.
    public var message: String
    /// The system error code, when there is one.
    public var errno: Int32?

    /// Creates an error.
    public init(kind: Kind, message: String, errno: Int32? = nil) {
        self.kind = kind
        self.message = message
        self.errno = errno
    }

    public var description: String { self.message }
}
