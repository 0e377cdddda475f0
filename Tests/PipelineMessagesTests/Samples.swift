import PipelineMessages

/// A message type the generic tests can exercise: a fixture with every field set, and random instances.
protocol SampleMessage: PipelineMessage {
    /// Every field set to a non-default value.
    static var full: Self { get }
    static func random(using rng: inout SplitMix64) -> Self
}

extension RawEvent: SampleMessage {
    static let full = RawEvent(
        source: "generator", receivedTimeMs: 1_717_171_717_171,
        payload: Array(#"{"eventId":"e-1","userId":"u-00ff","eventType":"song_play"}"#.utf8),
        generator: GeneratorInfo(seed: 42, index: UInt64.max))

    static func random(using rng: inout SplitMix64) -> RawEvent {
        RawEvent(
            source: rng.text(), receivedTimeMs: rng.int64(), payload: rng.bytes(count: rng.below(80)),
            generator: rng.bool() ? GeneratorInfo(seed: rng.next(), index: rng.next()) : nil)
    }
}

extension CleanEvent: SampleMessage {
    static let full = CleanEvent(
        eventID: "e-0001", userID: "u-0123456789abcdef", sessionID: "s-77", eventType: "song_play",
        eventTimeMs: 1_700_000_000_123, ingestTimeMs: 1_700_000_000_456, processedTimeMs: 1_700_000_000_789,
        page: "NextSong", level: "paid",
        song: Song(songID: "so-9", title: "Für Elise 🎹", artist: "Ludwig", lengthMs: 215_347),
        itemID: "item-5", priceMicros: 19_990_000, userAgent: "Mozilla/5.0 (X11; Linux x86_64)",
        device: Device(deviceType: "desktop", os: "Linux", browser: "Firefox"),
        location: Location(city: "São Paulo", country: "BR", latitude: -23.5505, longitude: -46.6333),
        sequence: 12, attributes: ["campaign": "\"spring\"", "ab_bucket": "7", "中文": "{}"],
        source: "web", pipelineVersion: "1.0.0", qualityVerdict: .warn,
        failedChecks: ["late_event"], warnedChecks: ["cleaned_timestamp", "unknown_field"],
        deviceTimeMs: 1_699_999_000_000, deviceSentTimeMs: 1_699_999_000_300)

    static func random(using rng: inout SplitMix64) -> CleanEvent {
        CleanEvent(
            eventID: rng.text(), userID: rng.text(), sessionID: rng.text(), eventType: rng.text(),
            eventTimeMs: rng.int64(), ingestTimeMs: rng.int64(), processedTimeMs: rng.int64(),
            page: rng.text(), level: rng.text(),
            song: rng.bool()
                ? Song(songID: rng.text(), title: rng.text(), artist: rng.text(), lengthMs: rng.int64()) : nil,
            itemID: rng.text(), priceMicros: rng.int64(), userAgent: rng.text(maxLength: 40),
            device: rng.bool() ? Device(deviceType: rng.text(), os: rng.text(), browser: rng.text()) : nil,
            location: rng.bool()
                ? Location(
                    city: rng.text(), country: rng.text(), latitude: Double(rng.below(180)) - 90.5,
                    longitude: Double(rng.below(360)) / 3)
                : nil,
            sequence: rng.int64(),
            attributes: Dictionary(rng.texts().map { ($0, rng.text()) }, uniquingKeysWith: { $1 }),
            source: rng.text(), pipelineVersion: rng.text(),
            qualityVerdict: rng.element(of: QualityVerdict.allCases), failedChecks: rng.texts(),
            warnedChecks: rng.texts(), deviceTimeMs: rng.int64(), deviceSentTimeMs: rng.int64())
    }
}

extension DeadLetter: SampleMessage {
    static let full = DeadLetter(
        originalKey: Array("u-0123".utf8), originalValue: [0x0A, 0xFF, 0x00, 0xC3, 0x28], topic: "events.raw",
        partition: 11, offset: 9_876_543_210, originalTimestampMs: 1_700_000_000_000, stage: "transformer",
        reason: "invalid_utf8", detail: "payload: invalid UTF-8 at byte 1", timeMs: 1_700_000_001_000,
        replayCount: 2)

    static func random(using rng: inout SplitMix64) -> DeadLetter {
        DeadLetter(
            originalKey: rng.bool() ? rng.bytes(count: rng.below(20)) : nil,
            originalValue: rng.bool() ? rng.bytes(count: rng.below(100)) : nil, topic: rng.text(),
            partition: Int32(truncatingIfNeeded: rng.int64()), offset: rng.int64(), originalTimestampMs: rng.int64(),
            stage: rng.text(), reason: rng.text(), detail: rng.text(maxLength: 40), timeMs: rng.int64(),
            replayCount: UInt32(truncatingIfNeeded: rng.next()))
    }
}

extension FieldValue {
    static func random(using rng: inout SplitMix64) -> FieldValue {
        FieldValue(name: rng.text(), value: rng.bool() ? rng.text() : nil)
    }
}

extension ChangeEvent: SampleMessage {
    static let full = ChangeEvent(
        entityName: "Account", changeType: .update, recordIDs: ["001RO000001aBcDYAU", "001*"],
        changedFields: ["Name", "LastModifiedDate"], nulledFields: ["Fax"], diffFields: ["Description"],
        commitTimestampMs: 1_700_000_000_000, commitNumber: 10_595_119_034_549, commitUser: "005RO000000XyZ1YAK",
        transactionKey: "0002a2b3-4c5d-6e7f", sequenceNumber: 3,
        changeOrigin: "com/salesforce/api/rest/60.0;client=tributary", isTransactionEnd: true,
        replayID: [0x00, 0x01, 0xFF], eventUUID: "9f1c5b7e-0000-4000-8000-000000000001",
        fields: [
            FieldValue(name: "Name", value: "Acme GmbH"), FieldValue(name: "Fax", value: nil),
            FieldValue(name: "BillingAddress.City", value: ""),
        ])

    static func random(using rng: inout SplitMix64) -> ChangeEvent {
        ChangeEvent(
            entityName: rng.text(), changeType: rng.element(of: ChangeType.allCases), recordIDs: rng.texts(),
            changedFields: rng.texts(), nulledFields: rng.texts(), diffFields: rng.texts(),
            commitTimestampMs: rng.int64(), commitNumber: rng.int64(), commitUser: rng.text(),
            transactionKey: rng.text(), sequenceNumber: Int32(truncatingIfNeeded: rng.int64()),
            changeOrigin: rng.text(), isTransactionEnd: rng.bool(), replayID: rng.bytes(count: rng.below(9)),
            eventUUID: rng.text(), fields: (0..<rng.below(4)).map { _ in FieldValue.random(using: &rng) })
    }
}

extension RecordChange: SampleMessage {
    static let full = RecordChange(
        object: "Account", id: "001RO000001aBcDYAU", operation: .upsert,
        fields: [FieldValue(name: "name", value: "Acme GmbH"), FieldValue(name: "fax", value: nil)],
        fullRecord: true, source: .cdc, sourceTimestampMs: 1_700_000_000_000, changeType: .update,
        commitNumber: 10_595_119_034_549, commitUser: "005RO000000XyZ1YAK", transactionKey: "0002a2b3-4c5d-6e7f",
        sequenceNumber: 3, requestID: "req-1")

    static func random(using rng: inout SplitMix64) -> RecordChange {
        RecordChange(
            object: rng.text(), id: rng.text(), operation: rng.element(of: Operation.allCases),
            fields: (0..<rng.below(4)).map { _ in FieldValue.random(using: &rng) }, fullRecord: rng.bool(),
            source: rng.element(of: Source.allCases), sourceTimestampMs: rng.int64(),
            changeType: rng.element(of: ChangeType.allCases), commitNumber: rng.int64(), commitUser: rng.text(),
            transactionKey: rng.text(), sequenceNumber: Int32(truncatingIfNeeded: rng.int64()), requestID: rng.text())
    }
}

extension BatchRequest: SampleMessage {
    static let full = BatchRequest(
        requestID: "req-1", object: "Contact", recordIDs: ["003RO000001aBcDYAU", "003RO000001aBcEYAU"],
        sinceMs: 1_699_000_000_000, reason: .gap, requestedBy: "cdc-router-0", requestedTimeMs: 1_700_000_000_000)

    static func random(using rng: inout SplitMix64) -> BatchRequest {
        BatchRequest(
            requestID: rng.text(), object: rng.text(), recordIDs: rng.texts(), sinceMs: rng.int64(),
            reason: rng.element(of: Reason.allCases), requestedBy: rng.text(), requestedTimeMs: rng.int64())
    }
}

extension Status: SampleMessage {
    static let full = Status(
        service: "extractor", instance: "extractor-0", timeMs: 1_700_000_000_000, kind: .progress, state: "running",
        counters: ["records_out": 1_234_567, "http_errors": 3, "dead_letters": 0],
        watermarks: ["salesforce.Account": 1_699_999_000_000, "salesforce.Contact": -1],
        job: JobProgress(jobID: "req-1", done: 4_000, total: 10_000), version: "1.0.0",
        startedTimeMs: 1_699_990_000_000)

    static func random(using rng: inout SplitMix64) -> Status {
        Status(
            service: rng.text(), instance: rng.text(), timeMs: rng.int64(), kind: rng.element(of: Kind.allCases),
            state: rng.text(), counters: Dictionary(rng.texts().map { ($0, rng.int64()) }, uniquingKeysWith: { $1 }),
            watermarks: Dictionary(rng.texts().map { ($0, rng.int64()) }, uniquingKeysWith: { $1 }),
            job: rng.bool() ? JobProgress(jobID: rng.text(), done: rng.int64(), total: rng.int64()) : nil,
            version: rng.text(), startedTimeMs: rng.int64())
    }
}

extension Alert: SampleMessage {
    static let full = Alert(
        key: "dlq_rate#transformer", severity: .critical, status: .firing, source: "alerting-0",
        summary: "Dead letters above 1% for 5 minutes", detail: "reason=invalid_json dominates",
        labels: ["stage": "transformer", "topic": "events.raw", "reason": "invalid_json"], timeMs: 1_700_000_000_000)

    static func random(using rng: inout SplitMix64) -> Alert {
        Alert(
            key: rng.text(), severity: rng.element(of: Severity.allCases), status: rng.element(of: Status.allCases),
            source: rng.text(), summary: rng.text(maxLength: 30), detail: rng.text(maxLength: 30),
            labels: Dictionary(rng.texts().map { ($0, rng.text()) }, uniquingKeysWith: { $1 }), timeMs: rng.int64())
    }
}
