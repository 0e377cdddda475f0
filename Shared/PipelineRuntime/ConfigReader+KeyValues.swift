extension ConfigReader {
    /// Declares a repeatable `--name key=value` pass-through option that also reads prefixed environment variables.
    ///
    /// `KAFKA_SECURITY_PROTOCOL=SASL_SSL` with `envPrefix: "KAFKA_"` becomes `security.protocol=SASL_SSL`: the prefix
    /// is stripped, the rest lowercased and `_` turned into `.`. Flags win over the environment for the same key.
    /// Environment variables that another declared option reads (such as `KAFKA_BOOTSTRAP_SERVERS` for
    /// `--bootstrap`) are skipped, so declare this option *after* those; ``finish()`` reports the mistake otherwise.
    /// Values of keys that look like credentials (``Redaction/isSecretKey(_:)``) are redacted in ``describe()``.
    ///
    /// - Parameters:
    ///   - name: The flag without `--`, for example `kafka-config`.
    ///   - envPrefix: The environment prefix, for example `KAFKA_`; `nil` reads no environment.
    ///   - excluding: Further environment variables under the prefix that are not pass-through settings.
    ///   - help: One sentence for `--help`.
    /// - Returns: The pairs sorted by key.
    public func keyValues(
        _ name: String, envPrefix: String?, excluding: Set<String> = [], help: String
    ) -> [(key: String, value: String)] {
        let spec = self.register(
            OptionSpec(
                name: name, environment: envPrefix.map { $0 + "*" }, help: help, valuePlaceholder: "<key=value>",
                isRepeatable: true,
                notes: envPrefix.map { ["\($0)SECURITY_PROTOCOL=x means security.protocol=x"] } ?? []))

        var merged: [String: (value: String, source: OptionSource)] = [:]
        if let envPrefix {
            let taken = Set(self.specs.compactMap(\.environment)).union(excluding)
            for (variable, value) in self.environment
            where variable.hasPrefix(envPrefix) && variable.count > envPrefix.count && !taken.contains(variable)
                && !value.isEmpty
            {
                let key = String(variable.dropFirst(envPrefix.count)).lowercased()
                    .split(separator: "_", omittingEmptySubsequences: false).joined(separator: ".")
                merged[key] = (value, .environment(variable))
                self.keyValueEnvironment[variable] = spec.flag
            }
        }
        if case .values(let values) = self.takeFlagValues(for: spec) {
            for pair in values {
                guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                    self.problems.append(
                        ConfigurationError(
                            kind: .invalidValue, message: "\(spec.flag): \"\(pair)\" is not key=value"))
                    continue
                }
                merged[String(pair[..<equals])] = (String(pair[pair.index(after: equals)...]), .flag)
            }
        }

        let sorted = merged.sorted { $0.key < $1.key }
        for (key, entry) in sorted {
            let shown = Redaction.isSecretKey(key) ? Redaction.placeholder : entry.value
            self.resolved.append(ResolvedOption(name: "\(name) \(key)", displayValue: shown, source: entry.source))
        }
        return sorted.map { (key: $0.key, value: $0.value.value) }
    }
}

extension ConfigReader {
    // MARK: - Positional arguments

    /// Indices of tokens that are neither flags nor claimed yet.
    private func freePositionalIndices() -> [Int] {
        self.arguments.indices.filter { !self.consumed[$0] && !self.isFlagLike($0) }
    }

    /// Declares and returns the next positional argument, if given. Call after declaring all flags.
    public func positional(_ name: String, help: String) -> String? {
        self.positionalSpecs.append(PositionalSpec(name: name, help: help, isRequired: false, isVariadic: false))
        guard let index = self.freePositionalIndices().first else { return nil }
        self.consumed[index] = true
        self.handedOutPositionals.insert(index)
        return self.arguments[index]
    }

    /// Declares the next positional argument as required; ``finish()`` fails without it. Returns `""` when missing.
    public func requiredPositional(_ name: String, help: String) -> String {
        self.positionalSpecs.append(PositionalSpec(name: name, help: help, isRequired: true, isVariadic: false))
        guard let index = self.freePositionalIndices().first else {
            self.problems.append(ConfigurationError(kind: .missingValue, message: "missing argument <\(name)>"))
            return ""
        }
        self.consumed[index] = true
        self.handedOutPositionals.insert(index)
        return self.arguments[index]
    }

    /// Declares and returns all remaining positional arguments (including everything after `--`).
    public func positionals(_ name: String, help: String) -> [String] {
        self.positionalSpecs.append(PositionalSpec(name: name, help: help, isRequired: false, isVariadic: true))
        let indices = self.freePositionalIndices()
        for index in indices {
            self.consumed[index] = true
            self.handedOutPositionals.insert(index)
        }
        return indices.map { self.arguments[$0] }
    }
}

extension ConfigReader {
    // MARK: - Cross-option rules

    /// Reports a rule that spans several options (for example "--expect needs --total"); ``finish()`` lists it
    /// with the other problems.
    public func require(_ condition: Bool, _ message: String) {
        if !condition { self.problems.append(ConfigurationError(kind: .invalidValue, message: message)) }
    }
}
