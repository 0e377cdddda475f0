internal import CPipelineProto
internal import CProtobufC

/// Checks every string field of an encoded message for valid UTF-8 without NUL, on the wire bytes.
///
/// protobuf-c does not validate UTF-8, and it unpacks a string into a NUL-terminated copy, so an embedded
/// NUL would silently cut the string short: after unpacking, neither defect can be seen any more. This
/// walk reads each length-delimited field once, looks its number up in the protobuf-c descriptor, checks
/// string fields and descends into sub-messages (map entries are sub-messages too). It runs after
/// protobuf-c accepted the structure, but checks bounds itself rather than trust that.
enum WireStringValidator {
    /// Our schemas nest three deep; the limit only guards against a recursive schema added later.
    private static let maximumDepth = 32

    /// - Throws: ``MessageDecodingError`` with kind `invalidUTF8`, or `malformed` for a broken structure.
    static func validate(
        _ bytes: UnsafeRawBufferPointer, descriptor: UnsafePointer<ProtobufCMessageDescriptor>
    ) throws(MessageDecodingError) {
        do {
            try validate(bytes, descriptor: descriptor, depth: 0)
        } catch {
            throw error.decodingError
        }
    }

    private static func validate(
        _ bytes: UnsafeRawBufferPointer, descriptor: UnsafePointer<ProtobufCMessageDescriptor>, depth: Int
    ) throws(Failure) {
        guard depth < maximumDepth else { throw .malformed("messages nested too deeply") }
        var reader = WireReader(bytes: bytes)
        while !reader.isAtEnd {
            let tag = try reader.varint()
            switch tag & 7 {
            case 0: _ = try reader.varint()
            case 1: try reader.skip(8)
            case 5: try reader.skip(4)
            case 2:
                let value = try reader.lengthDelimited()
                guard tag >> 3 <= UInt64(UInt32.max),
                    let field = protobuf_c_message_descriptor_get_field(descriptor, UInt32(tag >> 3))
                else { continue }  // unknown fields are skipped, as protobuf-c skips them
                if field.pointee.type == PROTOBUF_C_TYPE_STRING {
                    if let problem = UTF8Check.firstProblem(in: value) {
                        throw .text(path: [fieldName(field)], problem)
                    }
                } else if field.pointee.type == PROTOBUF_C_TYPE_MESSAGE, let nested = field.pointee.descriptor {
                    do {
                        let nested = nested.assumingMemoryBound(to: ProtobufCMessageDescriptor.self)
                        try validate(value, descriptor: nested, depth: depth + 1)
                    } catch .text(let path, let problem) {
                        throw .text(path: [fieldName(field)] + path, problem)
                    }
                }
            default:
                throw .malformed("unsupported wire type \(tag & 7) at byte \(reader.offset)")
            }
        }
    }

    /// Built only when throwing, so valid input creates no strings.
    private static func fieldName(_ field: UnsafePointer<ProtobufCFieldDescriptor>) -> String {
        field.pointee.name.map { String(cString: $0) } ?? "#\(field.pointee.id)"
    }

    /// What went wrong, with the path of field names from the top-level message.
    private enum Failure: Error {
        case text(path: [String], UTF8Check.Problem)
        case malformed(String)

        var decodingError: MessageDecodingError {
            switch self {
            case .malformed(let detail):
                return MessageDecodingError(kind: .malformed, detail: detail)
            case .text(let path, let problem):
                let field = path.joined(separator: ".")
                let what = problem.isNUL ? "a NUL character" : "invalid UTF-8"
                return MessageDecodingError(
                    kind: .invalidUTF8, detail: "field \(field): \(what) at byte \(problem.offset) of the field")
            }
        }
    }

    /// A bounds-checked cursor over protobuf wire bytes.
    private struct WireReader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        var isAtEnd: Bool { offset >= bytes.count }

        mutating func varint() throws(Failure) -> UInt64 {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while shift < 70 {
                guard offset < bytes.count else { throw .malformed("truncated varint") }
                let byte = bytes[offset]
                offset += 1
                result |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return result }
                shift += 7
            }
            throw .malformed("varint longer than 10 bytes")
        }

        mutating func skip(_ count: Int) throws(Failure) {
            guard count <= bytes.count - offset else { throw .malformed("truncated field at byte \(offset)") }
            offset += count
        }

        mutating func lengthDelimited() throws(Failure) -> UnsafeRawBufferPointer {
            let length = try varint()
            guard length <= UInt64(bytes.count - offset) else {
                throw .malformed("length \(length) runs past the end at byte \(offset)")
            }
            let start = offset
            offset += Int(length)
            return UnsafeRawBufferPointer(rebasing: bytes[start..<offset])
        }
    }
}
