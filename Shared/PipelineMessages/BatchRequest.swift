internal import CPipelineProto

/// Asks the extractor to (re-)read Salesforce records over REST; topic `pipeline.batch`, keyed by object.
///
/// Non-empty ``recordIDs`` select exactly those records; otherwise records with
/// `SystemModstamp >= sinceMs` (0 for the whole object).
public struct BatchRequest: PipelineMessage {
    /// Unique id, echoed in ``RecordChange/requestID`` and in ``Status/JobProgress/jobID``.
    public var requestID: String
    /// Object API name; the extractor accepts only names it knows, so SOQL never carries raw input.
    public var object: String
    public var recordIDs: [String]
    /// Watermark, epoch milliseconds; ignored when ``recordIDs`` is non-empty.
    public var sinceMs: Int64
    public var reason: Reason
    /// A service instance (`"cdc-router-0"`) or an operator's name.
    public var requestedBy: String
    /// When the request was made, epoch milliseconds.
    public var requestedTimeMs: Int64

    public init(
        requestID: String = "", object: String = "", recordIDs: [String] = [], sinceMs: Int64 = 0,
        reason: Reason = .unspecified, requestedBy: String = "", requestedTimeMs: Int64 = 0
    ) {
        self.requestID = requestID
        self.object = object
        self.recordIDs = recordIDs
        self.sinceMs = sinceMs
        self.reason = reason
        self.requestedBy = requestedBy
        self.requestedTimeMs = requestedTimeMs
    }

    public enum Reason: Int32, Sendable, Hashable, CaseIterable {
        case unspecified = 0
        /// Periodic incremental extract.
        case scheduled = 1
        /// A CDC gap event, or a wildcard record id, lost the change body.
        case gap = 2
        /// A `GAP_OVERFLOW` event: too many changes in one transaction.
        case overflow = 3
        /// Started by a person.
        case `operator` = 4
    }

    public init(decoding bytes: UnsafeRawBufferPointer) throws(MessageDecodingError) {
        self = try Self.decodeProtobufC(bytes)
    }

    public func encode() -> [UInt8] { encodeProtobufC() }
}

extension BatchRequest.Reason: ProtobufCEnum {}

extension BatchRequest: ProtobufCConvertible {
    static var cInitializer: (UnsafeMutablePointer<Tributary__V1__BatchRequest>?) -> Void {
        tributary__v1__batch_request__init
    }

    init(cMessage c: Tributary__V1__BatchRequest) throws(MessageDecodingError) {
        requestID = String(protobufC: c.request_id)
        object = String(protobufC: c.object)
        recordIDs = [String](cCount: c.n_record_ids, c.record_ids)
        sinceMs = c.since_ms
        reason = try Reason(cValue: c.reason, field: "reason")
        requestedBy = String(protobufC: c.requested_by)
        requestedTimeMs = c.requested_time_ms
    }

    func fill(_ c: inout Tributary__V1__BatchRequest, in arena: EncodingArena) {
        c.request_id = arena.string(requestID)
        c.object = arena.string(object)
        (c.n_record_ids, c.record_ids) = arena.strings(recordIDs)
        c.since_ms = sinceMs
        c.reason = reason.cValue()
        c.requested_by = arena.string(requestedBy)
        c.requested_time_ms = requestedTimeMs
    }
}
