public import NIOCore

/// Splits inbound HTTP/2 bytes into "pass on" runs and PINGs to acknowledge locally.
///
/// Why: the Bigtable emulator (gRPC-Go) sends a BDP PING with almost every RPC, and
/// swift-nio-http2's denial-of-service heuristics close the connection with
/// ENHANCE_YOUR_CALM after 200 control frames in 30 s, a limit grpc-swift-nio-transport
/// does not expose. Answering PINGs before NIOHTTP2Handler sees them keeps the connection
/// (we trust the server we chose to dial); every other frame, PING ACKs included, passes on
/// unchanged and uncopied.
///
/// A pure value type with no I/O: frames may straddle reads, and the filter keeps at most
/// one partial frame header (or PING, 17 bytes) between calls.
public struct HTTP2PingFilter: Sendable {
    /// What to do with one part of an inbound read.
    public enum Action: Sendable, Hashable {
        /// Pass these bytes on to the HTTP/2 handler.
        case forward(ByteBuffer)
        /// Send a PING ACK carrying this 8-byte opaque payload.
        case acknowledge(ByteBuffer)
    }

    static let frameHeaderLength = 9
    static let pingFrameLength = 9 + 8
    private static let pingType: UInt8 = 0x6
    private static let ackFlag: UInt8 = 0x1

    /// Bytes of the current frame's payload still to pass on.
    private var remainingPayload = 0
    /// A frame header (or whole PING) cut off at the end of the previous read.
    private var pending: ByteBuffer?

    /// Creates a filter positioned at a frame boundary (the server sends no preface string).
    public init() {}

    /// Processes one inbound read.
    public mutating func process(_ buffer: ByteBuffer) -> [Action] {
        var actions: [Action] = []
        var input = buffer
        if !completePending(from: &input, into: &actions) { return actions }

        var runStart = input.readerIndex
        var cursor = input.readerIndex
        let end = input.writerIndex
        func flushRun(upTo index: Int) {
            if index > runStart, let run = input.getSlice(at: runStart, length: index - runStart) {
                actions.append(.forward(run))
            }
        }
        while true {
            let skip = min(remainingPayload, end - cursor)
            cursor += skip
            remainingPayload -= skip
            if cursor == end { break }
            guard end - cursor >= Self.frameHeaderLength, let header = Self.header(input, at: cursor) else {
                flushRun(upTo: cursor)
                pending = input.getSlice(at: cursor, length: end - cursor)
                return actions
            }
            if header.isPing {
                guard end - cursor >= Self.pingFrameLength else {
                    flushRun(upTo: cursor)
                    pending = input.getSlice(at: cursor, length: end - cursor)
                    return actions
                }
                flushRun(upTo: cursor)
                if let payload = input.getSlice(at: cursor + Self.frameHeaderLength, length: 8) {
                    actions.append(.acknowledge(payload))
                }
                cursor += Self.pingFrameLength
                runStart = cursor
            } else {
                cursor += Self.frameHeaderLength
                remainingPayload = header.length
            }
        }
        flushRun(upTo: cursor)
        return actions
    }

    /// The PING ACK frame for a payload from ``Action/acknowledge(_:)``.
    public static func ackFrame(payload: ByteBuffer, allocator: ByteBufferAllocator) -> ByteBuffer {
        var frame = allocator.buffer(capacity: pingFrameLength)
        frame.writeBytes([0, 0, 8, pingType, ackFlag, 0, 0, 0, 0])
        var payload = payload
        frame.writeBuffer(&payload)
        return frame
    }

    // MARK: - Frame headers

    private struct Header {
        var length: Int
        var isPing: Bool
    }

    private static func header(_ buffer: ByteBuffer, at index: Int) -> Header? {
        guard let high = buffer.getInteger(at: index, as: UInt8.self),
            let low = buffer.getInteger(at: index + 1, as: UInt16.self),
            let type = buffer.getInteger(at: index + 3, as: UInt8.self),
            let flags = buffer.getInteger(at: index + 4, as: UInt8.self)
        else { return nil }
        let length = Int(high) << 16 | Int(low)
        return Header(length: length, isPing: type == pingType && flags & ackFlag == 0 && length == 8)
    }

    /// Completes a frame header or PING left over from the previous read.
    ///
    /// - Returns: false when `input` ran out before it was complete (nothing more to do).
    private mutating func completePending(from input: inout ByteBuffer, into actions: inout [Action]) -> Bool {
        guard var partial = pending else { return true }
        while true {
            let needed: Int
            if partial.readableBytes < Self.frameHeaderLength {
                needed = Self.frameHeaderLength
            } else if let header = Self.header(partial, at: partial.readerIndex), header.isPing {
                needed = Self.pingFrameLength
            } else {
                needed = Self.frameHeaderLength
            }
            if partial.readableBytes < needed {
                guard input.readableBytes > 0, var more = input.readSlice(
                    length: min(needed - partial.readableBytes, input.readableBytes))
                else {
                    pending = partial
                    return false
                }
                partial.writeBuffer(&more)
                continue
            }
            pending = nil
            let header = Self.header(partial, at: partial.readerIndex)!
            if header.isPing {
                if let payload = partial.getSlice(at: partial.readerIndex + Self.frameHeaderLength, length: 8) {
                    actions.append(.acknowledge(payload))
                }
            } else {
                actions.append(.forward(partial))
                remainingPayload = header.length
            }
            return true
        }
    }
}
