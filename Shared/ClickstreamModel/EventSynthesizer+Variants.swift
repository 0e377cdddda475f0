// MARK: - Messy (still good) and bad variants

extension EventSynthesizer {
    /// Makes the draft a song event (for variants whose defect lives in `song`).
    private func forceSongEvent(_ d: inout Draft) {
        if !d.eventType.isSongEvent {
            d.eventType = .songPlay
            d.page = Self.songPage
        }
    }

    /// Makes the draft a cart event (for variants whose defect lives in `price`).
    private func forceCartEvent(_ d: inout Draft) {
        if !d.eventType.isCartEvent {
            d.eventType = .addToCart
            d.page = Self.browsePage
        }
    }

    private func quoted(_ raw: [UInt8]) -> [UInt8] {
        [UInt8(ascii: "\"")] + raw + [UInt8(ascii: "\"")]
    }

    private func iso(_ ms: Int64) -> [UInt8] {
        var w = JSONBytes(capacity: 26)
        w.byte(UInt8(ascii: "\""))
        w.iso8601(epochMs: ms)
        w.byte(UInt8(ascii: "\""))
        return w.bytes
    }

    private func decimal(_ value: Int64, decimals: Int) -> [UInt8] {
        var w = JSONBytes(capacity: 24)
        w.fixed(value, decimals: decimals)
        return w.bytes
    }

    /// `page_view` → `Page_View `, `PAGE_VIEW`, ` page_view`…: never the canonical spelling.
    private func messyCase(_ canonical: String, _ rng: inout SplitMix64) -> [UInt8] {
        var style = rng.below(3)
        let padding = rng.below(4)
        if style == 2 && padding == 0 { style = 0 }
        var text: String
        switch style {
        case 0:
            text = canonical.split(separator: "_", omittingEmptySubsequences: false)
                .map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: "_")
        case 1: text = canonical.uppercased()
        default: text = canonical
        }
        switch padding {
        case 1: text += " "
        case 2: text = " " + text
        case 3: text = "  " + text + "\t"
        default: break
        }
        return JSONBytes.quoted(text)
    }

    // MARK: - Messy

    /// 1–2 cleanable irregularities for a good record.
    func messyShape(_ d: inout Draft) -> (Shape, String) {
        var shape = Shape()
        var notes: [String] = []
        let picks = [d.rng.below(7), d.rng.below(7)].prefix(1 + d.rng.below(2))
        let user = population.users[d.user]
        for pick in picks {
            switch pick {
            case 0:
                shape.set(.timestamp, iso(d.timeMs))
                notes.append("iso_timestamp")
            case 1:
                shape.set(.timestamp, quoted(decimal(d.timeMs, decimals: 0)))
                notes.append("string_timestamp")
            case 2:
                shape.set(.eventType, messyCase(d.eventType.rawValue, &d.rng))
                notes.append("event_type_case")
            case 3:
                shape.set(.level, messyCase(user.isPaid ? "paid" : "free", &d.rng))
                notes.append("level_case")
            case 4:
                if d.eventType.isSongEvent {
                    let length = quoted(Population.seconds(population.songs[d.song].lengthMs))
                    shape.set(.song, population.songObject(d.song, length: length))
                    notes.append("string_length")
                } else if d.eventType.isCartEvent {
                    shape.set(.price, quoted(decimal(population.items[d.item].priceCents, decimals: 2)))
                    notes.append("string_price")
                } else {
                    let city = Catalog.cities[user.city]
                    shape.set(
                        .location,
                        Catalog.locationObject(
                            city, lat: quoted(Array(city.lat.utf8)), lon: quoted(Array(city.lon.utf8))))
                    notes.append("string_lat_lon")
                }
            case 5:
                let extras = [
                    #""clientVersion":"5.2.1""#, #""_experiment":{"name":"home-v2","arm":"b"}"#, #""referrer":null"#,
                    #""tags":["new","promo"]"#, #""sampleRate":0.25"#,
                ]
                shape.extraMember = Array(extras[d.rng.below(extras.count)].utf8)
                notes.append("extra_field")
            default:
                shape.spaced = true
                notes.append("whitespace")
            }
        }
        return (shape, notes.joined(separator: ","))
    }

    // MARK: - Bad

    func bad(_ kind: BadRecordKind, _ draft: Draft) -> SyntheticRecord {
        var d = draft
        d.isMessy = false
        switch kind {
        case .missingField: return missingField(&d)
        case .wrongType: return wrongType(&d)
        case .outOfRange: return outOfRange(&d)
        case .invalidJSON: return invalidJSON(&d)
        case .invalidUTF8: return invalidUTF8(&d)
        case .duplicateEventId: preconditionFailure("duplicates are built by record(at:)")
        case .futureTimestamp: return clockSkew(d)
        }
    }

    private func missingField(_ d: inout Draft) -> SyntheticRecord {
        let candidates: [Field] = [.eventId, .userId, .sessionId, .eventType, .timestamp, .song]
        let field = candidates[d.rng.below(candidates.count)]
        if field == .song { forceSongEvent(&d) }
        var shape = Shape()
        shape.omit = field
        return makeRecord(
            d, payload: payload(d, shape), kind: .bad(.missingField), hasEventId: field != .eventId,
            note: "missing:\(field.name)")
    }

    private func wrongType(_ d: inout Draft) -> SyntheticRecord {
        var shape = Shape()
        let user = population.users[d.user]
        let variant = d.rng.below(12)
        var hasEventId = true
        let note: String
        switch variant {
        case 0:
            shape.set(.userId, Array(#"{"id":"#.utf8) + user.quotedId + [UInt8(ascii: "}")])
            note = "userId:object"
        case 1:
            shape.set(.timestamp, d.rng.chance(1, in: 2) ? "true" : "false")
            note = "timestamp:boolean"
        case 2:
            let words = ["\"yesterday\"", "\"N/A\"", "\"tomorrow at noon\"", "\"\""]
            shape.set(.timestamp, words[d.rng.below(words.count)])
            note = "timestamp:unparseable_string"
        case 3:
            shape.set(.eventType, String(d.rng.below(13)))
            note = "eventType:number"
        case 4:
            shape.set(.eventId, Array("[\"\(eventId(at: d.index))\"]".utf8))
            hasEventId = false
            note = "eventId:array"
        case 5:
            shape.set(.sessionId, String(d.rng.below(100_000)))
            note = "sessionId:number"
        case 6:
            forceSongEvent(&d)
            let song = population.songs[d.song]
            shape.set(.song, JSONBytes.quoted(song.title + " - " + song.artist))
            note = "song:string"
        case 7:
            let city = Catalog.cities[user.city]
            shape.set(.location, Catalog.locationObject(city, lat: Array("true".utf8)))
            note = "location.lat:boolean"
        case 8:
            let p = Catalog.deviceProfiles[user.deviceProfile]
            shape.set(.device, Array("[\"\(p.type)\",\"\(p.os)\",\"\(p.browser)\"]".utf8))
            note = "device:array"
        case 9:
            forceCartEvent(&d)
            shape.set(.price, d.rng.chance(1, in: 2) ? "\"free\"" : "\"N/A\"")
            note = "price:unparseable_string"
        case 10:
            shape.set(.level, String(d.rng.below(2)))
            note = "level:number"
        default:
            forceSongEvent(&d)
            let ms = population.songs[d.song].lengthMs
            shape.set(
                .song,
                population.songObject(
                    d.song, length: Array(#"{"value":"#.utf8) + Population.seconds(ms) + [UInt8(ascii: "}")]))
            note = "song.lengthSeconds:object"
        }
        return makeRecord(d, payload: payload(d, shape), kind: .bad(.wrongType), hasEventId: hasEventId, note: note)
    }

    private func outOfRange(_ d: inout Draft) -> SyntheticRecord {
        var shape = Shape()
        let year: Int64 = 31_556_952_000  // mean Gregorian year in ms
        let note: String
        switch d.rng.below(12) {
        case 0:
            shape.set(.timestamp, decimal(d.timeMs + 200 * year, decimals: 0))
            note = "timestamp:far_future"
        case 1:
            shape.set(.timestamp, decimal(d.timeMs / 1000, decimals: 0))
            note = "timestamp:epoch_seconds"
        case 2:
            shape.set(.timestamp, decimal(d.timeMs - 30 * year, decimals: 0))
            note = "timestamp:before_2000"
        case 3:
            shape.set(.timestamp, iso(d.timeMs - 30 * year))
            note = "timestamp:iso_before_2000"
        case 4:
            forceSongEvent(&d)
            let ms = population.songs[d.song].lengthMs
            shape.set(.song, population.songObject(d.song, length: decimal(-ms, decimals: 3)))
            note = "song.lengthSeconds:negative"
        case 5:
            forceSongEvent(&d)
            shape.set(
                .song,
                population.songObject(d.song, length: decimal(86_400_000 + Int64(d.rng.below(1_000_000)), decimals: 3)))
            note = "song.lengthSeconds:too_long"
        case 6:
            let city = Catalog.cities[population.users[d.user].city]
            let lat = decimal(900_001 + Int64(d.rng.below(899_999)), decimals: 4)
            shape.set(.location, Catalog.locationObject(city, lat: lat))
            note = "location.lat:above_90"
        case 7:
            let city = Catalog.cities[population.users[d.user].city]
            let lon = decimal(-1_800_001 - Int64(d.rng.below(1_799_999)), decimals: 4)
            shape.set(.location, Catalog.locationObject(city, lon: lon))
            note = "location.lon:below_-180"
        case 8:
            forceCartEvent(&d)
            shape.set(.price, decimal(-population.items[d.item].priceCents, decimals: 2))
            note = "price:negative"
        case 9:
            let unknown = ["teleport", "page_veiw", "songplay", "unknown"]
            shape.set(.eventType, JSONBytes.quoted(unknown[d.rng.below(unknown.count)]))
            note = "eventType:unknown"
        case 10:
            shape.set(.level, JSONBytes.quoted(["platinum", "trial", "premium+"][d.rng.below(3)]))
            note = "level:unknown"
        default:
            shape.set(.sequence, decimal(-1 - Int64(d.rng.below(1000)), decimals: 0))
            note = "sequence:negative"
        }
        return makeRecord(d, payload: payload(d, shape), kind: .bad(.outOfRange), hasEventId: true, note: note)
    }

    private func invalidJSON(_ d: inout Draft) -> SyntheticRecord {
        var shape = Shape()
        var bytes: [UInt8]
        let note: String
        switch d.rng.below(6) {
        case 0:
            bytes = cleanPayload(d)
            // Cut on a character boundary so the bytes stay valid UTF-8 (else it would be invalid_utf8).
            var cut = 1 + d.rng.below(bytes.count - 2)
            while cut > 1 && bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
            bytes.removeSubrange(cut...)
            note = "truncated"
        case 1:
            shape.unquotedKey = [Field.eventType, .page, .level][d.rng.below(3)]
            bytes = payload(d, shape)
            note = "unquoted_key"
        case 2:
            shape.set(.level, population.users[d.user].isPaid ? "'paid'" : "'free'")
            bytes = payload(d, shape)
            note = "single_quotes"
        case 3:
            shape.missingColon = [Field.userId, .timestamp, .userAgent][d.rng.below(3)]
            bytes = payload(d, shape)
            note = "missing_colon"
        case 4:
            shape.set(.sessionId, "None")
            bytes = payload(d, shape)
            note = "python_literal"
        default:
            bytes = Self.htmlErrorPage
            note = "html_error_page"
        }
        return makeRecord(d, payload: bytes, kind: .bad(.invalidJSON), hasEventId: false, note: note)
    }

    /// What a proxy returns instead of the event when the collector behind it is down.
    static let htmlErrorPage: [UInt8] = Array(
        ("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
            + "<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n").utf8)

    /// Byte sequences that are not UTF-8: a stray 0xFF, a broken 2-byte sequence, a truncated 3-byte
    /// sequence, an encoded surrogate, an overlong `/`, a code point above U+10FFFF.
    static let invalidSequences: [[UInt8]] = [
        [0xFF], [0xC3, 0x28], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF5, 0x80, 0x80, 0x80],
    ]

    private func invalidUTF8(_ d: inout Draft) -> SyntheticRecord {
        var shape = Shape()
        let user = population.users[d.user]
        let note: String
        if d.rng.chance(1, in: 2) {
            // Mojibake: the city name in Latin-1 (non-ASCII names), or a bad sequence spliced in.
            let city = Catalog.cities[user.city]
            var name: [UInt8]
            if city.name.unicodeScalars.contains(where: { !$0.isASCII }) {
                name = city.name.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
                note = "latin1_city"
            } else {
                name = Array(city.name.utf8)
                name.insert(contentsOf: Self.invalidSequences[d.rng.below(Self.invalidSequences.count)], at: 1)
                note = "city_bad_bytes"
            }
            let location = Catalog.locationObjects[user.city]
            // Swap the city value (always the first string in the object) for the broken bytes.
            let prefix = Array(#"{"city":""#.utf8)
            let quotedName = JSONBytes.quoted(city.name)
            var broken = prefix + name + [UInt8(ascii: "\"")]
            broken += location[(prefix.count - 1 + quotedName.count)...]
            shape.set(.location, broken)
        } else {
            var agent = Catalog.quotedUserAgents[user.deviceProfile]
            let at = 1 + d.rng.below(agent.count - 2)  // user agents are ASCII: any position is a boundary
            agent.insert(contentsOf: Self.invalidSequences[d.rng.below(Self.invalidSequences.count)], at: at)
            shape.set(.userAgent, agent)
            note = "user_agent_bad_bytes"
        }
        return makeRecord(d, payload: payload(d, shape), kind: .bad(.invalidUTF8), hasEventId: false, note: note)
    }
}
