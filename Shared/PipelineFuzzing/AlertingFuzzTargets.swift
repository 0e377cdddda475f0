import PipelineAlerting

/// The alerting service's operator-supplied lists (`--silence`, `--groups`), read from flags and env vars.
enum AlertingFuzzTargets {
    static let all = [silences, watchedGroups]

    static let silences = FuzzTarget(
        name: "alerting.silence-list", summary: "SilenceList(parsing:) on a --silence value",
        seeds: FuzzTarget.utf8(["lag#replay*,heartbeat#extractor*@1767225600000", " dlq_rate#transformer ", "*@0"]),
        tokens: FuzzTarget.utf8(["@", "*", ",", "#", "@-1", "@9223372036854775808"]), maximumInputBytes: 512
    ) { bytes in
        .optional(
            SilenceList(parsing: String(decoding: bytes, as: UTF8.self)), kind: "malformed",
            meaning: "an entry has an expiry that is not epoch milliseconds, or no pattern before it")
    }

    static let watchedGroups = FuzzTarget(
        name: "alerting.watched-groups", summary: "WatchedGroup.parse on a --groups value",
        seeds: FuzzTarget.utf8(["transformer:events.raw,aggregator:aggregator:events.clean", "g:t"]),
        tokens: FuzzTarget.utf8([":", ",", " ", "::"]), maximumInputBytes: 512
    ) { bytes in
        .optional(
            WatchedGroup.parse(String(decoding: bytes, as: UTF8.self)), kind: "malformed",
            meaning: "an entry is not group:topic or service:group:topic")
    }
}
