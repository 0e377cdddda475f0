import Foundation
import PipelineBigtable
import PipelineMessages
import PipelineTables
import Testing

/// `EventsFactTable.entry(for:)` writes exactly the cells of the straightforward mapping (one SetCell per field, text
/// values, the event time as every cell's timestamp) and the documented row key, for varied events.
@Suite("events_fact entries")
struct EventsFactTableTests {
    static let events: [CleanEvent] = [
        CleanEvent(
            eventID: "3f1c2a9e-5b7d-4e8f-9a01-23456789abcd", userID: "user-42", sessionID: "s-7", eventType: "song_play",
            eventTimeMs: 1_767_225_600_123, ingestTimeMs: 1_767_225_600_200, processedTimeMs: 1_767_225_600_300,
            page: "NextSong", level: "paid",
            song: .init(songID: "song-1", title: "Björk — Jóga 🎶", artist: "Björk", lengthMs: 305_000),
            userAgent: String(repeating: "Mozilla/5.0 (X11; Linux x86_64) ", count: 20),
            device: .init(deviceType: "desktop", os: "Linux", browser: "Firefox"),
            location: .init(city: "東京", country: "JP", latitude: 35.6895, longitude: -139.69171), sequence: 9_001,
            attributes: ["referrer": "\"https://example.com\"", "a_very_long_attribute_name": "[1,2,3]"],
            source: "web", pipelineVersion: "transformer/1.4.0", qualityVerdict: .pass),
        CleanEvent(
            eventID: "e", userID: "u", eventType: "add_to_cart", eventTimeMs: 0, itemID: "item-9",
            priceMicros: -1_500_000, sequence: Int64.min, source: "", pipelineVersion: "v",
            qualityVerdict: .warn, failedChecks: ["price_positive"], warnedChecks: ["late_event", "user_agent_missing"]),
        CleanEvent(
            eventID: "ëvent", userID: "usér#with#hashes", sessionID: "", eventType: "", eventTimeMs: -5,
            ingestTimeMs: Int64.max, processedTimeMs: 1, priceMicros: 0, sequence: 0, attributes: ["": ""]),
    ]

    @Test("the cells equal the straightforward field-by-field mapping")
    func cellsMatchReference() {
        for event in Self.events {
            #expect(EventsFactTable.entry(for: event) == Reference.entry(for: event))
        }
    }

    @Test("the row key is the documented {user}#{reversed time}#{event id} in UTF-8")
    func rowKeys() {
        for time: Int64 in [0, 1, -5, 999, 1_767_225_600_123, Int64.max / 1000] {
            let event = CleanEvent(eventID: "id-ü", userID: "user", eventTimeMs: time)
            let key = EventsFactTable.entry(for: event).rowKey
            #expect(key == Data(EventsFactTable.rowKey(userID: "user", eventTimeMs: time, eventID: "id-ü").utf8))
            #expect(key.count == "user".utf8.count + 21 + "id-ü".utf8.count)
        }
        #expect(EventsFactTable.reversedTime(Int64.max) == "0000000000000000000")
        #expect(EventsFactTable.reversedTime(0) == "9223372036854775807")
    }
}

/// The mapping written plainly, with Strings, as the table documents it: what the fast path must reproduce.
enum Reference {
    static func entry(for event: CleanEvent) -> BigtableMutationEntry {
        var mutations: [BigtableMutation] = []
        func put(_ family: String, _ column: String, _ value: String) {
            mutations.append(.setCell(family: family, qualifier: column, timestampMillis: event.eventTimeMs, value: value))
        }
        let data = EventsFactTable.eventData
        put(data, "event_type", event.eventType)
        put(data, "session_id", event.sessionID)
        if !event.page.isEmpty { put(data, "page", event.page) }
        if !event.level.isEmpty { put(data, "level", event.level) }
        if let song = event.song {
            put(data, "song_id", song.songID)
            put(data, "song_title", song.title)
            put(data, "song_artist", song.artist)
            put(data, "song_length_ms", String(song.lengthMs))
        }
        if !event.itemID.isEmpty {
            put(data, "item_id", event.itemID)
            put(data, "price_micros", String(event.priceMicros))
        }
        if !event.userAgent.isEmpty { put(data, "user_agent", event.userAgent) }
        if let device = event.device {
            put(data, "device_type", device.deviceType)
            put(data, "os", device.os)
            put(data, "browser", device.browser)
        }
        if let location = event.location {
            put(data, "city", location.city)
            put(data, "country", location.country)
            put(data, "lat", String(location.latitude))
            put(data, "lon", String(location.longitude))
        }
        put(data, "sequence", String(event.sequence))
        for (key, value) in event.attributes { put(data, "attr." + key, value) }
        let meta = EventsFactTable.metadata
        put(meta, "event_id", event.eventID)
        put(meta, "user_id", event.userID)
        put(meta, "event_time_ms", String(event.eventTimeMs))
        put(meta, "ingest_time_ms", String(event.ingestTimeMs))
        put(meta, "processed_time_ms", String(event.processedTimeMs))
        put(meta, "source", event.source)
        put(meta, "pipeline_version", event.pipelineVersion)
        let quality = EventsFactTable.quality
        put(quality, "verdict", event.qualityVerdict == .warn ? "WARN" : "PASS")
        if !event.failedChecks.isEmpty { put(quality, "failed_checks", event.failedChecks.joined(separator: ",")) }
        if !event.warnedChecks.isEmpty { put(quality, "warned_checks", event.warnedChecks.joined(separator: ",")) }
        return BigtableMutationEntry(
            rowKey: EventsFactTable.rowKey(userID: event.userID, eventTimeMs: event.eventTimeMs, eventID: event.eventID),
            mutations: mutations)
    }
}
