/// What a decoder made of one fuzz input.
public enum FuzzOutcome: Sendable, Equatable {
    /// Decoded (and, where the format has an encoder, re-encoded to the same value).
    case accepted
    /// Refused with a typed error: `kind` is a bounded name (the error type and its reason code), `message` the
    /// error's description, which must not be empty.
    case rejected(kind: String, message: String)
    /// A broken contract that did not crash the process: a round trip that changed the value, an error with no
    /// description. Counted as a failure, with the input kept for the report.
    case failed(String)
}

extension FuzzOutcome {
    /// Runs `decode`: a thrown error is a rejection named by `kind(error)` (default: the error's type); a value
    /// is accepted when `contract` finds nothing wrong with it (it returns what is wrong, e.g. a round trip that
    /// changed the value).
    public static func checking<T, E: Error>(
        kind: (E) -> String = { "\(type(of: $0))" }, _ decode: () throws(E) -> T,
        contract: (T) -> String? = { _ in nil }
    ) -> FuzzOutcome {
        let value: T
        do throws(E) {
            value = try decode()
        } catch {
            return rejection(kind: kind(error), message: String(describing: error))
        }
        return contract(value).map(FuzzOutcome.failed) ?? .accepted
    }

    /// For parsers whose documented rejection is `nil` (header values, flags): `nil` is a rejection of kind
    /// `kind` explained by `meaning`, a value is checked by `contract`.
    public static func optional<T>(
        _ value: T?, kind: String, meaning: String, contract: (T) -> String? = { _ in nil }
    ) -> FuzzOutcome {
        guard let value else { return rejection(kind: kind, message: meaning) }
        return contract(value).map(FuzzOutcome.failed) ?? .accepted
    }

    /// A rejection, or a failure when the message says nothing.
    public static func rejection(kind: String, message: String) -> FuzzOutcome {
        message.allSatisfy(\.isWhitespace)
            ? .failed("\(kind): rejection without a description") : .rejected(kind: kind, message: message)
    }
}
