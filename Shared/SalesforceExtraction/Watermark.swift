/// How far an object's incremental extraction has delivered: the (SystemModstamp, Id) of the last record
/// acknowledged by Kafka. Records are read in this order, so everything at or below it has been delivered.
public struct Watermark: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var modstampMs: Int64
    public var id: String

    public init(modstampMs: Int64, id: String) {
        self.modstampMs = modstampMs
        self.id = id
    }

    public static func < (lhs: Watermark, rhs: Watermark) -> Bool {
        (lhs.modstampMs, lhs.id) < (rhs.modstampMs, rhs.id)
    }

    public var description: String { "\(SalesforceDateTime.soqlLiteral(milliseconds: modstampMs))/\(id)" }

    /// The stored form on `salesforce.watermarks`: `{"modstamp":1764504000000,"id":"001…"}`.
    public var json: String { "{\"modstamp\":\(modstampMs),\"id\":\"\(id)\"}" }

    /// Reads the stored form; nil for anything else (an unreadable watermark is never guessed at).
    public init?(json bytes: [UInt8]) {
        guard let object = try? JSONParser.parse(bytes).object, let stamp = object["modstamp"]?.int64,
            let id = object["id"]?.string, SOQLIdentifier.isRecordID(id)
        else { return nil }
        self.init(modstampMs: stamp, id: id)
    }
}
