/// Why a payload is not exactly one acceptable JSON object, and where: the `detail` of an `invalid_json`
/// (or, for ``Kind-swift.enum/invalidUTF8``, `invalid_utf8`) dead letter.
struct JSONSyntaxError: Error, Equatable {
    enum Kind: Equatable {
        case unexpectedByte(UInt8)
        case unexpectedEnd
        case trailingData
        case notAnObject
        case tooDeep(Int)
        case tooLarge(Int)
        case invalidEscape
        case loneSurrogate
        /// `\u0000`: valid JSON, but protobuf-c strings end at a NUL, so it could not be carried faithfully.
        case nulEscape
        case controlCharacter
        case invalidNumber
        case duplicateKey
        case byteOrderMark
        case invalidUTF8
    }

    var kind: Kind
    /// Byte offset in the payload.
    var offset: Int

    init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    /// A short human-readable description, never quoting the payload.
    var detail: String {
        switch kind {
        case .unexpectedByte(let b):
            let shown = b >= 0x20 && b < 0x7F ? "'\(Character(Unicode.Scalar(b)))'" : "0x" + String(b, radix: 16)
            return "unexpected \(shown) at offset \(offset)"
        case .unexpectedEnd: return "the text ends early, at offset \(offset)"
        case .trailingData: return "data after the JSON value at offset \(offset)"
        case .notAnObject: return "the top-level value is not an object"
        case .tooDeep(let limit): return "nesting deeper than \(limit) at offset \(offset)"
        case .tooLarge(let limit): return "payload larger than \(limit) bytes"
        case .invalidEscape: return "invalid string escape at offset \(offset)"
        case .loneSurrogate: return "unpaired UTF-16 surrogate escape at offset \(offset)"
        case .nulEscape: return "\\u0000 in a string at offset \(offset) (not accepted: protobuf strings cannot hold NUL)"
        case .controlCharacter: return "unescaped control character in a string at offset \(offset)"
        case .invalidNumber: return "malformed number at offset \(offset)"
        case .duplicateKey: return "duplicate member name at offset \(offset)"
        case .byteOrderMark: return "byte order mark before the JSON text"
        case .invalidUTF8: return "invalid UTF-8 at offset \(offset)"
        }
    }
}
