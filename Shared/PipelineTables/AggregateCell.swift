public import struct Foundation.Data

/// What one input partition contributed to one window of one aggregate row: the value of one `events_aggregate`
/// cell (qualifier suffixed with the partition, see ``EventsAggregateTable``).
///
/// It carries `lastOffset`, the offset of the last event applied to it, in the same cell as the numbers, so the
/// two are always written together atomically: after a restart an event at offset `o` is applied only if
/// `o > lastOffset`, which makes redelivery harmless. Distinct users are an exact set (users are the Kafka key, so
/// sets of different partitions are disjoint and the total is the sum of their sizes).
public struct AggregateCell: Sendable, Hashable {
    /// Offset of the last event applied; -1 for none.
    public var lastOffset: Int64 = -1
    public var count: UInt64 = 0
    /// Song play length (ms) over events with a song.
    public var playMsSum: Int64 = 0
    public var playMsMax: Int64 = 0
    /// Price (micros) over events with an item.
    public var priceMicrosSum: Int64 = 0
    public var priceMicrosMax: Int64 = 0
    /// Events per event type.
    public var countByType: [String: UInt64] = [:]
    /// Exactly the users seen.
    public var users: Set<String> = []

    public init() {}

    /// Adds one event's measures (the caller has checked its offset).
    public mutating func add(eventType: String, userID: String, playMs: Int64?, priceMicros: Int64?, offset: Int64) {
        lastOffset = offset
        count += 1
        countByType[eventType, default: 0] += 1
        users.insert(userID)
        if let playMs {
            playMsSum += playMs
            playMsMax = max(playMsMax, playMs)
        }
        if let priceMicros {
            priceMicrosSum += priceMicros
            priceMicrosMax = max(priceMicrosMax, priceMicros)
        }
    }

    // MARK: - Encoding: version byte, then varints and length-prefixed strings; maps and sets sorted, so equal
    // cells encode to equal bytes and a rewrite is byte-identical.

    static let version: UInt8 = 1

    public func encoded() -> Data {
        var out: [UInt8] = [Self.version]
        out.reserveCapacity(32 + users.count * 20)
        Self.put(UInt64(bitPattern: lastOffset + 1), &out)
        Self.put(count, &out)
        for value in [playMsSum, playMsMax, priceMicrosSum, priceMicrosMax] { Self.put(Self.zigzag(value), &out) }
        Self.put(UInt64(countByType.count), &out)
        for (type, count) in countByType.sorted(by: { $0.key < $1.key }) {
            Self.put(type, &out)
            Self.put(count, &out)
        }
        Self.put(UInt64(users.count), &out)
        for user in users.sorted() { Self.put(user, &out) }
        return Data(out)
    }

    /// Decodes a cell value; `nil` when it is not one (unknown version, truncated).
    public init?(encoded data: Data) {
        var reader = ByteReader(bytes: [UInt8](data))
        guard reader.byte() == Self.version,
            let offset = reader.varint(), let count = reader.varint(),
            let playSum = reader.varint(), let playMax = reader.varint(),
            let priceSum = reader.varint(), let priceMax = reader.varint(),
            let types = reader.varint()
        else { return nil }
        lastOffset = Int64(bitPattern: offset) - 1
        self.count = count
        playMsSum = Self.unzigzag(playSum)
        playMsMax = Self.unzigzag(playMax)
        priceMicrosSum = Self.unzigzag(priceSum)
        priceMicrosMax = Self.unzigzag(priceMax)
        for _ in 0..<types {
            guard let type = reader.string(), let n = reader.varint() else { return nil }
            countByType[type] = n
        }
        guard let userCount = reader.varint() else { return nil }
        users.reserveCapacity(Int(min(userCount, 1 << 20)))
        for _ in 0..<userCount {
            guard let user = reader.string() else { return nil }
            users.insert(user)
        }
        guard reader.atEnd else { return nil }
    }

    static func put(_ value: UInt64, _ out: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            out.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
    }

    static func put(_ text: String, _ out: inout [UInt8]) {
        let utf8 = text.utf8
        put(UInt64(utf8.count), &out)
        out.append(contentsOf: utf8)
    }

    static func zigzag(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }
    static func unzigzag(_ value: UInt64) -> Int64 { Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1) }
}

/// Reads what ``AggregateCell/encoded()`` wrote.
private struct ByteReader {
    let bytes: [UInt8]
    var position = 0

    var atEnd: Bool { position == bytes.count }

    mutating func byte() -> UInt8? {
        guard position < bytes.count else { return nil }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func varint() -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while shift < 64, let byte = byte() {
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
        return nil
    }

    mutating func string() -> String? {
        guard let length = varint(), length <= UInt64(bytes.count - position) else { return nil }
        let start = position
        position += Int(length)
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }
}
