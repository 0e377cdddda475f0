public import Logging

extension ConfigReader {
    /// Every resolved option with its value and origin, secrets already redacted, in declaration order.
    public var resolvedOptions: [ResolvedOption] { self.resolved }

    /// The resolved configuration as text, one `--name=value (source)` line per option, for humans.
    public func describe() -> String {
        self.resolved.map { option in
            let value = option.displayValue.isEmpty && option.source == .unset ? "(unset)" : option.displayValue
            return "--\(option.name)=\(value) (\(option.source))"
        }.joined(separator: "\n")
    }

    /// The resolved configuration as log metadata: `config.rate: "1000 (default)"`, secrets redacted.
    public func describedMetadata() -> Logger.Metadata {
        var metadata: Logger.Metadata = [:]
        for option in self.resolved where option.source != .unset {
            let key = "config." + option.name.replacingSpaces(with: ".")
            metadata[key] = .string("\(option.displayValue) (\(option.source))")
        }
        return metadata
    }
}

extension String {
    /// The string with spaces replaced, for building metadata keys from `kafka-config security.protocol`.
    func replacingSpaces(with replacement: Character) -> String {
        String(self.map { $0 == " " ? replacement : $0 })
    }
}
