import NIOCore
import PipelineBigtable
import Testing

/// The inbound PING filter must pass every other byte through unchanged and answer every
/// non-ACK PING exactly once, however the stream is cut into reads.
@Suite("HTTP/2 PING filter")
struct HTTP2PingFilterTests {
    static func frame(type: UInt8, flags: UInt8 = 0, stream: UInt32 = 0, payload: [UInt8]) -> [UInt8] {
        let length = payload.count
        var bytes: [UInt8] = [UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), type, flags]
        bytes += [UInt8(stream >> 24 & 0xFF), UInt8(stream >> 16 & 0xFF), UInt8(stream >> 8 & 0xFF), UInt8(stream & 0xFF)]
        return bytes + payload
    }

    static let settings = frame(type: 0x4, payload: [0, 3, 0, 0, 0, 100])
    static let data = frame(type: 0x0, flags: 0x1, stream: 1, payload: Array(repeating: 0x06, count: 40))
    static let ping1 = frame(type: 0x6, payload: [1, 2, 3, 4, 5, 6, 7, 8])
    static let ping2 = frame(type: 0x6, payload: [8, 7, 6, 5, 4, 3, 2, 1])
    static let pingAck = frame(type: 0x6, flags: 0x1, payload: [9, 9, 9, 9, 9, 9, 9, 9])
    static let headers = frame(type: 0x1, flags: 0x4, stream: 1, payload: Array(repeating: 0x06, count: 17))

    /// Feeds `stream` cut at `cuts` and returns (forwarded bytes, acknowledged payloads).
    static func run(_ stream: [UInt8], cuts: [Int]) -> ([UInt8], [[UInt8]]) {
        var filter = HTTP2PingFilter()
        var forwarded: [UInt8] = []
        var acked: [[UInt8]] = []
        var start = 0
        for end in cuts + [stream.count] where end >= start {
            for action in filter.process(ByteBuffer(bytes: stream[start..<end])) {
                switch action {
                case .forward(let buffer): forwarded += buffer.readableBytesView
                case .acknowledge(let payload): acked.append(Array(payload.readableBytesView))
                }
            }
            start = end
        }
        return (forwarded, acked)
    }

    @Test("PINGs are removed and acknowledged; everything else passes unchanged, at every cut")
    func everySingleCut() {
        let stream = Self.settings + Self.ping1 + Self.headers + Self.data + Self.pingAck + Self.ping2 + Self.data
        let expected = Self.settings + Self.headers + Self.data + Self.pingAck + Self.data
        for cut in 0...stream.count {
            let (forwarded, acked) = Self.run(stream, cuts: [cut])
            #expect(forwarded == expected, "cut at \(cut)")
            #expect(acked == [[1, 2, 3, 4, 5, 6, 7, 8], [8, 7, 6, 5, 4, 3, 2, 1]], "cut at \(cut)")
        }
    }

    @Test("byte-at-a-time reads")
    func byteAtATime() {
        let stream = Self.ping1 + Self.data + Self.ping2
        let (forwarded, acked) = Self.run(stream, cuts: Array(1..<stream.count))
        #expect(forwarded == Self.data)
        #expect(acked.count == 2)
    }

    @Test("the ACK frame is a well-formed PING ACK with the same payload")
    func ackFrame() {
        let frame = HTTP2PingFilter.ackFrame(
            payload: ByteBuffer(bytes: [1, 2, 3, 4, 5, 6, 7, 8]), allocator: ByteBufferAllocator())
        #expect(Array(frame.readableBytesView) == Self.frame(type: 0x6, flags: 0x1, payload: [1, 2, 3, 4, 5, 6, 7, 8]))
    }
}
