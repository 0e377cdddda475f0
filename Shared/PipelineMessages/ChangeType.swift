internal import CPipelineProto

/// Salesforce CDC `changeType`, shared by ``ChangeEvent`` and ``RecordChange``.
public enum ChangeType: Int32, Sendable, Hashable, CaseIterable {
    case unspecified = 0
    case create = 1
    case update = 2
    case delete = 3
    case undelete = 4
    /// Gap events carry no field values: re-read the records by id.
    case gapCreate = 5
    case gapUpdate = 6
    case gapDelete = 7
    case gapUndelete = 8
    /// Over 100,000 changes in one transaction: no record ids; re-read the object since a watermark.
    case gapOverflow = 9

    /// The four `GAP_*` types and `GAP_OVERFLOW`, whose changes must be re-read from the REST API.
    public var isGap: Bool {
        switch self {
        case .gapCreate, .gapUpdate, .gapDelete, .gapUndelete, .gapOverflow: true
        case .unspecified, .create, .update, .delete, .undelete: false
        }
    }
}

extension ChangeType: ProtobufCEnum {}
