import Foundation
public import PipelineBigtable
public import PipelineMessages

/// `events_fact`: one row per clean event, keyed so that a user's events read newest first.
///
/// Row key `{user_id}#{reversed_time}#{event_id}`, where `reversed_time` is `Int64.max − event_time_ms` written as 19
/// zero-padded digits, so text order is time order reversed and a prefix scan of `{user_id}#` lists a user's events
/// newest first; the event id makes keys unique. Every cell's timestamp is the event time, so writing the same
/// event again (a replay, a redelivery, a retry) rewrites the same cells: the table is idempotent by construction.
public enum EventsFactTable {
    public static let name = "events_fact"
    public static let eventData = "event_data"
    public static let metadata = "metadata"
    public static let quality = "quality"

    /// Families and their garbage collection: one version per cell (rewrites are identical) and two years of
    /// retention, as the planning notes ask.
    public static let families: [String: BigtableGCRule] = [
        eventData: .union([.maxVersions(1), .maxAge(.seconds(730 * 86_400))]),
        metadata: .union([.maxVersions(1), .maxAge(.seconds(730 * 86_400))]),
        quality: .union([.maxVersions(1), .maxAge(.seconds(730 * 86_400))]),
    ]

    /// `Int64.max − t` as 19 digits: the part of the key that makes newer events sort first.
    public static func reversedTime(_ eventTimeMs: Int64) -> String {
        let digits = String(Int64.max - max(0, eventTimeMs))
        return String(repeating: "0", count: max(0, 19 - digits.count)) + digits
    }

    public static func rowKey(userID: String, eventTimeMs: Int64, eventID: String) -> String {
        "\(userID)#\(reversedTime(eventTimeMs))#\(eventID)"
    }

    /// The key range holding a user's events with `from <= event time < to` (both optional), newest first.
    public static func userRange(userID: String, fromMs: Int64?, toMs: Int64?) -> BigtableRowSet {
        let prefix = "\(userID)#"
        // Newer events have smaller reversed times: `to` bounds the start of the scan, `from` its end.
        let start = toMs.map { prefix + reversedTime($0 - 1) } ?? prefix
        // '$' sorts right after '#': `U$` ends the user's prefix, `U#T$` includes every key of reversed time T.
        let end = fromMs.map { prefix + reversedTime($0) + "$" } ?? userID + "$"
        return .range(.halfOpen(start, end))
    }

    /// The mutations that store one clean event.
    public static func entry(for event: CleanEvent) -> BigtableMutationEntry {
        let time = event.eventTimeMs
        var mutations: [BigtableMutation] = []
        mutations.reserveCapacity(32)
        func put(_ family: String, _ column: String, _ value: String) {
            mutations.append(.setCell(family: family, qualifier: column, timestampMillis: time, value: value))
        }
        put(eventData, "event_type", event.eventType)
        put(eventData, "session_id", event.sessionID)
        if !event.page.isEmpty { put(eventData, "page", event.page) }
        if !event.level.isEmpty { put(eventData, "level", event.level) }
        if let song = event.song {
            put(eventData, "song_id", song.songID)
            put(eventData, "song_title", song.title)
            put(eventData, "song_artist", song.artist)
            put(eventData, "song_length_ms", String(song.lengthMs))
        }
        if !event.itemID.isEmpty {
            put(eventData, "item_id", event.itemID)
            put(eventData, "price_micros", String(event.priceMicros))
        }
        if !event.userAgent.isEmpty { put(eventData, "user_agent", event.userAgent) }
        if let device = event.device {
            put(eventData, "device_type", device.deviceType)
            put(eventData, "os", device.os)
            put(eventData, "browser", device.browser)
        }
        if let location = event.location {
            put(eventData, "city", location.city)
            put(eventData, "country", location.country)
            put(eventData, "lat", String(location.latitude))
            put(eventData, "lon", String(location.longitude))
        }
        put(eventData, "sequence", String(event.sequence))
        for (key, value) in event.attributes { put(eventData, "attr." + key, value) }

        put(metadata, "event_id", event.eventID)
        put(metadata, "user_id", event.userID)
        put(metadata, "event_time_ms", String(event.eventTimeMs))
        put(metadata, "ingest_time_ms", String(event.ingestTimeMs))
        put(metadata, "processed_time_ms", String(event.processedTimeMs))
        put(metadata, "source", event.source)
        put(metadata, "pipeline_version", event.pipelineVersion)

        put(quality, "verdict", event.qualityVerdict == .warn ? "WARN" : "PASS")
        if !event.failedChecks.isEmpty { put(quality, "failed_checks", event.failedChecks.joined(separator: ",")) }
        if !event.warnedChecks.isEmpty { put(quality, "warned_checks", event.warnedChecks.joined(separator: ",")) }
        return BigtableMutationEntry(
            rowKey: rowKey(userID: event.userID, eventTimeMs: event.eventTimeMs, eventID: event.eventID),
            mutations: mutations)
    }
}
