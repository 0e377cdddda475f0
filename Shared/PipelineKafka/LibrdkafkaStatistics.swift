import Metrics

/// Turns librdkafka's periodic statistics JSON into gauges.
///
/// Only a handful of top-level integers are read, with a scan rather than a JSON parser: the document is
/// large (per-broker and per-partition sections) and arrives on librdkafka's thread every interval.
final class LibrdkafkaStatistics: Sendable {
    /// Top-level fields worth a gauge: queue depth and bytes, and totals sent and received.
    static let fields = ["msg_cnt", "msg_size", "replyq", "tx", "tx_bytes", "rx", "rx_bytes", "txmsgs", "rxmsgs"]
    private let gauges: [(key: [UInt8], gauge: Gauge)]

    init(role: String) {
        gauges = Self.fields.map { field in
            (Array("\"\(field)\":".utf8), Gauge(label: "tributary_kafka_librdkafka_\(field)", dimensions: [("role", role)]))
        }
    }

    func record(json: UnsafeRawBufferPointer) {
        for (key, gauge) in gauges {
            if let value = Self.topLevelInteger(key, in: json) { gauge.record(value) }
        }
    }

    /// Finds `"key":<integer>` at nesting depth 1 of a JSON object.
    static func topLevelInteger(_ key: [UInt8], in json: UnsafeRawBufferPointer) -> Int64? {
        var depth = 0
        var inString = false
        var index = 0
        while index < json.count {
            let byte = json[index]
            if inString {
                if byte == UInt8(ascii: "\\") { index += 2; continue }
                if byte == UInt8(ascii: "\"") { inString = false }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: "\""):
                if depth == 1, matches(key, in: json, at: index) {
                    return parseInteger(in: json, at: index + key.count)
                }
                inString = true
            default: break
            }
            index += 1
        }
        return nil
    }

    private static func matches(_ key: [UInt8], in json: UnsafeRawBufferPointer, at index: Int) -> Bool {
        guard index + key.count <= json.count else { return false }
        for offset in 0..<key.count where json[index + offset] != key[offset] { return false }
        return true
    }

    private static func parseInteger(in json: UnsafeRawBufferPointer, at start: Int) -> Int64? {
        var index = start
        var value: Int64 = 0
        var negative = false
        if index < json.count, json[index] == UInt8(ascii: "-") { negative = true; index += 1 }
        let digitsStart = index
        while index < json.count, json[index] >= UInt8(ascii: "0"), json[index] <= UInt8(ascii: "9") {
            value = value &* 10 &+ Int64(json[index] - UInt8(ascii: "0"))
            index += 1
        }
        return index > digitsStart ? (negative ? -value : value) : nil
    }
}
