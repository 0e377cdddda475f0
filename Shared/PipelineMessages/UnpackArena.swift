internal import CPipelineProto
internal import CProtobufC

/// The allocator handed to `protobuf_c_message_unpack`: a bump allocator over a stack buffer.
///
/// protobuf-c allocates once per string, bytes field, sub-message and repeated array, and frees each
/// again in `free_unpacked`; for a CleanEvent that is about thirty `malloc`/`free` pairs, more than the
/// parse itself. An unpacked message only lives until it is copied into Swift, so everything can come
/// from one scoped buffer and be released at once; only a message too big for it falls back to the heap.
enum UnpackArena {
    /// Fits typical messages (a CleanEvent unpacks into about 1 KiB); bigger ones spill to the heap.
    private static let stackBytes = 4096
    /// Every block handed out is aligned like `malloc`'s.
    private static let alignment = 16

    private struct State {
        var cursor: UnsafeMutableRawPointer
        var remaining: Int
        /// Heap blocks, each starting with a pointer to the previous one.
        var spilled: UnsafeMutableRawPointer?
    }

    /// Runs `body` with an allocator that is valid only inside it; the unpacked message must not escape.
    static func withAllocator<R, E: Error>(
        _ body: (UnsafeMutablePointer<ProtobufCAllocator>) throws(E) -> R
    ) throws(E) -> R {
        let result = withUnsafeTemporaryAllocation(byteCount: stackBytes, alignment: alignment) { buffer in
            var state = State(cursor: buffer.baseAddress!, remaining: buffer.count, spilled: nil)
            return withUnsafeMutablePointer(to: &state) { state in
                defer { releaseSpilled(state.pointee.spilled) }
                var allocator = ProtobufCAllocator(alloc: allocate, free: ignoreFree, allocator_data: state)
                return Result { () throws(E) -> R in try body(&allocator) }
            }
        }
        return try result.get()
    }

    private static let allocate: @convention(c) (UnsafeMutableRawPointer?, Int) -> UnsafeMutableRawPointer? = {
        data, size in
        let state = data!.assumingMemoryBound(to: State.self)
        let rounded = (size + alignment - 1) & ~(alignment - 1)
        if rounded <= state.pointee.remaining {
            let block = state.pointee.cursor
            state.pointee.cursor += rounded
            state.pointee.remaining -= rounded
            return block
        }
        // The header keeps the payload aligned and links the block for release.
        let block = UnsafeMutableRawPointer.allocate(byteCount: rounded + alignment, alignment: alignment)
        block.storeBytes(of: state.pointee.spilled, as: UnsafeMutableRawPointer?.self)
        state.pointee.spilled = block
        return block + alignment
    }

    /// Individual frees are pointless: everything goes when the scope ends.
    private static let ignoreFree: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Void = {
        _, _ in
    }

    private static func releaseSpilled(_ head: UnsafeMutableRawPointer?) {
        var next = head
        while let block = next {
            next = block.load(as: UnsafeMutableRawPointer?.self)
            block.deallocate()
        }
    }
}
