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

    // MARK: - Encoding: version byte, then varints and length-prefixed strings. ``encoded()`` sorts types and users
    // (equal values, equal bytes); the aggregator writes them in first-seen order, which decodes to the same value.

    static let version: UInt8 = 1

    public func encoded() -> Data {
        var encodedUsers: [UInt8] = []
        encodedUsers.reserveCapacity(users.count * 20)
        for user in users.sorted() { Self.put(user, &encodedUsers) }
        return Self.encode(
            lastOffset: lastOffset, count: count, measures: (playMsSum, playMsMax, priceMicrosSum, priceMicrosMax),
            countByType: countByType.sorted { $0.key < $1.key }, userCount: users.count,
            encodedUsers: encodedUsers)
    }

    /// The encoding from parts, for writers that keep their users already encoded (the aggregator appends each new
    /// user's bytes as it sees it, instead of sorting and encoding the whole set on every write). Decoding does not
    /// depend on the order of types or users.
    /// - Parameter encodedUsers: `userCount` names, each written by ``put(_:_:)-(String,_)``.
    public static func encode(
        lastOffset: Int64, count: UInt64, measures: (playSum: Int64, playMax: Int64, priceSum: Int64, priceMax: Int64),
        countByType: [(String, UInt64)], userCount: Int, encodedUsers: [UInt8]
    ) -> Data {
        let offset = UInt64(bitPattern: lastOffset + 1)
        let measures = (zigzag(measures.playSum), zigzag(measures.playMax), zigzag(measures.priceSum), zigzag(measures.priceMax))
        // Sized first and written in place: one allocation, no intermediate array (this runs per changed cell).
        var size = 1 + varintSize(offset) + varintSize(count) + varintSize(measures.0) + varintSize(measures.1)
        size += varintSize(measures.2) + varintSize(measures.3) + varintSize(UInt64(countByType.count))
        size += varintSize(UInt64(userCount)) + encodedUsers.count
        for (type, count) in countByType {
            size += varintSize(UInt64(type.utf8.count)) + type.utf8.count + varintSize(count)
        }
        var data = Data(count: size)
        data.withUnsafeMutableBytes { buffer in
            var position = 0
            func put(_ value: UInt64) {
                var value = value
                while value >= 0x80 {
                    buffer[position] = UInt8(value & 0x7F) | 0x80
                    position += 1
                    value >>= 7
                }
                buffer[position] = UInt8(value)
                position += 1
            }
            func put(bytes: some Collection<UInt8>) {
                for byte in bytes {
                    buffer[position] = byte
                    position += 1
                }
            }
            buffer[0] = version
            position = 1
            for number in [offset, count, measures.0, measures.1, measures.2, measures.3] { put(number) }
            put(UInt64(countByType.count))
            for (type, count) in countByType {
                put(UInt64(type.utf8.count))
                put(bytes: type.utf8)
                put(count)
            }
            put(UInt64(userCount))
            encodedUsers.withUnsafeBytes { users in
                UnsafeMutableRawBufferPointer(rebasing: buffer[position...]).copyMemory(from: users)
            }
        }
        return data
    }

    static func varintSize(_ value: UInt64) -> Int { max(1, (64 - value.leadingZeroBitCount + 6) / 7) }

    /// Decodes a cell value; `nil` when it is not one (unknown version, truncated).
    public init?(encoded data: Data) {
        var reader = ByteReader(bytes: [UInt8](data))
        guard reader.byte() == Self.version,
            let offset = reader.varint(), let count = reader.varint(),
            let playSum = reader.varint(), let playMax = reader.varint(),
            let priceSum = reader.varint(), let priceMax = reader.varint(),
            let types = reader.varint(),
            // `lastOffset + 1` of a real offset: 0 through Int64.max (a larger value would overflow `- 1`).
            offset <= UInt64(Int64.max)
        else { return nil }
        lastOffset = Int64(offset) - 1
        self.count = count
        playMsSum = Self.unzigzag(playSum)
        playMsMax = Self.unzigzag(playMax)
        priceMicrosSum = Self.unzigzag(priceSum)
        priceMicrosMax = Self.unzigzag(priceMax)
        for _ in 0..<types {
            guard let type = reader.string(), let n = reader.varint() else { return nil }
            countByType[type] = n
        }
        // Each user takes at least its length byte: a count beyond the bytes left is corrupt, and reserving
        // for it would allocate for nothing.
        guard let userCount = reader.varint(), userCount <= UInt64(reader.remaining) else { return nil }
        users.reserveCapacity(Int(userCount))
        for _ in 0..<userCount {
            guard let user = reader.string() else { return nil }
            users.insert(user)
        }
        guard reader.atEnd else { return nil }
    }

    public static func put(_ value: UInt64, _ out: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            out.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
    }

    /// A varint length, then the UTF-8 bytes.
    public static func put(_ text: String, _ out: inout [UInt8]) {
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
    var remaining: Int { bytes.count - position }

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
