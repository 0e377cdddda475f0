import PipelineMessages

/// One `attributes` entry: snake_case key (in scratch) and the value's JSON text (in the payload).
struct Attribute {
    var key: UnsafeRawPointer
    var keyCount: Int
    var value: UnsafeRawPointer
    var valueCount: Int
}

/// Writing the accepted event as `tributary.v1.CleanEvent` wire bytes, field by field from the payload.
///
/// Fields go out in field-number order with proto3 defaults left out and map entries sorted by key, which
/// is what protobuf-c writes for the same message, so decoders see no difference.
extension EventTransformer {
    static let cleanedTimestamp: StaticString = "cleaned_timestamp"
    static let cleanedNumber: StaticString = "cleaned_number"
    static let cleanedText: StaticString = "cleaned_text"

    func encode(source: String, receivedTimeMs: Int64, processedTimeMs: Int64) -> EncodedCleanEvent {
        collectAttributes()
        var warned: UInt8 = 0
        if typed[EventField.timestamp.rawValue].cleaned { warned |= 1 }
        if typed[EventField.price.rawValue].cleaned || typed[EventField.songLengthSeconds.rawValue].cleaned
            || typed[EventField.locationLat.rawValue].cleaned || typed[EventField.locationLon.rawValue].cleaned
        {
            warned |= 2
        }
        if typed[EventField.eventType.rawValue].cleaned || typed[EventField.level.rawValue].cleaned { warned |= 4 }
        let verdict: CleanEvent.QualityVerdict = warned == 0 && failedRules.isEmpty ? .pass : .warn
        let context = Context(
            receivedTimeMs: receivedTimeMs, processedTimeMs: processedTimeMs, verdict: verdict, warned: warned)
        let bytes: [UInt8]
        if let fast = source.utf8.withContiguousStorageIfAvailable({ utf8 in
            encode(context, source: UnsafeRawBufferPointer(utf8))
        }) {
            bytes = fast
        } else {
            bytes = Array(source.utf8).withUnsafeBytes { encode(context, source: $0) }
        }
        let time = typed[EventField.timestamp.rawValue]
        return EncodedCleanEvent(bytes: bytes, verdict: verdict, eventTimeMs: time.ok ? time.integer : 0)
    }

    struct Context {
        var receivedTimeMs: Int64
        var processedTimeMs: Int64
        var verdict: CleanEvent.QualityVerdict
        /// Bits: 1 cleaned_timestamp, 2 cleaned_number, 4 cleaned_text.
        var warned: UInt8
    }

    /// Writes the message into the reusable output buffer in one pass, then copies exactly its bytes out.
    private func encode(_ context: Context, source: UnsafeRawBufferPointer) -> [UInt8] {
        // Every string comes from the payload (or is shorter once unescaped); attribute keys at most double
        // in snake_case; each field adds at most a 2-byte tag and a 10-byte varint.
        var bound = 3 * payloadCount + 48 * attributes.count + source.count + versionBytes.count + 1024
        for rule in failedRules { bound += rules.rules[rule].nameBytes.count + 8 }
        if bound > outputCapacity {
            output.deallocate()
            outputCapacity = max(bound, 2 * outputCapacity)
            output = .allocate(capacity: outputCapacity)
        }
        var writer = ProtoWriter(p: output)
        write(into: &writer, context, source)
        return [UInt8](UnsafeBufferPointer(start: output, count: writer.p - output))
    }

    // MARK: - Fields

    @inline(__always)
    private func text(_ s: inout ProtoWriter, _ number: Int, _ field: EventField) {
        let t = typed[field.rawValue]
        guard t.ok else { return }
        if t.needsLowercase {
            s.lowercasedString(number, t.text, t.textCount)
        } else {
            s.string(number, t.text, t.textCount)
        }
    }

    @inline(__always)
    private func present(_ field: EventField) -> Bool {
        typed[field.rawValue].ok
    }

    private func write(into s: inout ProtoWriter, _ c: Context, _ source: UnsafeRawBufferPointer) {
        text(&s, 1, .eventId)
        text(&s, 2, .userId)
        text(&s, 3, .sessionId)
        text(&s, 4, .eventType)
        if present(.timestamp) { s.int64(5, typed[EventField.timestamp.rawValue].integer) }
        s.int64(6, c.receivedTimeMs)
        s.int64(7, c.processedTimeMs)
        text(&s, 8, .page)
        text(&s, 9, .level)
        if present(.song) { s.message(10) { song(&$0) } }
        text(&s, 11, .itemId)
        if present(.price) { s.int64(12, typed[EventField.price.rawValue].scaled) }
        text(&s, 13, .userAgent)
        if present(.device) { s.message(14) { device(&$0) } }
        if present(.location) { s.message(15) { location(&$0) } }
        if present(.sequence) { s.int64(16, typed[EventField.sequence.rawValue].integer) }
        for a in attributes {
            // A map entry is a proto3 message too: an empty key or value is left out, as protobuf-c does.
            s.header(17, length: entrySize(a))
            s.string(1, a.key, a.keyCount)
            s.string(2, a.value, a.valueCount)
        }
        if let base = source.baseAddress { s.string(18, base, source.count) }
        versionBytes.withUnsafeBytes { s.string(19, $0.baseAddress, $0.count) }
        s.tag(20, 0)
        s.varint(UInt64(c.verdict.rawValue))
        for rule in failedRules {
            rules.rules[rule].nameBytes.withUnsafeBytes { s.element(21, $0.baseAddress, $0.count) }
        }
        if c.warned & 1 != 0 { Self.element(&s, 22, Self.cleanedTimestamp) }
        if c.warned & 2 != 0 { Self.element(&s, 22, Self.cleanedNumber) }
        if c.warned & 4 != 0 { Self.element(&s, 22, Self.cleanedText) }
        if positionGiven {
            s.int64(23, Int64(sourcePartition))
            s.int64(24, currentPosition)
        }
        // 25 and 26 keep the device's clock (``ClockSkew``).
        if let deviceTimeMs { s.int64(25, deviceTimeMs) }
        if present(.sentAt) { s.int64(26, typed[EventField.sentAt.rawValue].integer) }
    }

    @inline(__always)
    private static func element(_ s: inout ProtoWriter, _ number: Int, _ name: StaticString) {
        s.element(number, name.utf8Start, name.utf8CodeUnitCount)
    }

    // MARK: - Sub-messages

    private func song(_ s: inout ProtoWriter) {
        text(&s, 1, .songId)
        text(&s, 2, .songTitle)
        text(&s, 3, .songArtist)
        if present(.songLengthSeconds) { s.int64(4, typed[EventField.songLengthSeconds.rawValue].scaled) }
    }

    private func device(_ s: inout ProtoWriter) {
        text(&s, 1, .deviceType)
        text(&s, 2, .deviceOS)
        text(&s, 3, .deviceBrowser)
    }

    private func location(_ s: inout ProtoWriter) {
        text(&s, 1, .locationCity)
        text(&s, 2, .locationCountry)
        if present(.locationLat) { s.double(3, typed[EventField.locationLat.rawValue].number) }
        if present(.locationLon) { s.double(4, typed[EventField.locationLon.rawValue].number) }
    }

    @inline(__always)
    private func entrySize(_ a: Attribute) -> Int {
        var z = ProtoSizer()
        z.string(1, a.key, a.keyCount)
        z.string(2, a.value, a.valueCount)
        return z.count
    }

    // MARK: - Attributes

    /// Builds `attributes` from the unknown members: `parent.` prefix plus the snake_case key (in scratch),
    /// sorted by key; when two members map to the same key, the first one in the payload wins.
    private func collectAttributes() {
        attributes.removeAll(keepingCapacity: true)
        guard !unknowns.isEmpty else { return }
        var used = scratchUsed
        for member in unknowns {
            let start = scratch + used
            var n = 0
            if let parent = member.parent {
                for b in parent.key.utf8 {
                    start[n] = b
                    n += 1
                }
                start[n] = UInt8(ascii: ".")
                n += 1
            }
            var key = member.key
            var keyCount = member.keyCount
            if member.keyEscaped {
                // Decode after the space the snake_case form needs (at most twice the decoded length).
                let decoded = scratch + used + n + 2 * member.keyCount
                keyCount = JSONUnescaper.unescape(member.key, count: member.keyCount, into: decoded)
                key = UnsafeRawPointer(decoded)
            }
            n += SnakeCase.convert(key, count: keyCount, into: start + n)
            let attribute = Attribute(key: start, keyCount: n, value: member.value, valueCount: member.valueCount)
            if !attributes.contains(where: { $0.keyCount == n && memoryEqual($0.key, start, n) }) {
                attributes.append(attribute)
                used += n + (member.keyEscaped ? 3 * member.keyCount : 0)
            }
        }
        if attributes.count > 1 {
            attributes.sort { a, b in
                let common = min(a.keyCount, b.keyCount)
                for i in 0..<common {
                    let x = a.key.load(fromByteOffset: i, as: UInt8.self)
                    let y = b.key.load(fromByteOffset: i, as: UInt8.self)
                    if x != y { return x < y }
                }
                return a.keyCount < b.keyCount
            }
        }
    }
}
