/// An ordered list of header fields with case-insensitive lookup; a name may appear several times.
///
/// Names keep the case they were given (servers and logs show them as sent), but every lookup ignores case, as
/// RFC 9110 requires.
public struct HTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    /// One header field.
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    private var fields: [Field]

    /// Creates headers from fields in order.
    public init(_ fields: [(name: String, value: String)] = []) {
        self.fields = fields.map { Field(name: $0.name, value: $0.value) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.fields = elements.map { Field(name: $0.0, value: $0.1) }
    }

    /// The number of fields, counting repeated names separately.
    public var count: Int { self.fields.count }

    /// Whether there are no fields.
    public var isEmpty: Bool { self.fields.isEmpty }

    /// Appends a field, keeping any earlier field of the same name.
    public mutating func add(name: String, value: String) {
        self.fields.append(Field(name: name, value: value))
    }

    /// Replaces every field of this name (any case) with one field.
    public mutating func replaceOrAdd(name: String, value: String) {
        self.remove(name: name)
        self.add(name: name, value: value)
    }

    /// Removes every field of this name (any case).
    public mutating func remove(name: String) {
        self.fields.removeAll { Self.matches($0.name, name) }
    }

    /// The first value for a name, ignoring case; `nil` when absent.
    public subscript(name: String) -> String? {
        self.fields.first { Self.matches($0.name, name) }?.value
    }

    /// Every value for a name in order, ignoring case (for `Set-Cookie`, `Link`, `WWW-Authenticate`, …).
    public func values(for name: String) -> [String] {
        self.fields.filter { Self.matches($0.name, name) }.map(\.value)
    }

    /// Whether a field of this name exists, ignoring case.
    public func contains(name: String) -> Bool {
        self.fields.contains { Self.matches($0.name, name) }
    }

    public func makeIterator() -> IndexingIterator<[Field]> {
        self.fields.makeIterator()
    }

    /// ASCII case-insensitive comparison: header names are tokens, so no Unicode folding is needed.
    static func matches(_ lhs: String, _ rhs: String) -> Bool {
        guard lhs.utf8.count == rhs.utf8.count else { return false }
        return zip(lhs.utf8, rhs.utf8).allSatisfy { Self.lower($0) == Self.lower($1) }
    }

    private static func lower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }
}
