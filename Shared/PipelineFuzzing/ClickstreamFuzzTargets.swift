import ClickstreamModel
import ClickstreamTransform
import PipelineMessages

/// The clickstream event JSON (the transformer's input) and the quality-rules file that configures it.
enum ClickstreamFuzzTargets {
    static let all = [eventJSON, qualityRules]

    /// Events from the generator's synthesizer: every event type, messy variants (string numbers, odd
    /// timestamps, extra fields), no deliberately bad records (those are rejections already).
    static let eventSeeds: [[UInt8]] = {
        let synthesizer = EventSynthesizer(configuration: .init(seed: 7, badFraction: 0, messyFraction: 0.5))
        return (0..<48).map { synthesizer.record(at: $0).payload }
    }()

    /// When the seeds happened: the transformer's time checks see them as on time.
    static let seedTimeMs = EventSynthesizer.Configuration.defaultStartTimeMs + 60_000

    /// JSON payload → `EventTransformer` with the built-in rules. A clean outcome must be exactly the
    /// encoding `CleanEvent.encode()` gives for its decoded value.
    static let eventJSON = FuzzTarget(
        name: "clickstream.event-json", summary: "EventTransformer.transform on an events.raw payload",
        seeds: eventSeeds,
        tokens: FuzzTarget.utf8([
            "\"eventId\":", "\"userId\":", "\"timestamp\":", "\"song\":", "\"lengthSeconds\":", "\"price\":",
            "\"location\":", "\"lat\":", "\"device\":", "\"attributes\":", "\"eventType\":\"purchase\"", "1e308",
            "\"2026-01-01T00:00:00Z\"", "\"2026-01-01 00:00:00.123+05:30\"", "1767225600", "1767225600000",
            "\"sentAt\":", "\"sentAt\":\"2099-01-01T00:00:00.000Z\",", "-9223372036854775808",
        ]),
        maximumInputBytes: 4096,
        makeRunner: {
            // The built-in rules parse (the tests check it); a failure here is a build defect, not fuzz input.
            let rules = try! QualityRules.parse(Array(BuiltInQualityRules.json.utf8), source: "built-in")
            let transformer = EventTransformer(rules: rules)
            let reasons = Set(rules.rules.map(\.reason) + ["invalid_utf8", "invalid_json"])
            return { bytes in
                // One position for every input: a redelivery is never its own duplicate, so mutants of one
                // seed all reach the encoder instead of stopping at the id window.
                let outcome = transformer.transform(
                    payload: bytes, source: "fuzz", receivedTimeMs: seedTimeMs, processedTimeMs: seedTimeMs,
                    position: 0)
                switch outcome {
                case .rejected(let rejection):
                    // A dead letter's reason is a metric label: it must come from the contract or the rules.
                    guard reasons.contains(rejection.reason), !rejection.detail.isEmpty, rejection.detail.utf8.count < 400
                    else { return .failed("a rejection outside the contract or without a short detail: \(rejection)") }
                    return .rejection(kind: "Rejection.\(rejection.reason)", message: rejection.description)
                case .clean(let encoded):
                    return cleanEncodingFailure(encoded).map(FuzzOutcome.failed) ?? .accepted
                }
            }
        })

    static func cleanEncodingFailure(_ encoded: EncodedCleanEvent) -> String? {
        guard let event = try? encoded.decoded() else { return "a clean outcome does not decode as CleanEvent" }
        guard event.encode() == encoded.bytes else { return "a clean outcome differs from CleanEvent.encode()" }
        guard event.qualityVerdict == encoded.verdict, event.eventTimeMs == encoded.eventTimeMs else {
            return "a clean outcome's verdict or event time differs from its bytes"
        }
        return nil
    }

    /// The rules file (`config/quality-rules.json`): JSON, then every rule compiled, patterns included.
    static let qualityRules = FuzzTarget(
        name: "clickstream.quality-rules", summary: "QualityRules.parse on a rules file",
        seeds: [
            Array(BuiltInQualityRules.json.utf8),
            Array(
                #"{"version":1,"expectations":[{"name":"user_id_format","expect":"regex","field":"userId","pattern":"^u-[0-9a-f]{16}$","reason":"malformed_user_id","severity":"warn","mostly":0.99},{"expect":"between","field":"price","min":0,"max":100000,"max_exclusive":false,"reason":"out_of_range","severity":"block"},{"expect":"in_set","field":"level","values":["free","paid"],"reason":"out_of_range","severity":"block"},{"expect":"unique","field":"eventId","window":1000,"reason":"duplicate_event_id","severity":"block"}]}"#
                    .utf8),
        ],
        tokens: FuzzTarget.utf8([
            "\"pattern\":\"", "(", ")", "[^", "{2,}", "|", "\\d", "$", "^", "\"expect\":\"regex\"", "\"when\":",
            "\"mostly\":", "\"window\":", "\"fields\":[", "\"severity\":\"warn\"",
        ]),
        maximumInputBytes: 8192
    ) { bytes in
        FuzzOutcome.checking(
            kind: { (error: TransformError) in "TransformError.\(error.kind)" },
            { () throws(TransformError) in try QualityRules.parse(bytes, source: "fuzz") })
    }
}
