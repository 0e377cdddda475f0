import PipelineKafka
import PipelineRuntime
import SalesforceModel

/// Everything `generator cdc` is told: the org (same knobs as `generator salesforce-api`), the window, the topic.
struct CDCConfiguration: Sendable {
    var org: SalesforceOrg.Configuration
    /// Events of commits after this time (exclusive), epoch ms; default the base time.
    var fromMs: Int64?
    /// … up to this time (inclusive); default the end of the change window.
    var toMs: Int64?
    var topic: String
    /// Print the expected counts as JSON and send nothing.
    var expect: Bool
    var json: Bool
    var kafka: KafkaOptions

    init(reader: ConfigReader) {
        org = SalesforceOrgOptions.read(from: reader)
        reader.section = "Stream"
        let from = reader.optionalString("from", env: "GENERATOR_CDC_FROM",
                                         help: "Send the events of commits after this time (epoch ms or ISO); default the base time.")
        let to = reader.optionalString("to", env: "GENERATOR_CDC_TO",
                                       help: "… through this time (epoch ms or ISO); default the end of the change window.")
        fromMs = from.flatMap(SalesforceOrgOptions.parseTime)
        toMs = to.flatMap(SalesforceOrgOptions.parseTime)
        reader.require(from == nil || fromMs != nil, "--from must be epoch milliseconds or an ISO-8601 datetime")
        reader.require(to == nil || toMs != nil, "--to must be epoch milliseconds or an ISO-8601 datetime")
        topic = reader.string("topic", env: "GENERATOR_CDC_TOPIC", default: PipelineTopic.salesforceCDC.rawValue,
                              help: "Topic to write the ChangeEvents to.")
        expect = reader.bool("expect", help: "Print the events' counts by change type as JSON and send nothing.")
        json = reader.bool("json", help: "Print the summary as one JSON line.")
        kafka = KafkaOptions.read(from: reader, clientID: "generator-cdc")
    }

    var window: (from: Int64, to: Int64) { (fromMs ?? org.baseTimeMs, toMs ?? org.endTimeMs) }
}
