/// Why a raw string is not a valid value, phrased to follow the quoted value: `is not a number`.
struct InvalidValue: Error {
    var reason: String
}

extension ConfigReader {
    /// Records a declaration, rejecting duplicates and the reserved `help`.
    func register(_ spec: OptionSpec) -> OptionSpec {
        var spec = spec
        spec.section = self.section
        if spec.name == "help" || self.specs.contains(where: { $0.name == spec.name }) {
            self.problems.append(
                ConfigurationError(kind: .invalidDeclaration, message: "option \(spec.flag) is declared twice"))
        } else {
            self.specs.append(spec)
        }
        return spec
    }

    /// Resolves one single-valued option: flag, then environment, then default.
    ///
    /// - Parameters:
    ///   - spec: The declaration, without its default description (filled in here from `defaultValue`).
    ///   - defaultValue: Used when neither flag nor environment is set, and after a bad value so callers can go on.
    ///   - isSwitch: Whether the flag is a boolean switch that takes no separate value.
    ///   - render: How a value is printed in `--help` and ``describe()``.
    ///   - parse: Turns the raw text into a value or says why it cannot.
    /// - Returns: The value, or `nil` when unset without a default.
    func resolve<Value>(
        _ spec: OptionSpec,
        default defaultValue: Value?,
        isSwitch: Bool = false,
        render: (Value) -> String,
        parse: (String) -> Result<Value, InvalidValue>
    ) -> Value? {
        var spec = spec
        spec.defaultDescription = defaultValue.map(render)
        spec = self.register(spec)

        let lookup = self.rawValue(for: spec, isSwitch: isSwitch)
        if case .reported = lookup {
            self.record(spec, display: "", source: .flag)
            return defaultValue
        }
        guard case .found(let raw, let source) = lookup else {
            if let defaultValue {
                self.record(spec, display: render(defaultValue), source: .defaultValue)
                return defaultValue
            }
            if spec.isRequired { self.problems.append(self.missingError(spec)) }
            self.record(spec, display: "", source: .unset)
            return nil
        }
        switch parse(raw) {
        case .success(let value):
            self.record(spec, display: render(value), source: source)
            return value
        case .failure(let invalid):
            self.problems.append(self.invalidValueError(spec, raw: raw, reason: invalid.reason, source: source))
            self.record(spec, display: raw, source: source)
            return defaultValue
        }
    }

    /// The outcome of looking up an option's raw text.
    private enum RawLookup {
        case found(String, OptionSource)
        case absent
        /// The flag was given without a value; that is already reported, so there is no fallback either.
        case reported
    }

    /// The raw text for an option and where it came from; the last flag occurrence wins.
    private func rawValue(for spec: OptionSpec, isSwitch: Bool) -> RawLookup {
        if isSwitch {
            if let value = self.takeSwitch(for: spec) { return .found(value, .flag) }
        } else if case .values(let values) = self.takeFlagValues(for: spec) {
            return values.last.map { .found($0, .flag) } ?? .reported
        }
        if let env = spec.environment, let value = self.environmentValue(env) {
            return .found(value, .environment(env))
        }
        return .absent
    }

    /// Appends a line for ``describe()``, redacting secrets.
    func record(_ spec: OptionSpec, display: String, source: OptionSource) {
        let shown = spec.isSecret && !display.isEmpty ? Redaction.placeholder : display
        self.resolved.append(ResolvedOption(name: spec.name, displayValue: shown, source: source))
    }

    // MARK: - Messages

    /// `--rate: "abc" is not a number (from RATE)`; secret values are never echoed.
    func invalidValueError(_ spec: OptionSpec, raw: String, reason: String, source: OptionSource)
        -> ConfigurationError
    {
        let shown = spec.isSecret ? Redaction.placeholder : "\"\(raw)\""
        var message = "\(spec.flag): \(shown) \(reason)"
        switch source {
        case .environment(let name):
            message += " (from \(name))"
        case .flag, .defaultValue, .unset:
            if let env = spec.environment { message += " (from the command line; env \(env))" }
        }
        return ConfigurationError(kind: .invalidValue, message: message)
    }

    /// `--bootstrap is required (or set KAFKA_BOOTSTRAP_SERVERS)`.
    func missingError(_ spec: OptionSpec) -> ConfigurationError {
        var message = "\(spec.flag) is required"
        if let env = spec.environment { message += " (or set \(env))" }
        return ConfigurationError(kind: .missingValue, message: message)
    }
}
