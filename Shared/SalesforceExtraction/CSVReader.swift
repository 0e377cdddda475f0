/// RFC 4180 CSV: comma-separated, `"`-quoted fields with `""` for a quote, quoted fields may span lines,
/// CRLF or LF line ends. Each record keeps the line it started on, for dead letters.
public struct CSVReader {
    /// One record: its fields, or why it is unreadable, with its first line number (1-based) and raw bytes.
    public struct Record: Sendable, Equatable {
        public var line: Int
        public var fields: [String]?
        public var error: String?
        public var raw: [UInt8]
    }

    /// Splits a file into records; a blank line is skipped, a record with an unterminated quote or invalid
    /// UTF-8 comes back with an `error` (the rest of the file still parses after a bad line ends).
    public static func records(_ bytes: [UInt8]) -> [Record] {
        var records: [Record] = []
        var index = 0
        var line = 1
        while index < bytes.count {
            let startLine = line
            let start = index
            var fields: [String] = []
            var field: [UInt8] = []
            var error: String?
            var quoted = false
            var fieldStarted = false
            var ended = false
            while index < bytes.count, !ended {
                let byte = bytes[index]
                if quoted {
                    if byte == UInt8(ascii: "\"") {
                        if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                            field.append(byte)
                            index += 2
                            continue
                        }
                        quoted = false
                    } else {
                        if byte == 0x0A { line += 1 }
                        field.append(byte)
                    }
                    index += 1
                    continue
                }
                switch byte {
                case UInt8(ascii: "\""):
                    if field.isEmpty && !fieldStarted {
                        quoted = true
                        fieldStarted = true
                    } else {
                        error = error ?? "a quote inside an unquoted field"
                    }
                case UInt8(ascii: ","):
                    fields.append(Self.text(field, &error))
                    field = []
                    fieldStarted = false
                case 0x0D where index + 1 < bytes.count && bytes[index + 1] == 0x0A:
                    break
                case 0x0A:
                    line += 1
                    ended = true
                default:
                    field.append(byte)
                    fieldStarted = true
                }
                index += 1
            }
            if quoted { error = error ?? "unterminated quoted field" }
            var end = index
            while end > start, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
            let raw = Array(bytes[start..<end])
            if raw.isEmpty && fields.isEmpty { continue }
            fields.append(Self.text(field, &error))
            records.append(Record(line: startLine, fields: error == nil ? fields : nil, error: error, raw: raw))
        }
        return records
    }

    private static func text(_ bytes: [UInt8], _ error: inout String?) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        error = error ?? "invalid UTF-8"
        return ""
    }
}
