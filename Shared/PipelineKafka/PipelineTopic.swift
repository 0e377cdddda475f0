/// Every topic of the pipeline (SPEC's topic table), so no service spells a topic name by hand.
public enum PipelineTopic: String, CaseIterable, Sendable {
    case eventsRaw = "events.raw"
    case eventsClean = "events.clean"
    case eventsDeadLetter = "events.dlq"
    case salesforceCDC = "salesforce.cdc"
    case salesforceRecords = "salesforce.records"
    case pipelineBatch = "pipeline.batch"
    case pipelineStatus = "pipeline.status"
    case pipelineAlerts = "pipeline.alerts"
    /// The extractor's per-object watermarks (key = object); compacted, so the last value per key is kept.
    case salesforceWatermarks = "salesforce.watermarks"

    /// Partitions for a local run: the data topics get `dataPartitions`, the control topics fewer.
    ///
    /// The local broker keeps only ~5 MiB per partition, so the high-volume topics need several.
    public func localPartitions(dataPartitions: Int) -> Int {
        switch self {
        case .eventsRaw, .eventsClean, .salesforceRecords, .salesforceCDC: dataPartitions
        case .eventsDeadLetter: Swift.max(1, dataPartitions / 2)
        case .pipelineBatch, .pipelineStatus, .pipelineAlerts, .salesforceWatermarks: 1
        }
    }
}
