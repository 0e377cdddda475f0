import PipelineMessages

/// Valid messages to mutate: one with every field set (so mutations reach every field's decoder) and one
/// nearly empty, per type.
enum ProtobufSeeds {
    static let rawEvents = [
        RawEvent(
            source: "generator", receivedTimeMs: 1_717_171_717_171,
            payload: Array(#"{"eventId":"e-1","userId":"u-00ff","eventType":"song_play"}"#.utf8),
            generator: RawEvent.GeneratorInfo(seed: 42, index: UInt64.max)),
        RawEvent(source: "web", receivedTimeMs: 1, payload: [0x7B, 0x7D], generator: nil),
    ]

    static let cleanEvents = [
        CleanEvent(
            eventID: "e-0001", userID: "u-0123456789abcdef", sessionID: "s-77", eventType: "song_play",
            eventTimeMs: 1_700_000_000_123, ingestTimeMs: 1_700_000_000_456, processedTimeMs: 1_700_000_000_789,
            page: "NextSong", level: "paid",
            song: CleanEvent.Song(songID: "so-9", title: "Für Elise 🎹", artist: "Ludwig", lengthMs: 215_347),
            itemID: "item-5", priceMicros: 19_990_000, userAgent: "Mozilla/5.0 (X11; Linux x86_64)",
            device: CleanEvent.Device(deviceType: "desktop", os: "Linux", browser: "Firefox"),
            location: CleanEvent.Location(city: "São Paulo", country: "BR", latitude: -23.5505, longitude: -46.6333),
            sequence: 12, attributes: ["campaign": "\"spring\"", "ab_bucket": "7", "中文": "{}"],
            source: "web", pipelineVersion: "1.0.0", qualityVerdict: .warn,
            failedChecks: ["late_event"], warnedChecks: ["cleaned_timestamp", "unknown_field"]),
        CleanEvent(
            eventID: "e", userID: "u", sessionID: "", eventType: "page_view", eventTimeMs: 0, ingestTimeMs: 0,
            processedTimeMs: 0, page: "", level: "free", song: nil, itemID: "", priceMicros: 0, userAgent: "",
            device: nil, location: nil, sequence: 0, attributes: [:], source: "", pipelineVersion: "",
            qualityVerdict: .pass, failedChecks: [], warnedChecks: []),
    ]

    static let deadLetters = [
        DeadLetter(
            originalKey: Array("u-0123".utf8), originalValue: [0x0A, 0xFF, 0x00, 0xC3, 0x28], topic: "events.raw",
            partition: 11, offset: 9_876_543_210, originalTimestampMs: 1_700_000_000_000, stage: "transformer",
            reason: "invalid_utf8", detail: "payload: invalid UTF-8 at byte 1", timeMs: 1_700_000_001_000,
            replayCount: 2),
        DeadLetter(
            originalKey: nil, originalValue: nil, topic: "salesforce.cdc", partition: 0, offset: 0,
            originalTimestampMs: -1, stage: "cdc-router", reason: "malformed_protobuf", detail: "", timeMs: 0,
            replayCount: 0),
    ]

    static let changeEvents = [
        ChangeEvent(
            entityName: "Account", changeType: .update, recordIDs: ["001RO000001aBcDYAU", "001*"],
            changedFields: ["Name", "LastModifiedDate"], nulledFields: ["Fax"], diffFields: ["Description"],
            commitTimestampMs: 1_700_000_000_000, commitNumber: 10_595_119_034_549, commitUser: "005RO000000XyZ1YAK",
            transactionKey: "0002a2b3-4c5d-6e7f", sequenceNumber: 3,
            changeOrigin: "com/salesforce/api/rest/60.0;client=tributary", isTransactionEnd: true,
            replayID: [0x00, 0x01, 0xFF], eventUUID: "9f1c5b7e-0000-4000-8000-000000000001",
            fields: [
                FieldValue(name: "Name", value: "Acme GmbH"), FieldValue(name: "Fax", value: nil),
                FieldValue(name: "BillingCity", value: ""),
            ]),
        ChangeEvent(
            entityName: "Contact", changeType: .delete, recordIDs: ["003RO000001aBcD"], changedFields: [],
            nulledFields: [], diffFields: [], commitTimestampMs: 1, commitNumber: 1, commitUser: "",
            transactionKey: "t", sequenceNumber: 0, changeOrigin: "", isTransactionEnd: false, replayID: [],
            eventUUID: "", fields: []),
        ChangeEvent(
            entityName: "Opportunity", changeType: .gapOverflow, recordIDs: [], changedFields: [], nulledFields: [],
            diffFields: [], commitTimestampMs: 253_402_300_799_999, commitNumber: 0, commitUser: "",
            transactionKey: "gap-1", sequenceNumber: 1, changeOrigin: "", isTransactionEnd: true, replayID: [0x01],
            eventUUID: "", fields: []),
    ]

    static let recordChanges = [
        RecordChange(
            object: "Account", id: "001RO000001aBcDYAU", operation: .upsert,
            fields: [FieldValue(name: "name", value: "Acme GmbH"), FieldValue(name: "fax", value: nil)],
            fullRecord: true, source: .cdc, sourceTimestampMs: 1_700_000_000_000, changeType: .update,
            commitNumber: 10_595_119_034_549, commitUser: "005RO000000XyZ1YAK", transactionKey: "0002a2b3-4c5d-6e7f",
            sequenceNumber: 3, requestID: "req-1"),
        RecordChange(
            object: "Contact", id: "003RO000001aBcDYAU", operation: .delete, fields: [], fullRecord: false,
            source: .batch, sourceTimestampMs: 0, changeType: .delete, commitNumber: 0, commitUser: "",
            transactionKey: "", sequenceNumber: 0, requestID: ""),
    ]

    static let batchRequests = [
        BatchRequest(
            requestID: "req-1", object: "Contact", recordIDs: ["003RO000001aBcDYAU", "003RO000001aBcEYAU"],
            sinceMs: 1_699_000_000_000, reason: .gap, requestedBy: "cdc-router-0", requestedTimeMs: 1_700_000_000_000),
        BatchRequest(
            requestID: "r", object: "Account", recordIDs: [], sinceMs: 0, reason: .operator, requestedBy: "",
            requestedTimeMs: 0),
    ]

    static let statuses = [
        Status(
            service: "extractor", instance: "extractor-0", timeMs: 1_700_000_000_000, kind: .progress, state: "running",
            counters: ["records_out": 1_234_567, "http_errors": 3, "dead_letters": 0],
            watermarks: ["salesforce.Account": 1_699_999_000_000, "salesforce.Contact": -1],
            job: Status.JobProgress(jobID: "req-1", done: 4_000, total: 10_000), version: "1.0.0",
            startedTimeMs: 1_699_990_000_000),
        Status(
            service: "transformer", instance: "t-1", timeMs: 1, kind: .heartbeat, state: "", counters: [:],
            watermarks: [:], job: nil, version: "", startedTimeMs: 0),
    ]

    static let alerts = [
        Alert(
            key: "dlq_rate#transformer", severity: .critical, status: .firing, source: "alerting-0",
            summary: "Dead letters above 1% for 5 minutes", detail: "reason=invalid_json dominates",
            labels: ["stage": "transformer", "topic": "events.raw", "reason": "invalid_json"],
            timeMs: 1_700_000_000_000),
        Alert(
            key: "lag#aggregator", severity: .warning, status: .resolved, source: "", summary: "", detail: "",
            labels: [:], timeMs: 0),
    ]
}
