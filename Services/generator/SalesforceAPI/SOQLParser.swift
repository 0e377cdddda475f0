import SalesforceModel

/// Parses the SOQL subset of ``SOQLQuery`` strictly: identifiers are letters, digits and `_` only, string
/// literals are single-quoted with backslash escapes, and anything unexpected (comments, `;`, a stray quote,
/// a keyword where a field should be) is `MALFORMED_QUERY`, so no input can smuggle in another clause.
struct SOQLParser {
    enum Token: Equatable {
        case word(String)
        case string(String)
        /// An unquoted literal starting with a digit: number, date or datetime.
        case bare(String)
        case symbol(String)
    }

    private var tokens: [Token]
    private var position = 0

    static func parse(_ text: String) throws(SOQLError) -> SOQLQuery {
        var parser = SOQLParser(tokens: try tokenize(text))
        return try parser.query()
    }

    private init(tokens: [Token]) { self.tokens = tokens }

    // MARK: - Grammar

    private mutating func query() throws(SOQLError) -> SOQLQuery {
        try keyword("SELECT")
        var fields = [try identifier("a field name")]
        while peek == .symbol(",") {
            position += 1
            fields.append(try identifier("a field name"))
        }
        try keyword("FROM")
        let object = try identifier("an object name")
        var condition: SOQLCondition?
        if isKeyword("WHERE") {
            position += 1
            condition = try disjunction()
        }
        var order: [SOQLOrder] = []
        if isKeyword("ORDER") {
            position += 1
            try keyword("BY")
            repeat {
                if peek == .symbol(",") { position += 1 }
                let field = try identifier("a field name")
                var descending = false
                if isKeyword("ASC") {
                    position += 1
                } else if isKeyword("DESC") {
                    position += 1
                    descending = true
                }
                order.append(SOQLOrder(field: field, descending: descending))
            } while peek == .symbol(",")
        }
        var limit: Int?
        if isKeyword("LIMIT") {
            position += 1
            guard case .bare(let text)? = next(), let n = Int(text), n >= 0, n <= 50_000_000 else {
                throw .malformed("LIMIT needs a non-negative integer")
            }
            limit = n
        }
        guard position == tokens.count else { throw .malformed("unexpected token \(describe(peek)) at the end") }
        return SOQLQuery(fields: fields, object: object, condition: condition, orderBy: order, limit: limit)
    }

    private mutating func disjunction() throws(SOQLError) -> SOQLCondition {
        var left = try conjunction()
        while isKeyword("OR") {
            position += 1
            left = .or(left, try conjunction())
        }
        return left
    }

    private mutating func conjunction() throws(SOQLError) -> SOQLCondition {
        var left = try atom()
        while isKeyword("AND") {
            position += 1
            left = .and(left, try atom())
        }
        return left
    }

    private mutating func atom() throws(SOQLError) -> SOQLCondition {
        if peek == .symbol("(") {
            position += 1
            let inner = try disjunction()
            guard next() == .symbol(")") else { throw .malformed("missing ')'") }
            return inner
        }
        let field = try identifier("a field name")
        if isKeyword("IN") {
            position += 1
            guard next() == .symbol("(") else { throw .malformed("IN needs '('") }
            var values = [try literal()]
            while peek == .symbol(",") {
                position += 1
                values.append(try literal())
            }
            guard next() == .symbol(")") else { throw .malformed("missing ')' after IN list") }
            return .inList(field: field, values: values)
        }
        guard case .symbol(let text)? = next(), let op = SOQLOperator(rawValue: text) else {
            throw .malformed("expected a comparison operator after \(field)")
        }
        return .comparison(field: field, op: op, value: try literal())
    }

    private mutating func literal() throws(SOQLError) -> SOQLLiteral {
        switch next() {
        case .string(let s)?:
            return .string(s)
        case .bare(let text)?:
            if let ms = SalesforceTime.parseDateTime(text) { return .dateTime(ms) }
            if text.count == 10, let ms = SalesforceTime.parseDateTime(text + "T00:00:00Z") {
                return .date(SalesforceTime.days(ofMs: ms))
            }
            if Double(text) != nil, text.allSatisfy({ $0.isNumber || $0 == "." }) { return .number(text) }
            throw .malformed("bad literal \(text)")
        case .word(let w)? where ["TRUE", "FALSE", "NULL"].contains(w.uppercased()):
            return w.uppercased() == "NULL" ? .null : .boolean(w.uppercased() == "TRUE")
        case .symbol("-")?:
            guard case .bare(let text)? = next(), Double(text) != nil else { throw .malformed("bad number") }
            return .number("-" + text)
        case let other:
            throw .malformed("expected a literal, found \(describe(other))")
        }
    }

    // MARK: - Token helpers

    static let reserved: Set<String> = [
        "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "ORDER", "BY", "ASC", "DESC", "LIMIT", "OFFSET",
        "GROUP", "HAVING", "NULLS", "TRUE", "FALSE", "NULL", "LIKE", "INCLUDES", "EXCLUDES", "WITH", "FOR", "USING",
    ]

    private var peek: Token? { position < tokens.count ? tokens[position] : nil }

    private mutating func next() -> Token? {
        defer { position += 1 }
        return peek
    }

    private func isKeyword(_ word: String) -> Bool {
        if case .word(let w)? = peek { return w.uppercased() == word }
        return false
    }

    private mutating func keyword(_ word: String) throws(SOQLError) {
        guard isKeyword(word) else { throw .malformed("expected \(word), found \(describe(peek))") }
        position += 1
    }

    private mutating func identifier(_ what: String) throws(SOQLError) -> String {
        guard case .word(let w)? = peek, !Self.reserved.contains(w.uppercased()) else {
            throw .malformed("expected \(what), found \(describe(peek))")
        }
        position += 1
        return w
    }

    private func describe(_ token: Token?) -> String {
        switch token {
        case nil: "end of query"
        case .word(let w)?: "'\(w)'"
        case .string?: "a string literal"
        case .bare(let b)?: "'\(b)'"
        case .symbol(let s)?: "'\(s)'"
        }
    }

    // MARK: - Tokenizer

    static func tokenize(_ text: String) throws(SOQLError) -> [Token] {
        let chars = Array(text.unicodeScalars)
        var tokens: [Token] = []
        var i = 0
        func isIdentifierStart(_ c: Unicode.Scalar) -> Bool { c.isASCII && (c.properties.isAlphabetic || c == "_") }
        func isIdentifier(_ c: Unicode.Scalar) -> Bool { isIdentifierStart(c) || ("0"..."9").contains(c) }
        while i < chars.count {
            let c = chars[i]
            if c == " " || c == "\n" || c == "\t" || c == "\r" {
                i += 1
            } else if isIdentifierStart(c) {
                var j = i
                while j < chars.count, isIdentifier(chars[j]) { j += 1 }
                tokens.append(.word(String(String.UnicodeScalarView(chars[i..<j]))))
                i = j
            } else if ("0"..."9").contains(c) {
                var j = i
                while j < chars.count, isIdentifier(chars[j]) || [":", ".", "+", "-"].contains(chars[j]) { j += 1 }
                tokens.append(.bare(String(String.UnicodeScalarView(chars[i..<j]))))
                i = j
            } else if c == "'" {
                var value = String.UnicodeScalarView()
                var j = i + 1
                var closed = false
                while j < chars.count {
                    let d = chars[j]
                    if d == "\\" {
                        guard j + 1 < chars.count else { break }
                        let escaped = chars[j + 1]
                        switch escaped {
                        case "n": value.append("\n")
                        case "t": value.append("\t")
                        case "r": value.append("\r")
                        case "'", "\"", "\\", "_", "%": value.append(escaped)
                        default: throw .malformed("bad escape \\\(escaped) in a string literal")
                        }
                        j += 2
                    } else if d == "'" {
                        closed = true
                        j += 1
                        break
                    } else {
                        value.append(d)
                        j += 1
                    }
                }
                guard closed else { throw .malformed("unterminated string literal") }
                tokens.append(.string(String(value)))
                i = j
            } else if c == "!" || c == ">" || c == "<" {
                if i + 1 < chars.count, chars[i + 1] == "=" {
                    tokens.append(.symbol(String(c) + "="))
                    i += 2
                } else if c == "!" {
                    throw .malformed("unexpected '!'")
                } else {
                    tokens.append(.symbol(String(c)))
                    i += 1
                }
            } else if c == "=" || c == "," || c == "(" || c == ")" {
                tokens.append(.symbol(String(c)))
                i += 1
            } else if c == "-", i + 1 < chars.count, ("0"..."9").contains(chars[i + 1]) {
                tokens.append(.symbol("-"))
                i += 1
            } else {
                throw .malformed("unexpected character '\(c)'")
            }
        }
        return tokens
    }
}
