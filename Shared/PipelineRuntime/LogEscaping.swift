/// Escaping rules for log lines, kept apart so they can be tested against hostile input.
enum LogEscaping {
    /// A JSON string literal, quotes included (RFC 8259: `"`, `\` and every control character escaped).
    static func jsonString(_ string: String) -> String {
        var out = "\""
        out.reserveCapacity(string.utf8.count + 2)
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\u{2028}" || scalar == "\u{2029}":
                out += "\\u" + self.hex4(scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A logfmt value: bare when safe, otherwise quoted with `\"`, `\\`, `\n`, `\r`, `\t` and `\u00XX` escapes.
    static func textValue(_ string: String) -> String {
        let needsQuotes =
            string.isEmpty
            || string.unicodeScalars.contains {
                $0 == " " || $0 == "=" || $0 == "\"" || $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F
            }
        guard needsQuotes else { return string }
        return "\"" + self.escapeControls(string, quote: true) + "\""
    }

    /// The free-text message: not quoted, but line breaks and other control characters are escaped.
    static func textMessage(_ string: String) -> String {
        self.escapeControls(string, quote: false)
    }

    /// A logfmt key: characters that would break `key=value` parsing become `_`.
    static func textKey(_ string: String) -> String {
        guard !string.isEmpty else { return "_" }
        return String(
            String.UnicodeScalarView(
                string.unicodeScalars.map {
                    $0 == " " || $0 == "=" || $0 == "\"" || $0.value < 0x20 || $0.value == 0x7F ? "_" : $0
                }))
    }

    private static func escapeControls(_ string: String, quote: Bool) -> String {
        var out = ""
        out.reserveCapacity(string.utf8.count)
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"" where quote: out += "\\\""
            case "\\" where quote: out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += "\\u" + self.hex4(scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
