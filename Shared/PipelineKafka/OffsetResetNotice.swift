/// librdkafka's log line for a consumer position the broker no longer had ("offset out of range": retention
/// removed the records, or the topic was recreated), after which `auto.offset.reset` moved the position and the
/// records in between were never delivered. With the `earliest` and `latest` policies librdkafka reports this
/// only in its log (an error event comes only with the `error` policy), so the consumer reads it from there.
///
/// The line looks like `events.clean [6]: offset reset (at offset 30657, broker 1) to cached BEGINNING offset
/// 35806: fetch failed due to requested offset not available on the broker: Broker: Offset out of range`.
/// A reset from no position at all (a new group; "at offset INVALID") skips nothing and is not a notice.
struct OffsetResetNotice: Equatable {
    var partition: TopicPartition
    var text: String

    init?(_ line: String) {
        guard let reset = line.firstRange(of: "]: offset reset (at offset "),
            line[reset.upperBound...].first?.isNumber == true,
            line.contains("Offset out of range") || line.contains("not available")
        else { return nil }
        // "…[thrd:main]: events.clean [6]: offset reset": the topic follows the last "]: " before the partition.
        let head = line[..<reset.lowerBound]
        guard let open = head.lastIndex(of: "["), let partition = Int32(head[head.index(after: open)...]) else { return nil }
        var topic = head[..<open]
        if let prefix = topic.ranges(of: "]: ").last { topic = topic[prefix.upperBound...] }
        topic = topic.drop { $0 == " " }
        while topic.last == " " { topic = topic.dropLast() }
        guard !topic.isEmpty else { return nil }
        self.partition = TopicPartition(topic: String(topic), partition: partition)
        text = line
    }
}
