extension ConfigReader {
    /// The `--help` text: usage line, summary, positional arguments, then every option by section with its
    /// environment variable and default.
    public func helpText() -> String {
        var usage = "Usage: \(self.command.isEmpty ? "<command>" : self.command) [options]"
        for positional in self.positionalSpecs {
            let token = positional.isVariadic ? "<\(positional.name)>..." : "<\(positional.name)>"
            usage += positional.isRequired ? " \(token)" : " [\(token)]"
        }
        var lines = [usage]
        if !self.summary.isEmpty { lines += ["", self.summary] }

        if !self.positionalSpecs.isEmpty {
            lines += ["", "Arguments:"]
            let rows = self.positionalSpecs.map { ("<\($0.name)>", $0.help) }
            lines += HelpLayout.table(rows)
        }

        var sections: [String] = ["Options"]
        for spec in self.specs where !sections.contains(spec.section) { sections.append(spec.section) }
        var rowsBySection = sections.map { section in
            self.specs.filter { $0.section == section }.map(Self.helpRow)
        }
        rowsBySection[0].append(("-h, --help", "Show this help and exit."))
        rowsBySection[0].append(("--version", "Print the version and exit."))
        // One width for every section, so the descriptions line up down the whole page.
        let width = HelpLayout.leftWidth(rowsBySection.flatMap { $0 })
        for (section, rows) in zip(sections, rowsBySection) where !rows.isEmpty {
            lines += ["", "\(section):"]
            lines += HelpLayout.table(rows, leftWidth: width)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One option's two columns: `--rate <number>` and `Events per second. [env: RATE] [default: 1000]`.
    private static func helpRow(_ spec: OptionSpec) -> (String, String) {
        var left = spec.flag
        if let placeholder = spec.valuePlaceholder { left += " " + placeholder }
        var right = spec.help
        var notes: [String] = []
        if let env = spec.environment { notes.append("env: \(env)") }
        if spec.isRequired {
            notes.append("required")
        } else if let defaultDescription = spec.defaultDescription {
            let shown = spec.isSecret && !defaultDescription.isEmpty ? Redaction.placeholder : defaultDescription
            notes.append("default: \(shown.isEmpty ? "\"\"" : shown)")
        }
        if spec.isRepeatable { notes.append("repeatable") }
        notes += spec.notes
        // Each bracketed note is wrapped as one word, so `[env: METRICS_PORT]` never splits across lines.
        for note in notes { right += " [" + note.replacingSpaces(with: HelpLayout.glue) + "]" }
        return (left, right)
    }
}

/// Two-column layout for help texts, wrapped to a fixed width (no terminal-size guessing).
enum HelpLayout {
    /// Widest left column kept on the same line as its description; longer ones put it on the next line.
    static let maximumLeftWidth = 30
    /// Total line width the descriptions are wrapped to.
    static let lineWidth = 100
    /// Joins words that must stay on one line; turned back into spaces after wrapping.
    static let glue: Character = "\u{1F}"

    /// The left column width for a set of rows.
    static func leftWidth(_ rows: [(String, String)]) -> Int {
        min(self.maximumLeftWidth, rows.map(\.0.count).max() ?? 0)
    }

    /// Renders rows as `  left   right`, aligning and word-wrapping the right column.
    static func table(_ rows: [(String, String)], leftWidth: Int? = nil) -> [String] {
        let width = leftWidth ?? self.leftWidth(rows)
        let indent = String(repeating: " ", count: width + 4)
        let wrapped = max(40, self.lineWidth - indent.count)
        return rows.flatMap { left, right -> [String] in
            let body = self.wrap(right, width: wrapped).map { String($0.map { $0 == self.glue ? " " : $0 }) }
            var lines: [String]
            if left.count > width {
                lines = ["  " + left, indent + (body.first ?? "")]
            } else {
                lines = ["  " + left + String(repeating: " ", count: width - left.count + 2) + (body.first ?? "")]
            }
            lines += body.dropFirst().map { indent + $0 }
            return lines
        }
    }

    /// Greedy word wrap; words longer than the width stay whole.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }
}
