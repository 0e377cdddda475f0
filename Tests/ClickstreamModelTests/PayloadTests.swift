import ClickstreamModel
import Foundation
import Testing

@Suite("Payloads")
struct PayloadTests {
    static let synthesizer = EventSynthesizer(seed: 7, badFraction: 0.2)
    static let records = (UInt64(0)..<30_000).map { synthesizer.record(at: $0) }

    private func object(_ payload: [UInt8]) -> [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any]
    }

    @Test("the reference validator accepts exactly the good records and names each bad one's reason")
    func contract() {
        var validator = ContractValidator()
        var mismatches: [String] = []
        for record in Self.records {
            let verdict = validator.classify(record.payload, receivedTimeMs: record.receivedTimeMs)
            if verdict.kind != record.kind {
                mismatches.append("\(record.index) \(record.kind) \(record.note) → \(verdict.kind)")
                continue
            }
            guard case .good(let clean) = verdict else { continue }
            #expect(clean.eventId == record.eventId)
            #expect(Array(clean.userId.utf8) == record.key)
            #expect(clean.timestampMs == record.eventTimeMs)
            #expect(clean.eventType == record.eventType)
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }

    @Test("clean good payloads carry every field with its JSON type")
    func cleanTypes() throws {
        let clean = Self.records.filter { $0.kind == .good && !$0.isMessy }
        #expect(clean.count > 20_000)
        for record in clean.prefix(5_000) {
            let o = try #require(object(record.payload))
            for key in ["eventId", "userId", "sessionId", "eventType", "page", "level", "userAgent"] {
                #expect(o[key] is String, "\(key) in \(record.index)")
            }
            let timestamp = try #require((o["timestamp"] as? NSNumber)?.int64Value)
            if let sent = o["sentAt"] {
                // A skewed device: its own clock, which the transformer corrects by the skew `sentAt` shows (as epoch
                // ms here, or ISO-8601, which the transformer's contract tests check).
                if let sentAt = (sent as? NSNumber)?.int64Value {
                    #expect(record.receivedTimeMs - (sentAt - timestamp) == record.eventTimeMs, "\(record.index)")
                }
            } else {
                #expect(timestamp == record.eventTimeMs)
            }
            #expect((o["sequence"] as? NSNumber)?.uint64Value == record.index)
            #expect(o["device"] is [String: Any])
            let location = try #require(o["location"] as? [String: Any])
            #expect(ContractValidator.number(location["lat"]!) != nil)
            #expect(Catalog.pages.contains(o["page"] as! String))
            let type = try #require(EventType(rawValue: o["eventType"] as! String))
            #expect((o["song"] as? [String: Any]) != nil || !type.isSongEvent)
            #expect(o["song"] == nil || type.isSongEvent)
            #expect((o["itemId"] is String && ContractValidator.number(o["price"]!) != nil) || !type.isCartEvent)
            #expect(o["itemId"] == nil || type.isCartEvent)
            if let song = o["song"] as? [String: Any] {
                #expect(song["songId"] is String && song["artist"] is String && song["title"] is String)
                #expect(ContractValidator.number(song["lengthSeconds"]!) != nil)
            }
        }
    }

    @Test("strings that need escaping round-trip through JSON")
    func escaping() {
        var sawQuote = false
        var sawBackslash = false
        var sawNonASCII = false
        for record in Self.records where record.kind == .good && !record.isMessy {
            guard let song = object(record.payload)?["song"] as? [String: Any] else { continue }
            let text = (song["artist"] as! String) + (song["title"] as! String)
            sawQuote = sawQuote || text.contains("\"")
            sawBackslash = sawBackslash || text.contains("\\")
            sawNonASCII = sawNonASCII || text.unicodeScalars.contains { !$0.isASCII }
        }
        #expect(sawQuote && sawBackslash && sawNonASCII)
    }

    @Test("about a tenth of good records are messy, with every kind of mess, and all still parse")
    func messy() throws {
        let good = Self.records.filter { $0.kind == .good }
        let messy = good.filter(\.isMessy)
        let share = Double(messy.count) / Double(good.count)
        #expect(abs(share - 0.10) < 0.01)
        var notes = Set<String>()
        for record in messy {
            #expect(object(record.payload) != nil)
            notes.formUnion(record.note.split(separator: ",").map(String.init))
        }
        #expect(
            notes == [
                "iso_timestamp", "string_timestamp", "event_type_case", "level_case", "string_length", "string_price",
                "string_lat_lon", "extra_field", "whitespace",
            ])
        // A messy event type really is spelled differently from the canonical one.
        let cased = try #require(messy.first { $0.note.contains("event_type_case") })
        let raw = try #require(object(cased.payload)?["eventType"] as? String)
        #expect(raw != cased.eventType.rawValue)
        #expect(ContractValidator.normalize(raw) == cased.eventType.rawValue)
        // ISO timestamps parse back to the event time.
        let iso = try #require(messy.first { $0.note.contains("iso_timestamp") })
        let text = try #require(object(iso.payload)?["timestamp"] as? String)
        #expect(ContractValidator.iso8601(text) == iso.eventTimeMs)
    }

    @Test("missing_field records lack the field they name")
    func missingField() throws {
        let bad = Self.records.filter { $0.kind == .bad(.missingField) }
        #expect(bad.count > 500)
        for record in bad {
            let o = try #require(object(record.payload))
            let field = String(record.note.dropFirst("missing:".count))
            #expect(o[field] == nil, "\(record.note)")
            #expect(o.count >= 10)
            #expect((record.eventId == nil) == (field == "eventId"))
        }
        let fields = Set(bad.map(\.note))
        #expect(fields.count == 6)
    }

    @Test("wrong_type records parse but hold an uncleanable type")
    func wrongType() throws {
        let bad = Self.records.filter { $0.kind == .bad(.wrongType) }
        #expect(Set(bad.map(\.note)).count == 12)
        for record in bad {
            #expect(object(record.payload) != nil)
            #expect(ContractValidator.check(record.payload) == .bad(.wrongType), "\(record.note)")
        }
        let boolean = try #require(bad.first { $0.note == "timestamp:boolean" })
        #expect(ContractValidator.isBool(object(boolean.payload)!["timestamp"]!))
        let userObject = try #require(bad.first { $0.note == "userId:object" })
        #expect(object(userObject.payload)!["userId"] is [String: Any])
    }

    @Test("out_of_range records are well typed but outside the contract's ranges")
    func outOfRange() {
        let bad = Self.records.filter { $0.kind == .bad(.outOfRange) }
        #expect(Set(bad.map(\.note)).count == 12)
        for record in bad {
            #expect(object(record.payload) != nil)
            #expect(ContractValidator.check(record.payload) == .bad(.outOfRange), "\(record.note)")
        }
    }

    @Test("invalid_json records are valid UTF-8 that JSONSerialization rejects")
    func invalidJSON() {
        let bad = Self.records.filter { $0.kind == .bad(.invalidJSON) }
        #expect(Set(bad.map(\.note)).count == 6)
        for record in bad {
            #expect(String(validating: record.payload, as: UTF8.self) != nil)
            #expect(throws: (any Error).self) { try JSONSerialization.jsonObject(with: Data(record.payload)) }
            #expect(record.key.starts(with: Array("u-".utf8)))
            #expect(record.eventId == nil)
        }
    }

    @Test("invalid_utf8 records fail UTF-8 validation")
    func invalidUTF8() {
        let bad = Self.records.filter { $0.kind == .bad(.invalidUTF8) }
        #expect(bad.count > 500)
        for record in bad {
            #expect(String(validating: record.payload, as: UTF8.self) == nil)
        }
        #expect(Set(bad.map(\.note)) == ["latin1_city", "city_bad_bytes", "user_agent_bad_bytes"])
    }

    @Test("duplicates reuse the id and key of an earlier good record in the window")
    func duplicates() throws {
        let bad = Self.records.filter { $0.kind == .bad(.duplicateEventId) }
        #expect(bad.count > 500)
        for record in bad {
            let j = try #require(record.duplicateOf)
            #expect(j < record.index && record.index - j <= EventSynthesizer.duplicateWindow)
            let original = Self.records[Int(j)]
            #expect(original.kind == .good)
            #expect(original.eventId == record.eventId)
            #expect(original.key == record.key)
            #expect(record.payload != original.payload)
            #expect(ContractValidator.check(record.payload) != .bad(.duplicateEventId))
        }
    }

    @Test("a duplicate with no good record before it is generated as good")
    func duplicateFallback() {
        let all = EventSynthesizer(seed: 3, badFraction: 1)
        #expect(all.duplicateTarget(of: 0) == nil)
        for i in UInt64(0)..<200 {
            let record = all.record(at: i)
            #expect(record.kind != .bad(.duplicateEventId))
            if record.kind == .good { #expect(all.kind(at: i) == .good) }
        }
    }

    @Test("every event type and page appears")
    func coverage() {
        let good = Self.records.filter { $0.kind == .good }
        #expect(Set(good.map(\.eventType)) == Set(EventType.allCases))
    }
}

/// The page list the payloads may use (mirrors the synthesizer's catalogue).
enum Catalog {
    static let pages: Set<String> = [
        "/home", "/browse", "/search", "/song", "/artist", "/album", "/playlist", "/radio", "/library", "/cart",
        "/checkout", "/settings", "/account", "/upgrade", "/downgrade", "/login", "/logout", "/help", "/about",
        "/error",
    ]
}
