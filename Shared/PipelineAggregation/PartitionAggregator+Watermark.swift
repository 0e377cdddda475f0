/// How far one event may move its partition's watermark.
///
/// The watermark is the greatest *contribution* of the partition's applied events minus the allowed lateness. An
/// event contributes its event time, but never more than its receive time (`ingest_time_ms`) plus
/// ``PartitionAggregator/maxEventLeadMs``: an event cannot have happened after it arrived, so a device clock
/// decades ahead that passed every transformer rule still moves the watermark only to where the partition's
/// arrivals already are, instead of declaring every later event late (the Flink/Beam advice: bound the watermark
/// by the source's progress). The contribution depends on the event alone, so lateness still depends only on the
/// partition's order and the checkpointed maximum reproduces every decision on a replay.
extension PartitionAggregator {
    /// What set the greatest contribution the watermark is computed from.
    public enum WatermarkBound: String, Sendable, Equatable {
        /// No event yet.
        case none
        /// An event's own time.
        case eventTime = "event_time"
        /// An event dated after its receive time, held to receive time + max event lead.
        case receiveTime = "receive_time"
        /// Restored from the partition's checkpoint (which keeps the number, not its origin).
        case checkpoint
    }

    /// An event's contribution to the watermark's maximum, and which bound gave it. An unknown receive time (0)
    /// leaves the event time unbounded, as before receive times were recorded.
    @inline(__always)
    static func contribution(_ input: AggregateInput, maxEventLeadMs: Int64) -> (timeMs: Int64, bound: WatermarkBound) {
        guard input.ingestTimeMs > 0 else { return (input.eventTimeMs, .eventTime) }
        let (limit, overflow) = input.ingestTimeMs.addingReportingOverflow(maxEventLeadMs)
        if !overflow, input.eventTimeMs > limit { return (limit, .receiveTime) }
        return (input.eventTimeMs, .eventTime)
    }

    /// The late-event dead letter's detail: how far behind which watermark, and which bound set it.
    public func lateDetail(eventTimeMs: Int64, watermarkMs: Int64) -> String {
        var text = "event time \(eventTimeMs) ms is \(watermarkMs - eventTimeMs) ms behind the watermark \(watermarkMs)"
        text += " of \(topic)[\(partition)]: the greatest "
        switch watermarkBound {
        case .receiveTime:
            text += "receive time + max event lead (\(maxEventLeadMs) ms) \(maxEventTimeMs), held there because an "
                + "event was dated after it arrived,"
        case .checkpoint:
            text += "contribution \(maxEventTimeMs) restored from the checkpoint"
        case .eventTime, .none:
            text += "event time \(maxEventTimeMs)"
        }
        return text + " minus the allowed lateness \(allowedLatenessMs) ms (bound: \(watermarkBound.rawValue))"
    }
}
