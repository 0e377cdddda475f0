extension EventSynthesizer {
    /// The clean payload for `draft`: the same bytes as `payload(d, Shape())`, copied from pre-rendered
    /// fragments (about ten `memcpy`s into a buffer sized once).
    func cleanPayload(_ d: Draft) -> [UInt8] {
        let p = population
        let user = p.userSlices[d.user]
        let member: FragmentArena.Slice? =
            d.eventType.isSongEvent ? p.songSlices[d.song] : d.eventType.isCartEvent ? p.itemSlices[d.item] : nil
        let type = p.eventTypeSlices[d.eventType.ordinal]
        let page = p.pageSlices[d.page]
        let session = sessionIdBits(user: d.user, timeMs: d.timeMs)
        // Fragments plus three numbers (≤ 21 bytes each, with a sign), 16 hex digits and the closing brace.
        let capacity =
            p.prefixSlice.count + user.head.count + user.tail.count + type.count + page.count
            + (member?.count ?? 0) + 3 * 21 + 16 + 1
        let bytes = p.arena.bytes.withUnsafeBufferPointer { arenaBuffer in
            let arena = arenaBuffer.baseAddress!
            return [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                var w = RawWriter(base: buffer.baseAddress!)
                w.copy(p.prefixSlice, from: arena)
                w.uint(d.eventIdIndex)
                w.copy(user.head, from: arena)
                w.hex16(session)
                w.copy(type, from: arena)
                w.int(d.timeMs)
                w.copy(page, from: arena)
                if let member { w.copy(member, from: arena) }
                w.copy(user.tail, from: arena)
                w.uint(d.index)
                w.byte(UInt8(ascii: "}"))
                count = w.position
            }
        }
        assert(bytes == payload(d, Shape()), "the clean path and the general path disagree")
        return bytes
    }

    /// Writes the payload for `draft` in `shape`.
    func payload(_ d: Draft, _ shape: Shape) -> [UInt8] {
        var w = JSONBytes(capacity: 640)
        w.byte(UInt8(ascii: "{"))
        var first = true
        for field in Field.layout(for: d.eventType) where field != shape.omit {
            if !first { w.byte(UInt8(ascii: ",")) }
            first = false
            if shape.spaced { w.raw("\n  ") }
            if shape.unquotedKey == field {
                w.raw(field.name)
            } else {
                w.byte(UInt8(ascii: "\""))
                w.raw(field.name)
                w.byte(UInt8(ascii: "\""))
            }
            if shape.missingColon == field {
                w.byte(UInt8(ascii: " "))
            } else {
                w.raw(shape.spaced ? " : " : ":")
            }
            if let raw = shape.override(field) {
                w.raw(raw)
            } else {
                writeValue(field, d, into: &w)
            }
        }
        if let extra = shape.extraMember {
            w.byte(UInt8(ascii: ","))
            if shape.spaced { w.raw("\n  ") }
            w.raw(extra)
        }
        if shape.spaced { w.byte(0x0A) }
        w.byte(UInt8(ascii: "}"))
        return w.bytes
    }

    @inline(__always)
    private func writeValue(_ field: Field, _ d: Draft, into w: inout JSONBytes) {
        let user = population.users[d.user]
        switch field {
        case .eventId:
            w.raw(quotedEventIdPrefix)
            w.uint(d.eventIdIndex)
            w.byte(UInt8(ascii: "\""))
        case .userId: w.raw(user.quotedId)
        case .sessionId:
            w.raw("\"s-")
            w.hex16(sessionIdBits(user: d.user, timeMs: d.timeMs))
            w.byte(UInt8(ascii: "\""))
        case .eventType: w.raw(EventType.quotedBytes[d.eventType.ordinal])
        case .timestamp: w.int(d.timeMs)
        case .page: w.raw(Catalog.quotedPages[d.page])
        case .song: w.raw(population.songs[d.song].object)
        case .itemId: w.raw(population.items[d.item].quotedId)
        case .price: w.fixed(population.items[d.item].priceCents, decimals: 2)
        case .device: w.raw(Catalog.deviceObjects[user.deviceProfile])
        case .location: w.raw(Catalog.locationObjects[user.city])
        case .level: w.raw(user.isPaid ? "\"paid\"" : "\"free\"")
        case .userAgent: w.raw(Catalog.quotedUserAgents[user.deviceProfile])
        case .sequence: w.uint(d.index)
        }
    }

    // MARK: - Records

    /// Builds record `index`: key, payload, and what the pipeline must make of it.
    ///
    /// Costs a few hundred nanoseconds; safe to call from many threads at once.
    ///
    /// - Parameter receivedTimeMs: the receive time it will be sent with (`RawEvent.received_time_ms`; the
    ///   generator stamps its wall clock), by default ``defaultReceivedTimeMs(at:)``. Only clock-skew records'
    ///   payloads depend on it, and never their outcome.
    public func record(at index: UInt64, receivedTimeMs: Int64? = nil) -> SyntheticRecord {
        var d = draft(at: index)
        if let receivedTimeMs { d.receivedTimeMs = receivedTimeMs }
        switch baseKind(at: index) {
        case .good:
            return good(d)
        case .bad(.duplicateEventId):
            guard let j = duplicateTarget(of: index) else { return good(d) }
            return duplicate(d, of: j)
        case .bad(.futureTimestamp):
            return clockSkew(d)
        case .bad(let kind):
            return bad(kind, d)
        }
    }

    func makeRecord(
        _ d: Draft, user: Int? = nil, payload: [UInt8], kind: RecordKind, hasEventId: Bool, isMessy: Bool = false,
        duplicateOf: UInt64? = nil, note: String = ""
    ) -> SyntheticRecord {
        SyntheticRecord(
            index: d.index, key: population.users[user ?? d.user].id, payload: payload, kind: kind,
            eventId: hasEventId ? eventId(at: d.eventIdIndex) : nil, eventTimeMs: d.timeMs,
            receivedTimeMs: d.receivedTimeMs, isMessy: isMessy,
            duplicateOf: duplicateOf, eventType: d.eventType, note: note)
    }

    private func good(_ d: Draft) -> SyntheticRecord {
        guard d.isMessy else {
            return makeRecord(d, payload: cleanPayload(d), kind: .good, hasEventId: true)
        }
        var d = d
        let (shape, note) = messyShape(&d)
        return makeRecord(d, payload: payload(d, shape), kind: .good, hasEventId: true, isMessy: true, note: note)
    }

    /// A clean event about `j`'s user that reuses `j`'s event id, keyed like `j` so it follows it on its partition.
    private func duplicate(_ d: Draft, of j: UInt64) -> SyntheticRecord {
        var d = d
        d.user = headline(at: j).user
        d.eventIdIndex = j
        return makeRecord(
            d, payload: cleanPayload(d), kind: .bad(.duplicateEventId), hasEventId: true, duplicateOf: j,
            note: "duplicate:\(j)")
    }
}
