/// The declaration of one command-line option: everything `--help`, validation and the start-up print need.
///
/// A spec is produced as a side effect of calling a typed accessor on ``ConfigReader``, so a service declares
/// each option exactly once and parsing, environment fallback, help text and redaction cannot drift apart.
public struct OptionSpec: Sendable, Equatable {
    /// The flag without its leading `--`, for example `metrics-port`.
    public var name: String
    /// The environment variable consulted when the flag is absent, for example `METRICS_PORT`.
    public var environment: String?
    /// One sentence for `--help`.
    public var help: String
    /// The default rendered for `--help`, or `nil` when the option has none (required or optional options).
    public var defaultDescription: String?
    /// Whether the value is a credential: it is then shown as `<redacted>` and never echoed in errors.
    public var isSecret: Bool
    /// The value placeholder for `--help`, for example `<int>`; `nil` for boolean switches.
    public var valuePlaceholder: String?
    /// Whether the flag may be given several times (key/value pass-through options).
    public var isRepeatable: Bool
    /// Whether a missing value is an error.
    public var isRequired: Bool
    /// The `--help` section the option is listed under.
    public var section: String
    /// Extra bracketed remarks for `--help`, such as `plain number: seconds`.
    public var notes: [String]

    /// Creates a spec; ``ConfigReader`` normally does this for you.
    public init(
        name: String,
        environment: String? = nil,
        help: String,
        defaultDescription: String? = nil,
        isSecret: Bool = false,
        valuePlaceholder: String? = "<value>",
        isRepeatable: Bool = false,
        isRequired: Bool = false,
        section: String = "Options",
        notes: [String] = []
    ) {
        self.name = name
        self.environment = environment
        self.help = help
        self.defaultDescription = defaultDescription
        self.isSecret = isSecret
        self.valuePlaceholder = valuePlaceholder
        self.isRepeatable = isRepeatable
        self.isRequired = isRequired
        self.section = section
        self.notes = notes
    }

    /// The flag as typed on the command line, `--name`.
    public var flag: String { "--" + self.name }
}

/// Where a resolved option value came from, for the start-up print.
public enum OptionSource: Sendable, Equatable, CustomStringConvertible {
    /// Given on the command line.
    case flag
    /// Read from the named environment variable.
    case environment(String)
    /// The declared default.
    case defaultValue
    /// Neither given nor defaulted (optional options).
    case unset

    public var description: String {
        switch self {
        case .flag: "flag"
        case .environment(let name): "env \(name)"
        case .defaultValue: "default"
        case .unset: "unset"
        }
    }
}

/// One line of ``ConfigReader/describe()``: an option's rendered value and its origin.
public struct ResolvedOption: Sendable, Equatable {
    /// The option's name without `--` (for key/value options, `name key`).
    public var name: String
    /// The value as printed, already redacted when secret.
    public var displayValue: String
    /// Where the value came from.
    public var source: OptionSource
}
