extension ConfigReader {
    // MARK: - Strings

    /// Declares a string option with a default.
    /// - Parameters:
    ///   - name: The flag without `--`.
    ///   - env: The environment variable consulted when the flag is absent.
    ///   - default: The value when neither is set.
    ///   - help: One sentence for `--help`.
    ///   - secret: Whether to redact the value in ``describe()`` and errors.
    public func string(
        _ name: String, env: String? = nil, default defaultValue: String, help: String, secret: Bool = false
    ) -> String {
        let spec = OptionSpec(name: name, environment: env, help: help, isSecret: secret, valuePlaceholder: "<string>")
        return self.resolve(spec, default: defaultValue, render: { $0 }, parse: { .success($0) }) ?? defaultValue
    }

    /// Declares a string option that must be given; ``finish()`` fails without it. Returns `""` when missing.
    public func requiredString(_ name: String, env: String? = nil, help: String, secret: Bool = false) -> String {
        let spec = OptionSpec(
            name: name, environment: env, help: help, isSecret: secret, valuePlaceholder: "<string>",
            isRequired: true)
        return self.resolve(spec, default: nil, render: { $0 }, parse: { .success($0) }) ?? ""
    }

    /// Declares a string option that may be absent.
    public func optionalString(_ name: String, env: String? = nil, help: String, secret: Bool = false) -> String? {
        let spec = OptionSpec(name: name, environment: env, help: help, isSecret: secret, valuePlaceholder: "<string>")
        return self.resolve(spec, default: nil, render: { $0 }, parse: { .success($0) })
    }

    // MARK: - Numbers

    /// Declares an integer option.
    /// - Parameter range: Accepted values; others are reported as errors naming the range.
    public func int(
        _ name: String, env: String? = nil, default defaultValue: Int, help: String, range: ClosedRange<Int>? = nil
    ) -> Int {
        let spec = OptionSpec(name: name, environment: env, help: help, valuePlaceholder: "<int>")
        return self.resolve(spec, default: defaultValue, render: String.init, parse: { Self.parseInt($0, range) })
            ?? defaultValue
    }

    /// Declares an integer option that may be absent.
    public func optionalInt(_ name: String, env: String? = nil, help: String, range: ClosedRange<Int>? = nil) -> Int? {
        let spec = OptionSpec(name: name, environment: env, help: help, valuePlaceholder: "<int>")
        return self.resolve(spec, default: nil, render: String.init, parse: { Self.parseInt($0, range) })
    }

    /// Declares a floating-point option; non-finite values are rejected.
    public func double(
        _ name: String, env: String? = nil, default defaultValue: Double, help: String,
        range: ClosedRange<Double>? = nil
    ) -> Double {
        let spec = OptionSpec(name: name, environment: env, help: help, valuePlaceholder: "<number>")
        return self.resolve(
            spec, default: defaultValue, render: Self.renderDouble, parse: { Self.parseDouble($0, range) })
            ?? defaultValue
    }

    /// Declares a floating-point option that may be absent.
    public func optionalDouble(
        _ name: String, env: String? = nil, help: String, range: ClosedRange<Double>? = nil
    ) -> Double? {
        let spec = OptionSpec(name: name, environment: env, help: help, valuePlaceholder: "<number>")
        return self.resolve(spec, default: nil, render: Self.renderDouble, parse: { Self.parseDouble($0, range) })
    }

    // MARK: - Switches, durations, enumerations

    /// Declares a boolean switch: `--name` alone is true, `--name=false` and `--no-name` are false; the
    /// environment accepts `true/false/1/0/yes/no/on/off`.
    public func bool(_ name: String, env: String? = nil, default defaultValue: Bool = false, help: String) -> Bool {
        let spec = OptionSpec(name: name, environment: env, help: help, valuePlaceholder: nil)
        return self.resolve(
            spec, default: defaultValue, isSwitch: true, render: { $0 ? "true" : "false" }, parse: Self.parseBool)
            ?? defaultValue
    }

    /// Declares a duration option accepting `250ms`, `5s`, `2m`, `1h`, `1m30s`, or a plain number in `plainUnit`.
    public func duration(
        _ name: String, env: String? = nil, default defaultValue: Duration, help: String,
        plainUnit: DurationUnit = .seconds
    ) -> Duration {
        let spec = OptionSpec(
            name: name, environment: env, help: help, valuePlaceholder: "<duration>",
            notes: ["plain number: \(plainUnit.name)"])
        return self.resolve(
            spec, default: defaultValue, render: DurationText.render, parse: { Self.parseDuration($0, plainUnit) })
            ?? defaultValue
    }

    /// Declares a duration option that may be absent.
    public func optionalDuration(
        _ name: String, env: String? = nil, help: String, plainUnit: DurationUnit = .seconds
    ) -> Duration? {
        let spec = OptionSpec(
            name: name, environment: env, help: help, valuePlaceholder: "<duration>",
            notes: ["plain number: \(plainUnit.name)"])
        return self.resolve(
            spec, default: nil, render: DurationText.render, parse: { Self.parseDuration($0, plainUnit) })
    }

    /// Declares an option whose value is one of an enum's raw values (matched case-insensitively).
    public func enumeration<Value: RawRepresentable<String> & CaseIterable>(
        _ name: String, env: String? = nil, default defaultValue: Value, help: String
    ) -> Value {
        let names = Value.allCases.map(\.rawValue)
        let spec = OptionSpec(
            name: name, environment: env, help: help, valuePlaceholder: "<\(names.joined(separator: "|"))>")
        return self.resolve(spec, default: defaultValue, render: \.rawValue) { raw in
            let match =
                Value(rawValue: raw)
                ?? Value.allCases.first { $0.rawValue.lowercased() == raw.lowercased() }
            return match.map { .success($0) }
                ?? .failure(InvalidValue(reason: "is not one of \(names.joined(separator: ", "))"))
        } ?? defaultValue
    }

    // MARK: - Parsers

    static func parseInt(_ raw: String, _ range: ClosedRange<Int>?) -> Result<Int, InvalidValue> {
        guard let value = Int(raw.trimmingSpaces()) else {
            return .failure(InvalidValue(reason: "is not an integer"))
        }
        if let range, !range.contains(value) {
            return .failure(InvalidValue(reason: "is not in \(range.lowerBound)...\(range.upperBound)"))
        }
        return .success(value)
    }

    static func parseDouble(_ raw: String, _ range: ClosedRange<Double>?) -> Result<Double, InvalidValue> {
        guard let value = Double(raw.trimmingSpaces()), value.isFinite else {
            return .failure(InvalidValue(reason: "is not a number"))
        }
        if let range, !range.contains(value) {
            return .failure(
                InvalidValue(reason: "is not in \(renderDouble(range.lowerBound))...\(renderDouble(range.upperBound))"))
        }
        return .success(value)
    }

    static func parseBool(_ raw: String) -> Result<Bool, InvalidValue> {
        switch raw.trimmingSpaces().lowercased() {
        case "true", "1", "yes", "on": .success(true)
        case "false", "0", "no", "off": .success(false)
        default: .failure(InvalidValue(reason: "is not a boolean (true/false/1/0)"))
        }
    }

    static func parseDuration(_ raw: String, _ unit: DurationUnit) -> Result<Duration, InvalidValue> {
        DurationText.parse(raw, plainUnit: unit).map { .success($0) }
            ?? .failure(InvalidValue(reason: "is not a duration (like 250ms, 5s, 2m, 1h)"))
    }

    /// Renders whole numbers without a trailing `.0`, so `--help` shows `default 1000`.
    static func renderDouble(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs (no Foundation needed).
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        return String(self.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
