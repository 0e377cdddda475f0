import Glibc
import PipelineKafka
import PipelineRuntime
import SalesforceRecords
import SalesforceRouting

/// What the cdc-router is told, from flags and environment variables.
struct CdcRouterConfiguration: Sendable {
    var inputTopic: String
    var recordsTopic: String
    var batchTopic: String
    var deadLetterTopic: String
    /// Objects whose events are accepted; nil accepts any API-name-shaped object.
    var objects: Set<String>?
    /// How far before a GAP_OVERFLOW's commit time the object is re-read.
    var overflowMargin: Duration
    var batchSize: Int
    var inFlightBatches: Int
    /// Records re-read before the first record of a newly owned partition, to rebuild its ordering state.
    var rebuildDepth: Int
    /// Records each partition's ordering and duplicate state remembers.
    var recordsRemembered: Int
    var instance: String
    var kafka: KafkaOptions

    init(reader: ConfigReader) {
        reader.section = "Router"
        inputTopic = reader.string(
            "input-topic", env: "CDC_ROUTER_INPUT_TOPIC", default: PipelineTopic.salesforceCDC.rawValue,
            help: "Salesforce change events.")
        recordsTopic = reader.string(
            "records-topic", env: "CDC_ROUTER_RECORDS_TOPIC", default: PipelineTopic.salesforceRecords.rawValue,
            help: "Where record changes go.")
        batchTopic = reader.string(
            "batch-topic", env: "CDC_ROUTER_BATCH_TOPIC", default: PipelineTopic.pipelineBatch.rawValue,
            help: "Where re-read requests for the extractor go.")
        deadLetterTopic = reader.string(
            "dead-letter-topic", env: "CDC_ROUTER_DEAD_LETTER_TOPIC", default: PipelineTopic.eventsDeadLetter.rawValue,
            help: "Where unreadable events go, with the reason.")
        let objects = reader.string(
            "objects", env: "CDC_ROUTER_OBJECTS", default: "",
            help: "Comma-separated object API names to accept (e.g. Account,Contact); empty accepts any well-formed name.")
        let names = objects.split(separator: ",").map { String($0.filter { $0 != " " }) }.filter { !$0.isEmpty }
        reader.require(
            names.allSatisfy(SalesforceAPIName.isObjectName), "--objects: \"\(objects)\" holds a name that is not an API name")
        self.objects = names.isEmpty ? nil : Set(names)
        overflowMargin = reader.duration(
            "overflow-margin", env: "CDC_ROUTER_OVERFLOW_MARGIN", default: .seconds(5),
            help: "A GAP_OVERFLOW re-reads its object from this long before the event's commit time.")
        batchSize = reader.int(
            "batch-size", env: "CDC_ROUTER_BATCH_SIZE", default: 1_000, help: "Most records per batch.",
            range: 1...100_000)
        inFlightBatches = reader.int(
            "in-flight-batches", env: "CDC_ROUTER_IN_FLIGHT_BATCHES", default: 8,
            help: "Batches awaiting delivery reports at once (backpressure bound).", range: 1...1_000)
        rebuildDepth = reader.int(
            "rebuild-depth", env: "CDC_ROUTER_REBUILD_DEPTH", default: 10_000,
            help: "Events re-read per newly owned partition to rebuild its ordering and duplicate state.",
            range: 0...10_000_000)
        recordsRemembered = reader.int(
            "records-remembered", env: "CDC_ROUTER_RECORDS_REMEMBERED", default: 100_000,
            help: "Records per partition whose newest change and recent change ids are kept.", range: 1...100_000_000)
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count)
        instance = reader.string(
            "instance", env: "CDC_ROUTER_INSTANCE",
            default: "cdc-router@" + String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self),
            help: "This instance's name in re-read requests (requested_by).")
        kafka = KafkaOptions.read(from: reader, clientID: "cdc-router", defaultGroup: "cdc-router")
    }

    var routing: ChangeRouter.Configuration {
        ChangeRouter.Configuration(
            validator: ChangeEventValidator(allowedObjects: objects),
            overflowMarginMs: overflowMargin.components.seconds * 1_000
                + overflowMargin.components.attoseconds / 1_000_000_000_000_000,
            instance: instance)
    }
}
