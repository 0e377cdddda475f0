/// A command line or environment that cannot be turned into a configuration.
///
/// Messages name the flag, the environment variable and the offending value (unless the option is secret) so a
/// user can fix the problem without reading the source, for example
/// `--rate: "abc" is not a number (from RATE)`.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for callers that branch on it.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private let raw: String
        private init(_ raw: String) { self.raw = raw }

        /// A value could not be parsed or is out of range.
        public static let invalidValue = Kind("invalidValue")
        /// A required option was given neither as a flag nor through its environment variable.
        public static let missingValue = Kind("missingValue")
        /// A flag no option declares.
        public static let unknownOption = Kind("unknownOption")
        /// A positional argument nobody asked for.
        public static let unexpectedArgument = Kind("unexpectedArgument")
        /// The first argument is not a known subcommand (or there is none).
        public static let unknownSubcommand = Kind("unknownSubcommand")
        /// The program declared its options inconsistently (a bug, not a user error).
        public static let invalidDeclaration = Kind("invalidDeclaration")

        public var description: String { self.raw }
    }

    /// The category of the (first) problem.
    public var kind: Kind
    /// Human-readable text; several problems are separated by newlines.
    public var message: String

    /// Creates an error.
    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { self.message }

    /// Joins several problems into one error whose kind is the first problem's.
    static func combining(_ errors: [ConfigurationError]) -> ConfigurationError? {
        guard let first = errors.first else { return nil }
        return ConfigurationError(kind: first.kind, message: errors.map(\.message).joined(separator: "\n"))
    }
}
