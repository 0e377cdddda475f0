/// Reads a typed configuration from command-line flags and environment variables.
///
/// Each typed accessor (``string(_:env:default:help:secret:)``, ``int(_:env:default:help:range:)``, …) both declares
/// an option and returns its value, so one line per option yields parsing, the environment fallback, the default,
/// the `--help` entry, validation and the redacted start-up print. Precedence is flag > environment > default.
///
/// Accessors never throw: problems are collected and ``finish()`` reports them all at once, after every option has
/// been declared, together with unknown flags and stray arguments. `--help`/`-h` anywhere makes ``finish()`` return
/// ``Outcome/help(_:)`` instead, even when other values are bad, so help always works.
///
/// Flags are written `--name value` or `--name=value`; boolean switches are `--name`, `--name=false` or `--no-name`.
/// An argument `--` ends the flags: everything after it is positional. An environment variable set to the empty
/// string counts as unset, so `METRICS_PORT=` in a compose file falls back to the default.
///
/// - Important: read positional arguments after all flags, because only then is it known which tokens are flag
///   values (`--limit 10 OBJECT`). ``finish()`` reports a declaration error if that order was broken.
public final class ConfigReader {
    /// What the caller should do after ``finish()``.
    public enum Outcome: Sendable, Equatable {
        /// The configuration is complete and valid.
        case proceed
        /// `--help` or `--version` was given: print this text to standard output and exit 0.
        case help(String)
    }

    /// The command as shown in the usage line, for example `generator events`.
    public var command: String
    /// One paragraph printed under the usage line by `--help`.
    public var summary: String
    /// The `--help` section that options declared from now on are listed under.
    public var section = "Options"

    let arguments: [String]
    let environment: [String: String]
    /// Index of a `--` terminator; tokens after it are always positional.
    let terminator: Int?
    /// Tokens already claimed by an option, a positional or `--help`.
    var consumed: [Bool]
    /// Tokens returned as positionals, to detect positionals read before the flags that own them.
    var handedOutPositionals: Set<Int> = []
    /// Switch tokens without `=`, to hint that a following stray word was meant as a value.
    var bareSwitches: Set<Int> = []
    var helpRequested = false
    var versionRequested = false
    var specs: [OptionSpec] = []
    var positionalSpecs: [PositionalSpec] = []
    var resolved: [ResolvedOption] = []
    var problems: [ConfigurationError] = []
    /// Environment variables taken by key/value options, mapped to that option's flag.
    var keyValueEnvironment: [String: String] = [:]

    /// Creates a reader.
    /// - Parameters:
    ///   - arguments: The arguments *without* the program name (`CommandLine.arguments.dropFirst()`).
    ///   - environment: The process environment (see ``ProcessEnvironment/current()``).
    ///   - command: The command as shown in `--help`'s usage line.
    ///   - summary: What the command does, for `--help`.
    public init(arguments: [String], environment: [String: String], command: String = "", summary: String = "") {
        self.arguments = arguments
        self.environment = environment
        self.command = command
        self.summary = summary
        self.terminator = arguments.firstIndex(of: "--")
        self.consumed = Array(repeating: false, count: arguments.count)
        if let terminator { self.consumed[terminator] = true }
        for index in arguments.indices where self.isBeforeTerminator(index) {
            if arguments[index] == "--help" || arguments[index] == "-h" {
                self.helpRequested = true
                self.consumed[index] = true
            }
            if arguments[index] == "--version" {
                self.versionRequested = true
                self.consumed[index] = true
            }
        }
    }

    /// Whether `--help` or `-h` was given.
    public var isHelpRequested: Bool { self.helpRequested }

    /// Every option declared so far, in declaration order.
    public var declaredOptions: [OptionSpec] { self.specs }

    /// Completes reading: reports collected problems, unknown flags and unexpected arguments, or the help text.
    /// - Returns: ``Outcome/help(_:)`` with the help text when `--help` was given, with the version line when
    ///   `--version` was, otherwise ``Outcome/proceed``.
    /// - Throws: ``ConfigurationError`` listing every problem, one per line.
    public func finish() throws(ConfigurationError) -> Outcome {
        if self.helpRequested { return .help(self.helpText()) }
        if self.versionRequested { return .help(BuildInfo.versionLine(program: self.command)) }
        var all = self.problems
        for index in self.arguments.indices where !self.consumed[index] {
            all.append(self.strayArgumentError(at: index))
        }
        for spec in self.specs {
            if let env = spec.environment, let owner = self.keyValueEnvironment[env] {
                all.append(
                    ConfigurationError(
                        kind: .invalidDeclaration,
                        message: "\(env) was read both for \(spec.flag) and as a \(owner) entry; "
                            + "declare \(owner) after \(spec.flag)"))
            }
        }
        if let error = ConfigurationError.combining(all) { throw error }
        return .proceed
    }

    // MARK: - Tokens

    func isBeforeTerminator(_ index: Int) -> Bool {
        guard let terminator else { return true }
        return index < terminator
    }

    /// Whether the token at `index` reads as a flag: `-x` or `--x`, but not `-` or a negative number.
    func isFlagLike(_ index: Int) -> Bool {
        let token = self.arguments[index]
        guard self.isBeforeTerminator(index), token.hasPrefix("-"), token.count > 1 else { return false }
        return Double(token) == nil
    }

    /// Splits `--name=value` into its parts; `nil` for tokens that are not long flags.
    func longFlag(at index: Int) -> (name: Substring, inline: String?)? {
        let token = self.arguments[index]
        guard self.isBeforeTerminator(index), token.hasPrefix("--"), token.count > 2 else { return nil }
        let body = token.dropFirst(2)
        guard let equals = body.firstIndex(of: "=") else { return (body, nil) }
        return (body[..<equals], String(body[body.index(after: equals)...]))
    }

    /// Claims a token, reporting a declaration error if it had been handed out as a positional argument.
    func claim(_ index: Int, by spec: OptionSpec) {
        if self.handedOutPositionals.contains(index) {
            self.problems.append(
                ConfigurationError(
                    kind: .invalidDeclaration,
                    message: "positional arguments were read before \(spec.flag), which takes "
                        + "\"\(self.arguments[index])\" as its value; read positionals last"))
        }
        self.consumed[index] = true
    }

    /// Result of looking a value-taking flag up.
    enum FlagLookup {
        case absent
        case values([String])
    }

    /// Claims every `--name value` / `--name=value` occurrence, in order.
    func takeFlagValues(for spec: OptionSpec) -> FlagLookup {
        var values: [String] = []
        var found = false
        var index = 0
        while index < self.arguments.count {
            defer { index += 1 }
            guard !self.consumed[index], let flag = self.longFlag(at: index), flag.name == spec.name else { continue }
            found = true
            self.claim(index, by: spec)
            if let inline = flag.inline {
                values.append(inline)
                continue
            }
            let next = index + 1
            // A token handed out as a positional is still this flag's value; claim() reports the misordering.
            guard next < self.arguments.count, self.isBeforeTerminator(next),
                !self.consumed[next] || self.handedOutPositionals.contains(next), !self.isFlagLike(next)
            else {
                self.problems.append(
                    ConfigurationError(kind: .missingValue, message: "\(spec.flag): missing value"))
                continue
            }
            self.claim(next, by: spec)
            values.append(self.arguments[next])
            index = next
        }
        return found ? .values(values) : .absent
    }

    /// Claims every `--name`, `--name=value` and `--no-name` occurrence; the last one wins.
    func takeSwitch(for spec: OptionSpec) -> String? {
        var result: String?
        for index in self.arguments.indices where !self.consumed[index] {
            guard let flag = self.longFlag(at: index) else { continue }
            if flag.name == spec.name {
                self.claim(index, by: spec)
                if flag.inline == nil { self.bareSwitches.insert(index) }
                result = flag.inline ?? "true"
            } else if flag.inline == nil, flag.name == "no-" + spec.name {
                self.claim(index, by: spec)
                result = "false"
            }
        }
        return result
    }

    /// The non-empty value of an environment variable.
    func environmentValue(_ name: String?) -> String? {
        guard let name, let value = self.environment[name], !value.isEmpty else { return nil }
        return value
    }

    // MARK: - Problems

    private func strayArgumentError(at index: Int) -> ConfigurationError {
        let token = self.arguments[index]
        if self.isFlagLike(index) {
            var message = "unknown option \(token.split(separator: "=", maxSplits: 1).first.map(String.init) ?? token)"
            if let suggestion = self.suggestion(for: token) { message += " (did you mean --\(suggestion)?)" }
            return ConfigurationError(kind: .unknownOption, message: message)
        }
        var message = "unexpected argument \"\(token)\""
        if index > 0, self.bareSwitches.contains(index - 1) {
            message += " (\(self.arguments[index - 1]) is a switch; write \(self.arguments[index - 1])=\(token))"
        }
        return ConfigurationError(kind: .unexpectedArgument, message: message)
    }

    /// The declared option closest to a mistyped flag, if it is close enough to be a typo.
    private func suggestion(for token: String) -> String? {
        let typed = String(token.drop(while: { $0 == "-" }).prefix(while: { $0 != "=" }))
        let candidates = self.specs.map(\.name) + ["help"]
        let scored = candidates.map { ($0, EditDistance.between(typed, $0)) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        return best.1 <= max(1, min(3, typed.count / 3)) ? best.0 : nil
    }
}

/// A declared positional argument, for `--help`.
struct PositionalSpec: Sendable, Equatable {
    var name: String
    var help: String
    var isRequired: Bool
    var isVariadic: Bool
}

/// Levenshtein distance, for "did you mean" hints on short option names.
enum EditDistance {
    /// The number of single-character edits turning `a` into `b`.
    static func between(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8)
        let b = Array(b.utf8)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = Array(repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
