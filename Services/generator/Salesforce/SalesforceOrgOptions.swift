import PipelineRuntime
import SalesforceModel

/// The org knobs shared by `generator salesforce-api` and `generator cdc`: the same values give the same org,
/// so the simulator and the CDC stream (and a test's `SalesforceOrg(configuration:)`) agree on every record.
enum SalesforceOrgOptions {
    /// Reads `--seed`, `--records`, `--changes`, `--gap-share`, `--merge-share`, `--overflow`,
    /// `--overflow-threshold`, `--base-time`, `--duration-ms` (defaults: a demo-sized org of a few thousand records).
    static func read(from reader: ConfigReader) -> SalesforceOrg.Configuration {
        reader.section = "Org"
        let defaults = SalesforceOrg.Configuration()
        let seed = reader.int("seed", env: "SALESFORCE_SEED", default: 1, help: "Seed of the synthetic org.",
                              range: 0...Int.max)
        let records = reader.int(
            "records", env: "SALESFORCE_RECORDS", default: 600,
            help: "Records per object (Account, Contact, Lead, Opportunity, Case) before the base time; Users are a tenth.",
            range: 1...200_000)
        let changes = reader.int(
            "changes", env: "SALESFORCE_CHANGES", default: 2_000, help: "Commits after the base time.",
            range: 0...2_000_000)
        let gapShare = reader.double(
            "gap-share", env: "SALESFORCE_GAP_SHARE", default: defaults.gapShare,
            help: "Share of single-record commits whose CDC event is a GAP_* event.", range: 0...1)
        let mergeShare = reader.double(
            "merge-share", env: "SALESFORCE_MERGE_SHARE", default: defaults.mergeShare,
            help: "Share of commits that are mass changes (one CDC event with several recordIds).", range: 0...0.9)
        let overflow = reader.bool(
            "overflow", env: "SALESFORCE_OVERFLOW", default: true,
            help: "One transaction in the middle exceeds --overflow-threshold changes (GAP_OVERFLOW).")
        let threshold = reader.int(
            "overflow-threshold", env: "SALESFORCE_OVERFLOW_THRESHOLD", default: defaults.overflowThreshold,
            help: "Changes of one transaction that still get CDC events (Salesforce: 100,000).", range: 1...100_000)
        let baseText = reader.string(
            "base-time", env: "SALESFORCE_BASE_TIME", default: SalesforceTime.restDateTime(defaults.baseTimeMs),
            help: "The org's base time (epoch ms or ISO-8601): history before it, changes after it.")
        let duration = reader.int(
            "duration-ms", env: "SALESFORCE_DURATION_MS", default: Int(defaults.durationMs),
            help: "Length of the change window after the base time, in ms.", range: 1...Int.max)
        let base = parseTime(baseText)
        reader.require(base != nil, "--base-time must be epoch milliseconds or an ISO-8601 datetime")
        return SalesforceOrg.Configuration(
            seed: UInt64(seed), recordsPerObject: records, changes: changes, gapShare: gapShare,
            mergeShare: mergeShare, overflow: overflow, overflowThreshold: threshold,
            baseTimeMs: base ?? defaults.baseTimeMs, durationMs: Int64(duration))
    }

    /// Epoch ms or ISO-8601 text.
    static func parseTime(_ text: String) -> Int64? { Int64(text) ?? SalesforceTime.parseDateTime(text) }
}
