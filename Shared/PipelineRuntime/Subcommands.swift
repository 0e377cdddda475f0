import Glibc

/// A named subcommand of an executable, such as `generator events`.
public struct Subcommand: Sendable, Equatable {
    /// The word typed after the program name.
    public var name: String
    /// One line for the top-level help.
    public var summary: String

    /// Creates a subcommand entry.
    public init(_ name: String, summary: String) {
        self.name = name
        self.summary = summary
    }
}

/// The subcommands of one executable: splits `generator events --seed 1` and renders the top-level help.
public struct SubcommandTable: Sendable {
    /// What the caller should run.
    public enum Selection: Sendable, Equatable {
        /// Run `name` with the remaining arguments.
        case run(name: String, arguments: [String])
        /// `--help` (or nothing) was given before any subcommand: print this and exit 0.
        case help(String)
    }

    /// The program name, for example `generator`.
    public var program: String
    /// What the program does.
    public var summary: String
    /// The subcommands, in help order.
    public var subcommands: [Subcommand]

    /// Creates a table.
    public init(program: String, summary: String, subcommands: [Subcommand]) {
        self.program = program
        self.summary = summary
        self.subcommands = subcommands
    }

    /// Splits arguments into the first word and the rest; `nil` when the first argument is a flag or absent.
    public static func split(_ arguments: [String]) -> (name: String?, rest: [String]) {
        guard let first = arguments.first, !first.hasPrefix("-") else { return (nil, arguments) }
        return (first, Array(arguments.dropFirst()))
    }

    /// Chooses the subcommand named by the first argument.
    /// - Parameter arguments: The arguments without the program name.
    /// - Throws: ``ConfigurationError`` with kind `unknownSubcommand` for a missing or unknown name.
    public func select(_ arguments: [String]) throws(ConfigurationError) -> Selection {
        let (name, rest) = Self.split(arguments)
        guard let name else {
            if arguments.first == "--help" || arguments.first == "-h" { return .help(self.helpText()) }
            if arguments.first == "--version" { return .help(BuildInfo.versionLine(program: self.program)) }
            let names = self.subcommands.map(\.name).joined(separator: ", ")
            throw ConfigurationError(kind: .unknownSubcommand, message: "missing subcommand; one of: \(names)")
        }
        guard self.subcommands.contains(where: { $0.name == name }) else {
            var message = "unknown subcommand \"\(name)\""
            let closest = self.subcommands.min {
                EditDistance.between(name, $0.name) < EditDistance.between(name, $1.name)
            }
            if let closest, EditDistance.between(name, closest.name) <= 2 {
                message += " (did you mean \(closest.name)?)"
            }
            throw ConfigurationError(kind: .unknownSubcommand, message: message)
        }
        return .run(name: name, arguments: rest)
    }

    /// The top-level help listing the subcommands.
    public func helpText() -> String {
        var lines = ["Usage: \(self.program) <subcommand> [options]"]
        if !self.summary.isEmpty { lines += ["", self.summary] }
        lines += ["", "Subcommands:"]
        lines += HelpLayout.table(self.subcommands.map { ($0.name, $0.summary) })
        lines += ["", "Run '\(self.program) <subcommand> --help' for a subcommand's options; '\(self.program) --version' for the version."]
        return lines.joined(separator: "\n") + "\n"
    }
}

extension SubcommandTable {
    /// The `main` of an executable with subcommands: selects one from `arguments` and runs it, or prints the help
    /// (exit 0) or a usage error naming the choices (exit 2).
    /// - Parameter run: Runs the named subcommand with the remaining arguments; never returns.
    public func dispatch(
        _ arguments: [String] = ProcessEnvironment.arguments, _ run: @Sendable (String, [String]) async -> Never
    ) async -> Never {
        switch Result(catching: { () throws(ConfigurationError) in try select(arguments) }) {
        case .failure(let error):
            ProcessEnvironment.printError("\(program): \(error.message)\nSee '\(program) --help'.")
            exit(2)
        case .success(.help(let text)):
            print(text, terminator: "")
            exit(0)
        case .success(.run(let name, let rest)):
            await run(name, rest)
        }
    }
}
