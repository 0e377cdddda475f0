internal import CPipelineProto

/// One Salesforce Change Data Capture event, header and body; topic `salesforce.cdc`, keyed by the first
/// record id (the entity name for `GAP_OVERFLOW`).
///
/// The cdc-router fans it out into one ``RecordChange`` per record id and turns gap and overflow events
/// (``ChangeType/isGap``) and wildcard ids such as `001*` into ``BatchRequest``s.
public struct ChangeEvent: PipelineMessage {
    // MARK: ChangeEventHeader
    /// Object API name, e.g. `"Account"`.
    public var entityName: String
    public var changeType: ChangeType
    /// Usually one id; several for one change applied to many records; may be a wildcard like `001*`.
    public var recordIDs: [String]
    /// Field API names changed by an UPDATE.
    public var changedFields: [String]
    /// Field API names set to null.
    public var nulledFields: [String]
    /// Field API names whose body value is a diff rather than the full value.
    public var diffFields: [String]
    /// Commit time, epoch milliseconds.
    public var commitTimestampMs: Int64
    /// System change number; diagnostic only, not a global key.
    public var commitNumber: Int64
    /// Id of the user who made the change.
    public var commitUser: String
    /// Groups the changes of one Salesforce transaction.
    public var transactionKey: String
    /// Order within the transaction, from 1.
    public var sequenceNumber: Int32
    /// `com/salesforce/api/<api>/<version>;client=<clientId>`, or empty; recognises our own writes.
    public var changeOrigin: String
    public var isTransactionEnd: Bool

    // MARK: Delivery and body
    /// Opaque Salesforce replay id, for resuming the subscription.
    public var replayID: [UInt8]
    /// Salesforce `EventUuid`.
    public var eventUUID: String
    /// Field values by API name, as Salesforce sent them; empty for gap events.
    public var fields: [FieldValue]

    public init(
        entityName: String = "", changeType: ChangeType = .unspecified, recordIDs: [String] = [],
        changedFields: [String] = [], nulledFields: [String] = [], diffFields: [String] = [],
        commitTimestampMs: Int64 = 0, commitNumber: Int64 = 0, commitUser: String = "", transactionKey: String = "",
        sequenceNumber: Int32 = 0, changeOrigin: String = "", isTransactionEnd: Bool = false,
        replayID: [UInt8] = [], eventUUID: String = "", fields: [FieldValue] = []
    ) {
        self.entityName = entityName
        self.changeType = changeType
        self.recordIDs = recordIDs
        self.changedFields = changedFields
        self.nulledFields = nulledFields
        self.diffFields = diffFields
        self.commitTimestampMs = commitTimestampMs
        self.commitNumber = commitNumber
        self.commitUser = commitUser
        self.transactionKey = transactionKey
        self.sequenceNumber = sequenceNumber
        self.changeOrigin = changeOrigin
        self.isTransactionEnd = isTransactionEnd
        self.replayID = replayID
        self.eventUUID = eventUUID
        self.fields = fields
    }

    public init(decoding bytes: UnsafeRawBufferPointer) throws(MessageDecodingError) {
        self = try Self.decodeProtobufC(bytes)
    }

    public func encode() -> [UInt8] { encodeProtobufC() }
}

extension ChangeEvent: ProtobufCConvertible {
    static var cInitializer: (UnsafeMutablePointer<Tributary__V1__ChangeEvent>?) -> Void {
        tributary__v1__change_event__init
    }

    init(cMessage c: Tributary__V1__ChangeEvent) throws(MessageDecodingError) {
        entityName = String(protobufC: c.entity_name)
        changeType = try ChangeType(cValue: c.change_type, field: "change_type")
        recordIDs = [String](cCount: c.n_record_ids, c.record_ids)
        changedFields = [String](cCount: c.n_changed_fields, c.changed_fields)
        nulledFields = [String](cCount: c.n_nulled_fields, c.nulled_fields)
        diffFields = [String](cCount: c.n_diff_fields, c.diff_fields)
        commitTimestampMs = c.commit_timestamp_ms
        commitNumber = c.commit_number
        commitUser = String(protobufC: c.commit_user)
        transactionKey = String(protobufC: c.transaction_key)
        sequenceNumber = c.sequence_number
        changeOrigin = String(protobufC: c.change_origin)
        isTransactionEnd = c.is_transaction_end != 0
        replayID = [UInt8](cBinary: c.replay_id)
        eventUUID = String(protobufC: c.event_uuid)
        fields = try [FieldValue](cCount: c.n_fields, c.fields)
    }

    func fill(_ c: inout Tributary__V1__ChangeEvent, in arena: EncodingArena) {
        c.entity_name = arena.string(entityName)
        c.change_type = changeType.cValue()
        (c.n_record_ids, c.record_ids) = arena.strings(recordIDs)
        (c.n_changed_fields, c.changed_fields) = arena.strings(changedFields)
        (c.n_nulled_fields, c.nulled_fields) = arena.strings(nulledFields)
        (c.n_diff_fields, c.diff_fields) = arena.strings(diffFields)
        c.commit_timestamp_ms = commitTimestampMs
        c.commit_number = commitNumber
        c.commit_user = arena.string(commitUser)
        c.transaction_key = arena.string(transactionKey)
        c.sequence_number = sequenceNumber
        c.change_origin = arena.string(changeOrigin)
        c.is_transaction_end = isTransactionEnd ? 1 : 0
        c.replay_id = arena.bytes(replayID)
        c.event_uuid = arena.string(eventUUID)
        (c.n_fields, c.fields) = arena.messages(fields)
    }
}
