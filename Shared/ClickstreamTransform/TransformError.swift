/// Why the transformer could not be set up (a rules file that does not load); bad records are never errors.
public struct TransformError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The rules file could not be read.
        case unreadableRules
        /// The rules file is not valid JSON or not the expected shape.
        case malformedRules
        /// One rule is invalid (unknown field, unsupported pattern, bad bounds…); `detail` names it.
        case invalidRule
    }

    public var kind: Kind
    /// What went wrong, naming the file and rule.
    public var detail: String

    public init(kind: Kind, detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var description: String { "\(kind): \(detail)" }
}
