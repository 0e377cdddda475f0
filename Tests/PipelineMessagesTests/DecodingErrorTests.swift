import PipelineMessages
import Testing

@Suite("Decoding errors")
struct DecodingErrorTests {
    @Test("input over maximumEncodedSize throws oversized before parsing")
    func oversized() throws {
        let big = RawEvent(payload: [UInt8](repeating: 0x41, count: RawEvent.maximumEncodedSize)).encode()
        #expect(big.count > RawEvent.maximumEncodedSize)
        #expect(kind(RawEvent.self, big) == .oversized)
        #expect(kind(CleanEvent.self, [UInt8](repeating: 0, count: (1 << 20) + 1)) == .oversized)

        // A dead letter may wrap an oversized record.
        let letter = DeadLetter(originalValue: [UInt8](repeating: 0x42, count: 2 << 20), reason: "oversized")
        #expect(try DeadLetter(decoding: letter.encode()) == letter)
        #expect(kind(DeadLetter.self, [UInt8](repeating: 0, count: (8 << 20) + 1)) == .oversized)
    }

    @Test("truncated and garbage input throws malformed")
    func malformed() {
        let encoded = CleanEvent.full.encode()
        #expect(kind(CleanEvent.self, Array(encoded.dropLast())) == .malformed)
        #expect(kind(RawEvent.self, [0xFF, 0xFF, 0xFF]) == .malformed)
        // source (a string) sent as a varint: wrong wire type.
        #expect(kind(RawEvent.self, [0x08, 0x01]) == .malformed)
        // A length running past the end.
        #expect(kind(Alert.self, [0x0A, 0x05, 0x61]) == .malformed)
        // A start-group wire type, which proto3 never uses.
        #expect(kind(Status.self, [0x0B, 0x0C]) == .malformed)
    }

    @Test("invalid UTF-8 in a string field throws invalidUTF8")
    func invalidUTF8() throws {
        // RawEvent.source = C3 28 (a lead byte followed by ASCII).
        let error = try #require(decodingError(RawEvent.self, [0x0A, 0x02, 0xC3, 0x28]))
        #expect(error.kind == .invalidUTF8)
        #expect(error.messageType == "RawEvent")
        #expect(error.description.contains("source"))
        #expect(error.reason == "invalid_utf8")

        // A map key inside CleanEvent.attributes (field 17): entry {key: FF, value: "A"}.
        #expect(kind(CleanEvent.self, [0x8A, 0x01, 0x06, 0x0A, 0x01, 0xFF, 0x12, 0x01, 0x41]) == .invalidUTF8)
        // A nested FieldValue.name in ChangeEvent.fields (field 16): an unpaired surrogate ED A0 80.
        let nested = try #require(
            decodingError(ChangeEvent.self, [0x82, 0x01, 0x05, 0x0A, 0x03, 0xED, 0xA0, 0x80]))
        #expect(nested.kind == .invalidUTF8)
        #expect(nested.detail.contains("fields.name"))
        // Overlong encoding of "/" and a code point above U+10FFFF.
        #expect(kind(Alert.self, [0x0A, 0x02, 0xC0, 0xAF]) == .invalidUTF8)
        #expect(kind(Alert.self, [0x0A, 0x04, 0xF4, 0x90, 0x80, 0x80]) == .invalidUTF8)
        // Bytes fields carry anything.
        #expect(try RawEvent(decoding: [0x1A, 0x02, 0xC3, 0x28]).payload == [0xC3, 0x28])
    }

    @Test("a NUL inside a string throws instead of truncating")
    func embeddedNUL() throws {
        let error = try #require(decodingError(RecordChange.self, [0x12, 0x03, 0x61, 0x00, 0x62]))
        #expect(error.kind == .invalidUTF8)
        #expect(error.detail.contains("NUL"))
    }

    @Test("string validation agrees with the standard library", arguments: 0..<4)
    func validationMatchesStandardLibrary(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let fragments: [[UInt8]] = [
            [0x61], [0xC3, 0xA9], [0xE4, 0xB8, 0xAD], [0xF0, 0x9F, 0x8E, 0xB5], [0x80], [0xC0], [0xED, 0xA0, 0x80],
            [0xF4, 0x90, 0x80, 0x80], [0xE0, 0x80], [0xF0, 0x80, 0x80, 0x80], [0xFF], [0x00], [0xEF, 0xBF, 0xBF],
        ]
        for _ in 0..<500 {
            let text = (0..<rng.below(6)).flatMap { _ in rng.element(of: fragments) }
            let wire = [0x0A] + Varint.encode(UInt64(text.count)) + text
            let expectValid = String(validating: text, as: UTF8.self) != nil && !text.contains(0)
            let result = decodingError(Alert.self, wire)
            #expect((result == nil) == expectValid, "\(hex(text))")
            if let result { #expect(result.kind == .invalidUTF8) }
        }
    }

    @Test("an enum number the schema lacks throws unknownEnumValue")
    func unknownEnum() throws {
        // CleanEvent.quality_verdict (field 20) = 7.
        let error = try #require(decodingError(CleanEvent.self, [0xA0, 0x01, 0x07]))
        #expect(error.kind == .unknownEnumValue)
        #expect(error.detail.contains("quality_verdict"))
        // ChangeEvent.change_type = -1, a ten-byte varint.
        let negative: [UInt8] = [0x10] + Varint.encode(UInt64.max)
        #expect(kind(ChangeEvent.self, negative) == .unknownEnumValue)
        #expect(try ChangeEvent(decoding: [0x10, 0x09]).changeType == .gapOverflow)
    }

    private func decodingError<M: PipelineMessage>(_: M.Type, _ bytes: [UInt8]) -> MessageDecodingError? {
        do {
            _ = try M(decoding: bytes)
            return nil
        } catch {
            return error
        }
    }

    private func kind<M: PipelineMessage>(_ type: M.Type, _ bytes: [UInt8]) -> MessageDecodingError.Kind? {
        decodingError(type, bytes)?.kind
    }
}
