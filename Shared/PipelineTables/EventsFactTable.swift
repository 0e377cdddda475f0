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
    ///
    /// This runs once per event in the writer, so it avoids per-cell work that does not change the cells:
    /// qualifiers are `Data` made once (``Column``), numbers are written as decimal digits straight into their
    /// value, and the row key is built in one buffer (equal to ``rowKey(userID:eventTimeMs:eventID:)``'s UTF-8).
    /// The event times a fact row can carry (epoch milliseconds): cell timestamps are non-negative microseconds,
    /// and the end is 9999-12-31, far below where the microseconds would overflow.
    public static let eventTimes: ClosedRange<Int64> = 0...253_402_300_799_999

    public static func entry(for event: CleanEvent) -> BigtableMutationEntry {
        var row = FactCells(timestampMillis: event.eventTimeMs)
        row.put(eventData, Column.eventType, event.eventType)
        row.put(eventData, Column.sessionID, event.sessionID)
        if !event.page.isEmpty { row.put(eventData, Column.page, event.page) }
        if !event.level.isEmpty { row.put(eventData, Column.level, event.level) }
        if let song = event.song {
            row.put(eventData, Column.songID, song.songID)
            row.put(eventData, Column.songTitle, song.title)
            row.put(eventData, Column.songArtist, song.artist)
            row.put(eventData, Column.songLengthMs, song.lengthMs)
        }
        if !event.itemID.isEmpty {
            row.put(eventData, Column.itemID, event.itemID)
            row.put(eventData, Column.priceMicros, event.priceMicros)
        }
        if !event.userAgent.isEmpty { row.put(eventData, Column.userAgent, event.userAgent) }
        if let device = event.device {
            row.put(eventData, Column.deviceType, device.deviceType)
            row.put(eventData, Column.os, device.os)
            row.put(eventData, Column.browser, device.browser)
        }
        if let location = event.location {
            row.put(eventData, Column.city, location.city)
            row.put(eventData, Column.country, location.country)
            row.put(eventData, Column.lat, String(location.latitude))
            row.put(eventData, Column.lon, String(location.longitude))
        }
        row.put(eventData, Column.sequence, event.sequence)
        for (key, value) in event.attributes { row.put(eventData, Data(("attr." + key).utf8), value) }

        row.put(metadata, Column.eventID, event.eventID)
        row.put(metadata, Column.userID, event.userID)
        row.put(metadata, Column.eventTimeMs, event.eventTimeMs)
        row.put(metadata, Column.ingestTimeMs, event.ingestTimeMs)
        row.put(metadata, Column.processedTimeMs, event.processedTimeMs)
        row.put(metadata, Column.source, event.source)
        row.put(metadata, Column.pipelineVersion, event.pipelineVersion)

        row.put(quality, Column.verdict, event.qualityVerdict == .warn ? Column.warn : Column.pass)
        if !event.failedChecks.isEmpty { row.put(quality, Column.failedChecks, event.failedChecks.joined(separator: ",")) }
        if !event.warnedChecks.isEmpty { row.put(quality, Column.warnedChecks, event.warnedChecks.joined(separator: ",")) }
        return BigtableMutationEntry(
            rowKey: rowKeyData(userID: event.userID, eventTimeMs: event.eventTimeMs, eventID: event.eventID),
            mutations: row.mutations)
    }

    /// ``rowKey(userID:eventTimeMs:eventID:)`` as UTF-8, written into one buffer.
    static func rowKeyData(userID: String, eventTimeMs: Int64, eventID: String) -> Data {
        let user = userID.utf8.count
        let id = eventID.utf8.count
        var key = Data(count: user + 21 + id)
        key.withUnsafeMutableBytes { out in
            var userID = userID
            var eventID = eventID
            userID.withUTF8 { out.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: user) }
            out[user] = UInt8(ascii: "#")
            // Int64.max − t has at most 19 digits: written right to left, zero-padded to exactly 19.
            var reversed = UInt64(Int64.max - max(0, eventTimeMs))
            for index in stride(from: user + 19, to: user, by: -1) {
                out[index] = UInt8(ascii: "0") + UInt8(reversed % 10)
                reversed /= 10
            }
            out[user + 20] = UInt8(ascii: "#")
            eventID.withUTF8 { out.baseAddress!.advanced(by: user + 21).copyMemory(from: $0.baseAddress!, byteCount: id) }
        }
        return key
    }

    /// The qualifiers of the fixed columns, and the two verdict values, as the bytes every row shares.
    enum Column {
        static let eventType = Data("event_type".utf8)
        static let sessionID = Data("session_id".utf8)
        static let page = Data("page".utf8)
        static let level = Data("level".utf8)
        static let songID = Data("song_id".utf8)
        static let songTitle = Data("song_title".utf8)
        static let songArtist = Data("song_artist".utf8)
        static let songLengthMs = Data("song_length_ms".utf8)
        static let itemID = Data("item_id".utf8)
        static let priceMicros = Data("price_micros".utf8)
        static let userAgent = Data("user_agent".utf8)
        static let deviceType = Data("device_type".utf8)
        static let os = Data("os".utf8)
        static let browser = Data("browser".utf8)
        static let city = Data("city".utf8)
        static let country = Data("country".utf8)
        static let lat = Data("lat".utf8)
        static let lon = Data("lon".utf8)
        static let sequence = Data("sequence".utf8)
        static let eventID = Data("event_id".utf8)
        static let userID = Data("user_id".utf8)
        static let eventTimeMs = Data("event_time_ms".utf8)
        static let ingestTimeMs = Data("ingest_time_ms".utf8)
        static let processedTimeMs = Data("processed_time_ms".utf8)
        static let source = Data("source".utf8)
        static let pipelineVersion = Data("pipeline_version".utf8)
        static let verdict = Data("verdict".utf8)
        static let failedChecks = Data("failed_checks".utf8)
        static let warnedChecks = Data("warned_checks".utf8)
        static let warn = Data("WARN".utf8)
        static let pass = Data("PASS".utf8)
    }
}

/// One fact row's SetCells, all at the event's time.
private struct FactCells {
    let timestampMicros: Int64
    var mutations: [BigtableMutation] = []

    init(timestampMillis: Int64) {
        timestampMicros = timestampMillis * 1000
        mutations.reserveCapacity(32)
    }

    mutating func put(_ family: String, _ qualifier: Data, _ value: Data) {
        mutations.append(.setCell(family: family, qualifier: qualifier, timestampMicros: timestampMicros, value: value))
    }

    mutating func put(_ family: String, _ qualifier: Data, _ value: String) {
        put(family, qualifier, Data(value.utf8))
    }

    /// A number as its decimal text (what `String(value)` gives), without making the String.
    mutating func put(_ family: String, _ qualifier: Data, _ value: Int64) {
        // 20 characters hold Int64.min; digits are written right to left.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let text = withUnsafeMutableBytes(of: &digits) { buffer -> Data in
            var magnitude = value.magnitude
            var start = 24
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                start -= 1
                buffer[start] = UInt8(ascii: "-")
            }
            return Data(UnsafeRawBufferPointer(rebasing: buffer[start...]))
        }
        put(family, qualifier, text)
    }
}
