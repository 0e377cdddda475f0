internal import CPipelineProto

/// A parsed, typed, enriched clickstream event that passed the blocking quality checks; topic
/// `events.clean`, keyed by user id.
///
/// The bigtable-writer stores it in `events_fact` under `{userID}#{reversed eventTimeMs}#{eventID}` with
/// cell timestamp `eventTimeMs`; the aggregator rolls it up by user, page, song, item and event type.
/// Integer milliseconds and micros keep those sums exact. Events failing a blocking check become
/// ``DeadLetter``s instead, so ``qualityVerdict`` is `.pass` or `.warn`.
public struct CleanEvent: PipelineMessage {
    // MARK: Identity and time
    /// Unique and producer-assigned: the idempotency key for the fact row and for aggregates.
    public var eventID: String
    public var userID: String
    public var sessionID: String
    /// Canonical snake_case type, e.g. `"song_play"` (`ClickstreamModel.EventType.rawValue`).
    public var eventType: String
    /// When the event happened, epoch milliseconds; the Bigtable cell timestamp.
    public var eventTimeMs: Int64
    /// When the pipeline first saw it (``RawEvent/receivedTimeMs``).
    public var ingestTimeMs: Int64
    /// When the transformer produced this message.
    public var processedTimeMs: Int64

    // MARK: Event attributes
    public var page: String
    /// `"free"` or `"paid"`.
    public var level: String
    /// Set for song events.
    public var song: Song?
    /// Set for cart events.
    public var itemID: String
    /// Price in millionths of the currency unit (JSON `price` × 1,000,000).
    public var priceMicros: Int64
    public var userAgent: String
    public var device: Device?
    public var location: Location?
    /// The producer's sequence number (JSON `sequence`).
    public var sequence: Int64
    /// Payload fields the schema does not name yet: snake_case keys, JSON text values.
    public var attributes: [String: String]

    // MARK: Provenance and quality
    /// ``RawEvent/source``.
    public var source: String
    /// Version of the transformer that produced the message.
    public var pipelineVersion: String
    public var qualityVerdict: QualityVerdict
    /// Non-blocking checks that failed.
    public var failedChecks: [String]
    /// Checks that only warned.
    public var warnedChecks: [String]
    /// The `events.raw` partition and offset the event was made from (lineage; the transformer's duplicate-id
    /// window is rebuilt from these).
    public var rawPartition: Int32
    public var rawOffset: Int64

    // MARK: Device clock
    /// The device's own `timestamp` when ``eventTimeMs`` was corrected for its clock's skew
    /// (`eventTimeMs = ingestTimeMs − (deviceSentTimeMs − deviceTimeMs)`); 0 when no correction was made.
    public var deviceTimeMs: Int64
    /// The device's send time (JSON `sentAt`) in its own clock; 0 when the payload had none.
    public var deviceSentTimeMs: Int64

    public init(
        eventID: String = "", userID: String = "", sessionID: String = "", eventType: String = "",
        eventTimeMs: Int64 = 0, ingestTimeMs: Int64 = 0, processedTimeMs: Int64 = 0,
        page: String = "", level: String = "", song: Song? = nil, itemID: String = "", priceMicros: Int64 = 0,
        userAgent: String = "", device: Device? = nil, location: Location? = nil, sequence: Int64 = 0,
        attributes: [String: String] = [:], source: String = "", pipelineVersion: String = "",
        qualityVerdict: QualityVerdict = .unspecified, failedChecks: [String] = [], warnedChecks: [String] = [],
        rawPartition: Int32 = 0, rawOffset: Int64 = 0,
        deviceTimeMs: Int64 = 0, deviceSentTimeMs: Int64 = 0
    ) {
        self.eventID = eventID
        self.userID = userID
        self.sessionID = sessionID
        self.eventType = eventType
        self.eventTimeMs = eventTimeMs
        self.ingestTimeMs = ingestTimeMs
        self.processedTimeMs = processedTimeMs
        self.page = page
        self.level = level
        self.song = song
        self.itemID = itemID
        self.priceMicros = priceMicros
        self.userAgent = userAgent
        self.device = device
        self.location = location
        self.sequence = sequence
        self.attributes = attributes
        self.source = source
        self.pipelineVersion = pipelineVersion
        self.qualityVerdict = qualityVerdict
        self.failedChecks = failedChecks
        self.warnedChecks = warnedChecks
        self.rawPartition = rawPartition
        self.rawOffset = rawOffset
        self.deviceTimeMs = deviceTimeMs
        self.deviceSentTimeMs = deviceSentTimeMs
    }

    public init(decoding bytes: UnsafeRawBufferPointer) throws(MessageDecodingError) {
        self = try Self.decodeProtobufC(bytes)
    }

    public func encode() -> [UInt8] { encodeProtobufC() }
}

extension CleanEvent: ProtobufCConvertible {
    static var cInitializer: (UnsafeMutablePointer<Tributary__V1__CleanEvent>?) -> Void {
        tributary__v1__clean_event__init
    }

    init(cMessage c: Tributary__V1__CleanEvent) throws(MessageDecodingError) {
        eventID = String(protobufC: c.event_id)
        userID = String(protobufC: c.user_id)
        sessionID = String(protobufC: c.session_id)
        eventType = String(protobufC: c.event_type)
        eventTimeMs = c.event_time_ms
        ingestTimeMs = c.ingest_time_ms
        processedTimeMs = c.processed_time_ms
        page = String(protobufC: c.page)
        level = String(protobufC: c.level)
        song = try Song(cPointer: c.song)
        itemID = String(protobufC: c.item_id)
        priceMicros = c.price_micros
        userAgent = String(protobufC: c.user_agent)
        device = try Device(cPointer: c.device)
        location = try Location(cPointer: c.location)
        sequence = c.sequence
        attributes = Dictionary(cCount: c.n_attributes, c.attributes) { ($0.key, String(protobufC: $0.value)) }
        source = String(protobufC: c.source)
        pipelineVersion = String(protobufC: c.pipeline_version)
        qualityVerdict = try QualityVerdict(cValue: c.quality_verdict, field: "quality_verdict")
        failedChecks = [String](cCount: c.n_failed_checks, c.failed_checks)
        warnedChecks = [String](cCount: c.n_warned_checks, c.warned_checks)
        rawPartition = c.raw_partition
        rawOffset = c.raw_offset
        deviceTimeMs = c.device_time_ms
        deviceSentTimeMs = c.device_sent_time_ms
    }

    func fill(_ c: inout Tributary__V1__CleanEvent, in arena: EncodingArena) {
        c.event_id = arena.string(eventID)
        c.user_id = arena.string(userID)
        c.session_id = arena.string(sessionID)
        c.event_type = arena.string(eventType)
        c.event_time_ms = eventTimeMs
        c.ingest_time_ms = ingestTimeMs
        c.processed_time_ms = processedTimeMs
        c.page = arena.string(page)
        c.level = arena.string(level)
        c.song = song.map(arena.message)
        c.item_id = arena.string(itemID)
        c.price_micros = priceMicros
        c.user_agent = arena.string(userAgent)
        c.device = device.map(arena.message)
        c.location = location.map(arena.message)
        c.sequence = sequence
        (c.n_attributes, c.attributes) = arena.map(
            attributes, initializer: tributary__v1__clean_event__attributes_entry__init
        ) { entry, key, value in
            entry.key = key
            entry.value = arena.string(value)
        }
        c.source = arena.string(source)
        c.pipeline_version = arena.string(pipelineVersion)
        c.quality_verdict = qualityVerdict.cValue()
        (c.n_failed_checks, c.failed_checks) = arena.strings(failedChecks)
        (c.n_warned_checks, c.warned_checks) = arena.strings(warnedChecks)
        c.raw_partition = rawPartition
        c.raw_offset = rawOffset
        c.device_time_ms = deviceTimeMs
        c.device_sent_time_ms = deviceSentTimeMs
    }
}
