import ClickstreamModel
import Foundation

/// A reference implementation of `ClickstreamContract` on top of `JSONSerialization`: what the transformer
/// must decide for every payload. Slow and simple on purpose.
struct ContractValidator {
    /// The cleaned fields of a good event.
    struct Clean: Equatable {
        var eventId: String
        var userId: String
        var sessionId: String
        var eventType: EventType
        var timestampMs: Int64
        var level: String
        var page: String
        var lengthSeconds: Double?
        var price: Double?
    }

    enum Verdict: Equatable {
        case good(Clean)
        case bad(BadRecordKind)

        var kind: RecordKind {
            switch self {
            case .good: .good
            case .bad(let kind): .bad(kind)
            }
        }
    }

    private(set) var seenGoodIds = Set<String>()

    /// Classifies `payload` received at `receivedTimeMs` (0: unknown), remembering good event ids to catch
    /// later duplicates.
    mutating func classify(_ payload: [UInt8], receivedTimeMs: Int64 = 0) -> Verdict {
        let verdict = Self.check(payload, receivedTimeMs: receivedTimeMs)
        if case .good(let clean) = verdict {
            if seenGoodIds.contains(clean.eventId) { return .bad(.duplicateEventId) }
            seenGoodIds.insert(clean.eventId)
        }
        return verdict
    }

    // MARK: - Checks 1–5 (everything but duplicates)

    private struct Failure: Error {
        let kind: BadRecordKind
    }

    static func check(_ payload: [UInt8], receivedTimeMs: Int64 = 0) -> Verdict {
        guard String(validating: payload, as: UTF8.self) != nil else { return .bad(.invalidUTF8) }
        guard let object = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any] else {
            return .bad(.invalidJSON)
        }
        do {
            return .good(try clean(object, receivedTimeMs: receivedTimeMs))
        } catch {
            return .bad(error.kind)
        }
    }

    /// Missing fields first, then types, then ranges — the contract's order.
    private static func clean(_ o: [String: Any], receivedTimeMs: Int64) throws(Failure) -> Clean {
        // 3. missing_field
        for field in ClickstreamContract.requiredFields where isAbsent(o[field]) {
            throw Failure(kind: .missingField)
        }
        let typeName = (o["eventType"] as? String).map(normalize)
        let eventType = typeName.flatMap(EventType.init(rawValue:))
        if let eventType {
            if eventType.isSongEvent && isAbsent(o["song"]) { throw Failure(kind: .missingField) }
            if eventType.isCartEvent && (isAbsent(o["itemId"]) || isAbsent(o["price"])) {
                throw Failure(kind: .missingField)
            }
        }
        let nested: [(String, [String])] = [
            ("song", ["songId", "artist", "title", "lengthSeconds"]), ("device", ["type", "os", "browser"]),
            ("location", ["city", "country", "lat", "lon"]),
        ]
        for (name, keys) in nested {
            if let inner = o[name] as? [String: Any], keys.contains(where: { isAbsent(inner[$0]) }) {
                throw Failure(kind: .missingField)
            }
        }

        // 4. wrong_type
        let strings = ["eventId", "userId", "sessionId", "eventType", "page", "level", "userAgent", "itemId"]
        for field in strings where !isAbsent(o[field]) && !(o[field] is String) {
            throw Failure(kind: .wrongType)
        }
        guard var timestamp = timestampMs(o["timestamp"]!) else { throw Failure(kind: .wrongType) }
        var sentAt: Int64?
        if let value = o["sentAt"], !isAbsent(value) {
            guard let ms = timestampMs(value) else { throw Failure(kind: .wrongType) }
            sentAt = ms
        }
        for name in ["song", "device", "location"] where !isAbsent(o[name]) && !(o[name] is [String: Any]) {
            throw Failure(kind: .wrongType)
        }
        let song = o["song"] as? [String: Any]
        let device = o["device"] as? [String: Any]
        let location = o["location"] as? [String: Any]
        if let song, !(song["songId"] is String && song["artist"] is String && song["title"] is String) {
            throw Failure(kind: .wrongType)
        }
        if let device, !(device["type"] is String && device["os"] is String && device["browser"] is String) {
            throw Failure(kind: .wrongType)
        }
        if let location, !(location["city"] is String && location["country"] is String) {
            throw Failure(kind: .wrongType)
        }
        var length: Double?
        var price: Double?
        var lat: Double?
        var lon: Double?
        if let song { length = try decimal(song["lengthSeconds"]!) }
        if !isAbsent(o["price"]) { price = try decimal(o["price"]!) }
        if let location {
            lat = try decimal(location["lat"]!)
            lon = try decimal(location["lon"]!)
        }
        var sequence: Int64?
        if let value = o["sequence"], !isAbsent(value) {
            guard let n = number(value), n == n.rounded() else { throw Failure(kind: .wrongType) }
            sequence = Int64(n)
        }

        // Clock skew: the event on the receiver's clock (generated times never come near overflow).
        if let sentAt, receivedTimeMs > 0 { timestamp = receivedTimeMs - (sentAt - timestamp) }

        // 5. out_of_range
        guard let eventType,
            (ClickstreamContract.minTimestampMs..<ClickstreamContract.maxTimestampMs).contains(timestamp)
        else { throw Failure(kind: .outOfRange) }
        let level = (o["level"] as? String).map(normalize)
        if let level, !ClickstreamContract.levels.contains(level) { throw Failure(kind: .outOfRange) }
        if let length, !(length > 0 && length <= ClickstreamContract.maxSongLengthSeconds) {
            throw Failure(kind: .outOfRange)
        }
        if let price, !(price >= 0 && price <= ClickstreamContract.maxPrice) { throw Failure(kind: .outOfRange) }
        if let lat, !(-90...90).contains(lat) { throw Failure(kind: .outOfRange) }
        if let lon, !(-180...180).contains(lon) { throw Failure(kind: .outOfRange) }
        if let sequence, sequence < 0 { throw Failure(kind: .outOfRange) }

        // 6. future_timestamp
        if receivedTimeMs > 0, timestamp - receivedTimeMs > ClickstreamContract.maxFutureMs {
            throw Failure(kind: .futureTimestamp)
        }

        return Clean(
            eventId: o["eventId"] as! String, userId: o["userId"] as! String, sessionId: o["sessionId"] as! String,
            eventType: eventType, timestampMs: timestamp, level: level ?? "", page: o["page"] as? String ?? "",
            lengthSeconds: length, price: price)
    }

    // MARK: - Helpers

    static func isAbsent(_ value: Any?) -> Bool {
        value == nil || value is NSNull
    }

    static func isBool(_ value: Any) -> Bool {
        guard let n = value as? NSNumber else { return false }
        return String(cString: n.objCType) == "c"
    }

    /// A JSON number that is not a boolean.
    static func number(_ value: Any) -> Double? {
        guard !isBool(value), let n = value as? NSNumber else { return nil }
        return n.doubleValue
    }

    /// A number, or a string holding a decimal number.
    private static func decimal(_ value: Any) throws(Failure) -> Double {
        if let n = number(value) { return n }
        if let s = value as? String, s.allSatisfy({ "0123456789.-+eE".contains($0) }), let d = Double(s) { return d }
        throw Failure(kind: .wrongType)
    }

    static func normalize(_ s: String) -> String {
        s.trimmingCharacters(in: CharacterSet(charactersIn: " \t")).lowercased()
    }

    /// Epoch ms from an integral number, a decimal-integer string or `YYYY-MM-DDTHH:MM:SS[.fff]Z`.
    static func timestampMs(_ value: Any) -> Int64? {
        if let n = number(value) { return n == n.rounded() ? Int64(exactly: n) : nil }
        guard let s = value as? String else { return nil }
        if let ms = Int64(s) { return ms }
        return iso8601(s)
    }

    static func iso8601(_ s: String) -> Int64? {
        let b = Array(s.utf8)
        guard b.count >= 20, b.last == UInt8(ascii: "Z"), b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
            b[10] == UInt8(ascii: "T"), b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":")
        else { return nil }
        func digits(_ r: Range<Int>) -> Int64? {
            var v: Int64 = 0
            for i in r {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[i]) else { return nil }
                v = v * 10 + Int64(b[i] - UInt8(ascii: "0"))
            }
            return v
        }
        guard let y = digits(0..<4), let m = digits(5..<7), let d = digits(8..<10), let hh = digits(11..<13),
            let mm = digits(14..<16), let ss = digits(17..<19), (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        var ms: Int64 = 0
        if b.count > 20 {
            guard b[19] == UInt8(ascii: "."), let f = digits(20..<(b.count - 1)) else { return nil }
            let n = b.count - 21
            ms = n >= 3 ? f / Int64(pow(10, Double(n - 3))) : f * Int64(pow(10, Double(3 - n)))
        } else if b.count != 20 {
            return nil
        }
        // days_from_civil (Howard Hinnant)
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return ((days * 24 + hh) * 60 + mm) * 60_000 + ss * 1000 + ms
    }
}
