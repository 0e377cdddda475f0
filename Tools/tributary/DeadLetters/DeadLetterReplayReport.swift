import PipelineRuntime

/// The JSON line `tributary dlq replay` prints: per reason what was sent (or, with `--dry-run`, would be), what was
/// passed over and why, what waits for a later run, and the same per stage.
enum DeadLetterReplayReport {
    static func json(_ tallies: [String: [String: DeadLetterSelection.Tally]], dryRun: Bool) -> String {
        let sentKey = dryRun ? "would_replay" : "replayed"
        func object(_ counts: [String: Int]) -> String {
            "{" + counts.keys.sorted().map { "\(JSONText.quoted($0)):\(counts[$0]!)" }.joined(separator: ",") + "}"
        }
        func fields(_ tally: DeadLetterSelection.Tally) -> String {
            "\"\(sentKey)\":\(tally.replay),\"passed_over\":\(object(tally.passedOver)),\"waiting\":\(tally.waiting)"
        }
        func reason(_ name: String, _ stages: [String: DeadLetterSelection.Tally]) -> String {
            var total = DeadLetterSelection.Tally()
            for tally in stages.values {
                total.replay += tally.replay
                total.waiting += tally.waiting
                total.passedOver.merge(tally.passedOver, uniquingKeysWith: +)
            }
            let perStage = stages.keys.sorted().map { "\(JSONText.quoted($0)):{\(fields(stages[$0]!))}" }
            return "{\"reason\":\(JSONText.quoted(name)),\(fields(total)),\"stages\":{\(perStage.joined(separator: ","))}}"
        }
        let names = tallies.keys.sorted()
        if !dryRun {
            // One reason per replay: its object alone, as earlier versions printed it.
            guard let name = names.first else { return "{\"replayed\":0,\"passed_over\":{},\"waiting\":0,\"stages\":{}}" }
            return reason(name, tallies[name]!)
        }
        return "{\"dry_run\":true,\"reasons\":[" + names.map { reason($0, tallies[$0]!) }.joined(separator: ",") + "]}"
    }
}
