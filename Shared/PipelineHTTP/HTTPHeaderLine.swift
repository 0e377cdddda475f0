/// One response header line as libcurl hands it over (`Name: value\r\n`, a status line, or the blank line that
/// ends a block), read without trusting it: any bytes give one of three answers.
package enum HTTPHeaderLine: Sendable, Equatable {
    /// `HTTP/1.1 200 OK`: a new response starts (after a 1xx or a followed redirect), so earlier fields no
    /// longer count. libcurl reads the status code itself.
    case statusLine
    /// A field, both sides trimmed of spaces, tabs, CR and LF; the name is never empty.
    case field(name: String, value: String)
    /// The blank line after a block, or a line without a colon or with an empty name.
    case ignored

    package init(_ bytes: UnsafeRawBufferPointer) {
        self.init(line: String(decoding: bytes, as: UTF8.self))
    }

    package init(line: String) {
        if line.hasPrefix("HTTP/") {
            self = .statusLine
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].trimmingHTTPWhitespace()
            let value = line[line.index(after: colon)...].trimmingHTTPWhitespace()
            self = name.isEmpty ? .ignored : .field(name: name, value: value)
        } else {
            self = .ignored
        }
    }
}

extension Substring {
    /// Drops spaces, tabs, CR and LF at both ends.
    fileprivate func trimmingHTTPWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let first = self.firstIndex(where: { !isSpace($0) }), let last = self.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(self[first...last])
    }
}
