internal import CPipelineProto
internal import CProtobufC

/// Owns every C allocation made while building one message for `protobuf_c_message_pack`.
///
/// protobuf-c reads strings, bytes and sub-messages through raw pointers, so they must outlive the whole
/// pack call; a bump allocator gives them that lifetime with a few `malloc`s per message instead of one per
/// field, and frees everything at once.
final class EncodingArena {
    private var blocks: [UnsafeMutableRawPointer] = []
    private var cursor: UnsafeMutableRawPointer?
    private var remaining = 0
    private var nextBlockSize = 1024
    /// One shared "" per arena; most messages leave several strings empty.
    private lazy var emptyString: UnsafeMutablePointer<CChar> = {
        let empty = allocate(CChar.self, count: 1)
        empty.initialize(to: 0)
        return empty
    }()

    deinit {
        for block in blocks { block.deallocate() }
    }

    /// Uninitialised, aligned memory that lives as long as the arena.
    @inline(__always)
    func allocate<T>(_: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        allocateRaw(byteCount: MemoryLayout<T>.stride * count, alignment: MemoryLayout<T>.alignment)
            .bindMemory(to: T.self, capacity: count)
    }

    // Not generic, so the hot path never looks up type metadata at run time.
    private func allocateRaw(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer {
        if let cursor {
            // Alignments are powers of two: a mask instead of a division, which showed up in profiles.
            let padding = -Int(bitPattern: cursor) & (alignment - 1)
            if padding + byteCount <= remaining {
                self.cursor = cursor + padding + byteCount
                remaining -= padding + byteCount
                return cursor + padding
            }
        }
        let size = Swift.max(byteCount, nextBlockSize)
        let block = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        blocks.append(block)
        if size == nextBlockSize { nextBlockSize = Swift.min(nextBlockSize * 2, 64 << 10) }
        cursor = block + byteCount
        remaining = size - byteCount
        return block
    }

    // MARK: - Scalars

    /// A NUL-terminated copy. Never null: protobuf-c calls `strlen` on the elements of repeated strings.
    func string(_ value: String) -> UnsafeMutablePointer<CChar> {
        var value = value
        return value.withUTF8 { utf8 in
            guard !utf8.isEmpty else { return emptyString }
            let copy = allocate(CChar.self, count: utf8.count + 1)
            UnsafeMutableRawPointer(copy).copyMemory(from: utf8.baseAddress!, byteCount: utf8.count)
            copy[utf8.count] = 0
            return copy
        }
    }

    func bytes(_ value: [UInt8]) -> ProtobufCBinaryData {
        value.withUnsafeBufferPointer { source in
            guard let base = source.baseAddress, !source.isEmpty else { return ProtobufCBinaryData(len: 0, data: nil) }
            let copy = allocate(UInt8.self, count: source.count)
            copy.initialize(from: base, count: source.count)
            return ProtobufCBinaryData(len: source.count, data: copy)
        }
    }

    // MARK: - Repeated fields and messages

    /// A repeated string field as protobuf-c's (`n_x`, `x`) pair.
    func strings(_ values: [String]) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) {
        array(values) { Optional(string($0)) }
    }

    /// A sub-message, initialised and filled.
    @inline(__always)
    func message<M: ProtobufCConvertible>(_ value: M) -> UnsafeMutablePointer<M.CMessage> {
        let message = allocate(M.CMessage.self, count: 1)
        M.cInitializer(message)
        value.fill(&message.pointee, in: self)
        return message
    }

    /// A repeated sub-message field as protobuf-c's (`n_x`, `x`) pair.
    @inline(__always)
    func messages<M: ProtobufCConvertible>(_ values: [M]) -> (
        Int, UnsafeMutablePointer<UnsafeMutablePointer<M.CMessage>?>?
    ) {
        array(values) { message($0) }
    }

    /// A map field: protobuf-c models it as repeated entry messages. Entries are written in key order so
    /// the encoding is deterministic.
    ///
    /// - Parameters:
    ///   - initializer: The entry type's generated `__init`.
    ///   - fill: Stores the arena-owned key and the value into an entry.
    @inline(__always)
    func map<Entry, Value>(
        _ dictionary: [String: Value], initializer: (UnsafeMutablePointer<Entry>?) -> Void,
        fill: (inout Entry, UnsafeMutablePointer<CChar>, Value) -> Void
    ) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<Entry>?>?) {
        array(dictionary.sorted { $0.key < $1.key }) { key, value in
            let entry = allocate(Entry.self, count: 1)
            initializer(entry)
            fill(&entry.pointee, string(key), value)
            return entry
        }
    }

    @inline(__always)
    private func array<Element, Pointee>(_ values: [Element], _ transform: (Element) -> Pointee)
        -> (Int, UnsafeMutablePointer<Pointee>?)
    {
        guard !values.isEmpty else { return (0, nil) }
        let pointers = allocate(Pointee.self, count: values.count)
        for (index, value) in values.enumerated() {
            (pointers + index).initialize(to: transform(value))
        }
        return (values.count, pointers)
    }
}
