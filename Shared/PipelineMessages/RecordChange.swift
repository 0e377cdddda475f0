internal import CPipelineProto

/// The upsert or delete of one Salesforce record, normalised; topic `salesforce.records`, keyed by
/// `{object}#{id}` (the `salesforce_records` row key).
///
/// Only the listed ``fields`` are written; ``sourceTimestampMs`` is the Bigtable cell timestamp, so the
/// row's versions are the record's history and a replay rewrites the same cells.
public struct RecordChange: PipelineMessage {
    /// Object API name, e.g. `"Account"`.
    public var object: String
    /// 18-character Salesforce record id.
    public var id: String
    public var operation: Operation
    /// snake_case field names; a nil value deletes the column value.
    public var fields: [FieldValue]
    /// `fields` holds the whole record (batch extract, CDC create), so unlisted columns may be cleared.
    public var fullRecord: Bool
    public var source: Source
    /// SystemModstamp (batch) or commit timestamp (CDC), epoch milliseconds.
    public var sourceTimestampMs: Int64

    // MARK: Commit info (CDC only)
    public var changeType: ChangeType
    public var commitNumber: Int64
    public var commitUser: String
    public var transactionKey: String
    public var sequenceNumber: Int32

    /// The ``BatchRequest/requestID`` that caused a batch extract, if any.
    public var requestID: String

    public init(
        object: String = "", id: String = "", operation: Operation = .unspecified, fields: [FieldValue] = [],
        fullRecord: Bool = false, source: Source = .unspecified, sourceTimestampMs: Int64 = 0,
        changeType: ChangeType = .unspecified, commitNumber: Int64 = 0, commitUser: String = "",
        transactionKey: String = "", sequenceNumber: Int32 = 0, requestID: String = ""
    ) {
        self.object = object
        self.id = id
        self.operation = operation
        self.fields = fields
        self.fullRecord = fullRecord
        self.source = source
        self.sourceTimestampMs = sourceTimestampMs
        self.changeType = changeType
        self.commitNumber = commitNumber
        self.commitUser = commitUser
        self.transactionKey = transactionKey
        self.sequenceNumber = sequenceNumber
        self.requestID = requestID
    }

    public enum Operation: Int32, Sendable, Hashable, CaseIterable {
        case unspecified = 0
        case upsert = 1
        case delete = 2
    }

    public enum Source: Int32, Sendable, Hashable, CaseIterable {
        case unspecified = 0
        /// REST query by the extractor.
        case batch = 1
        /// Change Data Capture, via the cdc-router.
        case cdc = 2
    }

    public init(decoding bytes: UnsafeRawBufferPointer) throws(MessageDecodingError) {
        self = try Self.decodeProtobufC(bytes)
    }

    public func encode() -> [UInt8] { encodeProtobufC() }
}

extension RecordChange.Operation: ProtobufCEnum {}
extension RecordChange.Source: ProtobufCEnum {}

extension RecordChange: ProtobufCConvertible {
    static var cInitializer: (UnsafeMutablePointer<Tributary__V1__RecordChange>?) -> Void {
        tributary__v1__record_change__init
    }

    init(cMessage c: Tributary__V1__RecordChange) throws(MessageDecodingError) {
        object = String(protobufC: c.object)
        id = String(protobufC: c.id)
        operation = try Operation(cValue: c.operation, field: "operation")
        fields = try [FieldValue](cCount: c.n_fields, c.fields)
        fullRecord = c.full_record != 0
        source = try Source(cValue: c.source, field: "source")
        sourceTimestampMs = c.source_timestamp_ms
        changeType = try ChangeType(cValue: c.change_type, field: "change_type")
        commitNumber = c.commit_number
        commitUser = String(protobufC: c.commit_user)
        transactionKey = String(protobufC: c.transaction_key)
        sequenceNumber = c.sequence_number
        requestID = String(protobufC: c.request_id)
    }

    func fill(_ c: inout Tributary__V1__RecordChange, in arena: EncodingArena) {
        c.object = arena.string(object)
        c.id = arena.string(id)
        c.operation = operation.cValue()
        (c.n_fields, c.fields) = arena.messages(fields)
        c.full_record = fullRecord ? 1 : 0
        c.source = source.cValue()
        c.source_timestamp_ms = sourceTimestampMs
        c.change_type = changeType.cValue()
        c.commit_number = commitNumber
        c.commit_user = arena.string(commitUser)
        c.transaction_key = arena.string(transactionKey)
        c.sequence_number = sequenceNumber
        c.request_id = arena.string(requestID)
    }
}
