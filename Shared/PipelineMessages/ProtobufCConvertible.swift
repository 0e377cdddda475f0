internal import CPipelineProto
internal import CProtobufC

/// A Swift value that converts to and from one protobuf-c generated struct.
///
/// Top-level messages and their sub-messages conform; the generic code below does the unpack, pack
/// and pointer bookkeeping once, so each message file only maps its fields.
protocol ProtobufCConvertible {
    /// The protobuf-c generated struct, e.g. `Tributary__V1__RawEvent`.
    associatedtype CMessage

    /// The generated `__init` function, which sets the descriptor and the field defaults.
    static var cInitializer: (UnsafeMutablePointer<CMessage>?) -> Void { get }

    /// Copies an unpacked C message into Swift.
    ///
    /// - Throws: ``MessageDecodingError`` for values C accepts and Swift does not (unknown enum values).
    init(cMessage: CMessage) throws(MessageDecodingError)

    /// Writes the fields into an initialised C message. Every pointer stored must come from `arena`.
    func fill(_ cMessage: inout CMessage, in arena: EncodingArena)
}

/// A Swift enum whose raw values are the proto enum numbers.
protocol ProtobufCEnum: RawRepresentable<Int32> {}

extension ProtobufCEnum {
    /// - Throws: ``MessageDecodingError/Kind-swift.enum/unknownEnumValue`` for numbers the schema lacks.
    init<C: RawRepresentable>(cValue: C, field: StaticString) throws(MessageDecodingError)
    where C.RawValue: BinaryInteger {
        // protobuf-c stores whatever number was on the wire in the C enum.
        let number = Int32(truncatingIfNeeded: cValue.rawValue)
        guard let value = Self(rawValue: number) else {
            throw MessageDecodingError(
                kind: .unknownEnumValue, detail: "field \(field): unknown enum value \(number)")
        }
        self = value
    }

    func cValue<C: RawRepresentable>() -> C where C.RawValue: BinaryInteger {
        // Imported C enums accept every raw value, so this never falls back.
        C(rawValue: C.RawValue(truncatingIfNeeded: rawValue)) ?? C(rawValue: 0)!
    }
}

// MARK: - Top-level messages

extension ProtobufCConvertible {
    /// The address of the generated descriptor, read from an initialised message: Swift may copy a C
    /// global when asked for its address, and protobuf-c compares descriptor pointers.
    static var cDescriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        withUnsafeTemporaryAllocation(of: CMessage.self, capacity: 1) { buffer in
            let message = buffer.baseAddress!
            cInitializer(message)
            return UnsafeRawPointer(message).assumingMemoryBound(to: ProtobufCMessage.self).pointee.descriptor
        }
    }
}

extension ProtobufCConvertible where Self: PipelineMessage {
    /// Size check, protobuf-c unpack into an arena, UTF-8 validation, copy into Swift.
    static func decodeProtobufC(_ bytes: UnsafeRawBufferPointer) throws(MessageDecodingError) -> Self {
        do throws(MessageDecodingError) {
            guard bytes.count <= maximumEncodedSize else {
                throw MessageDecodingError(
                    kind: .oversized, detail: "\(bytes.count) bytes exceed the limit of \(maximumEncodedSize)")
            }
            let descriptor = cDescriptor
            let data = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
            return try UnpackArena.withAllocator { (allocator) throws(MessageDecodingError) -> Self in
                // The arena frees everything, so there is no protobuf_c_message_free_unpacked.
                guard let unpacked = protobuf_c_message_unpack(descriptor, allocator, bytes.count, data) else {
                    throw MessageDecodingError(kind: .malformed, detail: "protobuf-c rejected \(bytes.count) bytes")
                }
                // protobuf-c checks structure but not text; see WireStringValidator for why this reads the wire.
                try WireStringValidator.validate(bytes, descriptor: descriptor)
                return try Self(cMessage: UnsafeRawPointer(unpacked).assumingMemoryBound(to: CMessage.self).pointee)
            }
        } catch {
            var error = error
            error.messageType = String(describing: Self.self)
            throw error
        }
    }

    /// Packs into an array sized by `get_packed_size`, with no intermediate buffer.
    func encodeProtobufC() -> [UInt8] {
        let arena = EncodingArena()
        let message = UnsafeRawPointer(arena.message(self)).assumingMemoryBound(to: ProtobufCMessage.self)
        let size = protobuf_c_message_get_packed_size(message)
        guard size > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, initializedCount in
            initializedCount = protobuf_c_message_pack(message, buffer.baseAddress!)
        }
    }
}

// MARK: - Sub-messages

extension ProtobufCConvertible {
    /// Copies an optional sub-message; protobuf-c leaves absent ones null.
    init?(cPointer: UnsafePointer<CMessage>?) throws(MessageDecodingError) {
        guard let cPointer else { return nil }
        try self.init(cMessage: cPointer.pointee)
    }
}

extension Array where Element: ProtobufCConvertible {
    /// Copies a repeated sub-message field (`n_x`, `x`).
    init(cCount count: Int, _ pointers: UnsafeMutablePointer<UnsafeMutablePointer<Element.CMessage>?>?)
        throws(MessageDecodingError)
    {
        self.init()
        guard let pointers, count > 0 else { return }
        reserveCapacity(count)
        for index in 0..<count {
            if let element = try Element(cPointer: pointers[index]) { append(element) }
        }
    }
}
