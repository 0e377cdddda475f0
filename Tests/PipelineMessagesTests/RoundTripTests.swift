import PipelineMessages
import Testing

@Suite("Round trips")
struct RoundTripTests {
    @Test("every field survives encode and decode")
    func fullRoundTrip() throws {
        try expectRoundTrip(RawEvent.full)
        try expectRoundTrip(CleanEvent.full)
        try expectRoundTrip(DeadLetter.full)
        try expectRoundTrip(ChangeEvent.full)
        try expectRoundTrip(RecordChange.full)
        try expectRoundTrip(BatchRequest.full)
        try expectRoundTrip(Status.full)
        try expectRoundTrip(Alert.full)
    }

    @Test("default messages encode to nothing and decode from nothing")
    func defaults() throws {
        try expectEmptyDefault(RawEvent())
        try expectEmptyDefault(CleanEvent())
        try expectEmptyDefault(DeadLetter(originalKey: [], originalValue: []))
        try expectEmptyDefault(ChangeEvent())
        try expectEmptyDefault(RecordChange())
        try expectEmptyDefault(BatchRequest())
        try expectEmptyDefault(Status())
        try expectEmptyDefault(Alert())
    }

    @Test("random messages round trip", arguments: 0..<4)
    func randomRoundTrips(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<100 {
            try expectRoundTrip(RawEvent.random(using: &rng))
            try expectRoundTrip(CleanEvent.random(using: &rng))
            try expectRoundTrip(DeadLetter.random(using: &rng))
            try expectRoundTrip(ChangeEvent.random(using: &rng))
            try expectRoundTrip(RecordChange.random(using: &rng))
            try expectRoundTrip(BatchRequest.random(using: &rng))
            try expectRoundTrip(Status.random(using: &rng))
            try expectRoundTrip(Alert.random(using: &rng))
        }
    }

    @Test("null, empty and absent stay distinct")
    func nullability() throws {
        let letter = DeadLetter(originalKey: nil, originalValue: [])
        #expect(try DeadLetter(decoding: letter.encode()) == letter)
        let other = DeadLetter(originalKey: [], originalValue: nil)
        #expect(try DeadLetter(decoding: other.encode()) == other)

        let fields = [
            FieldValue(name: "a", value: nil), FieldValue(name: "b", value: ""), FieldValue(name: "c", value: "x"),
        ]
        let change = try RecordChange(decoding: RecordChange(fields: fields).encode())
        #expect(change.fields == fields)

        let event = try CleanEvent(decoding: CleanEvent(song: .init(), location: .init()).encode())
        #expect(event.song == CleanEvent.Song())
        #expect(event.location == CleanEvent.Location())
        #expect(event.device == nil)
    }

    @Test("maps encode in key order, whatever the insertion order")
    func deterministicMaps() {
        let keys = (0..<50).map { "key-\($0)" }
        var forward: [String: Int64] = [:]
        for (index, key) in keys.enumerated() { forward[key] = Int64(index) }
        var backward: [String: Int64] = [:]
        for (index, key) in keys.enumerated().reversed() { backward[key] = Int64(index) }
        #expect(Status(counters: forward).encode() == Status(counters: backward).encode())
        #expect(Alert.full.encode() == Alert.full.encode())
    }

    @Test("unknown fields from a newer writer are skipped")
    func unknownFieldsAreSkipped() throws {
        // Field 1000 as a varint, field 1001 as bytes, field 1002 as fixed64, field 1003 as fixed32.
        let extra: [UInt8] =
            [0xC0, 0x3E, 0x05, 0xCA, 0x3E, 0x02, 0xFF, 0xFE, 0xD1, 0x3E] + [UInt8](repeating: 1, count: 8)
            + [0xDD, 0x3E, 1, 2, 3, 4]
        #expect(try CleanEvent(decoding: CleanEvent.full.encode() + extra) == CleanEvent.full)
        #expect(try Status(decoding: extra + Status.full.encode()) == Status.full)
    }

    @Test("a repeated map key keeps the last value")
    func repeatedMapKey() throws {
        // labels (field 7) entries {"k": "1"} then {"k": "2"}.
        let bytes: [UInt8] = [
            0x3A, 0x06, 0x0A, 0x01, 0x6B, 0x12, 0x01, 0x31, 0x3A, 0x06, 0x0A, 0x01, 0x6B, 0x12, 0x01, 0x32,
        ]
        #expect(try Alert(decoding: bytes).labels == ["k": "2"])
    }

    @Test("field numbers are stable")
    func goldenEncodings() {
        #expect(
            hex(RawEvent(source: "g", receivedTimeMs: 1, payload: [0x7B], generator: .init(seed: 2, index: 3)).encode())
                == "0a0167" + "1001" + "1a017b" + "220408021003")
        #expect(Goldens.full.count == 8)
        for (encoding, golden) in zip(allFullEncodings(), Goldens.full) {
            #expect(hex(encoding) == golden)
        }
    }

    private func expectRoundTrip<M: PipelineMessage>(_ message: M, sourceLocation: SourceLocation = #_sourceLocation)
        throws
    {
        let encoded = message.encode()
        let decoded = try M(decoding: encoded)
        #expect(decoded == message, sourceLocation: sourceLocation)
        #expect(decoded.encode() == encoded, sourceLocation: sourceLocation)
    }

    private func expectEmptyDefault<M: PipelineMessage>(_ message: M, sourceLocation: SourceLocation = #_sourceLocation)
        throws
    {
        #expect(message.encode().isEmpty, sourceLocation: sourceLocation)
        #expect(try M(decoding: []) == message, sourceLocation: sourceLocation)
    }
}

func allFullEncodings() -> [[UInt8]] {
    [
        RawEvent.full.encode(), CleanEvent.full.encode(), DeadLetter.full.encode(), ChangeEvent.full.encode(),
        RecordChange.full.encode(), BatchRequest.full.encode(), Status.full.encode(), Alert.full.encode(),
    ]
}

func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef")
    return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
}
